package dev.mediawatch.agent.publish;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.mediawatch.agent.config.AgentConfig;
import dev.mediawatch.agent.config.AgentIdentity;
import dev.mediawatch.contract.Availability;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import io.vertx.core.Vertx;

/**
 * Keeps {@code <prefix>/<host>/availability} saying {@code online} while the agent lives.
 *
 * <p>The broker publishes the agent's retained last will ({@code offline}) whenever a connection of the
 * agent ends uncleanly, including one the agent itself has already replaced after a network blip. The MQTT
 * connector gives no hook on reconnect, so the agent subscribes to its own availability topic instead: a
 * retained or live {@code offline} seen while the agent runs is answered with {@code online}. That covers the
 * first start, every reconnect (the retained will is delivered on resubscription) and a late will of an old
 * connection alike. It is also re-announced every publish interval: a broker restarted without persistence
 * has forgotten every retained message and sends no will for a connection it never saw end. See
 * docs/decisions/0002-availability-self-watch.md.
 */
@ApplicationScoped
public class AvailabilityKeeper {

    private static final Logger LOG = Logger.getLogger(AvailabilityKeeper.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    /** Publishing while disconnected fails locally and costs nothing, so retry often: online within 5 s of a reconnect. */
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);
    private static final Duration GOODBYE_WAIT = Duration.ofSeconds(2);

    private final MqttPublisher publisher;
    private final AgentIdentity identity;
    private final Vertx vertx;
    private final Event<BrokerReachable> brokerReachable;
    private volatile boolean stopping;
    /** Guarded by this. */
    private boolean inFlight;
    private boolean reachable;
    private long retryTimer = -1;
    private Duration nextRetry = FIRST_RETRY;

    private final Scheduler scheduler;
    private final Duration interval;

    public AvailabilityKeeper(MqttPublisher publisher, AgentIdentity identity, Vertx vertx, Scheduler scheduler,
            AgentConfig config, Event<BrokerReachable> brokerReachable) {
        this.brokerReachable = brokerReachable;
        this.publisher = publisher;
        this.identity = identity;
        this.vertx = vertx;
        this.scheduler = scheduler;
        this.interval = config.publish().interval();
    }

    void onStart(@Observes StartupEvent event) {
        announce();
        scheduler.newJob("mediawatch-availability")
                .setInterval(interval.toSeconds() + "s")
                .setTask(execution -> announce())
                .schedule();
    }

    /** The agent's own availability topic; see the class comment. Runs on the event loop: no blocking. */
    @Incoming("own-availability")
    public CompletionStage<Void> onOwnAvailability(Message<byte[]> message) {
        if (!stopping && Availability.parse(message.getPayload()).orElse(null) == Availability.OFFLINE) {
            LOG.info("broker says this agent is offline (an old connection's last will); announcing online again");
            announce();
        }
        return message.ack();
    }

    /**
     * Publishes {@code online} now, and keeps retrying with backoff until the broker acknowledges it. A new
     * request cancels a pending retry and tries at once; while one publish is in flight, requests wait for
     * its outcome. The first acknowledgement after failures means the broker is back: {@link BrokerReachable}
     * is fired so the state is republished at once rather than at the next interval.
     */
    void announce() {
        synchronized (this) {
            if (stopping || inFlight) {
                return;
            }
            if (retryTimer >= 0) {
                vertx.cancelTimer(retryTimer);
                retryTimer = -1;
            }
            inFlight = true;
        }
        publisher.publish(topic(), Availability.ONLINE.payload(), true).whenComplete((ok, error) -> onResult(error));
    }

    private void onResult(Throwable error) {
        boolean back;
        synchronized (this) {
            inFlight = false;
            if (error == null) {
                back = !reachable;
                reachable = true;
                nextRetry = FIRST_RETRY;
            } else {
                back = false;
                reachable = false;
                if (!stopping) {
                    Duration wait = nextRetry;
                    nextRetry = nextRetry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : nextRetry.multipliedBy(2);
                    retryTimer = vertx.setTimer(wait.toMillis(), id -> {
                        synchronized (this) {
                            retryTimer = -1;
                        }
                        announce();
                    });
                }
            }
        }
        if (back) {
            LOG.infof("broker acknowledged %s online", identity.host());
            brokerReachable.fire(new BrokerReachable());
        }
    }

    /**
     * A clean stop says {@code offline} itself: the broker sends the will only when a connection ends
     * uncleanly. Runs before the messaging connectors close (higher priority number runs later).
     */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        CompletableFuture<Void> sent = publisher.publish(topic(), Availability.OFFLINE.payload(), true)
                .toCompletableFuture();
        try {
            sent.get(GOODBYE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.infof("could not say offline on stop (%s); the broker's last will says it instead",
                    e.getClass().getSimpleName());
        }
    }

    private String topic() {
        return identity.topics().availability(identity.host());
    }
}
