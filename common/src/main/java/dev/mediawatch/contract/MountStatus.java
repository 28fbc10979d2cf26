package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One watched mount of a host, condensed from its {@link MountState}.
 *
 * @param path         where it is mounted
 * @param health       the agent's verdict
 * @param mode         {@code rw} or {@code ro} as mounted; absent when not mounted
 * @param expectedMode the mode it should have; absent when any
 * @param fsType       the filesystem type; absent when not mounted
 * @param source       what is mounted, e.g. {@code pve:/media}
 * @param freeBytes    bytes available to unprivileged users; absent when unknown
 * @param totalBytes   the filesystem's size; absent when unknown
 * @param usedPct      used space, as {@code df} computes it
 * @param problems     why it is not {@code ok}
 * @param since        when the verdict last changed (agent clock)
 */
@JsonPropertyOrder({ "path", "health", "mode", "expectedMode", "fsType", "source", "freeBytes", "totalBytes",
        "usedPct", "problems", "since" })
public record MountStatus(String path, MountHealth health, String mode, String expectedMode, String fsType,
        String source, Long freeBytes, Long totalBytes, Double usedPct, List<String> problems, Instant since) {

    public MountStatus {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(health, "health");
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public static MountStatus of(MountState m) {
        MountSpace s = m.space();
        return new MountStatus(m.path(), m.health(), m.mode(), m.expectedMode(), m.fsType(), m.source(),
                s == null ? null : s.availableBytes(), s == null ? null : s.totalBytes(), s == null ? null : s.usedPct(),
                m.problems(), m.since());
    }
}
