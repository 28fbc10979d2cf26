package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code POST /api/refresh} ({@code media.refresh}).
 *
 * @param schema      always {@code mediawatch.refresh}
 * @param version     the schema version, {@code 1}
 * @param requestId   the id sent to every agent with the refresh command
 * @param requestedAt when the commands went out (UTC)
 * @param finishedAt  when every agent had answered or the timeout passed (UTC)
 * @param timeoutMs   how long agents were given
 * @param pass        every host passed
 * @param hosts       one line per host, sorted by host id
 * @param status      the unified status after the answers
 */
@JsonPropertyOrder({ "schema", "version", "requestId", "requestedAt", "finishedAt", "timeoutMs", "pass", "hosts",
        "status" })
public record RefreshResult(String schema, int version, String requestId, Instant requestedAt, Instant finishedAt,
        long timeoutMs, boolean pass, List<RefreshHost> hosts, StatusReport status) {

    public RefreshResult {
        Objects.requireNonNull(schema, "schema");
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    public static RefreshResult of(String requestId, Instant requestedAt, Instant finishedAt, long timeoutMs,
            List<RefreshHost> hosts, StatusReport status) {
        return new RefreshResult(Schema.REFRESH.id(), Schema.REFRESH.version(), requestId, requestedAt, finishedAt,
                timeoutMs, hosts.stream().allMatch(RefreshHost::pass), hosts, status);
    }
}
