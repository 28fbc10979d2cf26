package dev.mediawatch.aggregator.contention;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.ContentionWindow;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.SignalValue;

/**
 * The detector's windows of the last 24 hours, in memory, for the charts: a ring of at most {@code 24 h / window}
 * windows (at most {@value #MAX_CAPACITY}), the oldest dropped first, and any window more than 24 hours older than the
 * newest dropped as well (after a pause of the detector).
 *
 * <p>Compact, because a hundred hosts give hundreds of signals a window: a window keeps at most
 * {@value ContentionWindow#MAX_SIGNALS} ({@link ContentionWindow#withTopSignals(int)}: each side's best, then crossed
 * ones, then the highest {@code value / threshold}), stored as primitives in parallel arrays of fixed slots: the time
 * (a {@code long} of epoch nanoseconds, so it reads back exactly), the scores, state, flags, signal count and crossed bits packed in one {@code long}, and per signal
 * a {@code short} key and two {@code float}s (value and threshold). The key indexes a dictionary of the distinct
 * (name, side, host, unit) seen, at most {@value #MAX_KEYS}; when it is full, keys no stored window uses any more (a
 * host gone a day) are freed, at most once every {@value #SWEEP_EVERY} windows, and a signal whose key still finds no
 * room is dropped and counted ({@link #droppedSignals()}). Records are made only when read.
 *
 * <p>Size: {@value #BYTES_PER_WINDOW} bytes a window (8 + 8 + 16 x (2 + 4 + 4)), whatever its signal count, in arrays
 * grown as the ring fills; the dictionary adds at most about 4,096 x 100 bytes. With the default 5 s window the full
 * ring is 17,280 windows, 3.0 MB; the worst case, a window of 1 s or less, is 86,400 windows, 15.2 MB (both checked
 * by {@link #bytes()} in {@code HistoryTest}). The contract's JSON of the same day is about 40 MB (2.5 KB a window
 * with 16 signals of full precision); measured here, reading a full day of 5 s windows takes about 40 ms and
 * encoding it as JSON about 150 ms.
 *
 * <p>Values are 32-bit floats and read back rounded to 7 significant digits, what a float holds, so {@code 84.2}
 * reads {@code 84.2} rather than {@code 84.19999694824219}.
 *
 * <p>Thread-safe for one writer (the detector's thread) and any number of readers (HTTP threads): a read copies the
 * slots it wants under the lock (a few MB at most, about a millisecond) and makes the records after releasing it, so
 * the detector never waits for a reader's JSON.
 */
public final class History {

    /** How far back the ring reaches. */
    public static final Duration KEEP = Duration.ofHours(24);
    /** The most windows kept: 24 hours of 1 s windows. */
    public static final int MAX_CAPACITY = 86_400;
    /** The most distinct (name, side, host, unit) keys; signals beyond it are dropped and counted. */
    public static final int MAX_KEYS = 4_096;
    /** A full dictionary is swept for keys no window uses any more at most this often (in windows added). */
    static final int SWEEP_EVERY = 720;
    static final int SLOTS = ContentionWindow.MAX_SIGNALS;
    static final int BYTES_PER_WINDOW = 8 + 8 + SLOTS * (2 + 4 + 4);
    /** States are few (four in the contract); any beyond this many distinct ones reads as {@link #OTHER_STATE}. */
    static final int MAX_STATES = 32;
    static final String OTHER_STATE = "other";
    private static final int INITIAL = 1_024;

    /** One signal's identity in the dictionary. */
    record Key(String name, String side, HostId host, String unit) {
    }

    private final int capacity;
    private final Duration window;

    // Guarded by "this". Window i (0 the oldest) is in slot (head + i) % at.length; the arrays grow, oldest first,
    // while fewer than the capacity are held.
    private long[] at = new long[0];
    private long[] meta = new long[0];
    private short[] keys = new short[0];
    private float[] values = new float[0];
    private float[] thresholds = new float[0];
    private int head;
    private int size;

    private final Key[] dictionary = new Key[MAX_KEYS];
    private final Map<Key, Short> index = new HashMap<>();
    private int nextKey;
    private final short[] free = new short[MAX_KEYS];
    private int freeCount;
    private int addsSinceSweep = SWEEP_EVERY;

    private final String[] states = new String[MAX_STATES];
    private int stateCount;

    private long droppedSignals;
    private long trimmedSignals;

    /** A ring for the detector's {@code window}: {@code 24 h / window} windows, at most {@value #MAX_CAPACITY}. */
    public History(Duration window) {
        this.window = Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.capacity = capacity(window);
        for (String s : List.of(Contention.CALM, Contention.DOWNLOADING, Contention.DEGRADED, Contention.CONTENTION,
                OTHER_STATE)) {
            states[stateCount++] = s;
        }
    }

