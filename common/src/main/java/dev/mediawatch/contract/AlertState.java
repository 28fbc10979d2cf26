package dev.mediawatch.contract;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The retained state of one of the detector's alerts on {@code <prefix>/alerts/<id>}, and an item of
 * {@code GET /api/alerts}: raised or cleared, since when, and the evidence.
 *
 * @param schema     always {@code mediawatch.alert}
 * @param version    the schema version, {@code 1}
 * @param id         {@code stutter} (streaming stutter during downloads) or {@code streaming-degraded}
 * @param state      {@code raised} or {@code cleared}
 * @param severity   critical for stutter, warning for streaming degraded
 * @param message    one line for people, naming the signals used
 * @param since      when it was raised (the current or last raise)
 * @param clearedAt  when it cleared; absent while raised
 * @param incidentId the incident it belongs to (GET /api/incidents)
 * @param evidence   the signals when it was raised (or cleared)
 * @param throttle   the download throttle's state, when mitigation is on
 */
@JsonPropertyOrder({ "schema", "version", "id", "state", "severity", "message", "since", "clearedAt", "incidentId",
        "evidence", "throttle" })
public record AlertState(String schema, int version, String id, String state, AlertSeverity severity, String message,
        Instant since, Instant clearedAt, String incidentId, StutterEvidence evidence, ThrottleState throttle) {

    public static final String RAISED = "raised";
    public static final String CLEARED = "cleared";
    public static final String STUTTER = "stutter";
    public static final String STREAMING_DEGRADED = "streaming-degraded";

    public AlertState {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        if (!RAISED.equals(state) && !CLEARED.equals(state)) {
            throw new IllegalArgumentException("state must be 'raised' or 'cleared'");
        }
    }

    public static AlertState of(String id, String state, AlertSeverity severity, String message, Instant since,
            Instant clearedAt, String incidentId, StutterEvidence evidence, ThrottleState throttle) {
        return new AlertState(Schema.ALERT.id(), Schema.ALERT.version(), id, state, severity, message, since, clearedAt,
                incidentId, evidence, throttle);
    }

    public boolean raised() {
        return RAISED.equals(state);
    }
}
