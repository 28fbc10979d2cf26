package dev.mediawatch.runtime.config;

import java.time.Duration;

/** A duration longer than zero: an interval, a timeout, a time something must hold. */
public class PositiveDuration extends DurationRange {

    public PositiveDuration() {
        super(Duration.ZERO, false, null);
    }
}
