package dev.mediawatch.aggregator.status;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.mediawatch.runtime.metrics.Gauges;
import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.MountStatus;
import dev.mediawatch.contract.StatusReport;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The status as Prometheus gauges: hosts by status, containers by host and state, mounts by host and health,
 * open alerts by severity, drift gates and checklist criteria (1 pass, 0 fail). Gauges read the last built
 * report; a host that disappears takes its gauges with it. Updated from the status thread only.
 */
final class StatusGauges {

    private final MeterRegistry registry;
    private volatile Map<String, Map<Tags, Double>> values = Map.of();
    private final Map<String, Set<Tags>> registered = new HashMap<>();

    StatusGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    void update(StatusReport r) {
        Map<String, Map<Tags, Double>> v = new HashMap<>();
        Map<Tags, Double> hosts = new HashMap<>();
        for (HostHealth h : HostHealth.values()) {
            hosts.put(Tags.of("status", h.wire()), 0.0);
        }
        Map<Tags, Double> containers = new HashMap<>();
        Map<Tags, Double> mounts = new HashMap<>();
        for (HostStatus h : r.hosts()) {
            hosts.merge(Tags.of("status", h.status().wire()), 1.0, Double::sum);
            String host = h.host().value();
            containers.put(Tags.of("host", host, "state", "total"), (double) h.counts().total());
            containers.put(Tags.of("host", host, "state", "running"), (double) h.counts().running());
            containers.put(Tags.of("host", host, "state", "exited"), (double) h.counts().exited());
            containers.put(Tags.of("host", host, "state", "unhealthy"), (double) h.counts().unhealthy());
            containers.put(Tags.of("host", host, "state", "missing"), (double) h.counts().missing());
            for (MountStatus m : h.mounts()) {
                mounts.merge(Tags.of("host", host, "health", m.health().wire()), 1.0, Double::sum);
            }
        }
        Map<Tags, Double> alerts = new HashMap<>();
        for (AlertSeverity s : AlertSeverity.values()) {
            alerts.put(Tags.of("severity", s.wire()), 0.0);
        }
        r.alerts().forEach(a -> alerts.merge(Tags.of("severity", a.severity().wire()), 1.0, Double::sum));
        Map<Tags, Double> drift = new HashMap<>();
        for (Check c : r.drift()) {
            drift.put(Tags.of("gate", c.id()), c.pass() ? 1.0 : 0.0);
        }
        Map<Tags, Double> checklist = new HashMap<>();
        for (Check c : r.checklist()) {
            checklist.put(Tags.of("criterion", c.id()), c.pass() ? 1.0 : 0.0);
        }
        v.put("mediawatch_hosts", hosts);
        v.put("mediawatch_containers", containers);
        v.put("mediawatch_mounts", mounts);
        v.put("mediawatch_alerts_open", alerts);
        v.put("mediawatch_drift_gate_pass", drift);
        v.put("mediawatch_checklist_pass", checklist);
        values = v;
        sync("mediawatch_hosts", "hosts by status");
        sync("mediawatch_containers", "containers by host and state (missing: catalogue services without one)");
        sync("mediawatch_mounts", "watched mounts by host and health");
        sync("mediawatch_alerts_open", "open alerts by severity");
        sync("mediawatch_drift_gate_pass", "1 while the drift gate passes, 0 while it fails");
        sync("mediawatch_checklist_pass", "1 while the success criterion holds, 0 while it does not");
    }

    private void sync(String name, String description) {
        Map<Tags, Double> now = values.get(name);
        Set<Tags> had = registered.computeIfAbsent(name, k -> new HashSet<>());
        for (Tags gone : Set.copyOf(had)) {
            if (!now.containsKey(gone)) {
                Meter m = registry.find(name).tags(gone).gauge();
                if (m != null) {
                    registry.remove(m);
                }
                had.remove(gone);
            }
        }
        for (Tags tags : now.keySet()) {
            if (had.add(tags)) {
                Gauges.replace(registry, name, description, tags, this, g -> g.value(name, tags));
            }
        }
    }

    private double value(String name, Tags tags) {
        Map<Tags, Double> m = values.get(name);
        Double d = m == null ? null : m.get(tags);
        return d == null ? Double.NaN : d;
    }
}
