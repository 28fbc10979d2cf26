package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One running container's I/O over the last sample.
 *
 * @param container        the container's name
 * @param service          the catalogue service it is; absent when unknown to the catalogue
 * @param readBytesPerSec  bytes read per second
 * @param writeBytesPerSec bytes written per second
 * @param source           where the numbers come from: {@code cgroup} (the cgroup's {@code io.stat}: block
 *                         devices only) or {@code proc} (its processes' {@code /proc/<pid>/io} summed: also
 *                         counts writes to NFS)
 * @param ioPressure       the container cgroup's {@code io.pressure}; absent where the cgroup has none
 */
@JsonPropertyOrder({ "container", "service", "readBytesPerSec", "writeBytesPerSec", "source", "ioPressure" })
public record ContainerIo(String container, String service, long readBytesPerSec, long writeBytesPerSec,
        String source, Pressure ioPressure) {
}
