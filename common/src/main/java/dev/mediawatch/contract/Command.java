package dev.mediawatch.contract;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** Commands an agent accepts on {@code <prefix>/<host>/cmd/<command>}. */
public enum Command {
    /** Collect everything now and republish the state, whatever the publish interval says. */
    REFRESH("refresh"),
    /** Set or renew (lease) download limits, or restore them; payload {@link ThrottleRequest}. */
    THROTTLE("throttle"),
    /** To the aggregator only: arm or disarm download mitigation ({@code ON}/{@code OFF}, Home Assistant's switch). */
    MITIGATION("mitigation");

    private final String wire;

    Command(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Optional<Command> fromWire(String wire) {
        for (Command c : values()) {
            if (c.wire.equals(wire)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
