package dev.mediawatch.aggregator.contention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.aggregator.incidents.IncidentStore;
import dev.mediawatch.runtime.mqtt.MqttSession;
import dev.mediawatch.aggregator.status.DetectorView;
import dev.mediawatch.aggregator.status.StatusService;
import dev.mediawatch.aggregator.stutter.Decision;
import dev.mediawatch.contract.Alert;
import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.ContentionHistory;
import dev.mediawatch.contract.ContentionWindow;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.DownloadLimits;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.IncidentAction;
import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.contract.ThrottleState;
import dev.mediawatch.contract.Command;
import dev.mediawatch.contract.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the stutter detector and does what its decisions call for. One thread ({@code mediawatch-stutter}) every
 * window: samples from the registry, a decision, the contention sensor (retained {@code <prefix>/contention}), each
 * alert's state (retained {@code <prefix>/alerts/<id>}) when it changes, an event on {@code <prefix>/events}, the
 * incident timeline (with the notifications sent about it), the opt-in throttle lease, and the detector's part of the
 * unified status, whose alerts the notifications take from there. Every window also goes into the 24-hour
 * {@link History} ({@link #history(Instant)}) and, while an incident is open, into the incident's windows kept with it
 * ({@link #incidentWindows(String)}). Nothing here blocks on MQTT (publishes are asynchronous); the incident store
 * writes (and fsyncs) on this thread, a few times per incident, and an open incident's windows file (a few hundred KB
 * at most) once a minute.
 */
@ApplicationScoped
public class ContentionService {

    private static final Logger LOG = Logger.getLogger(ContentionService.class);
    /** The aggregator's own events carry this as their host. */
    public static final HostId SELF = HostId.of("aggregator");
    /** Incidents returned at most per request. */
    public static final int MAX_INCIDENTS_PER_REQUEST = 500;

    private final StatusService status;
    private final HostRegistry registry;
    private final Topics topics;
    private final MqttSession publisher;
    private final DetectorRun run;
    private final dev.mediawatch.aggregator.baseline.BaselineStore baselineStore;
    private long lastBaselineSave = System.nanoTime();
    /** The baselines are written this often (and at a clean stop). */
    static final Duration BASELINE_SAVE_EVERY = Duration.ofMinutes(5);
    private final IncidentStore incidents;
    private final Mitigation mitigation;
    private final Duration window;
    /** The last 24 hours of windows, for the charts; read from HTTP threads. */
    private final History history;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mediawatch-stutter");
        t.setDaemon(true);
        return t;
    });
    private final LogThrottle failureLog = new LogThrottle(Duration.ofMinutes(1));
    private final Map<String, AlertState> lastPublished = new HashMap<>();
    private final Map<HostId, ThrottleState> lastThrottle = new HashMap<>();
    private final Map<String, Incident> open = new HashMap<>();
    private volatile Decision last;
    /** The incident cleared last: late actions (a notification of its clear, the throttle restored) go to it. */
    private Incident lastClosed;

    private final jakarta.enterprise.event.Event<DetectorWindow> windows;
    /** Where the window reads the hosts, between two messages, as the recording has it. */
    private final dev.mediawatch.aggregator.ingest.Ingest ingest;

    public ContentionService(StatusService status, HostRegistry registry, Topics topics, MqttSession publisher,
            AggregatorConfig config, MeterRegistry meters, jakarta.enterprise.event.Event<DetectorWindow> windows,
            dev.mediawatch.aggregator.ingest.Ingest ingest) {
        this.windows = windows;
        this.ingest = ingest;
        this.status = status;
        this.registry = registry;
        this.topics = topics;
        this.publisher = publisher;
        this.run = DetectorRun.configure(config.stutter(), config.status().maxHosts());
        this.baselineStore = new dev.mediawatch.aggregator.baseline.BaselineStore(config.stutter().baselinesFile());
        baselineStore.load(run.baselines());
        this.window = config.stutter().window();
        this.history = new History(window);
        AggregatorConfig.Mitigation m = config.mitigation();
        this.mitigation = new Mitigation(m.enabled(),
                new DownloadLimits(m.sabnzbdLimit() > 0 ? m.sabnzbdLimit() : null,
                        m.qbittorrentLimit() > 0 ? m.qbittorrentLimit() : null),
                m.pausePostProcessing(), m.lease(), m.renewEvery());
        AggregatorConfig.Incidents i = config.incidents();
        this.incidents = new IncidentStore(i.file(), clock, i.retention(), i.maxIncidents(), i.maxFileBytes());
        this.incidents.open();
        closeLeftOpen(clock.instant());

        dev.mediawatch.runtime.metrics.Gauges.replace(meters, "mediawatch_contention_score",
                "the stutter detector's contention score of the last window, 0-100", io.micrometer.core.instrument.Tags.empty(),
                this, s -> s.last == null ? 0 : s.last.contention().score());
        dev.mediawatch.runtime.metrics.Gauges.replace(meters, "mediawatch_incident_store_ok",
                "1 while incidents are being kept, 0 when the store is broken or unwritable",
                io.micrometer.core.instrument.Tags.empty(), this, s -> "ok".equals(s.incidents.health()) ? 1 : 0);
        dev.mediawatch.runtime.metrics.Gauges.replace(meters, "mediawatch_incident_windows_ok",
                "1 while every incident's windows file could be written and read, 0 otherwise",
                io.micrometer.core.instrument.Tags.empty(), this, s -> "ok".equals(s.incidents.windowsHealth()) ? 1 : 0);
    }

    /**
     * An incident still open in the store was open when the aggregator stopped (or died). The detector starts with
     * both alerts cleared and would open a new incident if the contention goes on; the old one is closed now, saying
     * why, rather than left open forever.
     */
    private void closeLeftOpen(Instant now) {
        for (Incident i : incidents.since(Instant.EPOCH, Integer.MAX_VALUE)) {
            if (i.open()) {
                incidents.upsert(i.withClearedAt(now).withAction(
                        new IncidentAction(now, "aggregator.restarted", "closed at the aggregator's start; still open then")));
            }
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (!"ok".equals(incidents.health())) {
            LOG.errorf("incidents are not being kept: %s", incidents.health());
        }
        // Windows on the clock's multiples of the window (:00, :05, :10 ... for 5 s), so a replay of a recording decides
        // on the very same instants.
        thread.scheduleAtFixedRate(this::windowSafely, untilNextWindow(clock.millis(), window.toMillis()), window.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Milliseconds from {@code nowMillis} to the next multiple of {@code windowMillis} since the epoch (never 0). */
    public static long untilNextWindow(long nowMillis, long windowMillis) {
        return windowMillis - Math.floorMod(nowMillis, windowMillis);
    }

    /** The first window instant after {@code at}: a multiple of the window since the epoch. */
    public static Instant nextWindow(Instant at, java.time.Duration window) {
        return Instant.ofEpochMilli(at.toEpochMilli() + untilNextWindow(at.toEpochMilli(), window.toMillis()));
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
        baselineStore.save(run.baselines(), clock.instant());
        incidents.close();
    }

    /** Mitigation is enabled in the configuration ({@code mediawatch.mitigation.enabled}). */
    public boolean mitigationEnabled() {
        return mitigation.enabled();
    }

    /** Enabled and not switched off (Home Assistant's switch). */
    public boolean mitigationArmed() {
        return mitigation.armed();
    }

    /**
     * Arms or disarms mitigation at run time (Home Assistant's switch); disarming releases any throttle at the next
     * window. Ignored, returning false, when mitigation is not enabled in the configuration.
     */
    public boolean armMitigation(boolean armed) {
        if (!mitigation.enabled()) {
            return false;
        }
        thread.execute(() -> {
            if (mitigation.armed() != armed) {
                LOG.infof("download mitigation %s (Home Assistant's switch)", armed ? "armed" : "disarmed");
            }
            mitigation.arm(armed);
        });
        return true;
    }

    /** The last window's contention; empty before the first window. */
    public Optional<Contention> contention() {
        Decision d = last;
        return d == null ? Optional.empty() : Optional.of(d.contention());
    }

    /** Both detector alerts as they stand, with the download throttle's state when mitigation is on. */
    public List<AlertState> alerts() {
        Decision d = last;
        if (d == null) {
            return List.of();
        }
        return d.alerts().stream().map(this::withThrottle).toList();
    }

    /** Incidents raised at or after {@code since} (or still open), newest first, at most {@link #MAX_INCIDENTS_PER_REQUEST}. */
    public dev.mediawatch.contract.IncidentList incidents(Instant since) {
        List<Incident> found = incidents.since(since, MAX_INCIDENTS_PER_REQUEST + 1);
        boolean truncated = found.size() > MAX_INCIDENTS_PER_REQUEST;
        return dev.mediawatch.contract.IncidentList.of(since, truncated ? found.subList(0, MAX_INCIDENTS_PER_REQUEST) : found,
                truncated, incidents.health());
    }

    public Optional<Incident> incident(String id) {
        return incidents.get(id);
    }

    /**
     * The detector's windows at or after {@code since}, oldest first, from the last 24 hours kept in memory (at most
     * {@value ContentionWindow#MAX_SIGNALS} signals each). Safe from any thread; it never waits for the detector's
     * window, but a day of windows is a few hundred thousand records: not for the event loop.
     */
    public ContentionHistory history(Instant since) {
        return ContentionHistory.of(clock.instant(), window.toSeconds(), since, history.since(since));
    }

    /**
     * The windows kept with an incident, oldest first: from 5 minutes before its raise to its clear (or to now while
     * it is open), at most 720; empty when no incident has that id or none of its windows are kept (only the newest
     * 100 incidents keep them). Safe from any thread; a closed incident's windows are read from disk.
     */
    public Optional<List<ContentionWindow>> incidentWindows(String incidentId) {
        return incidents.windows(incidentId).map(IncidentStore.Windows::windows);
    }

    /** The same as {@link #incidentWindows(String)}, as the contract's history, each window's length said. */
    public Optional<ContentionHistory> incidentHistory(String incidentId) {
        return incidents.windows(incidentId).filter(w -> !w.windows().isEmpty())
                .map(w -> ContentionHistory.of(clock.instant(), window.toSeconds() * w.stride(),
                        w.windows().get(0).at(), w.windows()));
    }

    private void windowSafely() {
        try {
            window(clock.instant());
        } catch (RuntimeException e) {
            // A bug costs one window, never the schedule.
            long held = failureLog.tryLog(System.nanoTime());
            if (held >= 0) {
                LOG.errorf(e, "the stutter window failed%s", held > 0 ? " (" + held + " more since the last such line)" : "");
            }
        }
    }

    void window(Instant now) {
        List<HostRecord> records = ingest.window(now, () -> List.copyOf(registry.hosts()));
        Decision step = run.step(now, records);
        Map<HostId, String> sides = DetectorRun.sides(records);
        Decision d = sides.isEmpty() ? step : step.withContention(step.contention()
                .withThresholds(thresholdsLine(run.baselines().progress(sides), run.settle())));
        last = d;
        // The history first, so an incident raised in this window finds this window in it.
        ContentionWindow w = ContentionWindow.of(d.contention(), d.stutter().raised(), d.degraded().raised());
        history.add(w);
        for (Incident i : open.values()) {
            incidents.windowsAdd(i.id(), w); // the clear's own window included: it is still open here
        }
        if (System.nanoTime() - lastBaselineSave >= BASELINE_SAVE_EVERY.toNanos()) {
            lastBaselineSave = System.nanoTime();
            baselineStore.save(run.baselines(), now);
        }
        publish(topics.contention(), ContractJson.write(d.contention()), true);

        for (Decision.Transition t : d.transitions()) {
            onTransition(now, t);
        }
        trackPeaks(d);
        throttleActions(now, records);
        mitigate(now, d, records);
        for (AlertState a : alerts()) {
            AlertState before = lastPublished.get(a.id());
            if (before == null || !sameExceptEvidence(before, a)) {
                publish(topics.alert(a.id()), ContractJson.write(a), true);
                lastPublished.put(a.id(), a);
            }
        }
        status.detector(new DetectorView(d.contention(), statusAlerts(d)));
        windows.fire(new DetectorWindow(now, d, records));
    }

    /** The dashboard's line on thresholds: learned from how much calm, or still learning and for how long. */
    public static String thresholdsLine(dev.mediawatch.aggregator.baseline.Baselines.Progress p, Duration settle) {
        if (p.learnable() == 0) {
            return "defaults (no learnable signal)";
        }
        if (p.reported() == 0) {
            return settle.isZero() ? "defaults: learning from calm begins with the hosts' first calm samples"
                    : "defaults: learning from calm begins once the hosts have been online for "
                            + dev.mediawatch.runtime.config.Values.human(settle)
                            + " (mediawatch.stutter.settle)";
        }
        String unreported = p.unreported() == 0 ? "" : "; " + p.unreported() + " never reported (defaults)";
        if (!p.learning()) {
            return (p.unreported() == 0 ? "learned from calm for all " + p.learnable() + " learnable signals"
                    : "learned from calm for the " + p.reported() + (p.reported() == 1 ? " signal" : " signals")
                            + " reported") + unreported;
        }
        return "learning from calm, " + p.learned() + " of " + p.reported() + " learned; the least-learned has "
                + minutes(p.leastSeconds()) + " of " + minutes(p.neededSeconds()) + " (defaults until then)" + unreported;
    }

    private static String minutes(long seconds) {
        return seconds >= 3600 && seconds % 3600 == 0 ? seconds / 3600 + " h" : seconds / 60 + " min";
    }

    /** What has been learned, per host and signal, for {@code GET /api/baselines}. */
    public dev.mediawatch.contract.BaselineReport baselines() {
        List<HostRecord> records = List.copyOf(registry.hosts());
        return dev.mediawatch.contract.BaselineReport.of(clock.instant(),
                run.baselines().config().learnAfter().toSeconds(), run.baselines().config().keepDays(),
                run.baselines().views(DetectorRun.sides(records)), baselineStore.health());
    }

    private static boolean sameExceptEvidence(AlertState a, AlertState b) {
        return a.state().equals(b.state()) && java.util.Objects.equals(a.since(), b.since())
                && java.util.Objects.equals(a.clearedAt(), b.clearedAt()) && a.message().equals(b.message())
                && java.util.Objects.equals(a.throttle(), b.throttle());
    }

    private List<Alert> statusAlerts(Decision d) {
        List<Alert> out = new ArrayList<>();
        for (Decision.Alert a : List.of(d.stutter(), d.degraded())) {
            if (a.raised()) {
                AlertState s = a.state();
                out.add(new Alert(s.id(), s.id(), s.severity(), null, null, s.message(), s.since()));
            }
        }
        String store = incidents.health();
        if (!"ok".equals(store)) {
            out.add(new Alert("incident-store", "incidents", AlertSeverity.WARNING, null, null,
                    "incidents are not being kept: " + store, null));
        }
        return out;
    }

    private void onTransition(Instant now, Decision.Transition t) {
        AlertState state = withThrottle(t.alert().state());
        boolean raised = t.change() == Decision.Change.RAISED;
        LOG.infof("%s %s: %s", raised ? "raised" : "cleared", t.alertId(), state.message());
        Map<String, String> detail = new HashMap<>();
        detail.put("reason", t.reason());
        detail.put("score", Integer.toString(d(state)));
        if (state.incidentId() != null) {
            detail.put("incident", state.incidentId());
        }
        publish(topics.aggregatorEvents(), ContractJson.write(HostEvent.of(SELF,
                raised ? EventTypes.ALERT_RAISED : EventTypes.ALERT_CLEARED, now, t.alertId(),
                raised ? AlertState.CLEARED : AlertState.RAISED, raised ? AlertState.RAISED : AlertState.CLEARED, detail)),
                false);
        if (state.incidentId() == null) {
            return;
        }
        if (raised) {
            Incident i = new Incident(state.incidentId(), t.alertId(), state.severity(), state.message(), state.since(),
                    null, t.alert().peakScore(), state.evidence(), t.alert().peakEvidence(),
                    List.of(new IncidentAction(now, EventTypes.ALERT_RAISED, t.reason())));
            open.put(t.alertId(), i);
            incidents.upsert(i);
            incidents.windowsStart(i.id(), history.between(i.raisedAt().minus(IncidentStore.WINDOWS_BEFORE_RAISE), now));
        } else {
            Incident i = open.remove(t.alertId());
            if (i == null) {
                i = incidents.get(state.incidentId()).orElse(null);
            }
            if (i != null) {
                if (t.alert().peakScore() > i.peakScore()) {
                    i = i.withPeak(t.alert().peakScore(), t.alert().peakEvidence());
                }
                lastClosed = i.withClearedAt(state.clearedAt() == null ? now : state.clearedAt())
                        .withAction(new IncidentAction(now, EventTypes.ALERT_CLEARED, t.reason()));
                incidents.upsert(lastClosed);
            }
            incidents.windowsEnd(state.incidentId());
        }
    }

    private static int d(AlertState s) {
        return s.evidence() == null ? 0 : s.evidence().score();
    }

    /** A new worst window of an open incident is written once, not every window. */
    private void trackPeaks(Decision d) {
        for (Decision.Alert a : List.of(d.stutter(), d.degraded())) {
            Incident i = open.get(a.state().id());
            if (a.raised() && i != null && a.peakScore() > i.peakScore()) {
                Incident next = i.withPeak(a.peakScore(), a.peakEvidence());
                open.put(a.state().id(), next);
                incidents.upsert(next);
            }
        }
    }

    /** The agents' own throttle changes (set, restored, failing) go into the open incident's timeline. */
    private void throttleActions(Instant now, List<HostRecord> records) {
        // Only hosts the registry still holds (itself bounded by max-hosts): a forgotten host's entry goes too.
        lastThrottle.keySet().retainAll(records.stream().map(HostRecord::host).collect(java.util.stream.Collectors.toSet()));
        for (HostRecord r : records) {
            ThrottleState t = r.activity() == null ? null : r.activity().throttle();
            ThrottleState before = lastThrottle.put(r.host(), t);
            if (t == null || before == null && !t.active()) {
                continue;
            }
            if (t.active() && (before == null || !before.active())) {
                record(new IncidentAction(now, EventTypes.THROTTLE_APPLIED, r.host() + ": " + t.applied()));
            } else if (!t.active() && before != null && before.active()) {
                record(new IncidentAction(now, EventTypes.THROTTLE_RESTORED,
                        r.host() + ": " + t.lastRestoreReason() + ", back to " + t.previous()));
            }
            if (t.problem() != null && (before == null || !t.problem().equals(before.problem()))) {
                record(new IncidentAction(now, EventTypes.THROTTLE_FAILED, r.host() + ": " + t.problem()));
            }
        }
    }

    private void mitigate(Instant now, Decision d, List<HostRecord> records) {
        if (!mitigation.enabled()) {
            return;
        }
        boolean wanted = d.stutter().raised() && d.watching().state() == dev.mediawatch.aggregator.stutter.Signals.Watch.YES;
        List<HostId> download = records.stream()
                .filter(r -> r.state() != null && "download".equals(r.state().role()) && r.availability() == Availability.ONLINE)
                .map(HostRecord::host).toList();
        boolean had = !mitigation.throttled().isEmpty();
        for (Mitigation.Send s : mitigation.decide(now, wanted, download)) {
            publish(topics.command(s.host(), Command.THROTTLE), ContractJson.write(s.request()), false);
            boolean apply = s.request().action().equals(dev.mediawatch.contract.ThrottleRequest.APPLY);
            if (apply && had) {
                continue; // a renewal: not an event, not an action
            }
            publish(topics.aggregatorEvents(), ContractJson.write(HostEvent.of(SELF, EventTypes.THROTTLE_REQUESTED,
                    now, s.host().value(), null, s.request().action(), Map.of("requestId", s.request().requestId()))), false);
            record(new IncidentAction(now, EventTypes.THROTTLE_REQUESTED, s.host() + ": " + s.request().action()));
        }
    }

    private AlertState withThrottle(AlertState s) {
        if (!mitigation.enabled() || !AlertState.STUTTER.equals(s.id())) {
            return s;
        }
        ThrottleState t = registry.hosts().stream()
                .filter(r -> r.activity() != null && r.activity().throttle() != null)
                .map(r -> r.activity().throttle()).filter(ThrottleState::active).findFirst().orElse(null);
        return AlertState.of(s.id(), s.state(), s.severity(), s.message(), s.since(), s.clearedAt(), s.incidentId(),
                s.evidence(), t);
    }

    /**
     * The evidence of the detector's alert {@code alertId} as it stands (the stalled streams, the top writers, the
     * signals), or null when it is not raised.
     */
    public dev.mediawatch.contract.StutterEvidence evidence(String alertId) {
        Decision d = last;
        if (d == null) {
            return null;
        }
        for (dev.mediawatch.contract.AlertState a : d.alerts()) {
            if (a.id().equals(alertId) && a.raised()) {
                return a.evidence() != null ? a.evidence() : d.contention().evidence();
            }
        }
        return null;
    }

    /**
     * A notification's outcome for the detector's alert {@code alertId} raised at {@code since}: recorded in its
     * incident, on the detector's thread. Called from any thread.
     */
    public void notified(String alertId, Instant since, IncidentAction action) {
        String incidentId = alertId + "-" + INCIDENT_ID_TIME.format(since);
        try {
            thread.execute(() -> recordFor(incidentId, action));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // stopping: the outcome is in the log
        }
    }

    private static final java.time.format.DateTimeFormatter INCIDENT_ID_TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);

    /** A notification's outcome goes to the incident of the alert it was about, open or closed. */
    private void recordFor(String incidentId, IncidentAction action) {
        LOG.infof("%s: %s", action.action(), action.detail());
        if (incidentId == null) {
            return;
        }
        for (Map.Entry<String, Incident> e : open.entrySet()) {
            if (e.getValue().id().equals(incidentId)) {
                Incident next = e.getValue().withAction(action);
                e.setValue(next);
                incidents.upsert(next);
                return;
            }
        }
        Incident i = lastClosed != null && lastClosed.id().equals(incidentId) ? lastClosed
                : incidents.get(incidentId).orElse(null);
        if (i != null) {
            Incident next = i.withAction(action);
            if (lastClosed != null && lastClosed.id().equals(incidentId)) {
                lastClosed = next;
            }
            incidents.upsert(next);
        }
    }

    /** An action goes to the open stutter incident, else the open degraded one, else the one cleared last. */
    private void record(IncidentAction action) {
        String key = open.containsKey(AlertState.STUTTER) ? AlertState.STUTTER
                : open.containsKey(AlertState.STREAMING_DEGRADED) ? AlertState.STREAMING_DEGRADED : null;
        LOG.infof("%s: %s", action.action(), action.detail());
        Incident i = key != null ? open.get(key) : lastClosed;
        if (i == null) {
            return;
        }
        Incident next = i.withAction(action);
        if (key != null) {
            open.put(key, next);
        } else {
            lastClosed = next;
        }
        incidents.upsert(next);
    }

    private void publish(String topic, byte[] payload, boolean retained) {
        publisher.publish(topic, payload, retained).whenComplete((ok, error) -> {
            if (error != null) {
                long held = failureLog.tryLog(System.nanoTime());
                if (held >= 0) {
                    LOG.warnf("publishing to %s failed: %s", topic, error.getMessage());
                }
            }
        });
    }
}
