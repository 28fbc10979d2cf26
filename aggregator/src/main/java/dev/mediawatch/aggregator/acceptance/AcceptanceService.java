package dev.mediawatch.aggregator.acceptance;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.contention.ContentionService;
import dev.mediawatch.aggregator.contention.DetectorWindow;
import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.aggregator.status.AcceptanceView;
import dev.mediawatch.aggregator.status.StatusService;
import dev.mediawatch.runtime.store.AtomicFile;
import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.contract.ServiceIdentity;
import dev.mediawatch.contract.SignalValue;
import io.quarkus.runtime.StartupEvent;

/**
 * Feeds {@link Acceptance} from every detector window (on the detector's thread: quick), checks the public URLs on
 * a thread of its own ({@code mediawatch-tunnel}, HTTP with timeouts, every {@code tunnel-interval}), hands the
 * criteria and today's imports to the status, and keeps the criteria's memory in {@code state-file} (written whole
 * every 5 minutes and at a stop; a broken file is reported in the soak's evidence and starts afresh).
 */
@ApplicationScoped
public class AcceptanceService {

    private static final Logger LOG = Logger.getLogger(AcceptanceService.class);
    static final Duration SAVE_EVERY = Duration.ofMinutes(5);
    private static final long MAX_STATE_BYTES = 8L * 1024 * 1024;

