package dev.mediawatch.aggregator.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.contention.ContentionService;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.aggregator.status.StatusService;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.StatusReport;

/**
 * Gathers what the page shows from the last built status, the host registry and the detector, and puts it into a
 * {@link PageView}. Called from HTTP worker threads and the live page's thread, never from an event loop.
 */
@ApplicationScoped
public class Pages {

    /** How far back the page's incident list looks. */
    static final Duration INCIDENTS_SINCE = Duration.ofDays(30);

    private final StatusService status;
    private final HostRegistry registry;
    private final ContentionService contention;
    private final PageModel model;
    private final ContentionCharts charts;
    /** How long the day's charts are reused. */
    static final Duration CHARTS_FOR = Duration.ofSeconds(30);
    private volatile Drawn drawn;

    public Pages(StatusService status, HostRegistry registry, ContentionService contention, AggregatorConfig config) {
        this.status = status;
        this.registry = registry;
        this.contention = contention;
        ZoneId zone = config.web().zone().orElse(ZoneId.systemDefault());
        this.model = new PageModel(zone);
        this.charts = new ContentionCharts(zone);
    }

    public PageModel model() {
        return model;
    }

    /** The page as it stands; with the 24-hour charts and incidents, or without them (the live status part). */
    public PageView view(boolean withCharts) {
        StatusReport report = status.snapshot().report();
        List<Incident> incidents = withCharts ? contention.incidents(report.generatedAt().minus(INCIDENTS_SINCE)).incidents()
                : List.of();
        List<PageView.Chart> drawn = withCharts ? day(report) : List.of();
        return model.view(report, registry.hosts(), registry.recentEvents(), incidents, drawn);
    }

    /** The day's charts as drawn last: read again at most every {@link #CHARTS_FOR}, or when an alert changed. */
    private List<PageView.Chart> day(StatusReport report) {
        String alerts = report.alerts().stream().filter(a -> "stutter".equals(a.kind()) || "streaming-degraded".equals(a.kind()))
                .map(a -> a.id() + "@" + a.since()).reduce("", String::concat);
        Drawn d = drawn;
        long now = System.nanoTime();
        if (d == null || now - d.nanos() >= CHARTS_FOR.toNanos() || !d.alerts().equals(alerts)) {
            // A day of windows is about 17,000 records: read and drawn once for every page asking in the next 30 s.
            d = new Drawn(now, alerts, charts.day(contention.history(report.generatedAt().minus(Duration.ofHours(24))),
                    report.generatedAt()));
            drawn = d;
        }
        return d.charts();
    }

    private record Drawn(long nanos, String alerts, List<PageView.Chart> charts) {
    }

    /** One incident's page, or null when the incident is not known. */
    public IncidentView incident(String id) {
        return contention.incident(id).map(i -> IncidentView.of(i, contention.incidentWindows(id).orElse(List.of()), model,
                charts, status.snapshot().report().generatedAt())).orElse(null);
    }

    /** Instant of the last build, for a page's "as of". */
    public Instant asOf() {
        return status.snapshot().report().generatedAt();
    }
}
