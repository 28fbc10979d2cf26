package dev.mediawatch.runtime.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * A whole number within bounds, for a {@code long} key (byte counts). A key with its own bounds declares a small
 * subclass with a public no-arg constructor; {@link PositiveLong} is the common one.
 */
public abstract class LongRange implements Converter<Long> {

    private final long min;
    private final long max;

    /**
     * @param min the lower bound, included
     * @param max the upper bound, included; {@link Long#MAX_VALUE} for none
     */
    protected LongRange(long min, long max) {
        if (max < min) {
            throw new IllegalArgumentException("max " + max + " is below min " + min);
        }
        this.min = min;
        this.max = max;
    }

    @Override
    public Long convert(String value) {
        String text = Values.text(value);
        return text == null ? null : Values.whole(text, min, max, Long.MAX_VALUE);
    }
}
