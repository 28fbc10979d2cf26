package dev.mediawatch.aggregator.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.mediawatch.aggregator.contention.ContentionService;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.Text;
import io.smallrye.common.annotation.Blocking;

/**
 * The stutter detector over HTTP: its alerts as they stand, the contention of the last window, what it learned of each
 * host's calm, and the incident timeline ("the movie stuttered at 21:03, why?"). Documented in docs/contract.md.
 */
@Path("/")
public class AlertsResource {

    /** Without {@code since}: the last week. */
    static final Duration DEFAULT_SINCE = Duration.ofDays(7);

    private final ContentionService contention;

    public AlertsResource(ContentionService contention) {
        this.contention = contention;
    }

    /** Both detector alerts ({@code stutter}, {@code streaming-degraded}), raised or cleared; empty before the first window. */
    @GET
    @Path("api/alerts")
    @Produces(MediaType.APPLICATION_JSON)
    public List<AlertState> alerts() {
        return contention.alerts();
    }

    /** The last window's contention sensor; 404 before the first window. */
    @GET
    @Path("api/contention")
    @Produces(MediaType.APPLICATION_JSON)
    public Response contention() {
        return contention.contention().map(c -> Response.ok(ContractJson.write(c)).build())
                .orElseGet(() -> Response.status(404).type(MediaType.TEXT_PLAIN).entity("no window decided yet\n").build());
    }

    /**
     * What the detector has learned of each host's calm, per signal: calm seen (samples, span), p50/p95/p99 of the calm
     * values, and the thresholds in force with their origin (learned, default, configured).
     */
    @GET
    @Path("api/baselines")
    @Produces(MediaType.APPLICATION_JSON)
    public Response baselines() {
        return Response.ok(ContractJson.write(contention.baselines())).build();
    }

    /**
     * Incidents raised at or after {@code since} (an ISO-8601 instant such as {@code 2026-11-21T21:00:00Z}, or an age
     * such as {@code 24h}, {@code 30m}, {@code 7d}) or still open, newest first. Reads the store: blocking, off the
     * event loop.
     */
    @GET
    @Path("api/incidents")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Response incidents(@QueryParam("since") String since) {
        Instant from;
        try {
            from = parseSince(since, Instant.now());
        } catch (IllegalArgumentException e) {
            return Response.status(400).type(MediaType.TEXT_PLAIN).entity(e.getMessage() + "\n").build();
        }
        return Response.ok(ContractJson.write(contention.incidents(from))).build();
    }

    @GET
    @Path("api/incidents/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Response incident(@PathParam("id") String id) {
        return contention.incident(id).map(i -> Response.ok(ContractJson.write(i)).build())
                .orElseGet(() -> Response.status(404).type(MediaType.TEXT_PLAIN)
                        .entity("no incident " + Text.printable(id, 80) + "\n").build());
    }

    static Instant parseSince(String since, Instant now) {
        if (since == null || since.isBlank()) {
            return now.minus(DEFAULT_SINCE);
        }
        String s = since.strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})([smhd])").matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("since must be an instant like 2026-11-21T21:00:00Z or an age like 24h, 30m, 7d; got '"
                    + Text.printable(s, 40) + "'");
        }
    }
}
