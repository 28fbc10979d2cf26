package dev.mediawatch.runtime.config;

import java.time.Duration;

import io.quarkus.runtime.configuration.DurationConverter;

/**
 * Reading one configuration value: blank is not set, durations as Quarkus reads them, numbers whole; and a duration
 * written back the way a user writes it, for the messages of checks that relate several values.
 */
public final class Values {

    private Values() {
    }

    /** The value without surrounding blanks; null when nothing is left (not set). */
    static String text(String value) {
        if (value == null) {
            return null;
        }
        String t = value.strip();
        return t.isEmpty() ? null : t;
    }

    /** {@code 30s}, {@code 5m}, {@code 100ms}, {@code 2h}, {@code 7d}, {@code PT30S}, or plain seconds. */
    static Duration duration(String text) {
        Duration d;
        try {
            d = DurationConverter.parseDuration(text);
        } catch (RuntimeException e) {
            d = null;
        }
        if (d == null) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; use e.g. 500ms, 30s, 5m, 1h or 7d");
        }
        return d;
    }

    /**
     * {@code text} as a whole number from {@code min} to {@code max}; {@code unbounded} is the type's own largest
     * value, a {@code max} that bounds nothing.
     */
    static long whole(String text, long min, long max, long unbounded) {
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            if (text.matches("[0-9]+")) {
                throw new IllegalArgumentException(text + " is too large; use at most " + unbounded);
            }
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
        if (v >= min && v <= max) {
            return v;
        }
        if (max != unbounded) {
            throw new IllegalArgumentException(text + " is out of range; use " + min + " to " + max);
        }
        if (v < min) {
            throw new IllegalArgumentException(text + " is too small; use at least " + min);
        }
        throw new IllegalArgumentException(text + " is too large; use at most " + max);
    }

    /**
     * A duration as a user writes it, so a bound in a message can be copied into the configuration: {@code 100ms},
     * {@code 30s}, {@code 5m}, {@code 1h}.
     */
    public static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
