package dev.mediawatch.agent.config;

import java.net.http.HttpClient;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import dev.mediawatch.runtime.http.OutboundHttp;

/**
 * The agent's one outbound HTTP client ({@link OutboundHttp}): every activity source and the health probes. Its
 * threads are {@code mediawatch-http-1} and {@code -2}; it connects within the larger of
 * {@code mediawatch.activity.timeout} and {@code mediawatch.probes.timeout}, and each request keeps its own timeout.
 * No cookies, no redirects.
 *
 * <p>Made on first use, not at startup: the bean is application-scoped, so what is injected is a proxy that
 * creates the client the first time a source or a probe sends a request. An agent with no activity source and no
 * probe on its host (a plain VM with containers) never starts the client's selector thread nor loads the JDK's
 * HTTP and TLS classes (some 600 of them).
 */
@ApplicationScoped
public class AgentHttp {

    public static final String THREAD_NAME = "mediawatch-http";
    static final int THREADS = 2;

    @Produces
    @ApplicationScoped
    HttpClient http(AgentConfig config) {
        return OutboundHttp.client(THREAD_NAME, THREADS, connectTimeout(config.activity().timeout(),
                config.probes().timeout()));
    }

    void close(@Disposes HttpClient http) {
        OutboundHttp.close(http);
    }

    static Duration connectTimeout(Duration activity, Duration probes) {
        Duration larger = activity.compareTo(probes) >= 0 ? activity : probes;
        // A zero or negative timeout is refused, naming its key, where it is used.
        return larger.isNegative() || larger.isZero() ? Duration.ofSeconds(1) : larger;
    }
}
