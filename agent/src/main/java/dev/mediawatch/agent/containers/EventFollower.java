package dev.mediawatch.agent.containers;

import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;

import dev.mediawatch.contract.HostId;

/**
 * Follows the engine's event stream and turns each container event into a contract event at once, then
 * asks for a fresh snapshot. When the stream breaks (engine restarted, socket gone) it reconnects with
 * exponential backoff, and every (re)connection asks for a snapshot too: the stream may have missed
 * anything while it was down, and the snapshot is what makes the state right again.
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
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mediawatch-docker-events");
        t.setDaemon(true);
        return t;
    });
    /** Touched on the reconnect thread only. */
    private Duration backoff = FIRST_BACKOFF;
    /** Set by a successful connection, read by the reconnect thread. */
    private volatile boolean backoffReset;
    private volatile Closeable stream;
    private volatile boolean connectedBefore;
    private volatile boolean closed;

    public EventFollower(DockerEngine engine, HostId host, ContainerCollector collector, ContainerCollector.Sink sink) {
        this.engine = engine;
        this.host = host;
        this.collector = collector;
        this.sink = sink;
    }

    public void start() {
        reconnects.execute(this::connect);
    }

    /** Runs on the reconnect thread only. */
    private void connect() {
        if (closed) {
            return;
        }
        try {
            stream = engine.followContainerEvents(new ResultCallback.Adapter<Event>() {
                /** onError and onComplete may both come; only the first ends this connection. */
                private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

                @Override
                public void onStart(Closeable closeable) {
                    super.onStart(closeable);
                    backoffReset = true;
                    // Whatever happened while we were not listening, the snapshot sees; on a reconnection
                    // the collector publishes what was missed.
                    if (connectedBefore) {
                        collector.resync();
                    } else {
                        connectedBefore = true;
                        collector.request(false);
                    }
                }

                @Override
                public void onNext(Event event) {
                    onEngineEvent(event);
                }

                @Override
                public void onError(Throwable error) {
                    if (ended.compareAndSet(false, true)) {
                        LOG.debugf("engine event stream broke: %s", EngineError.describe(error));
                        scheduleReconnect();
                    }
                }

                @Override
                public void onComplete() {
                    if (ended.compareAndSet(false, true)) {
                        scheduleReconnect();
                    }
                }
            });
        } catch (RuntimeException e) {
            LOG.debugf("cannot open the engine event stream: %s", EngineError.describe(e));
            scheduleReconnect();
        }
    }

    private void onEngineEvent(Event event) {
        try {
            ContainerMapper.event(host, event, collector.lastKnown()).filter(collector::engineEvent).ifPresent(sink::event);
        } catch (RuntimeException e) {
            LOG.warnf("skipped an engine event that could not be mapped: %s", EngineError.describe(e));
        }
        collector.requestAfterEvent();
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        // The engine being gone is reported by the collector; ask it to look now.
        collector.request(false);
        try {
            reconnects.execute(() -> {
                if (backoffReset) {
                    backoffReset = false;
                    backoff = FIRST_BACKOFF;
                }
                Duration wait = backoff;
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                reconnects.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
            });
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // close() ran meanwhile: nothing to reconnect.
            return;
        }
    }

    @Override
    public void close() {
        closed = true;
        reconnects.shutdownNow();
        Closeable s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.debugf("closing the event stream: %s", EngineError.describe(e));
            }
        }
    }
}
