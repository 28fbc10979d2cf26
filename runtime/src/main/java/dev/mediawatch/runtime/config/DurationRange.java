package dev.mediawatch.runtime.config;

import java.time.Duration;
import java.util.Objects;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * A duration within bounds, written as Quarkus reads durations ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
 * {@code 7d}, {@code PT30S}, or plain seconds). A key with its own bounds declares a small subclass with a public
 * no-arg constructor; {@link PositiveDuration} and {@link NonNegativeDuration} are the common ones.
 */
public abstract class DurationRange implements Converter<Duration> {

    private final Duration min;
    private final boolean minIncluded;
    private final Duration max;

    /**
     * @param min         the lower bound
     * @param minIncluded whether {@code min} itself is allowed
     * @param max         the upper bound, included; null for none
     */
    protected DurationRange(Duration min, boolean minIncluded, Duration max) {
        this.min = Objects.requireNonNull(min, "min");
        this.minIncluded = minIncluded;
        this.max = max;
        if (max != null && max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max " + max + " is below min " + min);
        }
    }

    @Override
    public Duration convert(String value) {
        String text = Values.text(value);
        if (text == null) {
            return null;
        }
        Duration d = Values.duration(text);
        int low = d.compareTo(min);
        if (low < 0 || (low == 0 && !minIncluded)) {
            throw new IllegalArgumentException(text + " is too short; use " + rule());
        }
        if (max != null && d.compareTo(max) > 0) {
            throw new IllegalArgumentException(text + " is too long; use " + rule());
        }
        return d;
    }

    /** What is allowed, in words: "at least 1s", "more than 0s, e.g. 30s", "5s to 1h". */
    private String rule() {
        if (max != null) {
            return Values.human(min) + " to " + Values.human(max);
        }
        if (minIncluded) {
            return (min.isZero() ? "" : "at least ") + Values.human(min) + (min.isZero() ? " or more" : "");
        }
        return "more than " + Values.human(min) + (min.isZero() ? ", e.g. 30s" : "");
    }
}
