package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Pressure stall information of the host ({@code /proc/pressure/*}); each absent when unreadable.
 *
 * @param io     time tasks waited for I/O
 * @param cpu    time runnable tasks waited for a CPU
 * @param memory time tasks waited for memory (reclaim, swap-in, refaults)
 */
@JsonPropertyOrder({ "io", "cpu", "memory" })
public record HostPressure(Pressure io, Pressure cpu, Pressure memory) {
}
