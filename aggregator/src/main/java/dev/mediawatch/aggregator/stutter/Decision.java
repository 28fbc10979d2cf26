package dev.mediawatch.aggregator.stutter;

import java.util.List;
import java.util.Objects;

import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.StutterEvidence;

/**
 * What the detector decided in one window: the contention sensor, both alerts as they stand now, and what
 * changed in this window, so the caller publishes the sensor every window and the events and notifications
 * exactly once per raise and clear.
 *
 * @param contention  the window's {@link Contention} (publish on {@code <prefix>/contention})
 * @param watching    whether somebody is watching, and why not known when it is not
 * @param stutter     the {@code stutter} alert now
 * @param degraded    the {@code streaming-degraded} alert now
 * @param transitions raises and clears of this window, stutter first; usually empty
 */
public record Decision(Contention contention, Signals.Watching watching, Alert stutter, Alert degraded,
        List<Transition> transitions) {

    public Decision {
        Objects.requireNonNull(contention, "contention");
        Objects.requireNonNull(watching, "watching");
        Objects.requireNonNull(stutter, "stutter");
        Objects.requireNonNull(degraded, "degraded");
        transitions = transitions == null ? List.of() : List.copyOf(transitions);
    }

    /** The same decision with another contention sensor (the wiring adds the line on thresholds). */
    public Decision withContention(Contention c) {
        return new Decision(c, watching, stutter, degraded, transitions);
    }

    /** Both alert states, stutter first (for {@code GET /api/alerts} and the retained topics). */
    public List<AlertState> alerts() {
        return List.of(stutter.state(), degraded.state());
    }

    /**
     * One alert as it stands, with its worst window while open (for the incident's {@code peakScore} and
     * {@code atPeak}). After a clear, the peak is that of the incident just closed; before the first raise it is
     * {@code 0} and null.
     *
     * @param state        the alert's state; its {@code throttle} is null (the wiring adds it)
     * @param peakScore    the highest contention score while open
     * @param peakEvidence the evidence of the window with that score
     */
    public record Alert(AlertState state, int peakScore, StutterEvidence peakEvidence) {

        public Alert {
            Objects.requireNonNull(state, "state");
        }

        public boolean raised() {
            return state.raised();
        }
    }

    /** Raised or cleared. */
    public enum Change {
        RAISED, CLEARED
    }

    /**
     * An alert raised or cleared in this window.
     *
     * @param alertId {@code stutter} or {@code streaming-degraded}
     * @param change  raised or cleared
     * @param reason  {@link #HELD} for a raise; {@link #CALM} or {@link #SIGNALS_LOST} for a clear
     * @param alert   the alert after the change
     */
    public record Transition(String alertId, Change change, String reason, Alert alert) {

        /** The condition held for the raise time. */
        public static final String HELD = "held";
        /** The clear condition held for the clear time. */
        public static final String CALM = "calm";
        /** A side the alert needs had no signal at all for the hold time. */
        public static final String SIGNALS_LOST = "signals lost";

        public Transition {
            Objects.requireNonNull(alertId, "alertId");
            Objects.requireNonNull(change, "change");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(alert, "alert");
        }
    }
}
