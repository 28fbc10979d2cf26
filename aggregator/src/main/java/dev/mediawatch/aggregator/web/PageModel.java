package dev.mediawatch.aggregator.web;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.contract.Alert;
import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.HostSummary;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountStatus;
import dev.mediawatch.contract.ServiceProbe;
import dev.mediawatch.contract.ServiceStatus;
import dev.mediawatch.contract.SignalValue;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.StorageShare;
import dev.mediawatch.contract.StreamSession;

/**
 * Puts the unified status, the hosts' own reports (restarts, probe latency, playback sessions), the recent events
 * and the last incidents into the words the page shows ({@link PageView}). Pure: the same inputs give the same
 * view, so a live update is sent only when something a person would see changed. No time relative to now is
 * shown ("3 min ago" would change the page every minute); times are absolute, in the page's zone.
 */
public final class PageModel {

    /** Events shown, newest first. */
    static final int EVENTS = 20;
    /** Incidents listed, newest first. */
    static final int INCIDENTS = 10;
    /** Evidence lines a check shows before the rest is folded. */
    static final int EVIDENCE_LINES = 4;
    /** Evidence lines a check carries at most (the JSON has them all). */
    static final int MAX_EVIDENCE = 200;
    /** Signals shown in the contention box. */
    static final int SIGNALS = 12;

    private final ZoneId zone;
    private final DateTimeFormatter time;
    private final DateTimeFormatter dayTime;

    public PageModel(ZoneId zone) {
        this.zone = zone;
        this.time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
        this.dayTime = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ROOT).withZone(zone);
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * @param report    the last built status
     * @param records   the hosts' latest reports
     * @param events    recent events, oldest first (as the registry keeps them)
     * @param incidents the last incidents, newest first
     * @param charts    the 24-hour charts, already drawn
     */
    public PageView view(StatusReport report, Collection<HostRecord> records, List<HostEvent> events,
            List<Incident> incidents, List<PageView.Chart> charts) {
        Map<HostId, HostRecord> byHost = new HashMap<>();
        for (HostRecord r : records) {
            byHost.put(r.host(), r);
        }
        Instant now = report.generatedAt();
        List<PageView.Vm> vms = report.hosts().stream().map(h -> vm(h, byHost.get(h.host()), now)).toList();
        HostSummary t = report.totals();
        long up = report.hosts().stream().filter(h -> h.status() == HostHealth.UP).count();
        String headline = up + " of " + report.hosts().size() + " VMs up · " + t.running() + " of " + t.total()
                + " containers running · " + report.alerts().size() + (report.alerts().size() == 1 ? " alert" : " alerts");
        return new PageView(headline, vms, report.storage().stream().map(this::share).toList(),
                report.alerts().stream().map(a -> alert(a, now)).toList(),
                report.drift().stream().map(PageModel::check).toList(),
                report.checklist().stream().map(PageModel::check).toList(),
                report.imports().stream().map(PageModel::imports).toList(),
                contention(report.contention(), report.alerts()), sessions(report, byHost),
                events(events, now), incidents(incidents, now), charts == null ? List.of() : charts, zone.getId());
    }

    /** A time: {@code 21:03:12} today, {@code Nov 30 21:03:12} on another day, in the page's zone. */
    public String when(Instant at, Instant now) {
        if (at == null) {
            return "";
        }
        return at.atZone(zone).toLocalDate().equals(now.atZone(zone).toLocalDate()) ? time.format(at) : dayTime.format(at);
    }

