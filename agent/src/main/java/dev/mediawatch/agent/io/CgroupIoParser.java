package dev.mediawatch.agent.io;

/**
 * Parses a cgroup v2 {@code io.stat} ({@code Documentation/admin-guide/cgroup-v2.rst}, "IO Interface
 * Files"), one line per device, keyed by {@code MAJ:MIN}:
 *
 * <pre>
 * 8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0
 * 8:0 rbytes=90430464 wbytes=299008000 rios=8950 wios=1252 dbytes=50331648 dios=3021
 * </pre>
 *
 * and sums the lines. The counts are taken at the block layer, as requests are issued to a device: reads served
 * from the page cache, and writes to network file systems (NFS, CIFS, FUSE) do not appear here at all (see
 * {@link ProcIoParser} for a per-process view that includes them). Buffered writes appear when they are
 * written back; with cgroup writeback (v2 with the memory and io controllers) they are charged to the cgroup
 * that dirtied the pages, otherwise to whoever issued the writeback.
 *
 * <p>Keys other than {@code rbytes}, {@code wbytes}, {@code rios} and {@code wios} are ignored (discard
 * counts, and the {@code use_delay}, {@code depth}, {@code avg_lat}, {@code cost.*} statistics that iolatency,
 * iocost and {@code blkcg_debug_stats} append). A line without a {@code MAJ:MIN} key, with a token that is not
 * {@code key=value}, with a non-numeric value for one of the four keys, or missing one of them, is skipped and
 * counted.
 */
public final class CgroupIoParser {

    /** Totals over all devices: bytes and requests as issued to the block devices. */
    public record IoTotals(long readBytes, long writeBytes, long readOps, long writeOps) {

        public static final IoTotals ZERO = new IoTotals(0, 0, 0, 0);

        /** Unsigned wrap-around addition, like the kernel's own u64 counters. */
        IoTotals plus(IoTotals o) {
            return new IoTotals(readBytes + o.readBytes, writeBytes + o.writeBytes, readOps + o.readOps,
                    writeOps + o.writeOps);
        }
    }

    /**
     * @param totals  the sum of the parsed lines ({@link IoTotals#ZERO} for an empty file: a cgroup that has not
     *                done block I/O yet has no lines)
     * @param devices lines summed
     * @param skipped malformed lines skipped
     */
    public record Result(IoTotals totals, int devices, int skipped) {
    }

    private CgroupIoParser() {
    }

    public static Result parse(String text) {
        IoTotals sum = IoTotals.ZERO;
        int devices = 0;
        int skipped = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            IoTotals t = line(line.strip().split("\\s+"));
            if (t == null) {
                skipped++;
            } else {
                sum = sum.plus(t);
                devices++;
            }
        }
        return new Result(sum, devices, skipped);
    }

    private static IoTotals line(String[] f) {
        if (!isDevice(f[0])) {
            return null;
        }
        Long rbytes = null;
        Long wbytes = null;
        Long rios = null;
        Long wios = null;
        try {
            for (int i = 1; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                if (eq <= 0) {
                    return null;
                }
                String value = f[i].substring(eq + 1);
                switch (f[i].substring(0, eq)) {
                    case "rbytes" -> rbytes = Long.parseUnsignedLong(value);
                    case "wbytes" -> wbytes = Long.parseUnsignedLong(value);
                    case "rios" -> rios = Long.parseUnsignedLong(value);
                    case "wios" -> wios = Long.parseUnsignedLong(value);
                    default -> {
                        // dbytes, dios, and what iolatency / iocost / debug stats append
                    }
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (rbytes == null || wbytes == null || rios == null || wios == null) {
            return null;
        }
        return new IoTotals(rbytes, wbytes, rios, wios);
    }

    private static boolean isDevice(String key) {
        int colon = key.indexOf(':');
        if (colon <= 0 || colon == key.length() - 1) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (i != colon && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}