    /** {@code 24 h / window}, rounded up, at least 1 and at most {@value #MAX_CAPACITY}. */
    static int capacity(Duration window) {
        long millis = Math.max(1, window.toMillis());
        long n = (KEEP.toMillis() + millis - 1) / millis;
        return (int) Math.max(1, Math.min(MAX_CAPACITY, n));
    }

    public int capacity() {
        return capacity;
    }

    /** The detector's window this ring was made for. */
    public Duration window() {
        return window;
    }

    /**
     * Keeps a window (its first {@value ContentionWindow#MAX_SIGNALS} signals by rank); the oldest go when the ring
     * is full or more than 24 hours older than this one.
     */
    public synchronized void add(ContentionWindow w) {
        Objects.requireNonNull(w, "window");
        ContentionWindow top = w.withTopSignals(SLOTS);
        trimmedSignals += w.signals().size() - top.signals().size();
        long now = nanos(top.at());
        long oldest = now - KEEP.toNanos();
        while (size > 0 && at[slot(0)] < oldest) {
            head = (head + 1) % at.length;
            size--;
        }
        if (size == capacity) {
            head = (head + 1) % at.length;
            size--;
        }
        if (size == at.length) {
            grow();
        }
        addsSinceSweep++;
        if (freeCount == 0 && nextKey == MAX_KEYS && addsSinceSweep >= SWEEP_EVERY && hasNewKey(top)) {
            sweep(); // before this window takes any key, so none of its own can be freed
        }
        int s = slot(size);
        int base = s * SLOTS;
        int count = 0;
        int crossed = 0;
        for (SignalValue v : top.signals()) {
            int k = key(v);
            if (k < 0) {
                droppedSignals++;
                continue;
            }
            keys[base + count] = (short) k;
            values[base + count] = (float) v.value();
            thresholds[base + count] = (float) v.threshold();
            if (v.crossed()) {
                crossed |= 1 << count;
            }
            count++;
        }
        at[s] = now;
        meta[s] = pack(top, state(top.state()), count, crossed);
        size++;
    }

    /** The windows at or after {@code since}, oldest first (in the order added). */
    public List<ContentionWindow> since(Instant since) {
        return read(nanos(Objects.requireNonNull(since, "since")), Long.MAX_VALUE);
    }

    /** The windows from {@code from} to {@code to}, both included, oldest first (in the order added). */
    public List<ContentionWindow> between(Instant from, Instant to) {
        return read(nanos(Objects.requireNonNull(from, "from")), nanos(Objects.requireNonNull(to, "to")));
    }

    /**
     * Nanoseconds since the epoch, so a window reads back at exactly its instant (a long holds them from 1677 to
     * 2262); an instant beyond (a {@code since} from outside) is taken as the long's end.
     */
    static long nanos(Instant i) {
        try {
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
        } catch (ArithmeticException e) {
            return i.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    public synchronized int size() {
        return size;
    }

    /** Signals dropped because the dictionary of keys was full. */
    public synchronized long droppedSignals() {
        return droppedSignals;
    }

    /** Signals not kept because a window had more than {@value ContentionWindow#MAX_SIGNALS}. */
    public synchronized long trimmedSignals() {
        return trimmedSignals;
    }

    /** Distinct signal keys held. */
    public synchronized int keys() {
        return index.size();
    }

    /** Bytes held by the ring's arrays now (the dictionary's strings aside). */
    public synchronized long bytes() {
        return (long) at.length * 8 + (long) meta.length * 8 + (long) keys.length * 2 + (long) values.length * 4
                + (long) thresholds.length * 4;
    }

    // ---- reading ----

    /** What a read copies under the lock: the chosen slots' primitives and the dictionary as it was. */
    private record Copy(long[] at, long[] meta, short[] keys, float[] values, float[] thresholds, Key[] dictionary,
            String[] states) {
    }

    private List<ContentionWindow> read(long from, long to) {
        Copy c = copy(from, to);
        List<ContentionWindow> out = new ArrayList<>(c.at().length);
        for (int i = 0; i < c.at().length; i++) {
            long m = c.meta()[i];
            int count = (int) (m >>> 40 & 0x1F);
            int crossed = (int) (m >>> 45 & 0xFFFF);
            List<SignalValue> signals = new ArrayList<>(count);
            for (int j = 0; j < count; j++) {
                Key k = c.dictionary()[c.keys()[i * SLOTS + j]];
                signals.add(new SignalValue(k.name(), k.side(), k.host(), widen(c.values()[i * SLOTS + j]), k.unit(),
                        widen(c.thresholds()[i * SLOTS + j]), (crossed & 1 << j) != 0));
            }
            out.add(new ContentionWindow(Instant.ofEpochSecond(0, c.at()[i]), (int) (m & 0x7F), (int) (m >>> 8 & 0x7F),
                    (int) (m >>> 16 & 0x7F), c.states()[(int) (m >>> 24 & 0x1F)], (m & 1L << 32) != 0,
                    (m & 1L << 33) != 0, (m & 1L << 34) != 0, signals));
        }
        return out;
    }

    private synchronized Copy copy(long from, long to) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            long t = at[slot(i)];
            if (t >= from && t <= to) {
                n++;
            }
        }
        long[] a = new long[n];
        long[] m = new long[n];
        short[] k = new short[n * SLOTS];
        float[] v = new float[n * SLOTS];
        float[] th = new float[n * SLOTS];
        int j = 0;
        for (int i = 0; i < size && j < n; i++) {
            int s = slot(i);
            if (at[s] >= from && at[s] <= to) {
                a[j] = at[s];
                m[j] = meta[s];
                System.arraycopy(keys, s * SLOTS, k, j * SLOTS, SLOTS);
                System.arraycopy(values, s * SLOTS, v, j * SLOTS, SLOTS);
                System.arraycopy(thresholds, s * SLOTS, th, j * SLOTS, SLOTS);
                j++;
            }
        }
        return new Copy(a, m, k, v, th, dictionary.clone(), states.clone());
    }

