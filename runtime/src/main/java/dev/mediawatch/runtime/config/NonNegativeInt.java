package dev.mediawatch.runtime.config;

/** A count of zero or more, where zero means none. */
public class NonNegativeInt extends IntRange {

    public NonNegativeInt() {
        super(0, Integer.MAX_VALUE);
    }
}
