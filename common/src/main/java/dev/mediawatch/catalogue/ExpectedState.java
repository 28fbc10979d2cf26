package dev.mediawatch.catalogue;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the owner wants of a service. */
public enum ExpectedState {
    /** Should run; not running is a problem. */
    RUNNING,
    /** Deliberately stopped for now (e.g. tdarr until evaluated); shown with a {@code *}, not a problem. */
    PARKED,
    /** Should not run. */
    STOPPED;

    /** Computed once: the wire form is written for every service of every host on each status build. */
    private final String wire;

    ExpectedState() {
        this.wire = name().toLowerCase(Locale.ROOT);
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    static ExpectedState fromWire(String wire) {
        for (ExpectedState s : values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        return null;
    }
}
