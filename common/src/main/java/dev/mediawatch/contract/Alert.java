package dev.mediawatch.contract;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An open alert: a condition that is true now. It closes by itself when the condition ends.
 *
 * @param id       stable while the condition lasts: {@code <kind>:<host>[:<subject>]}
 * @param kind     {@code host}, {@code engine}, {@code mount}, {@code service}, {@code source}, {@code stutter}, ... (docs/contract.md lists them all)
 * @param severity critical or warning
 * @param host     the host it is about; absent for stack-wide alerts
 * @param subject  the service, mount path or other thing it is about; absent for the host itself
 * @param message  one line for people
 * @param since    when the aggregator first saw the condition (UTC, aggregator clock)
 */
@JsonPropertyOrder({ "id", "kind", "severity", "host", "subject", "message", "since" })
public record Alert(String id, String kind, AlertSeverity severity, HostId host, String subject, String message,
        Instant since) {

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public Alert withSince(Instant newSince) {
        return new Alert(id, kind, severity, host, subject, message, newSince);
    }
}
