package dev.mediawatch.agent.containers;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.EnvAudit;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;

/**
 * Looks at the engine on one thread of its own and hands each snapshot on. Requests are coalesced: however
 * many arrive while a collection runs (an event burst from {@code docker compose up}), one more collection
 * follows, so the queue can never grow. A stuck engine holds up this thread only until the engine client's
 * timeout, and nothing else waits on it.
 */
public class ContainerCollector implements AutoCloseable {

    /** Where snapshots and transitions go. */
    public interface Sink {
        void state(HostState state, boolean force);

        void event(HostEvent event);
    }

    private static final Logger LOG = Logger.getLogger(ContainerCollector.class);

    private final DockerEngine engine;
    private final HostId host;
    private final String role;
    private final String agentVersion;
    private final Clock clock;
    private final Sink sink;
    private final ThreadPoolExecutor worker;
    private final AtomicBoolean pending = new AtomicBoolean();
    /**
     * Docker sends an event before its container list shows it (the list the daemon answers from is updated just
     * after the event: a {@code die} can be followed by a list that still says running). So an engine event is
     * followed by a second look {@code SETTLE_MILLIS} after the last event of a burst.
     */
    static final long SETTLE_MILLIS = 500;
    private final dev.mediawatch.runtime.work.Ticker ticker;
    private final AtomicBoolean settlePending = new AtomicBoolean();
    private volatile long lastEventNanos;
    private final AtomicBoolean forcePending = new AtomicBoolean();
    /** The refresh request the next collection answers; the latest one wins when several coalesce. */
    private final java.util.concurrent.atomic.AtomicReference<String> requestPending = new java.util.concurrent.atomic.AtomicReference<>();

    private volatile HostState last;
    private volatile Map<String, ContainerState> lastByName = Map.of();
    private volatile Map<String, Long> pids = Map.of();
    private Boolean lastReachable;

    private final ServiceCatalogue catalogue;
    private final RestartLoops restartLoops;
    private final Transitions transitions;
    private final java.util.function.Supplier<List<dev.mediawatch.contract.ServiceProbe>> probes;
    private final String address;
    private final java.util.function.Supplier<EnvAudit> envAudit;
    /** Set by {@link #close()}: from then on a collection hands nothing on. */
    private volatile boolean closed;

    /**
     * @param address  the host's address for every state, or null
     * @param envAudit the latest compose secrets audit (null: none); read, never waited on
     */
    public ContainerCollector(DockerEngine engine, HostId host, String role, String agentVersion, Clock clock, Sink sink,
            ServiceCatalogue catalogue, int loopRestarts, java.time.Duration loopWindow,
            java.util.function.Supplier<List<dev.mediawatch.contract.ServiceProbe>> probes, String address,
            java.util.function.Supplier<EnvAudit> envAudit, dev.mediawatch.runtime.work.Ticker ticker) {
        this.ticker = ticker;
        this.probes = probes;
        this.address = address;
        this.envAudit = envAudit;
        this.catalogue = catalogue;
        this.restartLoops = new RestartLoops(loopRestarts, loopWindow);
        this.transitions = new Transitions(host);
        this.engine = engine;
        this.host = host;
        this.role = role;
        this.agentVersion = agentVersion;
        this.clock = clock;
        this.sink = sink;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), r -> {
            Thread t = new Thread(r, "mediawatch-collector");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }

    /**
     * Asks for a collection soon; never blocks. {@code force} publishes the result even if nothing changed
     * (the periodic republish and the refresh command).
     */
    public void request(boolean force) {
        request(force, null);
    }

    /**
     * The same, for a refresh request: the next state published carries {@code requestId} (and is published
     * whatever changed); later ones do not. When several requests coalesce into one collection, the latest id
     * is the one answered.
     */
    public void request(boolean force, String requestId) {
        if (requestId != null) {
            requestPending.set(requestId);
        }
        if (force) {
            forcePending.set(true);
        }
        if (pending.compareAndSet(false, true)) {
            worker.execute(this::collect);
        }
    }

    /**
     * An engine event happened: look now, and once more when the engine's list has caught up with it (see
     * {@link #SETTLE_MILLIS}). Never blocks; a burst of events makes one second look.
     */
    public void requestAfterEvent() {
        lastEventNanos = System.nanoTime();
        request(false);
        if (settlePending.compareAndSet(false, true)) {
            settleLater(SETTLE_MILLIS);
        }
    }

