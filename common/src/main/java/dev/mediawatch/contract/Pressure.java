package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One pressure file: {@code some} (at least one task stalled) and {@code full} (all non-idle tasks stalled
 * at once; absent where the kernel writes none).
 *
 * @param some the share of time at least one task stalled
 * @param full the share of time all non-idle tasks stalled
 */
@JsonPropertyOrder({ "some", "full" })
public record Pressure(PressureLine some, PressureLine full) {
}