    private PageView.Vm vm(HostStatus h, HostRecord record, Instant now) {
        Map<String, ContainerState> containers = new HashMap<>();
        Map<String, ServiceProbe> probes = new HashMap<>();
        if (record != null && record.state() != null) {
            for (ContainerState c : record.state().containers()) {
                containers.put(c.name(), c);
            }
            for (ServiceProbe p : record.state().probes()) {
                probes.put(p.service(), p);
            }
        }
        Map<String, List<PageView.Service>> byCategory = new LinkedHashMap<>();
        for (ServiceStatus s : h.services()) {
            ContainerState c = s.container() == null ? null : containers.get(s.container());
            ServiceProbe p = probes.get(s.service());
            String latency = p == null ? "" : p.up() ? (p.latencyMs() == null ? "up" : p.latencyMs() + " ms")
                    : "down" + (p.error() == null ? "" : ": " + p.error());
            boolean ok = s.problem() == null;
            byCategory.computeIfAbsent(s.category() == null ? "unlisted" : s.category(), k -> new ArrayList<>())
                    .add(new PageView.Service(s.service(), s.container() == null ? "" : s.container(), s.state(),
                            s.health() == null || "none".equals(s.health().wire()) ? "" : s.health().wire(),
                            c == null ? "" : Integer.toString(c.restartCount()), latency,
                            s.problem() == null ? "" : s.problem(), s.parkedOrStopped(), ok));
        }
        List<PageView.Category> categories = byCategory.entrySet().stream()
                .map(e -> new PageView.Category(e.getKey(), List.copyOf(e.getValue()))).toList();
        HostSummary c = h.counts();
        List<String> summary = new ArrayList<>();
        summary.add(c.running() + "/" + c.total() + " running");
        if (c.exited() > 0) {
            summary.add(c.exited() + " exited");
        }
        if (c.unhealthy() > 0) {
            summary.add(c.unhealthy() + " unhealthy");
        }
        if (c.missing() > 0) {
            summary.add(c.missing() + " missing");
        }
        if (c.restarting() > 0) {
            summary.add(c.restarting() + " restarting");
        }
        if (c.parked() > 0) {
            summary.add(c.parked() + " parked");
        }
        List<String> detail = new ArrayList<>();
        if (h.role() != null) {
            detail.add(h.role());
        }
        if (h.address() != null) {
            detail.add(h.address());
        }
        if (h.agentVersion() != null) {
            detail.add("agent " + h.agentVersion());
        }
        if (h.engine() != null) {
            detail.add(h.engine().reachable() ? "engine " + (h.engine().version() == null ? "reachable" : h.engine().version())
                    : "engine unreachable" + (h.engine().error() == null ? "" : ": " + h.engine().error()));
        }
        // Only when it matters: a host that is up is seen every few seconds, and the line would change as often.
        if (h.lastSeen() != null && h.status() != HostHealth.UP) {
            detail.add("last seen " + when(h.lastSeen(), now));
        }
        List<PageView.Mount> mounts = h.mounts().stream().map(m -> mount(m)).toList();
        return new PageView.Vm(h.host().value(), "vm-" + h.host().value(), h.status().wire(), h.status() == HostHealth.UP,
                h.since() == null ? "" : when(h.since(), now), String.join(" · ", summary), String.join(" · ", detail),
                categories, mounts);
    }

    private PageView.Mount mount(MountStatus m) {
        List<String> d = new ArrayList<>();
        if (m.source() != null) {
            d.add(m.source());
        }
        if (m.mode() != null) {
            d.add(m.mode() + (m.expectedMode() != null && !m.expectedMode().equals(m.mode()) ? " (expected " + m.expectedMode() + ")" : ""));
        }
        if (m.totalBytes() != null && m.freeBytes() != null) {
            d.add(bytes(m.freeBytes()) + " free of " + bytes(m.totalBytes()));
        }
        if (m.problems() != null && !m.problems().isEmpty()) {
            d.add(String.join("; ", m.problems()));
        }
        return new PageView.Mount(m.path(), m.health().wire(), m.health() == MountHealth.OK, String.join(" · ", d));
    }

    private PageView.Share share(StorageShare s) {
        String detail = (s.fsType() == null ? "" : s.fsType() + " · ") + bytes(s.freeBytes()) + " free of "
                + bytes(s.totalBytes()) + String.format(Locale.ROOT, " · %.0f%% used", s.usedPct());
        return new PageView.Share(s.source(), detail, String.join(", ", s.mountedBy()), s.usedPct());
    }

    private PageView.AlertLine alert(Alert a, Instant now) {
        return new PageView.AlertLine(a.severity().wire(), a.message(), a.since() == null ? "" : when(a.since(), now));
    }

    private static PageView.CheckLine check(Check c) {
        List<String> evidence = c.evidence() == null ? List.of() : c.evidence();
        int shown = Math.min(EVIDENCE_LINES, evidence.size());
        return new PageView.CheckLine(c.id(), c.name(), c.pass(), evidence.subList(0, shown),
                evidence.subList(shown, Math.min(evidence.size(), MAX_EVIDENCE)));
    }

    private static String imports(ArrImports i) {
        return i.app() + ": " + i.today() + " " + i.unit() + " today";
    }

    private PageView.ContentionBox contention(Contention c, List<Alert> alerts) {
        if (c == null) {
            return null;
        }
        List<String> raised = alerts.stream().filter(a -> "stutter".equals(a.kind()) || "streaming-degraded".equals(a.kind()))
                .map(Alert::message).toList();
        List<PageView.Signal> signals = new ArrayList<>();
        List<String> writers = List.of();
        List<String> stalled = new ArrayList<>();
        if (c.evidence() != null) {
            c.evidence().signals().stream()
                    .sorted((a, b) -> Boolean.compare(b.crossed(), a.crossed()))
                    .limit(SIGNALS)
                    .forEach(s -> signals.add(signal(s)));
            writers = c.evidence().topWriters();
            for (StreamSession s : c.evidence().sessions()) {
                if (Boolean.TRUE.equals(s.stalled()) || Boolean.TRUE.equals(s.transcodeBehind())) {
                    stalled.add(sessionLine(s));
                }
            }
        }
        return new PageView.ContentionBox(c.score(), c.pressure(), c.degradation(), c.state(), c.watching(), raised,
                c.thresholds() == null ? "" : c.thresholds(), signals, writers, stalled);
    }

