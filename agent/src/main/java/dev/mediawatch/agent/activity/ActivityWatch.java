package dev.mediawatch.agent.activity;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.mediawatch.agent.config.AgentConfig;
import dev.mediawatch.agent.config.AgentIdentity;
import dev.mediawatch.agent.config.SecretVariables;
import dev.mediawatch.agent.containers.ContainerWatch;
import dev.mediawatch.agent.host.HostWatch;
import dev.mediawatch.runtime.mqtt.MqttSession;
import dev.mediawatch.agent.publish.StatePublisher;
import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.contract.Text;
import dev.mediawatch.contract.ThrottleRequest;
import dev.mediawatch.contract.ThrottleState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The activity loop: on a thread of its own ({@code mediawatch-activity}), every
 * {@code mediawatch.activity.interval}, asks the configured media APIs ({@link ActivityCollector}) and publishes
 * the {@link HostActivity} retained on {@code <prefix>/<host>/activity}; every second it gives the
 * {@link Throttle} its tick (lease expiry, retries). Throttle commands and refreshes only enqueue here, from
 * the MQTT event loop; they run on the same thread, so nothing overlaps and nothing blocks the event loop. At
 * most one throttle request waits (a newer one replaces it: the aggregator's latest word is the one that
 * counts) and at most one refresh, so no sender can grow a queue.
 *
 * <p>Sources are configured by URL ({@code mediawatch.activity.<source>.url}) or found in the catalogue
 * (the service of that name on this host, at its first port on {@code mediawatch.probes.host}); their secrets
 * come from {@link ActivityKeys}, read at start for the configured sources only (a secret file that cannot be used
 * stops startup, naming the variable and the file). A host with no source and no throttle publishes no activity.
 * The *arr histories (Radarr, Sonarr, Lidarr) and Jellyfin's identity are asked every
 * {@code mediawatch.activity.imports.interval} and on the refresh command, not every cycle; today is counted in the
 * agent's time zone (the JVM's, e.g. from {@code TZ}).
 */
@ApplicationScoped
public class ActivityWatch {

    private static final Logger LOG = Logger.getLogger(ActivityWatch.class);

    private final AgentConfig config;
    private final AgentIdentity identity;
    private final MqttSession mqtt;
    private final StatePublisher events;
    private final ContainerWatch containers;
    private final HostWatch host;
    private final ServiceCatalogue catalogue;
    private final Config mpConfig;
    private final HttpClient http;
    private final Duration interval;
    private final Duration timeout;
    private final Duration importsInterval;
    private final PlaybackTracker.Settings stall;
    private final boolean throttleAllowed;
    private final LogThrottle failureLog = new LogThrottle(Duration.ofMinutes(1));

    private final AtomicReference<ThrottleRequest> pendingRequest = new AtomicReference<>();
    private final AtomicBoolean requestQueued = new AtomicBoolean();
    private final AtomicBoolean refreshQueued = new AtomicBoolean();

    private final Clock clock = Clock.systemUTC();
    /** Today is the operator's day: from local midnight in the agent's zone. */
    private final ZoneId zone = ZoneId.systemDefault();

    private SabnzbdClient sabnzbd;
    private QbittorrentClient qbittorrent;
    private ActivityCollector.Clients clients;
    private String sources;
    private ScheduledExecutorService thread;
    private ActivityCollector collector;
    private Throttle throttle;
    private ContainerPauser pauser;
    private volatile HostActivity last;

    public ActivityWatch(AgentConfig config, AgentIdentity identity, MqttSession mqtt, StatePublisher events,
            ContainerWatch containers, HostWatch host, ServiceCatalogue catalogue, Config mpConfig, HttpClient http) {
        this.config = config;
        this.identity = identity;
        this.mqtt = mqtt;
        this.events = events;
        this.containers = containers;
        this.host = host;
        this.catalogue = catalogue;
        this.mpConfig = mpConfig;
        this.http = http;
        this.interval = config.activity().interval();
        this.timeout = config.activity().timeout();
        this.importsInterval = config.activity().imports().interval();
        AgentConfig.Stall s = config.activity().stall();
        this.stall = new PlaybackTracker.Settings(s.span(), s.minAdvance(), s.silentAfter());
        this.throttleAllowed = config.throttle().allowed().orElse("download".equals(identity.role()));
    }

