package dev.mediawatch.contract;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Something done about an incident: {@code throttle.applied}, {@code throttle.restored},
 * {@code throttle.failed}, {@code notify.sent}, {@code notify.failed}.
 *
 * @param at     when (aggregator clock)
 * @param action what
 * @param detail one line: limits set, the notifier's name and status, never a secret or token
 */
@JsonPropertyOrder({ "at", "action", "detail" })
public record IncidentAction(Instant at, String action, String detail) {

    public IncidentAction {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
    }
}
