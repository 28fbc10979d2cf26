package dev.mediawatch.agent.containers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mediawatch.contract.ContainerState;

/**
 * Tells a container restarting in a loop: at least {@code threshold} restarts within {@code window}. Fed
 * with every snapshot; the engine's own {@code RestartCount} is the evidence, so a restart is counted even if
 * its events were missed. Keeps at most {@code threshold} timestamps per container, and only for containers
 * the engine still lists. Used from the collector's thread only.
 */
final class RestartLoops {

    /** A container whose verdict changed in this snapshot. */
    record Change(String container, boolean looping, int restartsInWindow) {
    }

    private final int threshold;
    private final Duration window;
    private final Map<String, Integer> lastCount = new HashMap<>();
    private final Map<String, ArrayDeque<Instant>> restarts = new HashMap<>();
    private final Set<String> looping = new HashSet<>();

    RestartLoops(int threshold, Duration window) {
        this.threshold = threshold;
        this.window = window;
    }

    /** Marks each container's loop verdict and returns the verdicts that changed. */
    List<Change> update(List<ContainerState> containers, Instant now, List<ContainerState> out) {
        List<Change> changes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ContainerState c : containers) {
            String key = c.id() == null ? c.name() : c.id();
            seen.add(key);
            Integer before = lastCount.put(key, c.restartCount());
            ArrayDeque<Instant> times = restarts.computeIfAbsent(key, k -> new ArrayDeque<>());
            if (before != null && c.restartCount() > before) {
                for (int i = 0; i < c.restartCount() - before; i++) {
                    times.addLast(now);
                    if (times.size() > threshold) {
                        times.removeFirst();
                    }
                }
            }
            while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(window))) {
                times.removeFirst();
            }
            boolean loop = times.size() >= threshold;
            boolean was = looping.contains(key);
            if (loop) {
                looping.add(key);
            } else {
                looping.remove(key);
            }
            if (loop != was) {
                changes.add(new Change(c.name(), loop, times.size()));
            }
            out.add(c.withRestartLoop(loop));
        }
        lastCount.keySet().retainAll(seen);
        restarts.keySet().retainAll(seen);
        looping.retainAll(seen);
        return changes;
    }
}
