package dev.mediawatch.aggregator.status;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.mediawatch.contract.ContainerCounts;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.StatusReport;

/**
 * The unified status as a terminal dashboard ({@code GET /status}), in the shape of the owner's
 * {@code media.status} mock: box-drawn sections, ✓/✗ marks, counts. Pure: a report in, text out.
 */
public final class DashboardRenderer {

    /** Inner width: the box is {@code WIDTH + 2} columns, fitting an 80-column terminal. */
    static final int WIDTH = 76;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHORT_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    public String render(StatusReport report) {
        StringBuilder out = new StringBuilder(4096);
        vmSection(out, report);
        servicesSection(out, report);
        ContainerCounts t = report.totals();
        out.append(String.format("generated %s · %d host%s · %d containers, %d running%n", TIME.format(report.generatedAt()),
                report.hosts().size(), report.hosts().size() == 1 ? "" : "s", t.total(), t.running()));
        return out.toString();
    }

    private void vmSection(StringBuilder out, StatusReport report) {
        List<String> lines = new ArrayList<>();
        if (report.hosts().isEmpty()) {
            lines.add("no agent has reported yet");
        }
        int nameWidth = Math.max(16, report.hosts().stream().mapToInt(h -> h.host().value().length()).max().orElse(0));
        for (HostStatus h : report.hosts()) {
            String mark = h.status() == HostHealth.UP ? "✓" : "✗";
            StringBuilder line = new StringBuilder(String.format("%-" + nameWidth + "s  %s %-5s", h.host(), mark,
                    h.status().wire().toUpperCase(java.util.Locale.ROOT)));
            if (h.since() != null) {
                line.append("  since ").append(SHORT_TIME.format(h.since()));
            }
            if (h.role() != null) {
                line.append("  ").append(h.role());
            }
            if (h.agentVersion() != null) {
                line.append("  v").append(h.agentVersion());
            }
            lines.add(line.toString());
        }
        box(out, "VM STATUS", lines);
    }

    private void servicesSection(StringBuilder out, StatusReport report) {
        List<String> lines = new ArrayList<>();
        if (report.hosts().isEmpty()) {
            lines.add("no containers known");
        }
        for (HostStatus h : report.hosts()) {
            if (!lines.isEmpty()) {
                lines.add("");
            }
            ContainerCounts c = h.counts();
            lines.add(String.format("%s:  %d total | %d running | %d exited | %d unhealthy", h.host(), c.total(),
                    c.running(), c.exited(), c.unhealthy()));
            EngineState engine = h.engine();
            if (engine != null && !engine.reachable()) {
                lines.add("  ✗ engine unreachable since " + (engine.since() == null ? "?" : TIME.format(engine.since()))
                        + ": " + engine.error());
            }
            group(lines, "running", h.containers(), ContainerState::running, DashboardRenderer::runningLabel);
            group(lines, "exited", h.containers(), ContainerState::exited,
                    x -> x.exitCode() == null ? x.name() : x.name() + " (" + x.exitCode() + ")");
            group(lines, "other", h.containers(), x -> !x.running() && !x.exited(),
                    x -> x.name() + " (" + x.state().wire() + ")");
        }
        box(out, "SERVICES", lines);
    }

    private static String runningLabel(ContainerState c) {
        return switch (c.health()) {
            case UNHEALTHY -> c.name() + " ✗unhealthy";
            case STARTING -> c.name() + " (starting)";
            default -> c.name();
        };
    }

    private static void group(List<String> lines, String label, List<ContainerState> containers,
            Predicate<ContainerState> which, java.util.function.Function<ContainerState, String> show) {
        List<String> names = containers.stream().filter(which).map(show).toList();
        if (names.isEmpty()) {
            return;
        }
        String head = String.format("  %-9s", label + ":");
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

    private static void box(StringBuilder out, String title, List<String> lines) {
        String top = "┌─ " + title + " ";
        out.append(top).append("─".repeat(WIDTH + 1 - top.length())).append("┐\n");
        for (String line : lines) {
            String text = line.length() > WIDTH - 2 ? line.substring(0, WIDTH - 3) + "…" : line;
            out.append("│ ").append(text).append(" ".repeat(WIDTH - 1 - text.length())).append("│\n");
        }
        out.append("└").append("─".repeat(WIDTH)).append("┘\n\n");
    }
}
