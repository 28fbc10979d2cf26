package dev.mediawatch.contract;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One share of storage as the hosts that mount it see it: a network share (NFS, SMB) once however many hosts
 * mount it, any other filesystem once per host and path.
 *
 * @param source     what is mounted, e.g. {@code pve:/media}
 * @param fsType     its filesystem type
 * @param freeBytes  bytes available to unprivileged users, from the freshest report
 * @param totalBytes the share's size
 * @param usedPct    used space, as {@code df} computes it
 * @param mountedBy  where it is mounted, {@code host:path}, sorted
 */
@JsonPropertyOrder({ "source", "fsType", "freeBytes", "totalBytes", "usedPct", "mountedBy" })
public record StorageShare(String source, String fsType, long freeBytes, long totalBytes, double usedPct,
        List<String> mountedBy) {

    public StorageShare {
        Objects.requireNonNull(source, "source");
        mountedBy = mountedBy == null ? List.of() : List.copyOf(mountedBy);
    }
}
