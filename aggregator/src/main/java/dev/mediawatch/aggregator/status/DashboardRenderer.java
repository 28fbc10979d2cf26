package dev.mediawatch.aggregator.status;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.mediawatch.contract.Alert;
import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.HostSummary;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountStatus;
import dev.mediawatch.contract.ServiceStatus;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.StorageShare;

/**
 * The unified status as a terminal dashboard ({@code GET /status}), in the shape of the owner's
 * {@code media.status} mock: box-drawn sections, ✓/✗ marks, counts, a {@code *} on parked or expected-stopped
 * services. Plain text, or with ANSI colour. Pure: a report in, text out.
 */
public final class DashboardRenderer {

    /** Inner width: the box is {@code WIDTH + 2} columns, fitting an 80-column terminal. */
    static final int WIDTH = 76;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHORT_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";
    /** How many evidence lines a failing gate or criterion shows before "... and N more". */
    static final int EVIDENCE_LINES = 4;

    private final boolean color;

    public DashboardRenderer() {
        this(false);
    }

    public DashboardRenderer(boolean color) {
        this.color = color;
    }

    public String render(StatusReport report) {
        StringBuilder out = new StringBuilder(8192);
        vmSection(out, report);
        servicesSection(out, report);
        nfsSection(out, report);
        storageSection(out, report);
        streamingSection(out, report);
        alertsSection(out, report);
        driftSection(out, report);
        checklistSection(out, report);
        HostSummary t = report.totals();
        long up = report.hosts().stream().filter(h -> h.status() == HostHealth.UP).count();
        out.append(String.format("generated %s · %d/%d hosts up · %d containers, %d running · %d alerts%n",
                TIME.format(report.generatedAt()), up, report.hosts().size(), t.total(), t.running(), report.alerts().size()));
        return out.toString();
    }

    private void vmSection(StringBuilder out, StatusReport report) {
        List<String> lines = new ArrayList<>();
        if (report.hosts().isEmpty()) {
            lines.add("no agent has reported yet and the catalogue names no host");
        }
        int nameWidth = nameWidth(report);
        for (HostStatus h : report.hosts()) {
            StringBuilder line = new StringBuilder(String.format("%-" + nameWidth + "s %s %-5s", h.host(),
                    h.status() == HostHealth.UP ? "✓" : "✗", h.status().wire().toUpperCase(Locale.ROOT)));
            line.append(h.since() == null ? "" : "  since " + SHORT_TIME.format(h.since()));
            line.append("  ").append(h.address() == null ? "-" : h.address());
            if (h.agentVersion() != null) {
                line.append("  v").append(h.agentVersion());
            } else if (h.lastSeen() == null) {
                line.append("  never reported");
            }
            lines.add(line.toString());
        }
        box(out, "VM STATUS", lines);
    }

    private void servicesSection(StringBuilder out, StatusReport report) {
        List<String> lines = new ArrayList<>();
        if (report.hosts().isEmpty()) {
            lines.add("no services known");
        }
        for (HostStatus h : report.hosts()) {
            if (!lines.isEmpty()) {
                lines.add("");
            }
            HostSummary c = h.counts();
            String counts = String.format("%d total | %d running | %d exited | %d unhealthy | %d missing", c.total(),
                    c.running(), c.exited(), c.unhealthy(), c.missing());
            if (h.host().value().length() + 2 + counts.length() <= WIDTH - 2) {
                lines.add(h.host() + ": " + counts);
            } else {
                lines.add(h.host() + ":");
                lines.add("  " + counts);
            }
            EngineState engine = h.engine();
            if (engine != null && !engine.reachable()) {
                lines.add("  ✗ engine unreachable since " + (engine.since() == null ? "?" : TIME.format(engine.since()))
                        + (engine.error() == null ? "" : ": " + engine.error()));
            }
            Map<String, List<ServiceStatus>> byCategory = new LinkedHashMap<>();
            for (ServiceStatus s : h.services()) {
                byCategory.computeIfAbsent(s.category() == null ? "not in catalogue" : s.category(),
                        k -> new ArrayList<>()).add(s);
            }
            int labelWidth = byCategory.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
            for (Map.Entry<String, List<ServiceStatus>> e : byCategory.entrySet()) {
                String head = String.format("  %-" + labelWidth + "s %2d  ", e.getKey() + ":", e.getValue().size());
                wrap(lines, head, e.getValue().stream().map(DashboardRenderer::serviceLabel).toList());
            }
        }
        if (report.hosts().stream().anyMatch(h -> h.services().stream().anyMatch(ServiceStatus::parkedOrStopped))) {
            lines.add("");
            lines.add("* parked or expected stopped");
        }
        if (!report.imports().isEmpty()) {
            lines.add("");
            lines.add(importsLine(report.imports()));
        }
        box(out, "SERVICES", lines);
    }

