package dev.mediawatch.agent.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.mediawatch.agent.containers.ContainerWatch;

/** What this agent would publish, for a look without an MQTT client. */
@Path("/api/state")
public class StateResource {

    private final ContainerWatch containers;
    private final dev.mediawatch.agent.host.HostWatch host;

    public StateResource(ContainerWatch containers, dev.mediawatch.agent.host.HostWatch host) {
        this.containers = containers;
        this.host = host;
    }

    @GET
    @Path("/mounts")
    @Produces(MediaType.APPLICATION_JSON)
    public Response mounts() {
        return orUnavailable(host.currentMounts());
    }

    @GET
    @Path("/io")
    @Produces(MediaType.APPLICATION_JSON)
    public Response io() {
        return orUnavailable(host.currentIo());
    }

    private static Response orUnavailable(Object o) {
        return o == null ? Response.status(Response.Status.SERVICE_UNAVAILABLE).build() : Response.ok(o).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response state() {
        var state = containers.current();
        return state == null ? Response.status(Response.Status.SERVICE_UNAVAILABLE).build() : Response.ok(state).build();
    }
}
