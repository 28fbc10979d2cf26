package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One watched mount as the agent sees it.
 *
 * @param path           the configured mount point, as on the host (e.g. {@code /mnt/media})
 * @param expectedFsType the configured filesystem type ({@code nfs}, {@code nfs4}); absent when any will do
 * @param expectedMode   the configured mode, {@code rw} or {@code ro}; absent when either will do
 * @param health         the verdict, see {@link MountHealth}
 * @param problems       why the verdict is not {@code ok}, one short line each; empty when ok
 * @param since          when the verdict last changed (UTC)
 * @param mounted        whether a filesystem is mounted on the path
 * @param source         what is mounted, e.g. {@code pve:/media}; absent when not mounted
 * @param fsType         the mounted filesystem's type; absent when not mounted
 * @param mode           the effective mode from the per-mount flags, {@code rw} or {@code ro}
 * @param superblockMode the superblock's mode: a read-only bind mount is {@code ro} per mount and
 *                       {@code rw} here
 * @param nfs            the NFS mount options; absent for other filesystems
 * @param space          sizes from {@code statvfs}; absent when not mounted or when the call did not return
 * @param nfsStats       NFS client statistics as rates over the last sample; absent for other filesystems
 *                       and on the first sample
 */
@JsonPropertyOrder({ "path", "expectedFsType", "expectedMode", "health", "problems", "since", "mounted", "source",
        "fsType", "mode", "superblockMode", "nfs", "space", "nfsStats" })
public record MountState(
        String path,
        String expectedFsType,
        String expectedMode,
        MountHealth health,
        List<String> problems,
        Instant since,
        boolean mounted,
        String source,
        String fsType,
        String mode,
        String superblockMode,
        NfsOptions nfs,
        MountSpace space,
        NfsStats nfsStats) {

    public MountState {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(health, "health");
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** The same state with another {@code since}: what "unchanged" compares. */
    public MountState since(Instant newSince) {
        return new MountState(path, expectedFsType, expectedMode, health, problems, newSince, mounted, source, fsType,
                mode, superblockMode, nfs, space, nfsStats);
    }
}
