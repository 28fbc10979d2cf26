package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The stutter detector's windows over a span, oldest first: the body of {@code GET /api/contention/history} (the
 * last 24 hours at most) and of {@code GET /api/incidents/<id>/windows} (an incident's windows, from 5 minutes
 * before its raise to its clear).
 *
 * @param schema        always {@code mediawatch.contention-history}
 * @param version       the schema version, {@code 1}
 * @param generatedAt   when it was made (aggregator clock)
 * @param windowSeconds seconds each window stands for: the detector's window ({@code mediawatch.stutter.window}),
 *                      or a multiple of it when a long incident's windows were thinned
 * @param since         the lower bound asked for; for an incident, its first window's time
 * @param windows       the windows, oldest first
 */
@JsonPropertyOrder({ "schema", "version", "generatedAt", "windowSeconds", "since", "windows" })
public record ContentionHistory(String schema, int version, Instant generatedAt, long windowSeconds, Instant since,
        List<ContentionWindow> windows) {

    public ContentionHistory {
        Objects.requireNonNull(schema, "schema");
        windows = windows == null ? List.of() : List.copyOf(windows);
    }

    public static ContentionHistory of(Instant generatedAt, long windowSeconds, Instant since,
            List<ContentionWindow> windows) {
        return new ContentionHistory(Schema.CONTENTION_HISTORY.id(), Schema.CONTENTION_HISTORY.version(), generatedAt,
                windowSeconds, since, windows);
    }
}
