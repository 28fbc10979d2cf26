package dev.mediawatch.contract;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** How urgent an alert is. */
public enum AlertSeverity {
    /** Something people notice is broken: a host down, a mount hung, a service that should run does not. */
    CRITICAL,
    /** Degraded or about to be: stale reports, an unhealthy container, a probe failing. */
    WARNING;

    /** Computed once: the wire form is written for every container of every host on each status build. */
    private final String wire;

    AlertSeverity() {
        this.wire = name().toLowerCase(Locale.ROOT);
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
