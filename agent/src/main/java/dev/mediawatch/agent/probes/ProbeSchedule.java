package dev.mediawatch.agent.probes;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.mediawatch.agent.config.AgentConfig;
import dev.mediawatch.agent.config.AgentIdentity;
import dev.mediawatch.agent.config.SecretVariables;
import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.ServiceProbe;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import dev.mediawatch.runtime.work.Ticker;

/**
 * Runs the catalogue's health probes for this host every {@code mediawatch.probes.interval}. The scheduler
 * job only starts requests ({@link ProbeRunner#probeAll()} returns at once). A verdict that changes is an
 * event ({@code service.probe}) and a state republish. The probes' API keys ({@link ProbeKeys}) are read once, at
 * start: a key file that cannot be used stops startup.
 */
@ApplicationScoped
public class ProbeSchedule {

    /** Where probe outcomes go: the agent's state and events. */
    public interface Sink {
        void event(HostEvent event);

        void changed();
    }

    private static final Logger LOG = Logger.getLogger(ProbeSchedule.class);

    private final AgentConfig config;
    private final AgentIdentity identity;
    private final ServiceCatalogue catalogue;
    private final Ticker ticker;
    private final HttpClient http;
    private final Config mpConfig;
    private volatile Map<String, String> keys = Map.of();
    private volatile ProbeRunner runner;
    private volatile Sink sink;

    public ProbeSchedule(AgentConfig config, AgentIdentity identity, ServiceCatalogue catalogue, Ticker ticker,
            HttpClient http, Config mpConfig) {
        this.config = config;
        this.mpConfig = mpConfig;
        this.http = http;
        this.identity = identity;
        this.catalogue = catalogue;
        this.ticker = ticker;
    }

    /**
     * The probed services' API keys ({@link ProbeKeys}), read once: first at startup, before the other parts of the
     * agent start anything, so a key file that cannot be used stops startup with nothing running yet.
     */
    void readSecrets(@Observes @Priority(SecretVariables.READ_AT_START) StartupEvent event) {
        keys = ProbeKeys.resolve(SecretVariables.lookup(mpConfig), catalogue.forHost(identity.host()).stream()
                .filter(s -> s.probe() != null).map(CatalogueService::name).toList());
    }

    /** Connects the outcomes to the agent's publishing; called once by the container watch at startup. */
    public void start(Sink target) {
        this.sink = target;
        Map<String, String> k = keys;
        runner = new ProbeRunner(http, catalogue.forHost(identity.host()), config.probes().host(),
                config.probes().timeout(), Clock.systemUTC(), service -> Optional.ofNullable(k.get(service)),
                this::probed);
        if (runner.targets() == 0) {
            return;
        }
        LOG.infof("probing %d services every %s", runner.targets(), config.probes().interval());
        runner.probeAll();
        // probeAll only starts asynchronous requests: quick enough for the ticker.
        ticker.every("the probes' round", config.probes().interval(), config.probes().interval(), runner::probeAll);
    }

    private void probed(ServiceProbe result, ServiceProbe previous) {
        Sink s = sink;
        if (previous != null && previous.up() != result.up()) {
            Map<String, String> detail = new java.util.TreeMap<>();
            detail.put("url", result.url());
            if (result.httpStatus() != null) {
                detail.put("httpStatus", result.httpStatus().toString());
            }
            if (result.error() != null) {
                detail.put("error", result.error());
            }
            s.event(HostEvent.of(identity.host(), EventTypes.SERVICE_PROBE, result.checkedAt(), result.service(),
                    previous.up() ? "up" : "down", result.up() ? "up" : "down", detail));
        }
        if (previous == null || previous.up() != result.up()) {
            s.changed();
        }
    }

    /** The last result of every probed service. */
    public List<ServiceProbe> results() {
        ProbeRunner r = runner;
        return r == null ? List.of() : r.results();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (runner != null) {
            runner.close();
        }
    }
}
