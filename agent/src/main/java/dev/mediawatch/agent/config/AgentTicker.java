package dev.mediawatch.agent.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.mediawatch.runtime.work.Ticker;

/** The agent's one clock ({@code mediawatch-ticker}): the periodic republish, the probes' round, second looks. */
@ApplicationScoped
public class AgentTicker {

    @Produces
    @Singleton
    Ticker ticker() {
        return new Ticker("mediawatch-ticker");
    }

    void close(@Disposes Ticker ticker) {
        ticker.close();
    }
}
