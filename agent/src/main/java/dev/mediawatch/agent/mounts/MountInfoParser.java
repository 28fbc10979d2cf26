package dev.mediawatch.agent.mounts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code /proc/<pid>/mountinfo} ({@code Documentation/filesystems/proc.rst}, section 3.5):
 *
 * <pre>
 * 36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 * (1)(2)(3)   (4)   (5)        (6)        (7)      (8) (9)  (10)      (11)
 * </pre>
 *
 * (6) are the per-mount options, (11) the superblock's: a read-only bind mount shows {@code ro} in (6) and
 * {@code rw} in (11), so the effective mode is read from (6). Paths escape space, tab, newline and backslash
 * as octal ({@code \040}). A malformed line is skipped and counted, never an exception.
 */
public final class MountInfoParser {

    /**
     * One mount.
     *
     * @param mountPoint   where it is mounted, unescaped
     * @param mountOptions the per-mount options (field 6), e.g. {@code ro}, {@code relatime}
     * @param fsType       e.g. {@code nfs4}
     * @param source       e.g. {@code pve:/media}
     * @param superOptions the superblock options (field 11) in order; flags map to ""
     */
    public record Mount(int id, int parentId, String device, String root, String mountPoint, Set<String> mountOptions,
            String fsType, String source, Map<String, String> superOptions) {

        /** Read-only as this mount point sees it (per-mount flags win over the superblock's). */
        public boolean readOnly() {
            return mountOptions.contains("ro") || superOptions.containsKey("ro");
        }
    }

    public record Result(List<Mount> mounts, int skipped) {
    }

    private MountInfoParser() {
    }

    public static Result parse(String text) {
        List<Mount> mounts = new ArrayList<>();
        int skipped = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Mount m = line(line);
            if (m == null) {
                skipped++;
            } else {
                mounts.add(m);
            }
        }
        return new Result(List.copyOf(mounts), skipped);
    }

    private static Mount line(String line) {
        String[] f = line.strip().split(" ");
        int dash = -1;
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                dash = i;
                break;
            }
        }
        if (f.length < 10 || dash < 0 || f.length < dash + 4) {
            return null;
        }
        try {
            return new Mount(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], unescape(f[3]), unescape(f[4]),
                    Set.of(f[5].split(",")), f[dash + 1], unescape(f[dash + 2]), options(f[dash + 3]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, String> options(String field) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String o : field.split(",")) {
            int eq = o.indexOf('=');
            out.put(eq < 0 ? o : o.substring(0, eq), eq < 0 ? "" : o.substring(eq + 1));
        }
        return out;
    }

    /** The kernel's {@code show_path}/{@code mangle} escapes: backslash and three octal digits. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
