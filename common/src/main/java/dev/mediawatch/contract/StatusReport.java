package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The unified status ({@code media.status}): the body of {@code GET /api/status}, and (retained) of
 * {@code <prefix>/status}.
 *
 * @param schema      always {@code mediawatch.status}
 * @param version     the schema version, {@code 2}
 * @param generatedAt when the aggregator built it (UTC)
 * @param hosts       every known host (from publishers and the catalogue), sorted by host id
 * @param totals      the hosts' counts summed
 * @param storage     the shared storage the hosts mount, one entry per share, sorted by source
 * @param alerts      open alerts, most severe first, then oldest first
 * @param drift       the drift gates, in id order, each with its evidence
 * @param checklist   the split plan's success criteria that can be checked live
 * @param contention  the stutter detector's last window (score, state, evidence); absent before its first window
 * @param truncated   true when per-service lists were left out to fit the MQTT size limit (only on the topic)
 * @param imports     today's imports per *arr app ({@code media.metrics.today}), summed over the download hosts
 */
@JsonPropertyOrder({ "schema", "version", "generatedAt", "hosts", "totals", "storage", "alerts", "drift", "checklist",
        "contention", "truncated", "imports" })
public record StatusReport(String schema, int version, Instant generatedAt, List<HostStatus> hosts, HostSummary totals,
        List<StorageShare> storage, List<Alert> alerts, List<Check> drift, List<Check> checklist, Contention contention,
        Boolean truncated, List<ArrImports> imports) {

    public StatusReport {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(generatedAt, "generatedAt");
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        totals = totals == null ? HostSummary.ZERO : totals;
        storage = storage == null ? List.of() : List.copyOf(storage);
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
        drift = drift == null ? List.of() : List.copyOf(drift);
        checklist = checklist == null ? List.of() : List.copyOf(checklist);
        imports = imports == null ? List.of() : List.copyOf(imports);
        truncated = Boolean.TRUE.equals(truncated) ? Boolean.TRUE : null;
    }

    public static StatusReport of(Instant generatedAt, List<HostStatus> hosts, List<StorageShare> storage,
            List<Alert> alerts, List<Check> drift, List<Check> checklist) {
        return of(generatedAt, hosts, storage, alerts, drift, checklist, null);
    }

    public static StatusReport of(Instant generatedAt, List<HostStatus> hosts, List<StorageShare> storage,
            List<Alert> alerts, List<Check> drift, List<Check> checklist, Contention contention) {
        HostSummary totals = HostSummary.ZERO;
        for (HostStatus h : hosts) {
            totals = totals.plus(h.counts());
        }
        return new StatusReport(Schema.STATUS.id(), Schema.STATUS.version(), generatedAt, hosts, totals, storage,
                alerts, drift, checklist, contention, null, List.of());
    }

    /** The same report without per-service lists, for a topic whose size is limited. */
    public StatusReport withoutServices() {
        return new StatusReport(schema, version, generatedAt, hosts.stream().map(HostStatus::withoutServices).toList(),
                totals, storage, alerts, drift, checklist, contention, Boolean.TRUE, imports);
    }

    /** The same report with today's imports. */
    public StatusReport withImports(List<ArrImports> today) {
        return new StatusReport(schema, version, generatedAt, hosts, totals, storage, alerts, drift, checklist, contention,
                truncated, today);
    }

    /** A host's status, if known. */
    public java.util.Optional<HostStatus> host(HostId id) {
        return hosts.stream().filter(h -> h.host().equals(id)).findFirst();
    }
}
