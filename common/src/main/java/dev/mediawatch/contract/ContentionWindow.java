package dev.mediawatch.contract;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One window of the stutter detector as history: what went in (the signals, with the thresholds in force) and what
 * came out (the scores, the state, and whether each alert stands raised after it). An item of
 * {@link ContentionHistory}.
 *
 * @param at          the window's end (aggregator clock, UTC), as {@link Contention#timestamp()}
 * @param score       0-100, as {@link Contention#score()}
 * @param pressure    download pressure 0-100
 * @param degradation streaming degradation 0-100
 * @param state       {@code calm}, {@code downloading}, {@code degraded} or {@code contention}
 * @param watching    somebody is known to be playing something
 * @param stutter     the {@code stutter} alert is raised after this window
 * @param degraded    the {@code streaming-degraded} alert is raised after this window
 * @param signals     the window's signals in the detector's order, at most {@link #MAX_SIGNALS} once kept as history
 *                    (see {@link #withTopSignals(int)})
 */
@JsonPropertyOrder({ "at", "score", "pressure", "degradation", "state", "watching", "stutter", "degraded", "signals" })
public record ContentionWindow(Instant at, int score, int pressure, int degradation, String state, boolean watching,
        boolean stutter, boolean degraded, List<SignalValue> signals) {

    /**
     * Signals a window keeps as history. Two hosts give at most 10 (docs/contract.md lists them); a hundred give
     * hundreds, of which the crossed and the nearest to their threshold are the ones a chart needs.
     */
    public static final int MAX_SIGNALS = 16;

    public ContentionWindow {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
        if (score < 0 || score > 100 || pressure < 0 || pressure > 100 || degradation < 0 || degradation > 100) {
            throw new IllegalArgumentException("score, pressure and degradation are 0-100");
        }
        signals = signals == null ? List.of() : List.copyOf(signals);
    }

    /** The window of a detector's {@code contention}, with the alerts as they stand after it. */
    public static ContentionWindow of(Contention contention, boolean stutter, boolean degraded) {
        return new ContentionWindow(contention.timestamp(), contention.score(), contention.pressure(),
                contention.degradation(), contention.state(), contention.watching(), stutter, degraded,
                contention.evidence() == null ? List.of() : contention.evidence().signals());
    }

    /**
     * This window with at most {@code max} signals, those kept in their order here: every side present keeps its
     * highest-ranked signal, then the rest by rank, where crossed signals rank first and then the ones with the
     * highest {@code value / threshold}. Itself when it holds no more than {@code max}.
     */
    public ContentionWindow withTopSignals(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative, was " + max);
        }
        if (signals.size() <= max) {
            return this;
        }
        List<Integer> ranked = new ArrayList<>(signals.size());
        for (int i = 0; i < signals.size(); i++) {
            ranked.add(i);
        }
        Comparator<Integer> byRank = Comparator.<Integer, Boolean>comparing(i -> !signals.get(i).crossed())
                .thenComparing(i -> -ratio(signals.get(i)))
                .thenComparing(i -> i);
        ranked.sort(byRank);
        boolean[] kept = new boolean[signals.size()];
        int count = 0;
        // One per side first: a chart of pressure against degradation needs both.
        Set<String> sides = new LinkedHashSet<>();
        for (int i : ranked) {
            if (count < max && sides.add(signals.get(i).side())) {
                kept[i] = true;
                count++;
            }
        }
        for (int i : ranked) {
            if (count >= max) {
                break;
            }
            if (!kept[i]) {
                kept[i] = true;
                count++;
            }
        }
        List<SignalValue> out = new ArrayList<>(count);
        for (int i = 0; i < signals.size(); i++) {
            if (kept[i]) {
                out.add(signals.get(i));
            }
        }
        return withSignals(out);
    }

    /** The same window with other signals. */
    public ContentionWindow withSignals(List<SignalValue> list) {
        return new ContentionWindow(at, score, pressure, degradation, state, watching, stutter, degraded, list);
    }

    /**
     * How far past its threshold a signal is: {@code value / threshold}; a positive value over a threshold of zero
     * or less ranks above every ratio, an unknown (NaN) value below.
     */
    static double ratio(SignalValue s) {
        double v = s.value();
        double t = s.threshold();
        if (Double.isNaN(v)) {
            return Double.NEGATIVE_INFINITY;
        }
        double r = t > 0 ? v / t : v > 0 ? Double.POSITIVE_INFINITY : 0;
        return Double.isNaN(r) ? Double.NEGATIVE_INFINITY : r;
    }
}
