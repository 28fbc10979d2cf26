package dev.mediawatch.runtime.config;

/** A count or limit of at least 1. */
public class PositiveInt extends IntRange {

    public PositiveInt() {
        super(1, Integer.MAX_VALUE);
    }
}
