package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonValue;

/** The aggregator's verdict on a host. */
public enum HostHealth {
    /** Availability {@code online} and a state received within the stale age. */
    UP,
    /** Availability {@code online}, but no state within the stale age: the agent may be stuck. */
    STALE,
    /** Availability {@code offline} (the agent's last will, or a clean stop), or nothing heard within the down age. */
    DOWN;

    /** Computed once: the wire form is written for every container of every host on each status build. */
    private final String wire;

    HostHealth() {
        this.wire = name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
