package dev.mediawatch.aggregator.stutter;

import java.time.Instant;
import java.util.Objects;

import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostMounts;

/**
 * What the aggregator knows of one host when a detector window is decided: the last retained snapshots it
 * received and when it last heard from the host. Built by the wiring from the host registry, one per known host.
 *
 * @param host     the host
 * @param role     {@code download}, {@code streaming} or anything else (ignored by the detector); may be null
 * @param online   the host's availability is {@code online}
 * @param heardAt  when the aggregator last received any message from it (aggregator clock); null if never
 * @param io       its last {@code <host>/io}; null if none yet
 * @param mounts   its last {@code <host>/mounts}; null if none yet
 * @param activity its last {@code <host>/activity}; null if none yet
 */
public record HostSample(HostId host, String role, boolean online, Instant heardAt, HostIo io, HostMounts mounts,
        HostActivity activity) {

    public static final String DOWNLOAD = "download";
    public static final String STREAMING = "streaming";

    public HostSample {
        Objects.requireNonNull(host, "host");
    }

    public boolean download() {
        return DOWNLOAD.equals(role);
    }

    public boolean streaming() {
        return STREAMING.equals(role);
    }
}
