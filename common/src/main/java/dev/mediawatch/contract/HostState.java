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
 * @param missing      catalogue services expected to run here with no container, sorted by name
 * @param summary      counts at a glance; absent from agents that predate it
 * @param probes       the last health probe of each catalogue service that has one, sorted by service
 * @param address      the address the host is reached at (configured, or the agent's first non-loopback one)
 * @param requestId    the refresh request this snapshot answers; absent on ordinary publishes
 * @param envAudit     the plaintext-secret audit of the watched compose directories; absent when none is watched
 */
@JsonPropertyOrder({ "schema", "version", "host", "role", "agentVersion", "timestamp", "engine", "containers",
        "missing", "summary", "probes", "address", "requestId", "envAudit" })
public record HostState(
        String schema,
        int version,
        HostId host,
        String role,
        String agentVersion,
        Instant timestamp,
        EngineState engine,
        List<ContainerState> containers,
        List<MissingService> missing,
        HostSummary summary,
        List<ServiceProbe> probes,
        String address,
        String requestId,
        EnvAudit envAudit) {

    public HostState {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(engine, "engine");
        containers = containers == null ? List.of() : List.copyOf(containers);
        missing = missing == null ? List.of() : List.copyOf(missing);
        probes = probes == null ? List.of() : List.copyOf(probes);
    }

    /** A state without address, request or audit (as before those fields). */
    public HostState(String schema, int version, HostId host, String role, String agentVersion, Instant timestamp,
            EngineState engine, List<ContainerState> containers, List<MissingService> missing, HostSummary summary,
            List<ServiceProbe> probes) {
        this(schema, version, host, role, agentVersion, timestamp, engine, containers, missing, summary, probes, null,
                null, null);
    }

    /** A state without catalogue: no missing services, summary from the containers alone, no probes. */
    public static HostState of(HostId host, String role, String agentVersion, Instant timestamp, EngineState engine,
            List<ContainerState> containers) {
        return of(host, role, agentVersion, timestamp, engine, containers, List.of(), null, List.of());
    }

    public static HostState of(HostId host, String role, String agentVersion, Instant timestamp, EngineState engine,
            List<ContainerState> containers, List<MissingService> missing, HostSummary summary,
            List<ServiceProbe> probes) {
        return new HostState(Schema.HOST_STATE.id(), Schema.HOST_STATE.version(), host, role, agentVersion,
                timestamp, engine, containers, missing, summary, probes);
    }


    /** The same snapshot at another time: what "unchanged" compares. */
    public HostState at(Instant newTimestamp) {
        return new HostState(schema, version, host, role, agentVersion, newTimestamp, engine, containers, missing,
                summary, probes, address, requestId, envAudit);
    }

    /** The same snapshot with the host's address, the request it answers and the secrets audit. */
    public HostState with(String newAddress, String newRequestId, EnvAudit newAudit) {
        return new HostState(schema, version, host, role, agentVersion, timestamp, engine, containers, missing,
                summary, probes, newAddress, newRequestId, newAudit);
    }
}
