package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The retained snapshot on {@code <prefix>/<host>/io}: the I/O-contention signals of one host, as rates over
 * the last sample, published every mounts interval.
 *
 * @param schema          always {@code mediawatch.host-io}
 * @param version         the schema version, {@code 1}
 * @param host            the agent's host id; must equal the host level of the topic
 * @param timestamp       when the sample was taken (UTC)
 * @param intervalSeconds the time the rates are over; {@code 0} on the first sample (no rates yet)
 * @param pressure        pressure stall information of the host; absent when the kernel has none
 * @param disks           the watched block devices
 * @param containers      running containers' I/O, most bytes written per second first
 * @param topWriters      names of the containers writing most (up to 3, only those writing at all)
 */
@JsonPropertyOrder({ "schema", "version", "host", "timestamp", "intervalSeconds", "pressure", "disks", "containers",
        "topWriters" })
public record HostIo(String schema, int version, HostId host, Instant timestamp, double intervalSeconds,
        HostPressure pressure, List<DiskIo> disks, List<ContainerIo> containers, List<String> topWriters) {

    public HostIo {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timestamp, "timestamp");
        disks = disks == null ? List.of() : List.copyOf(disks);
        containers = containers == null ? List.of() : List.copyOf(containers);
        topWriters = topWriters == null ? List.of() : List.copyOf(topWriters);
    }

    public static HostIo of(HostId host, Instant timestamp, double intervalSeconds, HostPressure pressure,
            List<DiskIo> disks, List<ContainerIo> containers, List<String> topWriters) {
        return new HostIo(Schema.HOST_IO.id(), Schema.HOST_IO.version(), host, timestamp, intervalSeconds, pressure,
                disks, containers, topWriters);
    }
}
