package dev.mediawatch.aggregator.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.mediawatch.aggregator.drift.DiscoveryConfigs;
import dev.mediawatch.aggregator.drift.Gates;
import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.aggregator.hosts.ServiceView;
import dev.mediawatch.contract.Alert;
import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountState;
import dev.mediawatch.contract.MountStatus;
import dev.mediawatch.contract.ServiceStatus;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.StorageShare;

/**
 * Builds the unified status from what the registry holds: host verdicts, services, mounts, storage, alerts,
 * drift gates and the checklist. Pure apart from the {@link AlertBook} it keeps (since when each alert holds);
 * called from one thread.
 */
public final class StatusBuilder {

    private static final Set<String> NETWORK_FS = Set.of("nfs", "nfs4", "cifs", "smb3", "smbfs", "glusterfs", "ceph",
            "fuse.sshfs", "9p");

    private final StatusRules rules;
    private final AlertBook alerts = new AlertBook();

    public StatusBuilder(StatusRules rules) {
        this.rules = rules;
    }

    public StatusRules rules() {
        return rules;
    }

    public StatusReport build(Collection<HostRecord> records, List<DiscoveryConfigs.Config> discovery, Instant now) {
        return build(records, discovery, now, DetectorView.NONE);
    }

    public StatusReport build(Collection<HostRecord> records, List<DiscoveryConfigs.Config> discovery, Instant now,
            DetectorView detector) {
        return build(records, discovery, now, detector, AcceptanceView.NONE);
    }

    public StatusReport build(Collection<HostRecord> records, List<DiscoveryConfigs.Config> discovery, Instant now,
            DetectorView detector, AcceptanceView acceptance) {
        Map<HostId, HostRecord> byHost = new TreeMap<>(Comparator.comparing(HostId::value));
        Map<HostId, List<String>> retired = new TreeMap<>(Comparator.comparing(HostId::value));
        for (HostRecord r : records) {
            if (rules.retired().contains(r.host())) {
                retired.put(r.host(), r.retainedKinds());
            } else {
                byHost.put(r.host(), r);
            }
        }
        for (HostId h : rules.catalogue().hosts()) {
            if (!rules.retired().contains(h)) {
                byHost.putIfAbsent(h, null);
            }
        }
        List<HostStatus> hosts = new ArrayList<>(byHost.size());
        List<Gates.Host> gateHosts = new ArrayList<>(byHost.size());
        List<Alert> raised = new ArrayList<>();
        for (Map.Entry<HostId, HostRecord> e : byHost.entrySet()) {
            HostId id = e.getKey();
            HostRecord r = e.getValue();
            HostState s = r == null ? null : r.state();
            ServiceView.Result view;
            try {
                view = view(id, s);
            } catch (RuntimeException bad) {
                // The contract's reader should have refused whatever this is; one host's odd data must never
                // stop the status of every host. Shown as a problem of that host.
                view = new ServiceView.Result(List.of(), dev.mediawatch.contract.HostSummary.ZERO, Map.of());
                raised.add(new Alert("state:" + id.value(), "host", AlertSeverity.WARNING, id, null,
                        id.value() + ": its state could not be used (" + bad.getClass().getSimpleName() + ")", null));
            }
            Verdict v = verdict(id, r, now);
            List<MountStatus> mounts = r == null || r.mounts() == null ? List.of()
                    : r.mounts().mounts().stream().map(MountStatus::of).toList();
            HostStatus hs = new HostStatus(id, s == null ? null : s.role(), v.health, v.since,
                    r == null ? null : r.availability(), r == null ? null : r.lastSeen(),
                    r == null ? null : r.stateReceivedAt(), s == null ? null : s.timestamp(),
                    s == null ? null : s.agentVersion(), s == null ? null : s.address(), s == null ? null : s.engine(),
                    view.counts(), view.services(), mounts);
            hosts.add(hs);
            gateHosts.add(new Gates.Host(id, hs.role(), v.health, s, r == null ? null : r.mounts(), view));
            raise(raised, hs, v);
            if (v.health != HostHealth.DOWN) {
                activityAlerts(raised, id, r == null ? null : r.activity());
            }
        }
        raised.addAll(detector.alerts());
        views.keySet().retainAll(byHost.keySet());
        Gates.Inputs in = new Gates.Inputs(gateHosts, rules.catalogue(), rules.locks(), discovery,
                rules.discoveryPrefix(), retired, rules.topicPrefix());
        List<Check> drift = Gates.drift(in);
        List<Check> checklist = new ArrayList<>(Gates.checklist(in, drift));
        checklist.addAll(acceptance.criteria());
        return StatusReport.of(now, hosts, storage(byHost), alerts.update(raised, now), drift, checklist,
                detector.contention()).withImports(acceptance.imports());
    }

