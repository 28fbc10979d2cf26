package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The retained snapshot on {@code <prefix>/<host>/state}: everything one agent knows. Republished when it
 * changes and at least every publish interval, so a reader that joins late, or missed an event, is right
 * again within one interval.
 *
 * @param schema       always {@code mediawatch.host-state}
 * @param version      the schema version, {@code 1}
 * @param host         the agent's host id; must equal the host level of the topic
 * @param role         what the host is for: {@code download}, {@code streaming}, or another slug
 * @param agentVersion the agent's build version
 * @param timestamp    when this snapshot was taken (UTC, the agent's clock)
 * @param engine       whether the container engine answers
 * @param containers   every container the engine lists, sorted by name
 */
@JsonPropertyOrder({ "schema", "version", "host", "role", "agentVersion", "timestamp", "engine", "containers" })
public record HostState(
        String schema,
        int version,
        HostId host,
        String role,
        String agentVersion,
        Instant timestamp,
        EngineState engine,
        List<ContainerState> containers) {

    public HostState {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(engine, "engine");
        containers = containers == null ? List.of() : List.copyOf(containers);
    }

    public static HostState of(HostId host, String role, String agentVersion, Instant timestamp, EngineState engine,
            List<ContainerState> containers) {
        return new HostState(Schema.HOST_STATE.id(), Schema.HOST_STATE.version(), host, role, agentVersion,
                timestamp, engine, containers);
    }

    public ContainerCounts counts() {
        return ContainerCounts.of(containers);
    }

    /** The same snapshot at another time: what "unchanged" compares. */
    public HostState at(Instant newTimestamp) {
        return new HostState(schema, version, host, role, agentVersion, newTimestamp, engine, containers);
    }
}
