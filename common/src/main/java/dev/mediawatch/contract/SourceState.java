package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How an activity source's API answered the last time it was asked: {@code ok}; {@code unreachable}
 * (connection refused or timed out); {@code unauthorized} (401/403: the key is wrong); {@code error} (it
 * answered, but not with something usable); {@code not-configured} (no URL, or no key where one is needed:
 * the source is left out, and the detector says so). Unknown values read as {@code error}.
 */
public enum SourceState {
    OK, UNREACHABLE, UNAUTHORIZED, ERROR, NOT_CONFIGURED;

    private final String wire;

    SourceState() {
        this.wire = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static SourceState fromWire(String wire) {
        for (SourceState s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        return ERROR;
    }
}
