package dev.mediawatch.aggregator.notify;

import java.time.Duration;
import java.util.Set;

/**
 * One place notifications go, made from a service URL ({@link ServiceUrls#parse}). Implementations hold their
 * credentials privately and never show them: {@link #display()} and every {@link Outcome#what()} are safe to log.
 */
public interface Target {

    /** The URL's scheme as written ({@code ntfy}, {@code gotify}, {@code generic+https}, ...): the metrics' label. */
    String scheme();

    /** The target as logs, metrics and answers may show it: {@code scheme://***@host} (no path, query or token). */
    String display();

    /** Which messages this target wants. */
    Filter filter();

    /**
     * Sends one message: blocking, called on a notification thread, bounded by {@code timeout} per request. Never
     * throws: every failure is an {@link Outcome}.
     */
    Outcome send(Message message, Duration timeout);

    /**
     * Which messages a target takes, from its URL's fragment ({@code #severity=critical&kinds=host,stutter}).
     *
     * @param minSeverity the least severe message sent (clears are sent when their raise was)
     * @param kinds       the alert kinds sent; empty: all
     */
    record Filter(Message.Severity minSeverity, Set<String> kinds) {

        public static final Filter ALL = new Filter(Message.Severity.WARNING, Set.of());

        public Filter {
            kinds = Set.copyOf(kinds);
        }

        /** Whether a message of this severity and kind goes to the target (a test always does). */
        public boolean wants(Message.Severity severity, String kind) {
            if ("test".equals(kind)) {
                return true;
            }
            boolean severe = minSeverity != Message.Severity.CRITICAL || severity == Message.Severity.CRITICAL;
            return severe && (kinds.isEmpty() || kinds.contains(kind));
        }
    }
}
