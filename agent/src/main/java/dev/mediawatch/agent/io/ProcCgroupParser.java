package dev.mediawatch.agent.io;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code /proc/<pid>/cgroup} ({@code man 7 cgroups}, "/proc/[pid]/cgroup"): one
 * {@code hierarchy-ID:controller-list:cgroup-path} line per hierarchy the process belongs to.
 *
 * <pre>
 * 7:blkio:/                                      a cgroup v1 hierarchy
 * 9:name=systemd:/                               a named v1 hierarchy without controllers
 * 0::/system.slice/docker-0123...cdef.scope      the cgroup v2 (unified) hierarchy: ID 0, no controllers
 * </pre>
 *
 * A pure v2 host has only the {@code 0::} line, a hybrid one (v1 controllers plus a v2 hierarchy, usually at
 * {@code /sys/fs/cgroup/unified}) both, a pure v1 one no {@code 0::} line. The path is relative to the
 * mount point of the hierarchy, and to the reader's cgroup namespace: seen from inside a container it is
 * usually {@code /}. The kernel appends {@code " (deleted)"} to a v2 path whose cgroup has been removed; that
 * suffix is dropped here. Paths may contain colons, so only the first two separate fields.
 *
 * <p>A line with fewer than three fields, a non-numeric ID, a path not starting with {@code /}, or an ID and
 * controller list that do not agree (0 with controllers, non-zero without) is skipped and counted.
 */
public final class ProcCgroupParser {

    static final String DELETED = " (deleted)";

    /**
     * @param v2Path  the cgroup v2 path (the {@code 0::} line), empty when the process has none (pure v1)
     * @param v1Paths cgroup v1 path per controller, one entry per controller of a co-mounted list (so
     *                {@code 4:cpu,cpuacct:/x} gives {@code cpu} and {@code cpuacct}); named hierarchies keep
     *                their {@code name=...} key, e.g. {@code name=systemd}. Empty on a pure v2 host.
     * @param skipped malformed lines skipped
     */
    public record Result(Optional<String> v2Path, Map<String, String> v1Paths, int skipped) {
    }

    private ProcCgroupParser() {
    }

    public static Result parse(String text) {
        String v2 = null;
        Map<String, String> v1 = new LinkedHashMap<>();
        int skipped = 0;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(":", 3);
            if (f.length < 3 || !f[2].startsWith("/") || !isNumber(f[0])) {
                skipped++;
                continue;
            }
            boolean unified = Long.parseLong(f[0]) == 0;
            if (unified != f[1].isEmpty()) {
                skipped++;
                continue;
            }
            if (unified) {
                if (v2 == null) {
                    String path = f[2];
                    v2 = path.endsWith(DELETED) ? path.substring(0, path.length() - DELETED.length()) : path;
                }
            } else {
                for (String controller : f[1].split(",")) {
                    if (!controller.isEmpty()) {
                        v1.putIfAbsent(controller, f[2]);
                    }
                }
            }
        }
        return new Result(Optional.ofNullable(v2), Map.copyOf(v1), skipped);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
