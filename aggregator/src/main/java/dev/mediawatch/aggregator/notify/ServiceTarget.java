package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.time.Duration;

/**
 * What every service target shares: the scheme as written, the display ({@code scheme://***@host}) and the
 * filter. A target's credentials live in its own private fields and appear in neither.
 */
abstract class ServiceTarget implements Target {

    private final String scheme;
    private final String display;
    private final Filter filter;

    /** @param displayHost the host contacted: a server's own, or the service's fixed API host (never a token) */
    protected ServiceTarget(ServiceUrl url, String displayHost) {
        this.scheme = url.scheme;
        this.display = url.scheme + "://***@" + displayHost;
        this.filter = url.filter;
    }

    @Override
    public final String scheme() {
        return scheme;
    }

    @Override
    public final String display() {
        return display;
    }

    @Override
    public final Filter filter() {
        return filter;
    }

    @Override
    public final Outcome send(Message message, Duration timeout) {
        try {
            return deliver(message, timeout);
        } catch (RuntimeException e) {
            // The exception's message may hold a URL with a token in it: only its type is shown.
            return Outcome.fail("cannot build the request (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Sends one message; a runtime exception is turned into a final outcome by {@link #send}. */
    protected abstract Outcome deliver(Message message, Duration timeout);

    /** The host a base URI names, for the display. */
    static String hostOf(URI base) {
        return base.getHost() == null ? String.valueOf(base.getRawAuthority()) : base.getHost();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + display + ", " + filter + "]";
    }
}