    /** A throttle in force is shown while it lasts; an activity source that cannot be asked is a warning. */
    private static void activityAlerts(List<Alert> raised, HostId id, dev.mediawatch.contract.HostActivity a) {
        if (a == null) {
            return;
        }
        dev.mediawatch.contract.ThrottleState t = a.throttle();
        if (t != null && t.active()) {
            raised.add(new Alert("throttle:" + id.value(), "throttle", AlertSeverity.WARNING, id, null,
                    id.value() + ": downloads throttled by mediawatch" + limits(t.applied()) + " until "
                            + t.expiresAt() + " unless renewed", t.since()));
        }
        if (t != null && t.problem() != null) {
            raised.add(new Alert("throttle-failed:" + id.value(), "throttle", AlertSeverity.WARNING, id, null,
                    id.value() + ": throttle: " + t.problem(), null));
        }
        for (dev.mediawatch.contract.ActivitySource src : a.sources()) {
            if (!src.isOk() && src.state() != dev.mediawatch.contract.SourceState.NOT_CONFIGURED) {
                raised.add(new Alert("source:" + id.value() + ":" + src.name(), "source", AlertSeverity.WARNING, id,
                        src.name(), id.value() + ": " + src.name() + " API " + src.state().wire()
                                + (src.problem() == null ? "" : ": " + src.problem()), null));
            }
        }
    }

