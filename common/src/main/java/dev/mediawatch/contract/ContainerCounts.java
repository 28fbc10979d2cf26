package dev.mediawatch.contract;

import java.util.Collection;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Container counts of one host, or of all hosts.
 *
 * @param total     every container the engine lists, whatever its state
 * @param running   state {@code running} (healthy or not)
 * @param exited    state {@code exited} or {@code dead}
 * @param unhealthy health {@code unhealthy} (these are also counted as running)
 */
@JsonPropertyOrder({ "total", "running", "exited", "unhealthy" })
public record ContainerCounts(int total, int running, int exited, int unhealthy) {

    public static final ContainerCounts ZERO = new ContainerCounts(0, 0, 0, 0);

    public static ContainerCounts of(Collection<ContainerState> containers) {
        int running = 0;
        int exited = 0;
        int unhealthy = 0;
        for (ContainerState c : containers) {
            if (c.running()) {
                running++;
            }
            if (c.exited()) {
                exited++;
            }
            if (c.unhealthy()) {
                unhealthy++;
            }
        }
        return new ContainerCounts(containers.size(), running, exited, unhealthy);
    }

    public ContainerCounts plus(ContainerCounts other) {
        return new ContainerCounts(total + other.total, running + other.running, exited + other.exited,
                unhealthy + other.unhealthy);
    }
}
