package dev.mediawatch.contract;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One input of the stutter detector in one window, as evidence: its value, the threshold it is judged
 * against, and whether it counts as crossed now (with hysteresis: a crossed signal stays crossed until it
 * falls below its lower clear threshold).
 *
 * @param name      e.g. {@code nfs-write}, {@code disk-write}, {@code io-psi}, {@code downloaders},
 *                  {@code nfs-read-rtt}, {@code nfs-read-exe}, {@code disk-read-await}, {@code transcode-behind}
 *                  (docs/contract.md lists them all)
 * @param side      {@code download} (pressure) or {@code streaming} (degradation)
 * @param host      the host it was measured on
 * @param value     the value in {@code unit}
 * @param unit      {@code B/s}, {@code ms}, {@code %}, {@code count}
 * @param threshold the value at which it counts as crossed
 * @param crossed   counts as crossed in this window
 */
@JsonPropertyOrder({ "name", "side", "host", "value", "unit", "threshold", "crossed" })
public record SignalValue(String name, String side, HostId host, double value, String unit, double threshold,
        boolean crossed) {

    public static final String DOWNLOAD = "download";
    public static final String STREAMING = "streaming";

    public SignalValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(unit, "unit");
    }
}
