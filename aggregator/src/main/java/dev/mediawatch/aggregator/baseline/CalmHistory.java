package dev.mediawatch.aggregator.baseline;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.tdunning.math.stats.MergingDigest;
import com.tdunning.math.stats.TDigest;

/**
 * The calm values of one signal of one host, in daily pieces (UTC days), each a t-digest: bounded (a digest of
 * compression 100 holds at most a few hundred centroids, whatever it was fed) and mergeable, so the distribution
 * over the days kept is one merge away, and a day that ages out is simply dropped. A NAS that slows down over weeks
 * is followed; one evening of contention is never in here (the caller feeds calm windows only).
 *
 * <p>Not thread-safe: {@link Baselines} serialises access.
 */
final class CalmHistory {

    static final double COMPRESSION = 100;
    private static final long SECONDS_PER_DAY = 86_400;

    /** One UTC day's calm. */
    static final class Day {
        final long epochDay;
        final MergingDigest digest;
        long samples;
        double seconds;
        Instant first;
        Instant last;

        Day(long epochDay, MergingDigest digest) {
            this.epochDay = epochDay;
            this.digest = digest;
        }
    }

    private final ArrayDeque<Day> days = new ArrayDeque<>();
    private final int keepDays;
    /**
     * The merged quantiles. Recomputed when a day was dropped, or once the values added since are more than a
     * hundredth of all (and at least 12, a minute of windows): the detector asks every window for every host, and a
     * merge of every day's digest each time would be most of its cost at 100 hosts.
     */
    private double[] cached;
    private long addsSinceCache;

    CalmHistory(int keepDays) {
        this.keepDays = keepDays;
    }

    /** One calm window's value, lasting {@code seconds}. Values that are not finite are ignored. */
    void add(Instant at, double value, double seconds) {
        if (!Double.isFinite(value)) {
            return;
        }
        long day = Math.floorDiv(at.getEpochSecond(), SECONDS_PER_DAY);
        Day d = days.peekLast();
        if (d == null || d.epochDay < day) {
            d = new Day(day, new MergingDigest(COMPRESSION));
            days.addLast(d);
        } else if (d.epochDay > day) {
            return; // a clock that went back: the value belongs to a day already closed, let it go
        }
        d.digest.add(value);
        d.samples++;
        d.seconds += seconds;
        if (d.first == null) {
            d.first = at;
        }
        d.last = at;
        addsSinceCache++;
        age(day);
    }

    /** Drops the days older than the kept ones, counting from {@code today} (UTC epoch day). */
    void age(long today) {
        while (!days.isEmpty() && days.peekFirst().epochDay <= today - keepDays) {
            days.removeFirst();
            cached = null;
        }
    }

    void ageAt(Instant now) {
        age(Math.floorDiv(now.getEpochSecond(), SECONDS_PER_DAY));
    }

    boolean isEmpty() {
        return days.isEmpty();
    }

    long samples() {
        long n = 0;
        for (Day d : days) {
            n += d.samples;
        }
        return n;
    }

    double seconds() {
        double s = 0;
        for (Day d : days) {
            s += d.seconds;
        }
        return s;
    }

    Instant first() {
        return days.isEmpty() ? null : days.peekFirst().first;
    }

    Instant last() {
        return days.isEmpty() ? null : days.peekLast().last;
    }

    /** p50, p95 and p99 of every kept day's values together; null when there are none. */
    double[] quantiles() {
        if (days.isEmpty()) {
            return null;
        }
        if (cached == null || addsSinceCache > Math.max(12, samples() / 100)) {
            addsSinceCache = 0;
            MergingDigest all = new MergingDigest(COMPRESSION);
            List<TDigest> pieces = new ArrayList<>(days.size());
            for (Day d : days) {
                pieces.add(d.digest);
            }
            all.add(pieces);
            cached = new double[] { all.quantile(0.50), all.quantile(0.95), all.quantile(0.99) };
        }
        return cached.clone();
    }

    List<Day> days() {
        return List.copyOf(days);
    }

    /** Puts back a day read from the store (in day order). */
    void restore(Day d) {
        if (!days.isEmpty() && days.peekLast().epochDay >= d.epochDay) {
            throw new IllegalArgumentException("days out of order");
        }
        days.addLast(d);
        cached = null;
    }

    static String encode(MergingDigest digest) {
        digest.compress();
        ByteBuffer buf = ByteBuffer.allocate(digest.smallByteSize());
        digest.asSmallBytes(buf);
        return Base64.getEncoder().encodeToString(buf.array());
    }

    static MergingDigest decode(String base64) {
        return MergingDigest.fromBytes(ByteBuffer.wrap(Base64.getDecoder().decode(base64)));
    }
}
