package dev.mediawatch.aggregator.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Semaphore;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.mediawatch.aggregator.contention.ContentionService;
import dev.mediawatch.aggregator.contention.History;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.Text;
import io.smallrye.common.annotation.Blocking;

/**
 * The stutter detector over HTTP: its alerts as they stand, the contention of the last window and of the last 24 hours,
 * what it learned of each host's calm, and the incident timeline ("the movie stuttered at 21:03, why?") with each
 * incident's windows. Documented in docs/contract.md.
 */
@Path("/")
public class AlertsResource {

    /** Without {@code since}: the last week. */
    static final Duration DEFAULT_SINCE = Duration.ofDays(7);
    /** History without {@code since}: all that is kept, the last 24 hours. */
    static final Duration DEFAULT_HISTORY_SINCE = History.KEEP;
    /**
     * History answers made at once, at most. A day of 5 s windows is about 40 MB of JSON and its records; a few
     * pollers at once must not add up to the heap. More are answered {@code 503} with {@code Retry-After}.
     */
    static final int HISTORY_READS = 2;
    static final Semaphore HISTORY_PERMITS = new Semaphore(HISTORY_READS);

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

    /**
     * The detector's windows at or after {@code since} (as for incidents; default 24 h, and nothing older is kept),
     * oldest first.
     */
    @GET
    @Path("api/contention/history")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Response history(@QueryParam("since") String since) {
        Instant from;
        try {
            from = parseSince(since, Instant.now(), DEFAULT_HISTORY_SINCE);
        } catch (IllegalArgumentException e) {
            return Response.status(400).type(MediaType.TEXT_PLAIN).entity(e.getMessage() + "\n").build();
        }
        if (!HISTORY_PERMITS.tryAcquire()) {
            return Response.status(503).type(MediaType.TEXT_PLAIN).header("Retry-After", "1")
                    .entity(HISTORY_READS + " history requests are being answered; ask again in a moment\n").build();
        }
        try {
            return Response.ok(ContractJson.write(contention.history(from))).build();
        } finally {
            HISTORY_PERMITS.release();
        }
    }

    /** An incident's windows, from 5 minutes before its raise to its clear; 404 when unknown or none are kept. */
    @GET
    @Path("api/incidents/{id}/windows")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Response incidentWindows(@PathParam("id") String id) {
        return contention.incidentHistory(id).map(h -> Response.ok(ContractJson.write(h)).build())
                .orElseGet(() -> Response.status(404).type(MediaType.TEXT_PLAIN)
                        .entity((contention.incident(id).isPresent() ? "no windows kept for incident "
                                : "no incident ") + Text.printable(id, 80) + "\n").build());
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
        return parseSince(since, now, DEFAULT_SINCE);
    }

    static Instant parseSince(String since, Instant now, Duration byDefault) {
        if (since == null || since.isBlank()) {
            return now.minus(byDefault);
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
