package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The Docker healthcheck verdict ({@code State.Health.Status}: starting, healthy, unhealthy), or
 * {@code none} for a container without a healthcheck.
 */
public enum ContainerHealth {
    NONE, STARTING, HEALTHY, UNHEALTHY;

    /** Computed once: the wire form is written for every container of every host on each status build. */
    private final String wire;

    ContainerHealth() {
        this.wire = name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ContainerHealth fromWire(String wire) {
        if (wire != null) {
            for (ContainerHealth h : values()) {
                if (h.wire().equalsIgnoreCase(wire.strip())) {
                    return h;
                }
            }
        }
        return NONE;
    }
}
