package dev.mediawatch.agent.mounts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mediawatch.agent.mounts.MountStatsParser.Bytes;
import dev.mediawatch.agent.mounts.MountStatsParser.NfsMount;
import dev.mediawatch.agent.mounts.MountStatsParser.Op;
import dev.mediawatch.agent.mounts.MountStatsParser.Transport;

/**
 * Rates of one NFS mount between two {@link MountStatsParser} samples, as {@code nfsiostat} (nfs-utils) computes
 * them.
 *
 * <p>
 * <b>Counter deltas.</b> Every counter is an unsigned 64-bit value held in a {@code long}. The delta is
 * {@code later - earlier} in Java's wrapping {@code long} arithmetic, which is the exact unsigned difference
 * modulo 2^64, so a counter that wrapped past 2^64 between the samples still gives the right, small delta. A
 * delta of more than 2^62 (compared unsigned) is not a plausible amount of work between two samples: it means the
 * counter went backwards (reset, e.g. the RPC client or transport was recreated), and that counter's delta is
 * taken as 0. The kernel's time counters can also hold values just below 2^64 (a negative sum printed
 * unsigned); the same rule keeps them usable.
 *
 * @param ops                      per op present in both samples, in the later sample's order
 * @param readBytesPerSecond       bytes read from the server ({@code bytes:} field 5), 0 without a bytes line
 * @param writeBytesPerSecond      bytes written to the server ({@code bytes:} field 6)
 * @param retransmissionsPerSecond summed over all ops
 * @param timeoutsPerSecond        major timeouts, summed over all ops
 * @param backlog                  average backlog queue length per send, Δbklog_u / Δsends (0 without sends)
 */
public record NfsRates(Map<String, OpRate> ops, double readBytesPerSecond, double writeBytesPerSecond,
        double retransmissionsPerSecond, double timeoutsPerSecond, double backlog) {

    /**
     * One op.
     *
     * @param avgRttMs                 Δrtt / Δops, 0 when there were no ops
     * @param avgExecuteMs             Δexecute / Δops, 0 when there were no ops
     * @param retransmissionsPerSecond (Δtransmissions − Δops) / s, never below 0
     */
    public record OpRate(double opsPerSecond, double avgRttMs, double avgExecuteMs, double retransmissionsPerSecond,
            double timeoutsPerSecond, double errorsPerSecond) {
    }

    /** Deltas above this (unsigned) are a counter going backwards, not work done: 2^62. */
    static final long IMPLAUSIBLE = 1L << 62;

    /** The READ op, or null when the mount has none. */
    public OpRate read() {
        return ops.get("READ");
    }

    /** The WRITE op, or null when the mount has none. */
    public OpRate write() {
        return ops.get("WRITE");
    }

    /**
     * @param seconds wall time between the two samples
     * @return the rates, or null when the samples are not comparable: either is null, they are different mounts
     *         (device or mount point), the later one is younger (remounted in between), or seconds is not a positive finite number
     */
    public static NfsRates between(NfsMount earlier, NfsMount later, double seconds) {
        if (earlier == null || later == null || !(seconds > 0) || Double.isInfinite(seconds)
                || !earlier.device().equals(later.device()) || !earlier.mountPoint().equals(later.mountPoint())
                || Long.compareUnsigned(later.ageSeconds(), earlier.ageSeconds()) < 0) {
            return null;
        }
        Map<String, OpRate> ops = new LinkedHashMap<>();
        double retrans = 0;
        double timeouts = 0;
        for (Map.Entry<String, Op> e : later.ops().entrySet()) {
            Op before = earlier.ops().get(e.getKey());
            if (before != null) {
                OpRate rate = op(before, e.getValue(), seconds);
                ops.put(e.getKey(), rate);
                retrans += rate.retransmissionsPerSecond();
                timeouts += rate.timeoutsPerSecond();
            }
        }
        Bytes b0 = earlier.bytes();
        Bytes b1 = later.bytes();
        boolean bytes = b0 != null && b1 != null;
        return new NfsRates(Collections.unmodifiableMap(ops),
                bytes ? delta(b0.serverRead(), b1.serverRead()) / seconds : 0,
                bytes ? delta(b0.serverWrite(), b1.serverWrite()) / seconds : 0,
                retrans, timeouts, backlog(earlier.transport(), later.transport()));
    }

    private static OpRate op(Op a, Op b, double seconds) {
        long ops = delta(a.ops(), b.ops());
        long retrans = Math.max(0, delta(a.transmissions(), b.transmissions()) - ops);
        return new OpRate(ops / seconds, perOp(delta(a.rttMs(), b.rttMs()), ops),
                perOp(delta(a.executeMs(), b.executeMs()), ops), retrans / seconds,
                delta(a.timeouts(), b.timeouts()) / seconds, delta(a.errors(), b.errors()) / seconds);
    }

    private static double perOp(long total, long ops) {
        return ops == 0 ? 0 : (double) total / ops;
    }

    private static double backlog(Transport a, Transport b) {
        if (a == null || b == null) {
            return 0;
        }
        return perOp(delta(a.backlogCumulative(), b.backlogCumulative()), delta(a.sends(), b.sends()));
    }

    /**
     * The increase of an unsigned 64-bit counter: {@code later - earlier} modulo 2^64 (right across a wrap), or 0
     * when that is more than 2^62, i.e. the counter went backwards.
     */
    static long delta(long earlier, long later) {
        long d = later - earlier;
        return Long.compareUnsigned(d, IMPLAUSIBLE) > 0 ? 0 : d;
    }
}
