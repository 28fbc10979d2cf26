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

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
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
