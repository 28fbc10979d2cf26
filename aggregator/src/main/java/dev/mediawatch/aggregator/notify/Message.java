package dev.mediawatch.aggregator.notify;

import java.util.Objects;

import dev.mediawatch.contract.AlertSeverity;

/**
 * One notification, as every target renders it: a short title (a phone's lock screen shows about 60 characters), a
 * plain-text body whose first line says what is wrong, where and since when, then the evidence, one item a line, and
 * an optional link to the status.
 *
 * @param key      the delivery's identity, the same on every retry and after a restart:
 *                 {@code <group>:<raised|cleared>:<since epoch s>}; a receiver may drop a repeat of it
 * @param title    at most {@link #MAX_TITLE} characters, one line
 * @param text     the body, plain text, lines separated by {@code \n}; never empty
 * @param severity critical, warning (or info for a clear or a test)
 * @param raised   true when something went wrong, false when it cleared (or for a test)
 * @param kind     the alert kind ({@code host}, {@code service}, {@code mount}, {@code stutter}, ...; {@code test})
 * @param link     the status page of the aggregator, or null when no external URL is configured
 */
public record Message(String key, String title, String text, Severity severity, boolean raised, String kind, String link) {

    public static final int MAX_TITLE = 60;

    /** How urgent: each service maps it onto its own priority field. */
    public enum Severity {
        CRITICAL, WARNING, INFO;

        public static Severity of(AlertSeverity s) {
            return s == AlertSeverity.CRITICAL ? CRITICAL : WARNING;
        }
    }

    public Message {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(kind, "kind");
        title = title.replace('\n', ' ').strip();
        if (title.length() > MAX_TITLE) {
            title = title.substring(0, MAX_TITLE - 1) + "…";
        }
        if (text.isBlank()) {
            text = title;
        }
    }

    /** The body with the link as its last line, for services without a separate link field. */
    public String textWithLink() {
        return link == null ? text : text + "\n" + link;
    }
}
