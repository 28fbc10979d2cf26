package dev.mediawatch.agent.io;

import dev.mediawatch.agent.io.DiskStatsParser.Disk;

/**
 * Rates for one device between two {@code /proc/diskstats} readings, as {@code iostat -x} computes them.
 *
 * @param device             the device name, e.g. {@code vda}
 * @param readBytesPerSecond sectors read times 512, per second
 * @param readIops           reads completed per second (after merging)
 * @param awaitMs            mean time per completed read or write, queueing included:
 *                           Δ(readMs + writeMs) / Δ(reads + writes); 0 when no I/O completed
 * @param readAwaitMs        mean time per completed read, queueing included ({@code iostat}'s r_await): what a
 *                           reader (a stream) waits; 0 when no read completed
 * @param writeAwaitMs       the same for writes (w_await)
 * @param utilisationPercent share of the interval with at least one I/O in flight: ΔioMs / (seconds × 1000) ×
 *                           100, clamped to [0, 100]. For devices that serve requests in parallel (SSD, NVMe,
 *                           RAID, network block devices) 100 % does not mean saturated.
 */
public record DiskRates(String device, double readBytesPerSecond, double writeBytesPerSecond, double readIops,
        double writeIops, double awaitMs, double readAwaitMs, double writeAwaitMs, double utilisationPercent) {

    /** {@code /proc/diskstats} counts in 512-byte sectors regardless of the device's sector size. */
    public static final int SECTOR_BYTES = 512;

    /**
     * Counters use {@link Counters#delta} (counts) and {@link Counters#delta32} (the kernel's 32-bit time
     * fields): a wrapped counter gives its true difference, a reset one gives 0 for this interval.
     *
     * @param seconds wall time between the two readings
     * @return the rates, or null when the readings are of different devices (name or major:minor differ), either
     *         is null, or {@code seconds} is not a positive finite number
     */
    public static DiskRates between(Disk earlier, Disk later, double seconds) {
        if (earlier == null || later == null || !(seconds > 0) || Double.isInfinite(seconds)
                || !earlier.name().equals(later.name()) || earlier.major() != later.major()
                || earlier.minor() != later.minor()) {
            return null;
        }
        long reads = Counters.delta(earlier.reads(), later.reads());
        long writes = Counters.delta(earlier.writes(), later.writes());
        long sectorsRead = Counters.delta(earlier.sectorsRead(), later.sectorsRead());
        long sectorsWritten = Counters.delta(earlier.sectorsWritten(), later.sectorsWritten());
        long readMs = Counters.delta32(earlier.readMs(), later.readMs());
        long writeMs = Counters.delta32(earlier.writeMs(), later.writeMs());
        long busyMs = readMs + writeMs;
        long ioMs = Counters.delta32(earlier.ioMs(), later.ioMs());
        double ios = (double) reads + (double) writes;
        double await = ios == 0 ? 0 : busyMs / ios;
        double util = Math.max(0, Math.min(100, ioMs / (seconds * 1000) * 100));
        return new DiskRates(later.name(), (double) sectorsRead * SECTOR_BYTES / seconds,
                (double) sectorsWritten * SECTOR_BYTES / seconds, reads / seconds, writes / seconds, await,
                reads == 0 ? 0 : (double) readMs / reads, writes == 0 ? 0 : (double) writeMs / writes, util);
    }
}
