package dev.mediawatch.contract;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** How urgent an alert is. */
public enum AlertSeverity {
    /** Something people notice is broken: a host down, a mount hung, a service that should run does not. */
    CRITICAL,
    /** Degraded or about to be: stale reports, an unhealthy container, a probe failing. */
    WARNING;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
