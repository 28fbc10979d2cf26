package dev.mediawatch.runtime.config;

/** A size or limit of at least 1, for a {@code long} key. */
public class PositiveLong extends LongRange {

    public PositiveLong() {
        super(1, Long.MAX_VALUE);
    }
}
