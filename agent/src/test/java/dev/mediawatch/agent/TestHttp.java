package dev.mediawatch.agent;

import java.net.http.HttpClient;
import java.time.Duration;

import dev.mediawatch.runtime.http.OutboundHttp;

/**
 * For tests of one client or runner outside a running agent: an HTTP client made like the agent's one shared
 * client ({@code AgentHttp}: no cookies, no redirects), shared by every such test in the JVM as the agent shares its
 * own. Each request keeps its own timeout, which also bounds its connect.
 */
public final class TestHttp {

    public static final HttpClient CLIENT = OutboundHttp.client("test-http", 2, Duration.ofSeconds(5));

    private TestHttp() {
    }
}
