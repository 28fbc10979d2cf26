package dev.mediawatch.agent.publish;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.mediawatch.agent.config.AgentConfig;
import dev.mediawatch.agent.config.AgentIdentity;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.runtime.mqtt.MqttSession;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * Puts snapshots and events on the wire: the state retained, and only when it changed unless forced
 * (periodic republish, refresh command); events as they come, not retained, through an ordered outbox that
 * holds them while the broker is away.
 */
@ApplicationScoped
public class StatePublisher {

    private static final Logger LOG = Logger.getLogger(StatePublisher.class);

    private final MqttSession publisher;
    private final AgentIdentity identity;
    private final EventOutbox outbox;
    /** The last state the broker acknowledged, with its timestamp zeroed and no request id, for comparison. */
    private volatile HostState lastPublished;

    public StatePublisher(MqttSession publisher, AgentIdentity identity, AgentConfig config, Vertx vertx,
            MeterRegistry registry) {
        this.publisher = publisher;
        this.identity = identity;
        this.outbox = new EventOutbox(publisher, identity.topics().events(identity.host()), config.events().bufferSize(),
                vertx, registry);
    }

    /** Retained; skipped when it is the state last acknowledged (time and request id aside), unless forced. */
    public void state(HostState state, boolean force) {
        // A refresh's answer is forced anyway; the same state without its request id is no news.
        HostState comparable = state.at(Instant.EPOCH).with(state.address(), null, state.envAudit());
        if (!force && comparable.equals(lastPublished)) {
            return;
        }
        publisher.publish(identity.topics().state(identity.host()), ContractJson.write(state), true)
                .whenComplete((ok, error) -> {
                    if (error == null) {
                        lastPublished = comparable;
                    } else {
                        // Not marked as published: the next collection tries again.
                        LOG.debugf("state not published (%s); next collection retries", error.getMessage());
                    }
                });
    }

    /** Not retained, in order, through the outbox (it waits there while the broker is away). */
    public void event(HostEvent event) {
        outbox.add(event);
    }

    /** The broker is back: send the events that waited, in order, then run {@code then}. */
    public void flushEvents(Runnable then) {
        outbox.flush(then);
    }
}