    /**
     * The configured sources' clients, with their secrets read once: first at startup, before the other parts of
     * the agent start anything, so a secret file that cannot be used stops startup with nothing running yet.
     */
    void readSecrets(@Observes @Priority(SecretVariables.READ_AT_START) StartupEvent event) {
        Optional<URI> jellyfinUrl = url("jellyfin", config.activity().jellyfin().url());
        Optional<URI> navidromeUrl = url("navidrome", config.activity().navidrome().url());
        Optional<URI> sabnzbdUrl = url("sabnzbd", config.activity().sabnzbd().url());
        Optional<URI> qbittorrentUrl = url("qbittorrent", config.activity().qbittorrent().url());
        Map<ArrClient.App, URI> arrUrls = new EnumMap<>(ArrClient.App.class);
        for (ArrClient.App app : ArrClient.App.values()) {
            url(app.id(), arrEndpoint(app).url()).ifPresent(u -> arrUrls.put(app, u));
        }
        sources = describe(jellyfinUrl, navidromeUrl, sabnzbdUrl, qbittorrentUrl,
                arrUrls.entrySet().stream().map(e -> e.getKey().id() + " " + e.getValue()).toList());
        if (jellyfinUrl.isEmpty() && navidromeUrl.isEmpty() && sabnzbdUrl.isEmpty() && qbittorrentUrl.isEmpty()
                && arrUrls.isEmpty()) {
            return; // no source: no secret to read, and no client is made (nor its classes loaded)
        }
        ActivityKeys keys = new ActivityKeys(SecretVariables.lookup(mpConfig));
        sabnzbd = sabnzbdUrl
                .map(u -> new SabnzbdClient(http, u, keys.get(ActivityKeys.SABNZBD_API_KEY), timeout)).orElse(null);
        qbittorrent = qbittorrentUrl.map(u -> new QbittorrentClient(http, u,
                keys.get(ActivityKeys.QBITTORRENT_USER), keys.get(ActivityKeys.QBITTORRENT_PASSWORD), timeout)).orElse(null);
        List<ArrClient> arr = new ArrayList<>(3);
        arrUrls.forEach((app, u) -> arr.add(new ArrClient(http, app, u, keys.get(app.keyVariable()), timeout, clock,
                zone)));
        clients = new ActivityCollector.Clients(
                jellyfinUrl.map(u -> new JellyfinClient(http, u, keys.get(ActivityKeys.JELLYFIN_API_KEY), timeout))
                        .orElse(null),
                navidromeUrl.map(u -> new NavidromeClient(http, u, keys.get(ActivityKeys.NAVIDROME_USER),
                        keys.get(ActivityKeys.NAVIDROME_PASSWORD), timeout)).orElse(null),
                sabnzbd, qbittorrent, arr);
    }

