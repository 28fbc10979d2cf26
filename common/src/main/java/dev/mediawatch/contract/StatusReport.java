package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The unified status: the body of {@code GET /api/status}, and (retained) of {@code <prefix>/status}.
 *
 * @param schema      always {@code mediawatch.status}
 * @param version     the schema version, {@code 1}
 * @param generatedAt when the aggregator built it (UTC)
 * @param hosts       every known host, sorted by host id
 * @param totals      container counts summed over all hosts
 */
@JsonPropertyOrder({ "schema", "version", "generatedAt", "hosts", "totals" })
public record StatusReport(String schema, int version, Instant generatedAt, List<HostStatus> hosts,
        ContainerCounts totals) {

    public StatusReport {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(generatedAt, "generatedAt");
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        totals = totals == null ? ContainerCounts.ZERO : totals;
    }

    public static StatusReport of(Instant generatedAt, List<HostStatus> hosts) {
        ContainerCounts totals = ContainerCounts.ZERO;
        for (HostStatus h : hosts) {
            totals = totals.plus(h.counts());
        }
        return new StatusReport(Schema.STATUS.id(), Schema.STATUS.version(), generatedAt, hosts, totals);
    }
}
