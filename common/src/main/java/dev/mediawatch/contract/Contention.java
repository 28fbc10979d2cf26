package dev.mediawatch.contract;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The retained sensor on {@code <prefix>/contention}: the aggregator's view of cross-VM I/O contention, one per
 * detector window, so people can watch it build before an alert.
 *
 * @param schema      always {@code mediawatch.contention}
 * @param version     the schema version, {@code 1}
 * @param timestamp   the window's end (aggregator clock, UTC)
 * @param score       0-100: 0 calm; about 50 when one side is fully crossed; 100 when both are
 * @param pressure    download pressure 0-100 (share of download signals crossed, weighted)
 * @param degradation streaming degradation 0-100 (share of streaming signals crossed, weighted)
 * @param state       {@code calm}, {@code downloading}, {@code degraded} or {@code contention}: what holds in
 *                    this window, before the raise and clear times are applied
 * @param watching    somebody is playing something
 * @param evidence    the signals behind it
 * @param thresholds  one line on the thresholds in force: learned from calm, or still learning and for how long
 *                    (e.g. {@code learning from calm, 3 of 7 learned; the least-learned has 23 min of 1 h}); absent
 *                    when the detector has no host to learn from
 */
@JsonPropertyOrder({ "schema", "version", "timestamp", "score", "pressure", "degradation", "state", "watching",
        "evidence", "thresholds" })
public record Contention(String schema, int version, Instant timestamp, int score, int pressure, int degradation,
        String state, boolean watching, StutterEvidence evidence, String thresholds) {

    public static final String CALM = "calm";
    public static final String DOWNLOADING = "downloading";
    public static final String DEGRADED = "degraded";
    public static final String CONTENTION = "contention";

    public Contention {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(state, "state");
        if (score < 0 || score > 100 || pressure < 0 || pressure > 100 || degradation < 0 || degradation > 100) {
            throw new IllegalArgumentException("score, pressure and degradation are 0-100");
        }
    }

    public static Contention of(Instant timestamp, int score, int pressure, int degradation, String state,
            boolean watching, StutterEvidence evidence) {
        return new Contention(Schema.CONTENTION.id(), Schema.CONTENTION.version(), timestamp, score, pressure,
                degradation, state, watching, evidence, null);
    }

    /** The same window with the line on thresholds. */
    public Contention withThresholds(String line) {
        return new Contention(schema, version, timestamp, score, pressure, degradation, state, watching, evidence, line);
    }
}
