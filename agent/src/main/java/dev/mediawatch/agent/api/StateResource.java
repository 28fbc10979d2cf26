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

    public StateResource(ContainerWatch containers) {
        this.containers = containers;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response state() {
        var state = containers.current();
        return state == null ? Response.status(Response.Status.SERVICE_UNAVAILABLE).build() : Response.ok(state).build();
    }
}
