package dev.mediawatch.contract;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The payload of {@code <prefix>/<host>/availability}: retained, plain text {@code online} or {@code offline}.
 * {@code offline} is also the agent's MQTT last will, so the broker announces an agent that died
 * without anyone polling. The plain words follow Home Assistant's default {@code payload_available} /
 * {@code payload_not_available}, so HA entities can use the topic as is.
 */
public enum Availability {
    ONLINE("online"),
    OFFLINE("offline");

    private final String wire;

    Availability(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public byte[] payload() {
        return wire.getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses a payload; anything but the exact words is not an availability. */
    public static Optional<Availability> parse(byte[] payload) {
        if (payload == null) {
            return Optional.empty();
        }
        String text = new String(payload, StandardCharsets.UTF_8).strip();
        for (Availability a : values()) {
            if (a.wire.equals(text)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
