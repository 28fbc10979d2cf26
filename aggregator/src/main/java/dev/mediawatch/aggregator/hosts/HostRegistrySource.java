package dev.mediawatch.aggregator.hosts;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.mediawatch.aggregator.config.AggregatorConfig;

/** The one registry of hosts: ingest writes it; the status, the detector, Home Assistant and the REST API read it. */
public class HostRegistrySource {

    @Produces
    @Singleton
    HostRegistry registry(AggregatorConfig config) {
        return new HostRegistry(Clock.systemUTC(), config.status().maxHosts(), config.status().recentEvents());
    }
}
