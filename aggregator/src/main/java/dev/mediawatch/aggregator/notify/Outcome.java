package dev.mediawatch.aggregator.notify;

import java.time.Duration;

/**
 * How one attempt to deliver a message ended.
 *
 * @param delivered  the service took it
 * @param retry      worth another attempt (connection error, timeout, 5xx, 429)
 * @param what       safe to show in logs and incidents: a status or a kind of failure, never a URL, token or body
 * @param retryAfter the service's own wait ({@code Retry-After}), or null
 */
public record Outcome(boolean delivered, boolean retry, String what, Duration retryAfter) {

    public static Outcome delivered(String what) {
        return new Outcome(true, false, what, null);
    }

    public static Outcome retry(String what) {
        return new Outcome(false, true, what, null);
    }

    public static Outcome fail(String what) {
        return new Outcome(false, false, what, null);
    }
}