    void onStart(@Observes StartupEvent event) {
        if (clients == null && !throttleAllowed && !Files.exists(config.throttle().stateFile())) {
            // Nothing to poll, nothing to throttle and no throttle of an earlier start to put back: no thread, and
            // none of the collector's or the throttle's classes loaded.
            LOG.info("no activity source configured and throttling not allowed: no activity is published");
            return;
        }
        if (clients == null) {
            clients = new ActivityCollector.Clients(null, null, null, null);
        }
        List<String> postProcessing = config.activity().postProcessing().stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        pauser = ContainerPauser.docker(config.docker().host(), config.docker().timeout());
        throttle = new Throttle(identity.host(), sabnzbd == null ? null : Throttle.limiter(sabnzbd),
                qbittorrent == null ? null : Throttle.limiter(qbittorrent), pauser, postProcessing,
                new ThrottleStore(config.throttle().stateFile()), clock, throttleAllowed, events::event);
        Throttle t = throttle;
        collector = new ActivityCollector(identity.host(), clock, clients, importsInterval, postProcessing,
                containers::current, host::currentIo, () -> publishThrottle(t.state()) ? t.state() : null, events::event,
                stall);

        LOG.infof("activity sources: %s; throttle %s (state file %s); every %s, API timeout %s; imports and "
                + "identities every %s (today from midnight in %s); playback stalls judged over %s (min advance %s, "
                + "silent after %s)",
                sources,
                throttleAllowed ? "allowed" : "not allowed", config.throttle().stateFile(), interval, timeout,
                human(importsInterval), zone, human(stall.span()), stall.minAdvance(), human(stall.silentAfter()));
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "mediawatch-activity");
            th.setDaemon(true);
            return th;
        });
        // Restore first: a throttle left by a crash is put back before anything else runs on this thread.
        thread.execute(() -> guarded("throttle restore at start", throttle::start));
        if (clients.any() || throttleAllowed) {
            thread.scheduleWithFixedDelay(() -> guarded("activity cycle", this::cycle), 0, interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            LOG.infof("no activity source configured and throttling not allowed: no activity is published once the "
                    + "throttle left in %s is put back", config.throttle().stateFile());
        }
        thread.scheduleWithFixedDelay(() -> guarded("throttle tick", throttle::tick), 1, 1, TimeUnit.SECONDS);
    }

    private AgentConfig.Endpoint arrEndpoint(ArrClient.App app) {
        return switch (app) {
            case RADARR -> config.activity().radarr();
            case SONARR -> config.activity().sonarr();
            case LIDARR -> config.activity().lidarr();
        };
    }

    /** {@code 20s} or {@code 1500ms}, as the configuration is written. */
    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Whether the throttle belongs in the snapshot: where it can throttle, or while it holds or held limits. */
    private boolean publishThrottle(ThrottleState s) {
        return throttleAllowed || s.active() || s.lastRestoredAt() != null;
    }

    /**
     * Collect and publish now (the refresh command), the *arr histories and Jellyfin's identity included; at most
     * one waits.
     */
    public void refresh() {
        if (thread != null && !thread.isShutdown() && refreshQueued.compareAndSet(false, true)) {
            thread.execute(() -> {
                refreshQueued.set(false);
                guarded("activity refresh", () -> {
                    if (collector != null) {
                        collector.askSlowSourcesNext();
                    }
                    cycle();
                });
            });
        }
    }

    /**
     * A throttle request from the aggregator, from the event loop: enqueued for the activity thread (a newer
     * request replaces one still waiting). False when throttling is not allowed here: refused, nothing done.
     */
    public boolean throttle(ThrottleRequest request) {
        if (!throttleAllowed) {
            return false;
        }
        pendingRequest.set(request);
        if (thread != null && !thread.isShutdown() && requestQueued.compareAndSet(false, true)) {
            thread.execute(() -> {
                requestQueued.set(false);
                ThrottleRequest r = pendingRequest.getAndSet(null);
                if (r != null) {
                    guarded("throttle request", () -> {
                        Throttle.Outcome outcome = throttle.handle(r);
                        LOG.debugf("throttle request %s (%s): %s", r.requestId(), r.action(), outcome);
                        cycle();
                    });
                }
            });
        }
        return true;
    }

    /** Throttling is allowed on this agent ({@code mediawatch.throttle.allowed}, by role by default). */
    public boolean throttleAllowed() {
        return throttleAllowed;
    }

    /** The last snapshot published, or null before the first. */
    public HostActivity current() {
        return last;
    }

    /** The throttle's state now (inactive before start). */
    public ThrottleState throttleState() {
        return throttle == null ? ThrottleState.INACTIVE : throttle.state();
    }

    private void cycle() {
        if (collector == null) {
            return;
        }
        HostActivity activity = collector.collect();
        last = activity;
        mqtt.publish(identity.topics().activity(identity.host()), ContractJson.write(activity), true);
    }

    /** A bug costs one run, never the schedule (an exception would end a periodic task), logged at a bounded rate. */
    private void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            long held = failureLog.tryLog(System.nanoTime());
            if (held >= 0) {
                LOG.warnf(e, "%s failed%s", what, held > 0 ? " (" + held + " more since the last such line)" : "");
            }
        }
    }

    private Optional<URI> url(String source, Optional<String> configured) {
        return url(source, configured, catalogue.forHost(identity.host()), config.probes().host());
    }

    /** The configured URL, else the catalogue's service of that name on this host at its first port. */
    static Optional<URI> url(String source, Optional<String> configured, List<CatalogueService> onThisHost,
            String probeHost) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return Optional.of(checkUrl(source, configured.get().strip()));
        }
        for (CatalogueService s : onThisHost) {
            if (s.name().equals(source) && !s.ports().isEmpty()) {
                String h = probeHost.contains(":") && !probeHost.startsWith("[") ? "[" + probeHost + "]" : probeHost;
                return Optional.of(URI.create("http://" + h + ":" + s.ports().get(0)));
            }
        }
        return Optional.empty();
    }

    static URI checkUrl(String source, String raw) {
        String key = "mediawatch.activity." + source + ".url";
        try {
            URI u = new URI(raw);
            if (u.getRawUserInfo() != null || u.getRawQuery() != null
                    || (u.getRawAuthority() != null && u.getRawAuthority().contains("@"))) {
                // Credentials belong in the secrets, never in configuration that is logged; the URL is not repeated.
                throw new IllegalArgumentException(key + ": put no user, password or query in the URL; use the "
                        + "MEDIAWATCH_" + source.toUpperCase(java.util.Locale.ROOT) + "_* secrets");
            }
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException(key + ": '" + Text.printable(raw, 80)
                        + "' is not an http(s) URL with a host, e.g. http://127.0.0.1:8080");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + ": not a URL (" + Text.printable(e.getReason(), 60) + ")");
        }
    }

    private static String describe(Optional<URI> jellyfin, Optional<URI> navidrome, Optional<URI> sabnzbd,
            Optional<URI> qbittorrent, List<String> arr) {
        List<String> parts = new ArrayList<>();
        jellyfin.ifPresent(u -> parts.add("jellyfin " + u));
        navidrome.ifPresent(u -> parts.add("navidrome " + u));
        sabnzbd.ifPresent(u -> parts.add("sabnzbd " + u));
        qbittorrent.ifPresent(u -> parts.add("qbittorrent " + u));
        parts.addAll(arr);
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /**
     * At shutdown: the throttle puts back what it set (one try, bounded by the API timeouts; what fails stays in
     * the state file for the next start), then the thread ends.
     */
    void onStop(@Observes ShutdownEvent event) {
        if (thread == null) {
            return;
        }
        Future<?> stop = thread.submit(() -> guarded("throttle restore at stop", throttle::stop));
        try {
            // Behind a running cycle (each call bounded by the timeout), then two downloaders and the containers. A
            // cycle that asks the *arr histories makes up to MAX_PAGES calls per app and one for Jellyfin's identity.
            long calls = 12 + ArrClient.MAX_PAGES * ArrClient.App.values().length + 1;
            stop.get(timeout.toMillis() * calls + config.docker().timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("throttle restore at stop did not finish (%s); the next start restores from %s",
                    e.getClass().getSimpleName(), config.throttle().stateFile());
        } finally {
            thread.shutdownNow();
            try {
                pauser.close();
            } catch (java.io.IOException | RuntimeException e) {
                LOG.debugf("closing the engine client: %s", e.getClass().getSimpleName());
            }
        }
    }
}
