package dev.mediawatch.agent.containers;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.agent.engine.EngineClient;
import dev.mediawatch.contract.HostId;

/**
 * Follows the engine's event stream and turns each container event into a contract event at once, then
 * asks for a fresh snapshot. When the stream breaks (engine restarted, socket gone) it reconnects with
 * exponential backoff, and every (re)connection asks for a snapshot too: the stream may have missed
 * anything while it was down, and the snapshot is what makes the state right again.
 *
 * <p>One thread, {@code mediawatch-docker-events}, opens the stream, reads it event by event, and waits out the
 * backoff between attempts. {@link #close()} closes the stream under it, which ends its wait at once.
 */
public class EventFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventFollower.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    /**
     * Low on purpose: a failed attempt on a local socket costs a refused connection, and the agent must
     * converge within seconds of the engine's return.
     */
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final DockerEngine engine;
    private final HostId host;
    private final ContainerCollector collector;
    private final ContainerCollector.Sink sink;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mediawatch-docker-events");
        t.setDaemon(true);
        return t;
    });
    /** Touched on the events thread only. */
    private Duration backoff = FIRST_BACKOFF;
    private boolean connectedBefore;
    /** The open stream, for close() to end it. */
    private volatile EngineClient.EventStream stream;
    private volatile boolean closed;

    public EventFollower(DockerEngine engine, HostId host, ContainerCollector collector, ContainerCollector.Sink sink) {
        this.engine = engine;
        this.host = host;
        this.collector = collector;
        this.sink = sink;
    }

    public void start() {
        thread.execute(this::follow);
    }

    /** Runs on the events thread only: one connection, from opening to its end, then the next is scheduled. */
    private void follow() {
        if (closed) {
            return;
        }
        EngineClient.EventStream events;
        try {
            events = engine.containerEvents();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("cannot open the engine event stream: %s", EngineError.describe(e));
            scheduleReconnect();
            return;
        }
        stream = events;
        try {
            if (closed) {
                return;
            }
            backoff = FIRST_BACKOFF;
            // Whatever happened while we were not listening, the snapshot sees; on a reconnection the collector
            // publishes what was missed.
            if (connectedBefore) {
                collector.resync();
            } else {
                connectedBefore = true;
                collector.request(false);
            }
            for (JsonNode event = events.next(); event != null; event = events.next()) {
                onEngineEvent(event);
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.debugf("engine event stream broke: %s", EngineError.describe(e));
            }
        } finally {
            stream = null;
            events.close();
        }
        scheduleReconnect();
    }

    private void onEngineEvent(JsonNode event) {
        try {
            ContainerMapper.event(host, event, collector.lastKnown()).filter(collector::engineEvent).ifPresent(sink::event);
        } catch (RuntimeException e) {
            LOG.warnf("skipped an engine event that could not be mapped: %s", EngineError.describe(e));
        }
        collector.requestAfterEvent();
    }

    /** On the events thread: the stream ended or could not be opened. */
    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        // The engine being gone is reported by the collector; ask it to look now.
        collector.request(false);
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        try {
            thread.schedule(this::follow, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // close() ran meanwhile: nothing to reconnect.
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        EngineClient.EventStream s = stream;
        if (s != null) {
            s.close();
        }
    }
}
