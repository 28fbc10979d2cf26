package dev.mediawatch.contract;

import java.time.Instant;
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

    public boolean open() {
        return clearedAt == null;
    }
}
