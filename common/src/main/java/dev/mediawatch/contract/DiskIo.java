package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One block device's throughput and latency ({@code /proc/diskstats}) as rates over the last sample.
 *
 * @param device            the kernel's name, e.g. {@code sda}, {@code nvme0n1}
 * @param readBytesPerSec   bytes read per second
 * @param writeBytesPerSec  bytes written per second
 * @param readIops          reads completed per second
 * @param writeIops         writes completed per second
 * @param awaitMs           average time a request took, queue included, over the sample (as {@code iostat}'s
 *                          await); {@code 0} when there were none
 * @param readAwaitMs       the same for reads alone ({@code iostat}'s r_await): what a reader, a stream, waits
 * @param writeAwaitMs      the same for writes alone (w_await)
 * @param utilPct           share of the sample the device was busy, 0-100
 */
@JsonPropertyOrder({ "device", "readBytesPerSec", "writeBytesPerSec", "readIops", "writeIops", "awaitMs", "readAwaitMs",
        "writeAwaitMs", "utilPct" })
public record DiskIo(String device, long readBytesPerSec, long writeBytesPerSec, double readIops,
        double writeIops, double awaitMs, double readAwaitMs, double writeAwaitMs, double utilPct) {
}
