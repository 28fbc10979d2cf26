package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One host as the aggregator sees it.
 *
 * @param host            the host id
 * @param role            the role its agent reported; absent until a state arrived
 * @param status          up, stale or down
 * @param since           when {@code status} last changed (UTC, aggregator clock)
 * @param availability    the last availability payload; absent when none arrived
 * @param lastSeen        when anything last arrived from the host (UTC, aggregator clock)
 * @param stateReceivedAt when the last state arrived (UTC, aggregator clock)
 * @param stateTimestamp  the last state's own timestamp (UTC, agent clock)
 * @param agentVersion    the agent's version from its last state
 * @param engine          the agent's container engine reachability from its last state
 * @param counts          container counts from the last state
 * @param containers      the containers of the last state, sorted by name
 */
@JsonPropertyOrder({ "host", "role", "status", "since", "availability", "lastSeen", "stateReceivedAt",
        "stateTimestamp", "agentVersion", "engine", "counts", "containers" })
public record HostStatus(
        HostId host,
        String role,
        HostHealth status,
        Instant since,
        Availability availability,
        Instant lastSeen,
        Instant stateReceivedAt,
        Instant stateTimestamp,
        String agentVersion,
        EngineState engine,
        ContainerCounts counts,
        List<ContainerState> containers) {

    public HostStatus {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(status, "status");
        counts = counts == null ? ContainerCounts.ZERO : counts;
        containers = containers == null ? List.of() : List.copyOf(containers);
    }
}
