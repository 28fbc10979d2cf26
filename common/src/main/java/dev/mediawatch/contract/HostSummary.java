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
        if ((total | running | exited | unhealthy | missing | parked | unknown | restarting) < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (byCategory != null) {
            for (Map.Entry<String, Integer> e : byCategory.entrySet()) {
                if (e.getKey() == null || e.getValue() == null || e.getValue() < 0) {
                    throw new IllegalArgumentException("byCategory counts must be non-negative integers");
                }
            }
        }
        byCategory = byCategory == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(byCategory));
    }

    /** Both summed, categories merged. */
    public HostSummary plus(HostSummary o) {
        Map<String, Integer> categories = new TreeMap<>(byCategory);
        o.byCategory.forEach((k, v) -> categories.merge(k, v, HostSummary::add));
        return new HostSummary(add(total, o.total), add(running, o.running), add(exited, o.exited),
                add(unhealthy, o.unhealthy), add(missing, o.missing), add(parked, o.parked), add(unknown, o.unknown),
                add(restarting, o.restarting), categories);
    }

    /** Saturating: totals of absurd (but valid) counts stay at the maximum instead of wrapping negative. */
    private static int add(int a, int b) {
        long sum = (long) a + b;
        return sum > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
    }
}
