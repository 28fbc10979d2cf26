package dev.mediawatch.aggregator.drift;

import java.util.Objects;

/**
 * One entry of {@code mediawatch.drift.mount-locks}: hosts named by id or role must have {@code path} mounted in
 * {@code mode}.
 *
 * @param subject a host id or a role
 * @param path    the mount point
 * @param mode    {@code rw} or {@code ro}
 */
public record MountLock(String subject, String path, String mode) {

    public MountLock {
        Objects.requireNonNull(subject);
        Objects.requireNonNull(path);
        Objects.requireNonNull(mode);
    }

    /** {@code SUBJECT:PATH:MODE}, e.g. {@code streaming:/mnt/media:ro}. */
    public static MountLock parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split(":", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[1].startsWith("/") || !(parts[2].equals("rw") || parts[2].equals("ro"))) {
            throw new IllegalArgumentException("'" + text + "' is not SUBJECT:PATH:MODE (a host id or role, an absolute"
                    + " path, rw or ro), e.g. streaming:/mnt/media:ro");
        }
        return new MountLock(parts[0], parts[1], parts[2]);
    }

    @Override
    public String toString() {
        return subject + ":" + path + ":" + mode;
    }
}
