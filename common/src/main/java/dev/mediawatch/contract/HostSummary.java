package dev.mediawatch.contract;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One host's containers and catalogue services at a glance.
 *
 * @param total      containers the engine lists
 * @param running    containers running (healthy or not)
 * @param exited     containers exited or dead
 * @param unhealthy  containers whose healthcheck says unhealthy
 * @param missing    catalogue services expected to run that have no container
 * @param parked     catalogue services expected parked (deliberately stopped)
 * @param unknown    containers the catalogue does not list
 * @param restarting containers in a restart loop
 * @param byCategory catalogue services on this host per category, keys sorted
 */
@JsonPropertyOrder({ "total", "running", "exited", "unhealthy", "missing", "parked", "unknown", "restarting",
        "byCategory" })
public record HostSummary(int total, int running, int exited, int unhealthy, int missing, int parked, int unknown,
        int restarting, Map<String, Integer> byCategory) {

    public static final HostSummary ZERO = new HostSummary(0, 0, 0, 0, 0, 0, 0, 0, Map.of());

    public HostSummary {
        byCategory = byCategory == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(byCategory));
    }

    /** Both summed, categories merged. */
    public HostSummary plus(HostSummary o) {
        Map<String, Integer> categories = new TreeMap<>(byCategory);
        o.byCategory.forEach((k, v) -> categories.merge(k, v, Integer::sum));
        return new HostSummary(total + o.total, running + o.running, exited + o.exited, unhealthy + o.unhealthy,
                missing + o.missing, parked + o.parked, unknown + o.unknown, restarting + o.restarting, categories);
    }
}
