package dev.mediawatch.agent.io;

import dev.mediawatch.agent.io.CgroupIoParser.IoTotals;

/**
 * A container's block-layer throughput between two readings of its cgroup's {@code io.stat}. It does not
 * include I/O to network file systems: see {@link CgroupIoParser} and {@link ProcIoParser}.
 */
public record ContainerIoRates(double readBytesPerSecond, double writeBytesPerSecond) {

    /**
     * Byte counters use {@link Counters#delta}: a wrapped counter gives its true difference, a reset one (a
     * container re-created under the same cgroup path) gives 0 for this interval.
     *
     * @param seconds wall time between the two readings
     * @return the rates, or null when either reading is null or {@code seconds} is not a positive finite number
     */
    public static ContainerIoRates between(IoTotals earlier, IoTotals later, double seconds) {
        if (earlier == null || later == null || !(seconds > 0) || Double.isInfinite(seconds)) {
            return null;
        }
        return new ContainerIoRates(Counters.delta(earlier.readBytes(), later.readBytes()) / seconds,
                Counters.delta(earlier.writeBytes(), later.writeBytes()) / seconds);
    }
}
