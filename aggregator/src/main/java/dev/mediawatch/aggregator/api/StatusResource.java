package dev.mediawatch.aggregator.api;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.mediawatch.aggregator.status.DashboardRenderer;
import dev.mediawatch.aggregator.status.StatusService;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.StatusReport;

/** The unified status over HTTP: JSON for programs, a text dashboard for {@code curl}. */
@Path("/")
public class StatusResource {

    private final StatusService status;
    private final DashboardRenderer renderer = new DashboardRenderer();

    public StatusResource(StatusService status) {
        this.status = status;
    }

    /** The unified status, schema {@code mediawatch.status} (docs/contract.md). */
    @GET
    @Path("api/status")
    @Produces(MediaType.APPLICATION_JSON)
    public StatusReport json() {
        return status.report();
    }

    /** The same, as the media.status dashboard. */
    @GET
    @Path("status")
    @Produces(MediaType.TEXT_PLAIN + ";charset=utf-8")
    public String text() {
        return renderer.render(status.report());
    }

    /** Recent events from every agent, oldest first (bounded by mediawatch.status.recent-events). */
    @GET
    @Path("api/events")
    @Produces(MediaType.APPLICATION_JSON)
    public List<HostEvent> events() {
        return status.registry().recentEvents();
    }
}
