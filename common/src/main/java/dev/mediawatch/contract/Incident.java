package dev.mediawatch.contract;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One past or open stutter or degradation incident: from raise to clear, with the evidence at the raise and
 * at the worst window, and what was done.
 *
 * @param id        {@code <alert id>-<raised at, yyyyMMdd'T'HHmmss'Z'>}, unique
 * @param alert     the alert's id ({@code stutter}, {@code streaming-degraded})
 * @param severity  the alert's severity
 * @param message   one line for people
 * @param raisedAt  when it was raised
 * @param clearedAt when it cleared; absent while open
 * @param peakScore the highest contention score while open
 * @param atRaise   the evidence when it was raised
 * @param atPeak    the evidence at the highest score
 * @param actions   throttle and notification actions, oldest first (bounded)
 */
@JsonPropertyOrder({ "id", "alert", "severity", "message", "raisedAt", "clearedAt", "peakScore", "atRaise", "atPeak",
        "actions" })
public record Incident(String id, String alert, AlertSeverity severity, String message, Instant raisedAt,
        Instant clearedAt, int peakScore, StutterEvidence atRaise, StutterEvidence atPeak,
        List<IncidentAction> actions) {

    public Incident {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(raisedAt, "raisedAt");
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /** Actions kept per incident: the first half and the last half of a longer list. */
    public static final int MAX_ACTIONS = 100;

    public boolean open() {
        return clearedAt == null;
    }

    /** The same incident, cleared at {@code at} (null: open again). */
    public Incident withClearedAt(Instant at) {
        return new Incident(id, alert, severity, message, raisedAt, at, peakScore, atRaise, atPeak, actions);
    }

    /** The same incident with a new worst window: its score and the evidence then. */
    public Incident withPeak(int score, StutterEvidence evidence) {
        return new Incident(id, alert, severity, message, raisedAt, clearedAt, score, atRaise, evidence, actions);
    }

    /** The same incident with {@code action} last, the actions kept to {@link #boundedActions(List)}. */
    public Incident withAction(IncidentAction action) {
        List<IncidentAction> next = new ArrayList<>(actions.size() + 1);
        next.addAll(actions);
        next.add(Objects.requireNonNull(action, "action"));
        return withActions(boundedActions(next));
    }

    /** The same incident with these actions, as given. */
    public Incident withActions(List<IncidentAction> list) {
        return new Incident(id, alert, severity, message, raisedAt, clearedAt, peakScore, atRaise, atPeak, list);
    }

    /** The same incident with another message. */
    public Incident withMessage(String text) {
        return new Incident(id, alert, severity, text, raisedAt, clearedAt, peakScore, atRaise, atPeak, actions);
    }

    /** The same incident without its evidence, at the raise and at the peak (the peak score stays). */
    public Incident withoutEvidence() {
        return new Incident(id, alert, severity, message, raisedAt, clearedAt, peakScore, null, null, actions);
    }

    /** {@code list} itself when it holds at most {@link #MAX_ACTIONS}, else its first half and its last half. */
    public static List<IncidentAction> boundedActions(List<IncidentAction> list) {
        if (list.size() <= MAX_ACTIONS) {
            return list;
        }
        List<IncidentAction> kept = new ArrayList<>(MAX_ACTIONS);
        kept.addAll(list.subList(0, MAX_ACTIONS / 2));
        kept.addAll(list.subList(list.size() - MAX_ACTIONS / 2, list.size()));
        return kept;
    }
}
