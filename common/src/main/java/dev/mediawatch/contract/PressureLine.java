package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of a pressure file. The kernel's running averages lag (avg10 needs ~30 s of sustained load to
 * settle); {@code stallPct} is exact over the last sample, from the total counter.
 *
 * @param avg10    percent of wall time stalled, exponentially averaged over 10 s
 * @param avg60    the same over 60 s
 * @param avg300   the same over 300 s
 * @param totalUs  the kernel's cumulative stall time, microseconds
 * @param stallPct percent of wall time stalled since the previous sample, from {@code totalUs}; absent on
 *                 the first sample
 */
@JsonPropertyOrder({ "avg10", "avg60", "avg300", "totalUs", "stallPct" })
public record PressureLine(double avg10, double avg60, double avg300, long totalUs, Double stallPct) {
}