    /** {@code imports today: radarr 12 · sonarr 30 · lidarr 4}, as the plan's {@code media.metrics.today}. */
    static String importsLine(List<ArrImports> imports) {
        StringBuilder line = new StringBuilder("imports today:");
        String sep = " ";
        for (ArrImports i : imports) {
            line.append(sep).append(i.app()).append(' ').append(i.today());
            sep = " · ";
        }
        return line.toString();
    }

    private static String serviceLabel(ServiceStatus s) {
        String name = s.service() + (s.parkedOrStopped() ? "*" : "");
        if (s.problem() == null || (!s.catalogued() && s.problem().equals("not in the catalogue"))) {
            // Unlisted containers have no expectation to fail; still say when one is not running.
            return s.catalogued() || s.state().equals("running") ? name : name + " (" + s.state() + ")";
        }
        return name + " ✗" + (s.problem().equals(ServiceStatus.MISSING) ? "missing" : s.problem());
    }

    private void nfsSection(StringBuilder out, StatusReport report) {
        List<String> lines = new ArrayList<>();
        int nameWidth = nameWidth(report);
        int pathWidth = report.hosts().stream().flatMap(h -> h.mounts().stream()).mapToInt(m -> m.path().length())
                .max().orElse(10);
        for (HostStatus h : report.hosts()) {
            if (h.mounts().isEmpty()) {
                lines.add(String.format("%-" + nameWidth + "s %s", h.host(),
                        h.lastSeen() == null ? "not reported" : "no mounts watched or reported"));
                continue;
            }
            for (MountStatus m : h.mounts()) {
                String mode = (m.mode() == null ? "--" : m.mode())
                        + (m.expectedMode() == null ? "          " : " (want " + m.expectedMode() + ")");
                String line = String.format("%-" + nameWidth + "s %-" + pathWidth + "s  %s  %s %-10s %s", h.host(),
                        m.path(), mode, m.health() == MountHealth.OK ? "✓" : "✗",
                        m.health().wire().toUpperCase(Locale.ROOT),
                        m.freeBytes() == null ? "" : bytes(m.freeBytes()) + " free");
                lines.add(line.stripTrailing());
                for (String p : m.problems()) {
                    lines.add("    " + p);
                }
            }
        }
        if (lines.isEmpty()) {
            lines.add("no host reports mounts");
        }
        box(out, "NFS", lines);
    }

    private void storageSection(StringBuilder out, StatusReport report) {
        List<String> lines = new ArrayList<>();
        for (StorageShare s : report.storage()) {
            lines.add(String.format("%s:  %s free / %s total (%.0f%% used)", s.source(), bytes(s.freeBytes()),
                    bytes(s.totalBytes()), s.usedPct()));
            wrap(lines, "    mounted on ", s.mountedBy());
        }
        if (lines.isEmpty()) {
            lines.add("no mounted share reported");
        }
        box(out, "STORAGE", lines);
    }

