package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The retained snapshot on {@code <prefix>/<host>/mounts}: every watched mount, published every mounts
 * interval (its NFS rates move) and at once when a verdict changes.
 *
 * @param schema    always {@code mediawatch.host-mounts}
 * @param version   the schema version, {@code 1}
 * @param host      the agent's host id; must equal the host level of the topic
 * @param timestamp when this snapshot was taken (UTC)
 * @param mounts    the watched mounts in configuration order
 */
@JsonPropertyOrder({ "schema", "version", "host", "timestamp", "mounts" })
public record HostMounts(String schema, int version, HostId host, Instant timestamp, List<MountState> mounts) {

    public HostMounts {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timestamp, "timestamp");
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    public static HostMounts of(HostId host, Instant timestamp, List<MountState> mounts) {
        return new HostMounts(Schema.HOST_MOUNTS.id(), Schema.HOST_MOUNTS.version(), host, timestamp, mounts);
    }
}
