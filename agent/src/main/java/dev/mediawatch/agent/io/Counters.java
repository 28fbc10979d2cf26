package dev.mediawatch.agent.io;

/**
 * The one rule for the difference between two readings of a kernel counter.
 *
 * <p>Counters are unsigned 64-bit values held in a {@code long}: the difference is taken with wrap-around
 * arithmetic, so a counter that passed 2<sup>64</sup> between the readings still gives the right, small,
 * difference. A counter that goes backwards (a device detached and re-attached under the same name, a cgroup
 * re-created, a process replaced) gives an unsigned difference near 2<sup>64</sup>: anything above
 * 2<sup>62</sup> is not a plausible amount of work between two readings and counts as a reset, which gives 0
 * for that interval rather than a spike.
 *
 * <p>{@code /proc/diskstats} prints its time fields and in-flight count as 32-bit {@code %u}
 * ({@code diskstats_show} in {@code block/genhd.c}), so they wrap at 2<sup>32</sup> ms, about 49.7 days of
 * accumulated time, even on 64-bit kernels: {@link #delta32} scales the same rule to 32 bits for them.
 */
public final class Counters {

    /** Unsigned differences above this count as a counter reset. */
    static final long IMPLAUSIBLE = 1L << 62;

    /** The 32-bit counterpart of {@link #IMPLAUSIBLE}. */
    static final long IMPLAUSIBLE_32 = 1L << 30;

    private static final long RANGE_32 = 1L << 32;

    private Counters() {
    }

    /**
     * @return {@code later - earlier} for unsigned 64-bit counters (wrap-around included), or 0 when the
     *         counter was reset (an unsigned difference above 2<sup>62</sup>)
     */
    public static long delta(long earlier, long later) {
        long d = later - earlier;
        return Long.compareUnsigned(d, IMPLAUSIBLE) > 0 ? 0 : d;
    }

    /**
     * For a counter the kernel prints as 32-bit: a fall from {@code earlier} to {@code later} is a wrap past
     * 2<sup>32</sup> when the wrapped difference is at most 2<sup>30</sup>, a reset (0) otherwise. Values that
     * do not fit in 32 bits fall back to {@link #delta}.
     */
    public static long delta32(long earlier, long later) {
        if (earlier < 0 || earlier >= RANGE_32 || later < 0 || later >= RANGE_32) {
            return delta(earlier, later);
        }
        if (later >= earlier) {
            return later - earlier;
        }
        long wrapped = later + RANGE_32 - earlier;
        return wrapped > IMPLAUSIBLE_32 ? 0 : wrapped;
    }
}
