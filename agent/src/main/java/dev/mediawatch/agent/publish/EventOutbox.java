package dev.mediawatch.agent.publish;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.runtime.mqtt.MqttSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * Events on their way to the broker, in order, one in flight at a time. While the broker cannot be
 * reached they wait here, at most {@code capacity} of them (then the oldest is dropped and counted); when it
 * returns they go out in the order they happened, then whoever asked is told the outbox is drained (the
 * state is republished after the events, so a reader never sees a state older than the last event).
 * Nothing here blocks: the pump runs on publish callbacks and Vert.x timers.
 */
final class EventOutbox {

    private static final Logger LOG = Logger.getLogger(EventOutbox.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final MqttSession publisher;
    private final String topic;
    private final int capacity;
    private final Vertx vertx;
    private final Counter dropped;
    /** Guarded by this. */
    private final ArrayDeque<HostEvent> queue = new ArrayDeque<>();
    private final List<Runnable> whenDrained = new ArrayList<>();
    private boolean inFlight;
    private long retryTimer = -1;
    private Duration nextRetry = FIRST_RETRY;

    EventOutbox(MqttSession publisher, String topic, int capacity, Vertx vertx, MeterRegistry registry) {
        this.publisher = publisher;
        this.topic = topic;
        this.capacity = capacity;
        this.vertx = vertx;
        this.dropped = Counter.builder("mediawatch_agent_events_dropped_total")
                .description("events dropped because the outbox was full while the broker was unreachable")
                .register(registry);
        dev.mediawatch.runtime.metrics.Gauges.replace(registry, "mediawatch_agent_events_buffered",
                "events waiting for the broker", io.micrometer.core.instrument.Tags.empty(), this, EventOutbox::size);
    }

    void add(HostEvent event) {
        synchronized (this) {
            if (queue.size() >= capacity) {
                queue.removeFirst();
                dropped.increment();
            }
            queue.addLast(event);
        }
        pump();
    }

    /** Sends now (the broker is back), and runs {@code then} once everything queued so far is out. */
    void flush(Runnable then) {
        boolean drained;
        synchronized (this) {
            if (retryTimer >= 0) {
                vertx.cancelTimer(retryTimer);
                retryTimer = -1;
            }
            nextRetry = FIRST_RETRY;
            drained = queue.isEmpty() && !inFlight;
            if (!drained) {
                whenDrained.add(then);
            }
        }
        if (drained) {
            then.run();
        } else {
            pump();
        }
    }

    synchronized int size() {
        return queue.size();
    }

    private void pump() {
        HostEvent head;
        synchronized (this) {
            if (inFlight || retryTimer >= 0 || queue.isEmpty()) {
                return;
            }
            inFlight = true;
            head = queue.peekFirst();
        }
        publisher.publish(topic, ContractJson.write(head), false).whenComplete((ok, error) -> sent(head, error));
    }

    private void sent(HostEvent head, Throwable error) {
        List<Runnable> run = List.of();
        synchronized (this) {
            inFlight = false;
            if (error == null) {
                if (queue.peekFirst() == head) {
                    queue.removeFirst();
                }
                nextRetry = FIRST_RETRY;
                if (queue.isEmpty() && !whenDrained.isEmpty()) {
                    run = new ArrayList<>(whenDrained);
                    whenDrained.clear();
                }
            } else {
                Duration wait = nextRetry;
                nextRetry = nextRetry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : nextRetry.multipliedBy(2);
                LOG.debugf("event not acknowledged (%s); %d waiting, retry in %d ms", error.getMessage(), queue.size(),
                        wait.toMillis());
                retryTimer = vertx.setTimer(wait.toMillis(), id -> {
                    synchronized (this) {
                        retryTimer = -1;
                    }
                    pump();
                });
                return;
            }
        }
        run.forEach(Runnable::run);
        pump();
    }
}
