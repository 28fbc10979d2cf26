package dev.mediawatch.agent.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code /proc/diskstats} (kernel {@code Documentation/admin-guide/iostats.rst} and
 * {@code Documentation/ABI/testing/procfs-diskstats}):
 *
 * <pre>
 *  254       0 vda 141809 12575 5673058 131639 160526 71671 5969184 36610 0 25684 174017 46530 34 2966728 4223 29060 1544
 * </pre>
 *
 * Fields 1-14 (major, minor, name, then reads, reads merged, sectors read, ms reading, writes, writes merged,
 * sectors written, ms writing, I/Os in flight, ms doing I/O, weighted ms) are present since 2.6.25; 4.18 added
 * four discard fields (18 in all) and 5.5 two flush fields (20). Those extra fields are read past and ignored,
 * as is anything a later kernel appends. Counters are parsed as unsigned 64-bit values. Sectors are always
 * 512 bytes here, whatever the device's sector size.
 *
 * <p>A malformed line (fewer than 14 fields, as the 7-field partition lines of 2.6.0 to 2.6.24; a field that
 * is not an unsigned number) is skipped and counted, never an exception.
 */
public final class DiskStatsParser {

    /** Fields of the 2.6.25+ format; the 4.18 and 5.5 additions follow them. */
    static final int MIN_FIELDS = 14;

    /**
     * One device line: cumulative since boot (or since the device appeared). The time fields are printed by
     * the kernel as 32-bit values and wrap at 2<sup>32</sup> ms; see {@link Counters#delta32}.
     *
     * @param readMs     milliseconds spent by all reads (summed over concurrent requests)
     * @param inFlight   I/Os in progress now: a gauge, not a counter
     * @param ioMs       milliseconds during which at least one I/O was in progress (utilisation)
     * @param weightedMs in-flight-weighted milliseconds (queue length times time)
     */
    public record Disk(int major, int minor, String name, long reads, long readsMerged, long sectorsRead,
            long readMs, long writes, long writesMerged, long sectorsWritten, long writeMs, long inFlight,
            long ioMs, long weightedMs) {
    }

    /**
     * @param disks   the parsed lines, in file order
     * @param skipped malformed lines skipped
     */
    public record Result(List<Disk> disks, int skipped) {
    }

    private DiskStatsParser() {
    }

    public static Result parse(String text) {
        List<Disk> disks = new ArrayList<>();
        int skipped = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Disk d = line(line.strip().split("\\s+"));
            if (d == null) {
                skipped++;
            } else {
                disks.add(d);
            }
        }
        return new Result(List.copyOf(disks), skipped);
    }

    private static Disk line(String[] f) {
        if (f.length < MIN_FIELDS) {
            return null;
        }
        try {
            int major = Integer.parseInt(f[0]);
            int minor = Integer.parseInt(f[1]);
            if (major < 0 || minor < 0) {
                return null;
            }
            long[] n = new long[MIN_FIELDS - 3];
            for (int i = 0; i < n.length; i++) {
                n[i] = Long.parseUnsignedLong(f[i + 3]);
            }
            return new Disk(major, minor, f[2], n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], n[10]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
