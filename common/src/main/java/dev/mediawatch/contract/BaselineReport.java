package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The body of {@code GET /api/baselines}: per host and signal, what the detector has learned of its calm and the
 * thresholds it uses.
 *
 * @param schema       always {@code mediawatch.baselines}
 * @param version      the schema version, {@code 1}
 * @param timestamp    when this was made
 * @param learnAfterSeconds calm a signal needs before its thresholds are learned ({@code mediawatch.stutter.learn-after})
 * @param learnDays    days of calm kept per signal
 * @param baselines    one per host and signal the detector reads, by host, then side, then signal
 * @param store        {@code ok}, or one line saying why the baselines are not being kept (a broken or unwritable file)
 */
@JsonPropertyOrder({ "schema", "version", "timestamp", "learnAfterSeconds", "learnDays", "baselines", "store" })
public record BaselineReport(String schema, int version, Instant timestamp, long learnAfterSeconds, int learnDays,
        List<SignalBaseline> baselines, String store) {

    public BaselineReport {
        Objects.requireNonNull(schema, "schema");
        baselines = baselines == null ? List.of() : List.copyOf(baselines);
    }

    public static BaselineReport of(Instant timestamp, long learnAfterSeconds, int learnDays,
            List<SignalBaseline> baselines, String store) {
        return new BaselineReport(Schema.BASELINES.id(), Schema.BASELINES.version(), timestamp, learnAfterSeconds,
                learnDays, baselines, store);
    }
}
