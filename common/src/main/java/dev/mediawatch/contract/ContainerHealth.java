package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The Docker healthcheck verdict ({@code State.Health.Status}: starting, healthy, unhealthy), or
 * {@code none} for a container without a healthcheck.
 */
public enum ContainerHealth {
    NONE, STARTING, HEALTHY, UNHEALTHY;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
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
