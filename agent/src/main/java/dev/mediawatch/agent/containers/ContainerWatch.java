package dev.mediawatch.agent.containers;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.mediawatch.agent.compose.ComposeWatch;
import dev.mediawatch.agent.config.AgentConfig;
import dev.mediawatch.agent.config.AgentIdentity;
import dev.mediawatch.agent.publish.BrokerReachable;
import dev.mediawatch.agent.publish.StatePublisher;
import dev.mediawatch.agent.probes.ProbeSchedule;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.runtime.metrics.Gauges;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import dev.mediawatch.runtime.work.Ticker;

/**
 * Wires the container watch together at startup: the engine client, the collector thread, the event
 * follower, and the periodic job that forces a republish. The scheduler job only enqueues; the engine
 * is called on the collector's thread.
 */
@ApplicationScoped
public class ContainerWatch {

    private static final Logger LOG = Logger.getLogger(ContainerWatch.class);

    private final AgentConfig config;
    private final AgentIdentity identity;
    private final StatePublisher publisher;
    private final Ticker ticker;
    private final MeterRegistry registry;
    private DockerEngine engine;
    private ContainerCollector collector;
    private EventFollower follower;

    private final ServiceCatalogue catalogue;
    private final ProbeSchedule probes;
    private final ComposeWatch compose;

    public ContainerWatch(AgentConfig config, AgentIdentity identity, StatePublisher publisher, Ticker ticker,
            MeterRegistry registry, ServiceCatalogue catalogue, ProbeSchedule probes, ComposeWatch compose) {
        this.compose = compose;
        this.catalogue = catalogue;
        this.probes = probes;
        this.config = config;
        this.identity = identity;
        this.publisher = publisher;
        this.ticker = ticker;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("agent %s (%s, address %s) watching the container engine at %s", identity.host(), identity.role(),
                identity.address() == null ? "unknown" : identity.address(), config.docker().host());
        engine = new DockerEngine(config.docker().host(), config.docker().timeout());
        // Snapshots and transitions, of the collector and the event follower alike, go to the publisher.
        ContainerCollector.Sink toPublisher = new ContainerCollector.Sink() {
            @Override
            public void state(HostState state, boolean force) {
                publisher.state(state, force);
            }

            @Override
            public void event(HostEvent e) {
                publisher.event(e);
            }
        };
        collector = new ContainerCollector(engine, identity.host(), identity.role(), identity.version(),
                Clock.systemUTC(), toPublisher, catalogue, config.restartLoop().restarts(), config.restartLoop().window(),
                probes::results, identity.address(), compose::current, ticker);
        ContainerCollector c = collector;
        compose.start(() -> c.request(false));
        follower = new EventFollower(engine, identity.host(), collector, toPublisher);
        Gauges.replace(registry, "mediawatch_agent_engine_reachable", "1 while the container engine answers",
                Tags.empty(), this, w -> w.engineReachable() ? 1 : 0);
        Gauges.replaceCounter(registry, "mediawatch_agent_engine_inspections_total",
                "container inspect calls made to the engine", engine, DockerEngine::inspections);
        Gauges.replace(registry, "mediawatch_agent_containers", "containers the engine lists", Tags.empty(), this,
                w -> w.current() == null ? 0 : w.current().containers().size());
        follower.start();
        collector.request(true);
        probes.start(new ProbeSchedule.Sink() {
            @Override
            public void event(HostEvent e) {
                publisher.event(e);
            }

            @Override
            public void changed() {
                collector.request(false);
            }
        });
        ticker.every("the periodic republish", config.publish().interval(), config.publish().interval(),
                () -> collector.request(true));
    }

    /**
     * The broker is back: first the events that waited go out in order, then the current state (it may have
     * lost the retained one, restarted without persistence).
     */
    void onBrokerReachable(@Observes BrokerReachable event) {
        publisher.flushEvents(() -> refresh(null));
    }

    /**
     * Collect now and republish even if nothing changed (the refresh command); that state carries
     * {@code requestId} when there is one.
     */
    public void refresh(String requestId) {
        if (collector != null) {
            collector.request(true, requestId);
        }
    }

    /** The last snapshot, or null before the first. */
    public HostState current() {
        return collector == null ? null : collector.last();
    }

    /** Running containers' main process ids by name, from the last snapshot. */
    public java.util.Map<String, Long> pids() {
        return collector == null ? java.util.Map.of() : collector.pids();
    }

    boolean engineReachable() {
        HostState s = current();
        return s != null && s.engine().reachable();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (follower != null) {
            follower.close();
        }
        if (collector != null) {
            collector.close();
        }
    }
}
