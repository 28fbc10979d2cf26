package dev.mediawatch.aggregator.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.aggregator.refresh.RefreshService;
import dev.mediawatch.aggregator.status.DashboardRenderer;
import dev.mediawatch.aggregator.status.StatusService;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.StatusReport;
import io.smallrye.common.annotation.NonBlocking;

/**
 * The unified status over HTTP: JSON for programs, a text dashboard for {@code curl}, each host's own reports,
 * and {@code media.refresh}. The status is served from the last build; no request builds it.
 */
@Path("/")
@jakarta.inject.Singleton
@io.quarkus.runtime.Startup // made at startup: a bad token file stops startup, not the first request
public class StatusResource {

    private static final DashboardRenderer PLAIN = new DashboardRenderer(false);
    private static final DashboardRenderer COLOR = new DashboardRenderer(true);

    private final StatusService status;
    private final HostRegistry registry;
    private final RefreshService refresh;
    private final byte[] token;

    private final dev.mediawatch.aggregator.notify.Notifications notifications;

    public StatusResource(StatusService status, HostRegistry registry, RefreshService refresh, AggregatorConfig config,
            dev.mediawatch.aggregator.notify.Notifications notifications) {
        this.notifications = notifications;
        this.status = status;
        this.registry = registry;
        this.refresh = refresh;
        this.token = dev.mediawatch.secrets.Secrets.resolve("mediawatch.api.token", config.api().token(),
                config.api().tokenFile()).map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    // GET /api/status is StatusRoute: served from the built bytes without a copy per response.

    /** The unified status as the media.status dashboard; {@code ?color=always} adds ANSI colour. */
    @GET
    @Path("status")
    @Produces(MediaType.TEXT_PLAIN + ";charset=utf-8")
    public String text(@QueryParam("color") String color) {
        StatusReport r = status.report();
        return ("always".equals(color) ? COLOR : PLAIN).render(r);
    }

    /** A host's last state as its agent published it. */
    @GET
    @Path("api/hosts/{host}/state")
    @Produces(MediaType.APPLICATION_JSON)
    public Response state(@PathParam("host") String host) {
        HostRecord r = record(host);
        return r == null || r.state() == null ? notFound(host, "state") : Response.ok(ContractJson.write(r.state())).build();
    }

    /** A host's last mounts report as its agent published it. */
    @GET
    @Path("api/hosts/{host}/mounts")
    @Produces(MediaType.APPLICATION_JSON)
    public Response mounts(@PathParam("host") String host) {
        HostRecord r = record(host);
        return r == null || r.mounts() == null ? notFound(host, "mounts") : Response.ok(ContractJson.write(r.mounts())).build();
    }

    /** A host's last I/O signals as its agent published them. */
    @GET
    @Path("api/hosts/{host}/io")
    @Produces(MediaType.APPLICATION_JSON)
    public Response io(@PathParam("host") String host) {
        HostRecord r = record(host);
        return r == null || r.io() == null ? notFound(host, "io") : Response.ok(ContractJson.write(r.io())).build();
    }

    /** Recent events from every agent, oldest first (bounded by mediawatch.status.recent-events). */
    @GET
    @Path("api/events")
    @Produces(MediaType.APPLICATION_JSON)
    public List<HostEvent> events() {
        return registry.recentEvents();
    }

    /**
     * {@code media.refresh}: every agent collects now; answers when all did or the timeout passed. Needs
     * {@code Authorization: Bearer <mediawatch.api.token>} when a token is configured.
     */
    @POST
    @Path("api/refresh")
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> refresh(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (!authorized(authorization)) {
            return unauthorized();
        }
        return refresh.refresh().thenApply(result -> Response.ok(ContractJson.write(result)).build());
    }

    /**
     * Sends a test message to every notification target once; answers each target's outcome
     * ({@link dev.mediawatch.contract.NotifyTest}). Needs the API token like {@code /api/refresh}.
     */
    @POST
    @Path("api/notify/test")
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> notifyTest(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (!authorized(authorization)) {
            return unauthorized();
        }
        java.time.Instant at = java.time.Instant.now();
        return notifications.test().thenApply(list -> Response.ok(ContractJson.write(dev.mediawatch.contract.NotifyTest.of(at,
                list.stream().map(d -> new dev.mediawatch.contract.NotifyTest.Target(d.target().display(), d.target().scheme(),
                        d.sent(), d.detail())).toList()))).build());
    }

    private static CompletionStage<Response> unauthorized() {
        return java.util.concurrent.CompletableFuture.completedFuture(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"mediawatch\"")
                .type(MediaType.TEXT_PLAIN).entity("a valid bearer token is required (mediawatch.api.token)\n").build());
    }

    private boolean authorized(String header) {
        if (token == null) {
            return true;
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Constant time: the comparison does not tell how much of a guess was right.
        return MessageDigest.isEqual(token, header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    private HostRecord record(String host) {
        return HostId.isValid(host) ? registry.host(HostId.of(host)) : null;
    }

    private static Response notFound(String host, String what) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                .entity("no " + what + " known for host '" + dev.mediawatch.contract.Text.printable(host, 63) + "'\n").build();
    }
}