    /**
     * A float as the double of its shortest decimal of 7 significant digits: {@code 84.2f} is 84.19999694824219 as a
     * double, and reads 84.2.
     */
    static double widen(float f) {
        double d = f;
        if (d == 0 || !Double.isFinite(d)) {
            return d;
        }
        int exponent = (int) Math.floor(Math.log10(Math.abs(d)));
        int digits = 6 - exponent;
        if (digits > 22 || digits < -22) {
            return d; // 10^digits is no longer exact
        }
        if (digits >= 0) {
            double p = Math.pow(10, digits);
            return Math.rint(d * p) / p;
        }
        double p = Math.pow(10, -digits);
        return Math.rint(d / p) * p;
    }

    // ---- writing ----

    private int slot(int i) {
        return (head + i) % at.length;
    }

    /** Doubles the arrays (up to the capacity), the oldest window first in them. */
    private void grow() {
        int n = Math.min(capacity, Math.max(INITIAL, at.length * 2));
        long[] a = new long[n];
        long[] m = new long[n];
        short[] k = new short[n * SLOTS];
        float[] v = new float[n * SLOTS];
        float[] th = new float[n * SLOTS];
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            a[i] = at[s];
            m[i] = meta[s];
            System.arraycopy(keys, s * SLOTS, k, i * SLOTS, SLOTS);
            System.arraycopy(values, s * SLOTS, v, i * SLOTS, SLOTS);
            System.arraycopy(thresholds, s * SLOTS, th, i * SLOTS, SLOTS);
        }
        at = a;
        meta = m;
        keys = k;
        values = v;
        thresholds = th;
        head = 0;
    }

    private boolean hasNewKey(ContentionWindow w) {
        for (SignalValue v : w.signals()) {
            if (!index.containsKey(new Key(v.name(), v.side(), v.host(), v.unit()))) {
                return true;
            }
        }
        return false;
    }

    /** score 0-6, pressure 8-14, degradation 16-22, state 24-28, watching 32, stutter 33, degraded 34, count 40-44, crossed 45-60. */
    private static long pack(ContentionWindow w, int state, int count, int crossed) {
        return w.score() | (long) w.pressure() << 8 | (long) w.degradation() << 16 | (long) state << 24
                | (w.watching() ? 1L << 32 : 0) | (w.stutter() ? 1L << 33 : 0) | (w.degraded() ? 1L << 34 : 0)
                | (long) count << 40 | (long) crossed << 45;
    }

    private int state(String s) {
        for (int i = 0; i < stateCount; i++) {
            if (states[i].equals(s)) {
                return i;
            }
        }
        if (stateCount < MAX_STATES) {
            states[stateCount] = s;
            return stateCount++;
        }
        return 4; // OTHER_STATE
    }

    /** The key's index, made when new and there is room; -1 when the dictionary is full. */
    private int key(SignalValue v) {
        Key k = new Key(v.name(), v.side(), v.host(), v.unit());
        Short found = index.get(k);
        if (found != null) {
            return found;
        }
        int n;
        if (freeCount > 0) {
            n = free[--freeCount];
        } else if (nextKey < MAX_KEYS) {
            n = nextKey++;
        } else {
            return -1;
        }
        dictionary[n] = k;
        index.put(k, (short) n);
        return n;
    }

    /**
     * Frees the keys no stored window uses. A reader's copy holds the dictionary as it was, so reusing an index
     * never changes what it reads.
     */
    private void sweep() {
        addsSinceSweep = 0;
        boolean[] used = new boolean[MAX_KEYS];
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            int count = (int) (meta[s] >>> 40 & 0x1F);
            for (int j = 0; j < count; j++) {
                used[keys[s * SLOTS + j]] = true;
            }
        }
        for (int n = 0; n < nextKey; n++) {
            if (!used[n] && dictionary[n] != null) {
                index.remove(dictionary[n]);
                dictionary[n] = null;
                free[freeCount++] = (short) n;
            }
        }
    }
}
