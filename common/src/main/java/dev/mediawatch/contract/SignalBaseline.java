package dev.mediawatch.contract;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One signal of one host as the detector knows it: the calm it has seen, the distribution of the calm values, and
 * the thresholds in force.
 *
 * @param host          the host
 * @param side          {@code download} or {@code streaming}
 * @param signal        the signal's name ({@link SignalValue#name()})
 * @param unit          {@code B/s}, {@code ms}, {@code %} or {@code count}
 * @param calmSamples   calm windows seen (in the days kept)
 * @param calmSeconds   their total length
 * @param firstCalm     the oldest calm window kept; absent before the first
 * @param lastCalm      the newest; absent before the first
 * @param p50           the calm values' median; absent before the first
 * @param p95           their 95th percentile
 * @param p99           their 99th percentile
 * @param raise         the threshold in force: crossed at or above this
 * @param clear         a crossed signal stays crossed while at or above this
 * @param origin        {@code learned} (from this host's calm), {@code default} (still learning, or a signal that is
 *                      not learned: counts) or {@code configured} ({@code mediawatch.stutter.thresholds})
 * @param learnable     whether this signal's thresholds are learned at all
 */
@JsonPropertyOrder({ "host", "side", "signal", "unit", "calmSamples", "calmSeconds", "firstCalm", "lastCalm", "p50",
        "p95", "p99", "raise", "clear", "origin", "learnable" })
public record SignalBaseline(HostId host, String side, String signal, String unit, long calmSamples, long calmSeconds,
        Instant firstCalm, Instant lastCalm, Double p50, Double p95, Double p99, double raise, double clear,
        String origin, boolean learnable) {

    public static final String LEARNED = "learned";
    public static final String DEFAULT = "default";
    public static final String CONFIGURED = "configured";

    public SignalBaseline {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(origin, "origin");
    }
}
