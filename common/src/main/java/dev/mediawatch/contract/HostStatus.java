package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One host as the aggregator sees it. Container detail (images, ids, restart counts) stays in the host's
 * own state, {@code GET /api/hosts/<host>}; this is what the dashboard needs.
 *
 * @param host            the host id
 * @param role            the role its agent reported; absent until a state arrived
 * @param status          up, stale or down
 * @param since           when {@code status} last changed (UTC, aggregator clock)
 * @param availability    the last availability payload; absent when none arrived
 * @param lastSeen        when anything last arrived from the host (UTC, aggregator clock); absent if never
 * @param stateReceivedAt when the last state arrived (UTC, aggregator clock)
 * @param stateTimestamp  the last state's own timestamp (UTC, agent clock)
 * @param agentVersion    the agent's version from its last state
 * @param address         the host's address from its last state
 * @param engine          the agent's container engine reachability from its last state
 * @param counts          services and containers at a glance
 * @param services        the catalogue's services for this host and the containers it does not list, sorted
 *                        by category (unlisted last), then name
 * @param mounts          the watched mounts from the host's last mounts report, in its order
 */
@JsonPropertyOrder({ "host", "role", "status", "since", "availability", "lastSeen", "stateReceivedAt",
        "stateTimestamp", "agentVersion", "address", "engine", "counts", "services", "mounts" })
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
        String address,
        EngineState engine,
        HostSummary counts,
        List<ServiceStatus> services,
        List<MountStatus> mounts) {

    public HostStatus {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(status, "status");
        counts = counts == null ? HostSummary.ZERO : counts;
        services = services == null ? List.of() : List.copyOf(services);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    HostStatus withoutServices() {
        return new HostStatus(host, role, status, since, availability, lastSeen, stateReceivedAt, stateTimestamp,
                agentVersion, address, engine, counts, List.of(), mounts);
    }
}
