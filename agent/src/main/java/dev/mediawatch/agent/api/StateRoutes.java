package dev.mediawatch.agent.api;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.mediawatch.agent.containers.ContainerWatch;
import dev.mediawatch.agent.host.HostWatch;
import dev.mediawatch.contract.ContractJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What this agent would publish, for a look without an MQTT client: {@code GET /api/state} (the HostState),
 * {@code /api/state/mounts} and {@code /api/state/io}, written by the contract's own codec, exactly like the MQTT
 * payloads; 503 before the first collection. Plain routes on the HTTP server that health and metrics already use:
 * the agent needs no REST framework. Answered on the event loop: the snapshots are in memory and writing one is quick.
 */
@ApplicationScoped
public class StateRoutes {

    private final ContainerWatch containers;
    private final HostWatch host;

    public StateRoutes(ContainerWatch containers, HostWatch host) {
        this.containers = containers;
        this.host = host;
    }

    void routes(@Observes Router router) {
        router.get("/api/state").handler(rc -> answer(rc, containers::current));
        router.get("/api/state/mounts").handler(rc -> answer(rc, host::currentMounts));
        router.get("/api/state/io").handler(rc -> answer(rc, host::currentIo));
    }

    private static void answer(RoutingContext rc, Supplier<?> current) {
        Object o = current.get();
        if (o == null) {
            rc.response().setStatusCode(503).end();
            return;
        }
        rc.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(ContractJson.write(o)));
    }
}