    private static String limits(dev.mediawatch.contract.DownloadLimits l) {
        if (l == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (l.sabnzbdBytesPerSec() != null) {
            parts.add("SABnzbd " + rate(l.sabnzbdBytesPerSec()));
        }
        if (l.qbittorrentBytesPerSec() != null) {
            parts.add("qBittorrent " + rate(l.qbittorrentBytesPerSec()));
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    static String rate(long bytesPerSec) {
        if (bytesPerSec == 0) {
            return "no limit";
        }
        return bytesPerSec >= 1024 * 1024 ? String.format(java.util.Locale.ROOT, "%.1f MiB/s", bytesPerSec / 1048576.0)
                : String.format(java.util.Locale.ROOT, "%d KiB/s", bytesPerSec / 1024);
    }

    private record Verdict(HostHealth health, Instant since, String why) {
    }

    private record CachedView(HostState state, ServiceView.Result view) {
    }

    /** Each host's services, joined again only when its state changed (most hosts do not between two builds). */
    private final Map<HostId, CachedView> views = new java.util.HashMap<>();

    private ServiceView.Result view(HostId id, HostState s) {
        CachedView cached = views.get(id);
        if (cached != null && cached.state() == s) {
            return cached.view();
        }
        ServiceView.Result view = ServiceView.of(id, s, rules.catalogue());
        views.put(id, new CachedView(s, view));
        return view;
    }

    private Verdict verdict(HostId id, HostRecord r, Instant now) {
        if (r == null) {
            Instant graceEnd = rules.startedAt().plus(rules.staleAfter());
            return now.isBefore(graceEnd)
                    ? new Verdict(HostHealth.STALE, rules.startedAt(), "not heard from yet")
                    : new Verdict(HostHealth.DOWN, rules.startedAt(), "never heard from since the aggregator started");
        }
        HostState s = r.state();
        Instant silentUntil = r.lastSeen().plus(rules.downAfter());
        if (r.availability() == Availability.OFFLINE) {
            return new Verdict(HostHealth.DOWN, r.availabilitySince(), "its agent is offline");
        }
        if (!now.isBefore(silentUntil)) {
            return new Verdict(HostHealth.DOWN, silentUntil, "nothing heard for " + rules.downAfter().toSeconds() + " s");
        }
        if (r.availability() == Availability.ONLINE && s != null && now.isBefore(r.stateReceivedAt().plus(rules.staleAfter()))) {
            return new Verdict(HostHealth.UP, r.availabilitySince(), null);
        }
        // Online without a fresh state, or a state without any availability yet.
        Instant staleFrom = s == null ? r.lastSeen() : r.stateReceivedAt().plus(rules.staleAfter());
        Instant since = r.availabilitySince() != null && r.availabilitySince().isAfter(staleFrom) ? r.availabilitySince() : staleFrom;
        return new Verdict(HostHealth.STALE, since, s == null ? "no state received" : "no state for "
                + rules.staleAfter().toSeconds() + " s");
    }

    private static void raise(List<Alert> out, HostStatus h, Verdict v) {
        String host = h.host().value();
        if (h.status() != HostHealth.UP) {
            boolean down = h.status() == HostHealth.DOWN;
            out.add(new Alert("host:" + host, "host", down ? AlertSeverity.CRITICAL : AlertSeverity.WARNING, h.host(), null,
                    host + " is " + h.status().wire() + ": " + v.why, v.since));
            if (down) {
                // What a down host last said is history, not news: one alert for the host.
                return;
            }
        }
        EngineState engine = h.engine();
        if (engine != null && !engine.reachable()) {
            out.add(new Alert("engine:" + host, "engine", AlertSeverity.CRITICAL, h.host(), null,
                    host + ": container engine unreachable" + (engine.error() == null ? "" : ": " + engine.error()),
                    null));
        }
        for (MountStatus m : h.mounts()) {
            if (m.health() != MountHealth.OK) {
                AlertSeverity sev = m.health() == MountHealth.DEGRADED ? AlertSeverity.WARNING : AlertSeverity.CRITICAL;
                out.add(new Alert("mount:" + host + ":" + m.path(), "mount", sev, h.host(), m.path(),
                        host + " " + m.path() + " is " + m.health().wire()
                                + (m.problems().isEmpty() ? "" : ": " + String.join("; ", m.problems())), null));
            }
        }
        for (ServiceStatus s : h.services()) {
            if (s.problem() == null || !s.catalogued()) {
                continue;
            }
            boolean critical = ServiceStatus.MISSING.equals(s.problem()) || s.problem().startsWith("exited");
            out.add(new Alert("service:" + host + ":" + s.service(), "service",
                    critical ? AlertSeverity.CRITICAL : AlertSeverity.WARNING, h.host(), s.service(),
                    s.service() + " on " + host + ": " + s.problem(), null));
        }
    }

    /** Network shares once by source; anything else once per host and path. The freshest report's figures. */
    private static List<StorageShare> storage(Map<HostId, HostRecord> hosts) {
        record Seen(MountState m, Instant at, String where) {
        }
        Map<String, List<Seen>> bySource = new TreeMap<>();
        for (HostRecord r : hosts.values()) {
            HostMounts hm = r == null ? null : r.mounts();
            if (hm == null) {
                continue;
            }
            for (MountState m : hm.mounts()) {
                if (!m.mounted() || m.source() == null) {
                    continue;
                }
                String where = r.host() + ":" + m.path();
                String key = m.fsType() != null && NETWORK_FS.contains(m.fsType()) ? m.source() : where;
                bySource.computeIfAbsent(key, k -> new ArrayList<>()).add(new Seen(m, hm.timestamp(), where));
            }
        }
        List<StorageShare> out = new ArrayList<>();
        bySource.forEach((source, seen) -> {
            Seen freshest = seen.stream().filter(x -> x.m().space() != null).max(Comparator.comparing(Seen::at)).orElse(null);
            if (freshest == null) {
                return;
            }
            TreeSet<String> where = new TreeSet<>();
            seen.forEach(x -> where.add(x.where()));
            var space = freshest.m().space();
            out.add(new StorageShare(source, freshest.m().fsType(), space.availableBytes(), space.totalBytes(),
                    space.usedPct(), List.copyOf(where)));
        });
        return out;
    }
}