    private final Acceptance acceptance;
    private final StatusService status;
    private final ContentionService contention;
    private final ServiceCatalogue catalogue;
    private final List<Tunnel.Target> targets;
    private final Tunnel tunnel;
    private final Duration tunnelInterval;
    private final Path stateFile;
    private final Clock clock = Clock.systemUTC();
    private final ObjectMapper json = ContractJson.mapper().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mediawatch-tunnel");
        t.setDaemon(true);
        return t;
    });
    private final LogThrottle saveLog = new LogThrottle(Duration.ofMinutes(30));
    private volatile Tunnel.Report lastTunnel;
    private volatile Map<HostId, HostActivity> activities = Map.of();
    private long lastSave = System.nanoTime();
    private String stateProblem;

    public AcceptanceService(AggregatorConfig config, StatusService status, ContentionService contention,
            ServiceCatalogue catalogue) {
        AggregatorConfig.Acceptance a = config.acceptance();
        this.acceptance = new Acceptance(new Acceptance.Settings(a.soak(), a.minOverlap()));
        this.status = status;
        this.contention = contention;
        this.catalogue = catalogue;
        this.targets = Tunnel.parse(a.tunnel().orElse(List.of()));
        this.tunnel = new Tunnel(HttpClient.newBuilder().connectTimeout(a.tunnelTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build(), a.tunnelTimeout());
        this.tunnelInterval = a.tunnelInterval();
        this.stateFile = a.stateFile();
        this.lastTunnel = Tunnel.Report.none(targets);
        load();
    }

    void onStart(@Observes StartupEvent event) {
        if (!targets.isEmpty()) {
            // The first check once the agents had time to report their services' identities.
            long first = Math.min(30, tunnelInterval.toSeconds());
            thread.scheduleWithFixedDelay(this::checkTunnel, first, tunnelInterval.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
        save();
    }

    /** Every detector window, on the detector's thread. */
    void onWindow(@Observes DetectorWindow w) {
        try {
            Contention c = w.decision().contention();
            boolean downloading = Contention.DOWNLOADING.equals(c.state()) || Contention.CONTENTION.equals(c.state())
                    || c.evidence().signals().stream().anyMatch(v -> "downloaders".equals(v.name()) && v.value() > 0);
            acceptance.window(w.at(), downloading, c.watching(), c.score());
            Map<HostId, HostActivity> byHost = new LinkedHashMap<>();
            for (HostRecord r : w.records()) {
                byHost.put(r.host(), r.activity());
            }
            activities = byHost;
            acceptance.activity(w.at(), byHost);
            List<Incident> incidents = contention.incidents(w.at().minus(acceptance.settings().soak())).incidents();
            status.acceptance(new AcceptanceView(acceptance.criteria(w.at(), status.liveCriteria(), incidents, lastTunnel),
                    imports(w.at())));
            if (System.nanoTime() - lastSave >= SAVE_EVERY.toNanos()) {
                lastSave = System.nanoTime();
                save();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "the acceptance checks failed for this window");
        }
    }

    /** Today's imports per app, in the order of the plan's dashboard. */
    private List<ArrImports> imports(Instant now) {
        Map<String, ArrImports> sum = new LinkedHashMap<>();
        for (HostActivity a : activities.values()) {
            if (a == null) {
                continue;
            }
            for (ArrImports reported : a.imports()) {
                String unit = ArrImports.unitOf(reported.app());
                if (unit == null) {
                    continue; // only the known apps: their names become Home Assistant object ids
                }
                ArrImports i = new ArrImports(reported.app(), unit, reported.today(), reported.since(),
                        reported.lastImportAt(), reported.askedAt());
                sum.merge(i.app(), i, (x, y) -> new ArrImports(x.app(), x.unit(), x.today() + y.today(),
                        x.since().isBefore(y.since()) ? x.since() : y.since(), later(x.lastImportAt(), y.lastImportAt()),
                        later(x.askedAt(), y.askedAt())));
            }
        }
        List<ArrImports> out = new ArrayList<>();
        for (String app : ArrImports.APPS) {
            if (sum.containsKey(app)) {
                out.add(sum.get(app));
            }
        }
        return out;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private void checkTunnel() {
        try {
            lastTunnel = tunnel.check(targets, this::locate, clock.instant());
            for (Tunnel.Result r : lastTunnel.results()) {
                if (!r.pass()) {
                    LOG.debugf("tunnel: %s", r.evidence());
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "checking the public URLs failed");
        }
    }

    /**
     * The identity the agent on the service's VM reported for it: the VM the catalogue places it on, or, for a
     * service the catalogue does not list, the one host whose agent reports it.
     */
    private Optional<Tunnel.Located> locate(String service) {
        Map<HostId, HostActivity> now = activities;
        for (CatalogueService s : catalogue.services()) {
            if (s.name().equals(service)) {
                HostActivity a = now.get(s.host());
                Optional<ServiceIdentity> id = a == null ? Optional.empty() : a.identity(service);
                return id.map(i -> new Tunnel.Located(s.host().value(), i));
            }
        }
        List<Tunnel.Located> reporting = new ArrayList<>();
        now.forEach((host, a) -> {
            if (a != null) {
                a.identity(service).ifPresent(i -> reporting.add(new Tunnel.Located(host.value(), i)));
            }
        });
        return reporting.size() == 1 ? Optional.of(reporting.get(0)) : Optional.empty();
    }

    private void load() {
        try {
            Optional<byte[]> bytes = AtomicFile.read(stateFile, MAX_STATE_BYTES);
            if (bytes.isPresent()) {
                acceptance.restore(json.readValue(bytes.get(), Acceptance.State.class));
            }
        } catch (IOException | RuntimeException e) {
            stateProblem = stateFile + " could not be read (" + e.getClass().getSimpleName() + "); the soak and the overlap "
                    + "start afresh";
            LOG.warn(stateProblem);
        }
    }

    private void save() {
        try {
            AtomicFile.write(stateFile, json.writeValueAsBytes(acceptance.state()));
        } catch (IOException | RuntimeException e) {
            if (saveLog.tryLog(System.nanoTime()) >= 0) {
                LOG.warnf("the acceptance memory cannot be written to %s (%s); kept in memory", stateFile,
                        e.getClass().getSimpleName());
            }
        }
    }

    /** For tests and the soak's evidence. */
    String stateProblem() {
        return stateProblem;
    }

    static boolean downloadersActive(List<SignalValue> signals) {
        return signals.stream().anyMatch(v -> "downloaders".equals(v.name()) && v.value() > 0);
    }
}
