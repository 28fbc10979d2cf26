package dev.mediawatch.runtime.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * A whole number within bounds, for an {@code int} key. A key with its own bounds declares a small subclass with a
 * public no-arg constructor; {@link PositiveInt}, {@link NonNegativeInt} and {@link Port} are the common ones.
 */
public abstract class IntRange implements Converter<Integer> {

    private final int min;
    private final int max;

    /**
     * @param min the lower bound, included
     * @param max the upper bound, included; {@link Integer#MAX_VALUE} for none
     */
    protected IntRange(int min, int max) {
        if (max < min) {
            throw new IllegalArgumentException("max " + max + " is below min " + min);
        }
        this.min = min;
        this.max = max;
    }

    @Override
    public Integer convert(String value) {
        String text = Values.text(value);
        return text == null ? null : (int) Values.whole(text, min, max, Integer.MAX_VALUE);
    }
}