    /** The stutter detector's last window: score, what holds, who watches, which signals crossed. */
    private void streamingSection(StringBuilder out, StatusReport report) {
        dev.mediawatch.contract.Contention c = report.contention();
        if (c == null) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("contention %3d/100  %s  (download pressure %d, streaming degradation %d)", c.score(),
                c.state().toUpperCase(Locale.ROOT), c.pressure(), c.degradation()));
        dev.mediawatch.contract.StutterEvidence e = c.evidence();
        if (e != null) {
            long playing = e.sessions().stream().filter(x -> !x.paused()).count();
            long transcoding = e.sessions().stream().filter(x -> x.transcoding()).count();
            lines.add(String.format("watching: %d playing, %d paused, %d transcoding", playing, e.sessions().size() - playing,
                    transcoding));
            for (dev.mediawatch.contract.StreamSession x : e.sessions().stream().limit(4).toList()) {
                lines.add("  " + (x.paused() ? "‖ " : "▶ ") + (x.user() == null ? "" : x.user() + ": ")
                        + (x.title() == null ? "?" : x.title())
                        + (Boolean.TRUE.equals(x.transcodeBehind()) ? "  ✗transcode behind" : "")
                        + (Boolean.TRUE.equals(x.stalled()) ? "  ✗stalled (advance " + x.advanceRatio() + ")" : "")
                        + (Boolean.TRUE.equals(x.silent()) ? "  ✗silent" : ""));
            }
            List<String> crossed = e.signals().stream().filter(dev.mediawatch.contract.SignalValue::crossed)
                    .map(v -> v.name() + "@" + v.host() + " " + number(v.value()) + " " + v.unit()).toList();
            wrap(lines, crossed.isEmpty() ? "crossed: none" : "crossed: ", crossed);
            if (!e.topWriters().isEmpty()) {
                wrap(lines, "top writers: ", e.topWriters());
            }
            if (!e.signalsMissing().isEmpty()) {
                wrap(lines, "missing: ", e.signalsMissing());
            }
        }
        if (c.thresholds() != null) {
            lines.add("thresholds: " + c.thresholds());
        }
        box(out, "STREAMING", lines);
    }

    private static String number(double v) {
        if (Math.abs(v) >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (Math.abs(v) >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private void alertsSection(StringBuilder out, StatusReport report) {
        List<String> lines = new ArrayList<>();
        for (Alert a : report.alerts()) {
            lines.add(String.format("%s %-8s %s  %s", a.severity() == AlertSeverity.CRITICAL ? "✗" : "!",
                    a.severity().wire().toUpperCase(Locale.ROOT), a.since() == null ? "" : SHORT_TIME.format(a.since()),
                    a.message()));
        }
        if (lines.isEmpty()) {
            lines.add("✓ no open alerts");
        }
        box(out, "ALERTS", lines);
    }

    private void driftSection(StringBuilder out, StatusReport report) {
        List<String> lines = new ArrayList<>();
        long passing = report.drift().stream().filter(Check::pass).count();
        lines.add(String.format("%s %d/%d gates pass", passing == report.drift().size() ? "✓" : "✗", passing,
                report.drift().size()));
        checks(lines, report.drift(), true);
        box(out, "DRIFT", lines);
    }

    private void checklistSection(StringBuilder out, StatusReport report) {
        List<String> lines = new ArrayList<>();
        long passing = report.checklist().stream().filter(Check::pass).count();
        lines.add(String.format("%s %d/%d criteria met", passing == report.checklist().size() ? "✓" : "✗", passing,
                report.checklist().size()));
        checks(lines, report.checklist(), false);
        box(out, "SUCCESS CRITERIA", lines);
    }

    private static void checks(List<String> lines, List<Check> checks, boolean failingOnly) {
        for (Check c : checks) {
            if (c.pass() && failingOnly) {
                continue;
            }
            lines.add((c.pass() ? "✓ " : "✗ ") + (failingOnly ? c.id() + " " : "") + c.name());
            if (!c.pass()) {
                c.evidence().stream().limit(EVIDENCE_LINES).forEach(e -> lines.add("    " + e));
                if (c.evidence().size() > EVIDENCE_LINES) {
                    lines.add("    ... and " + (c.evidence().size() - EVIDENCE_LINES) + " more (GET /api/status)");
                }
            }
        }
    }

    private static int nameWidth(StatusReport report) {
        return Math.max(15, report.hosts().stream().mapToInt(h -> h.host().value().length()).max().orElse(0));
    }

    /** Binary units as {@code df -h} writes them: 8.4T, 512M. */
    static String bytes(long n) {
        String units = "BKMGTPE";
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + "B" : (v >= 10 ? String.format("%.0f", v) : String.format("%.1f", v)) + units.charAt(u);
    }

    private static void wrap(List<String> lines, String head, List<String> names) {
        StringBuilder line = new StringBuilder(head);
        boolean first = true;
        for (String name : names) {
            String piece = (first ? "" : ", ") + name;
            if (line.length() + piece.length() > WIDTH - 2 && !first) {
                lines.add(line.append(',').toString());
                line = new StringBuilder(" ".repeat(head.length())).append(name);
            } else {
                line.append(piece);
            }
            first = false;
        }
        lines.add(line.toString());
    }

    private void box(StringBuilder out, String title, List<String> lines) {
        String top = "┌─ " + title + " ";
        out.append(top).append("─".repeat(WIDTH + 1 - top.length())).append("┐\n");
        for (String line : lines) {
            String text = line.length() > WIDTH - 2 ? line.substring(0, WIDTH - 3) + "…" : line;
            out.append("│ ").append(paint(text)).append(" ".repeat(WIDTH - 1 - text.length())).append("│\n");
        }
        out.append("└").append("─".repeat(WIDTH)).append("┘\n\n");
    }

    /** Colour after padding, so escape codes never count as width. */
    private String paint(String text) {
        if (!color) {
            return text;
        }
        return text.replace("✓", GREEN + "✓" + RESET)
                .replace("✗", RED + "✗" + RESET)
                .replace(" UP ", " " + GREEN + "UP" + RESET + " ")
                .replace(" DOWN", " " + RED + BOLD + "DOWN" + RESET)
                .replace(" STALE", " " + YELLOW + "STALE" + RESET)
                .replace("CRITICAL", RED + BOLD + "CRITICAL" + RESET)
                .replace("! WARNING", YELLOW + "! WARNING" + RESET);
    }
}