    private void settleLater(long millis) {
        boolean scheduled = ticker.after("a second look after an engine event", java.time.Duration.ofMillis(millis), () -> {
            long since = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastEventNanos);
            if (since < SETTLE_MILLIS) {
                settleLater(SETTLE_MILLIS - since); // more events came: settle after the last one
                return;
            }
            settlePending.set(false);
            request(false);
        });
        if (!scheduled) {
            settlePending.set(false);
        }
    }

    /** The engine's event stream came back after a gap: compare the next snapshot with what was told. */
    public void resync() {
        transitions.resyncDue();
        request(false);
    }

    /** Called with each engine event before it is published; false when a resync already said it. */
    boolean engineEvent(HostEvent event) {
        return transitions.engineEvent(event, clock.instant());
    }

    /** The last snapshot taken, or null before the first. */
    public HostState last() {
        return last;
    }

    /** The main process id of each running container by name, from the last snapshot (empty while unreachable). */
    public Map<String, Long> pids() {
        return pids;
    }

    /** The last seen state of a container by name; for events' {@code from}. */
    public Function<String, ContainerState> lastKnown() {
        return name -> lastByName.get(name);
    }

    private void collect() {
        if (closed) {
            return;
        }
        pending.set(false);
        // The id first: a state carrying one is always published (its asker waits for it).
        String requestId = requestPending.getAndSet(null);
        boolean force = forcePending.getAndSet(false) || requestId != null;
        Instant now = clock.instant();
        EngineState engineState;
        List<ContainerState> containers;
        HostState previous = last;
        try {
            DockerEngine.Snapshot snapshot = engine.snapshot();
            Instant since = previous != null && previous.engine().reachable() ? previous.engine().since() : now;
            engineState = new EngineState(true, snapshot.version(), snapshot.apiVersion(), null, since);
            containers = snapshot.containers();
            pids = snapshot.pids();
        } catch (IOException | RuntimeException e) {
            if (closed) {
                // Interrupted by the stop: not the engine's fault, and nothing may be handed on any more.
                return;
            }
            String why = EngineError.describe(e);
            Instant since = previous != null && !previous.engine().reachable() ? previous.engine().since() : now;
            EngineState before = previous == null ? null : previous.engine();
            // Keep the last known containers: the reader sees engine.reachable=false and knows they may be old.
            engineState = new EngineState(false, before == null ? null : before.version(),
                    before == null ? null : before.apiVersion(), why, since);
            containers = previous == null ? List.of() : previous.containers();
            pids = Map.of();
        }
        noteReachability(engineState, now);
        List<ContainerState> marked = new java.util.ArrayList<>(containers.size());
        for (RestartLoops.Change change : restartLoops.update(containers, now, marked)) {
            LOG.infof("container %s %s a restart loop (%d restarts within the window)", change.container(),
                    change.looping() ? "entered" : "left", change.restartsInWindow());
            sink.event(HostEvent.of(host, EventTypes.CONTAINER_RESTART_LOOP, now, change.container(),
                    change.looping() ? "stable" : "looping", change.looping() ? "looping" : "stable",
                    Map.of("restarts", Integer.toString(change.restartsInWindow()))));
        }
        if (engineState.reachable()) {
            for (HostEvent missed : transitions.snapshot(marked, now)) {
                sink.event(missed);
            }
        }
        ServiceJoin.Result joined = ServiceJoin.join(host, catalogue, marked);
        containers = joined.containers();
        HostState state = HostState.of(host, role, agentVersion, now, engineState, containers, joined.missing(),
                joined.summary(), probes.get()).with(address, null, envAudit.get());
        if (closed) {
            return;
        }
        last = state;
        lastByName = containers.stream().collect(Collectors.toUnmodifiableMap(ContainerState::name, c -> c, (a, b) -> a));
        try {
            sink.state(requestId == null ? state : state.with(address, requestId, state.envAudit()), force);
        } catch (RuntimeException e) {
            LOG.warnf("could not hand on the state: %s", EngineError.describe(e));
        }
    }

    private void noteReachability(EngineState engineState, Instant now) {
        boolean reachable = engineState.reachable();
        if (lastReachable != null && lastReachable == reachable) {
            return;
        }
        boolean first = lastReachable == null;
        lastReachable = reachable;
        if (reachable) {
            LOG.infof("container engine reachable: Docker %s (API %s)", engineState.version(), engineState.apiVersion());
            if (!first) {
                // Blind while it was gone: this very snapshot is compared with what was told.
                transitions.resyncDue();
                sink.event(HostEvent.of(host, EventTypes.ENGINE_REACHABLE, now, "engine", "unreachable", "reachable",
                        Map.of("version", String.valueOf(engineState.version()))));
            }
        } else {
            LOG.warnf("container engine unreachable: %s", engineState.error());
            sink.event(HostEvent.of(host, EventTypes.ENGINE_UNREACHABLE, now, "engine", first ? null : "reachable",
                    "unreachable", Map.of("error", engineState.error())));
        }
    }

    /**
     * Stops the collector: a collection under way is interrupted and hands nothing on; waits a moment for it, so
     * nothing of the agent's is used by this thread once the agent stops.
     */
    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
