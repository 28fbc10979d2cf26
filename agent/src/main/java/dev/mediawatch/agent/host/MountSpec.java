package dev.mediawatch.agent.host;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One watched mount as configured: {@code PATH[:FSTYPES[:MODE]]}, e.g. {@code /mnt/media:nfs|nfs4:ro}.
 * FSTYPES are alternatives separated by {@code |} (empty: any); MODE is {@code rw}, {@code ro} or empty
 * (either).
 *
 * @param path    an absolute path as on the host
 * @param fsTypes acceptable filesystem types; empty means any
 * @param mode    {@code rw}, {@code ro}, or null for either
 */
public record MountSpec(String path, List<String> fsTypes, String mode) {

    private static final Pattern FSTYPE = Pattern.compile("[a-z0-9_.-]+");

    public MountSpec {
        fsTypes = List.copyOf(fsTypes);
    }

    /** Parses one spec; the message of the exception says what is wrong with it. */
    public static MountSpec parse(String spec) {
        String s = spec.strip();
        String[] parts = s.split(":", -1);
        if (parts.length > 3) {
            throw new IllegalArgumentException("'" + s + "' has more than PATH:FSTYPES:MODE");
        }
        String path = parts[0];
        if (!path.startsWith("/") || path.contains("//") || (path.length() > 1 && path.endsWith("/"))) {
            throw new IllegalArgumentException("'" + s + "': the path must be absolute and normalised, like /mnt/media");
        }
        List<String> types = List.of();
        if (parts.length > 1 && !parts[1].isEmpty()) {
            types = List.of(parts[1].split("\\|"));
            for (String t : types) {
                if (!FSTYPE.matcher(t).matches()) {
                    throw new IllegalArgumentException("'" + s + "': '" + t + "' is not a filesystem type (like nfs4)");
                }
            }
        }
        String mode = parts.length > 2 && !parts[2].isEmpty() ? parts[2] : null;
        if (mode != null && !mode.equals("rw") && !mode.equals("ro")) {
            throw new IllegalArgumentException("'" + s + "': the mode must be rw or ro, not '" + mode + "'");
        }
        return new MountSpec(path, types, mode);
    }

    /** The filesystem types as written in the contract: {@code nfs|nfs4}, or null for any. */
    public String fsTypesText() {
        return fsTypes.isEmpty() ? null : String.join("|", fsTypes);
    }

    @Override
    public String toString() {
        return path + ":" + (fsTypes.isEmpty() ? "" : fsTypesText()) + ":" + (mode == null ? "" : mode);
    }
}
