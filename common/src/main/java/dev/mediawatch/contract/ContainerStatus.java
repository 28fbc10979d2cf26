package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A container's state as the Docker Engine API reports it ({@code State.Status} of
 * {@code GET /containers/{id}/json}, {@code State} of {@code GET /containers/json}: one of
 * created, restarting, running, removing, paused, exited, dead). {@code unknown} stands for a value a
 * newer engine may add, so a reader never fails on it.
 */
public enum ContainerStatus {
    CREATED, RESTARTING, RUNNING, REMOVING, PAUSED, EXITED, DEAD, UNKNOWN;

    /** Computed once: the wire form is written for every container of every host on each status build. */
    private final String wire;

    ContainerStatus() {
        this.wire = name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ContainerStatus fromWire(String wire) {
        if (wire != null) {
            for (ContainerStatus s : values()) {
                if (s.wire().equalsIgnoreCase(wire.strip())) {
                    return s;
                }
            }
        }
        return UNKNOWN;
    }
}
