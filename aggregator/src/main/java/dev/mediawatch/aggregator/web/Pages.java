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
        List<PageView.Chart> drawn = withCharts ? charts.day(contention.history(report.generatedAt().minus(Duration.ofHours(24))),
                report.generatedAt()) : List.of();
        return model.view(report, registry.hosts(), registry.recentEvents(), incidents, drawn);
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