    /** One signal in words: value and threshold in its unit. */
    public static PageView.Signal signal(SignalValue s) {
        return new PageView.Signal(s.name(), s.side(), s.host() == null ? "" : s.host().value(), amount(s.value(), s.unit()),
                amount(s.threshold(), s.unit()), s.crossed());
    }

    /** {@code 12.5 MB/s}, {@code 3.2 ms}, {@code 18 %}, {@code 2}. */
    public static String amount(double v, String unit) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        return switch (unit) {
            case "B/s" -> bytes((long) v) + "/s";
            case "count" -> Long.toString(Math.round(v));
            case "%" -> String.format(Locale.ROOT, "%.1f %%", v);
            default -> String.format(Locale.ROOT, "%.1f %s", v, unit);
        };
    }

    private List<PageView.Session> sessions(StatusReport report, Map<HostId, HostRecord> byHost) {
        List<PageView.Session> out = new ArrayList<>();
        for (HostStatus h : report.hosts()) {
            HostRecord r = byHost.get(h.host());
            if (r == null || r.activity() == null) {
                continue;
            }
            for (StreamSession s : r.activity().sessions()) {
                boolean bad = Boolean.TRUE.equals(s.stalled()) || Boolean.TRUE.equals(s.transcodeBehind())
                        || Boolean.TRUE.equals(s.silent());
                out.add(new PageView.Session(h.host().value(), s.user() == null ? "" : s.user(),
                        s.title() == null ? "" : s.title(), s.client() == null ? "" : s.client(), state(s), bad));
            }
        }
        return out;
    }

    private static String sessionLine(StreamSession s) {
        return (s.user() == null ? "" : s.user() + ": ") + (s.title() == null ? "?" : s.title())
                + (s.client() == null ? "" : " on " + s.client()) + " · " + state(s);
    }

    private static String state(StreamSession s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.paused() ? "paused" : "playing");
        if (s.playMethod() != null) {
            parts.add(s.playMethod());
        }
        if (Boolean.TRUE.equals(s.stalled())) {
            parts.add("stalled");
        }
        if (Boolean.TRUE.equals(s.silent())) {
            parts.add("silent");
        }
        if (Boolean.TRUE.equals(s.transcodeBehind())) {
            parts.add("transcode behind");
        }
        return String.join(", ", parts);
    }

    private List<PageView.EventLine> events(List<HostEvent> events, Instant now) {
        List<PageView.EventLine> out = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0 && out.size() < EVENTS; i--) {
            HostEvent e = events.get(i);
            String change = e.from() == null && e.to() == null ? "" : (e.from() == null ? "" : e.from()) + " → "
                    + (e.to() == null ? "" : e.to());
            StringBuilder detail = new StringBuilder();
            if (e.detail() != null) {
                e.detail().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(d -> {
                    if (detail.length() > 0) {
                        detail.append(", ");
                    }
                    detail.append(d.getKey()).append('=').append(d.getValue());
                });
            }
            out.add(new PageView.EventLine(when(e.timestamp(), now), e.host().value(), e.type(),
                    e.subject() == null ? "" : e.subject(), change, detail.toString()));
        }
        return out;
    }

    private List<PageView.IncidentLine> incidents(List<Incident> incidents, Instant now) {
        return incidents.stream().limit(INCIDENTS).map(i -> line(i, now)).toList();
    }

    /** An incident as listed. */
    public PageView.IncidentLine line(Incident i, Instant now) {
        return new PageView.IncidentLine(i.id(), href(i.id()), i.alert(), i.severity().wire(),
                i.message() == null ? "" : i.message(), when(i.raisedAt(), now),
                i.clearedAt() == null ? "" : when(i.clearedAt(), now), i.peakScore(), i.open());
    }

    /** The incident's page. */
    public static String href(String id) {
        return "/incidents/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code 1.2 GB}, {@code 830 MB}, {@code 12 KB}: decimal units, as disks are sold. */
    public static String bytes(long b) {
        if (b < 0) {
            return "-";
        }
        String[] units = { "B", "KB", "MB", "GB", "TB", "PB" };
        double v = b;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? b + " B" : String.format(Locale.ROOT, v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
