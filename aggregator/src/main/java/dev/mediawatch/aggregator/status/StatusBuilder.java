package dev.mediawatch.aggregator.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.ContainerCounts;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.StatusReport;

/**
 * Turns what the registry holds into the unified status at a given instant. Pure: the same records and
 * instant give the same report.
 *
 * <p>A host is {@code up} while its availability is {@code online} and its last state is younger than
 * {@code staleAfter}; {@code stale} when online with an older (or no) state; {@code down} when its
 * availability is {@code offline}, or when nothing at all arrived for {@code downAfter}. The last rule
 * catches a broker that lost the will (an agent that died while the broker was down).
 */
public final class StatusBuilder {

    private final Duration staleAfter;
    private final Duration downAfter;

    public StatusBuilder(Duration staleAfter, Duration downAfter) {
        this.staleAfter = staleAfter;
        this.downAfter = downAfter;
    }

    public StatusReport build(Collection<HostRecord> records, Instant now) {
        List<HostStatus> hosts = records.stream()
                .sorted(Comparator.comparing(HostRecord::host))
                .map(r -> host(r, now))
                .toList();
        return StatusReport.of(now, hosts);
    }

    HostStatus host(HostRecord r, Instant now) {
        HostState s = r.state();
        HostHealth health;
        Instant since;
        Instant silentUntil = r.lastSeen().plus(downAfter);
        if (r.availability() == Availability.OFFLINE) {
            health = HostHealth.DOWN;
            since = r.availabilitySince();
        } else if (!now.isBefore(silentUntil)) {
            health = HostHealth.DOWN;
            since = silentUntil;
        } else if (r.availability() == Availability.ONLINE && s != null
                && now.isBefore(r.stateReceivedAt().plus(staleAfter))) {
            health = HostHealth.UP;
            since = r.availabilitySince();
        } else {
            // Online without a fresh state, or a state without any availability yet.
            health = HostHealth.STALE;
            Instant staleFrom = s == null ? r.lastSeen() : r.stateReceivedAt().plus(staleAfter);
            since = r.availabilitySince() != null && r.availabilitySince().isAfter(staleFrom) ? r.availabilitySince() : staleFrom;
        }
        return new HostStatus(
                r.host(),
                s == null ? null : s.role(),
                health,
                since,
                r.availability(),
                r.lastSeen(),
                r.stateReceivedAt(),
                s == null ? null : s.timestamp(),
                s == null ? null : s.agentVersion(),
                s == null ? null : s.engine(),
                s == null ? ContainerCounts.ZERO : s.counts(),
                s == null ? List.of() : s.containers());
    }
}
