package dev.mediawatch.runtime.config;

import java.time.Duration;

/** A duration of zero or more: a delay or an allowance where zero means none. */
public class NonNegativeDuration extends DurationRange {

    public NonNegativeDuration() {
        super(Duration.ZERO, true, null);
    }
}
