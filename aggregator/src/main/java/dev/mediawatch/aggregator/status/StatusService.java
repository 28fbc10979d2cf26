package dev.mediawatch.aggregator.status;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.drift.DiscoveryConfigs;
import dev.mediawatch.aggregator.drift.MountLock;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.runtime.mqtt.MqttSession;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps the unified status built from the host registry and the discovery configs. One thread
 * ({@code mediawatch-status}) builds it: soon after a change (100 ms, so a burst costs one build; under constant load
 * no more often than keeps building under a tenth of a core) and at least every second (host verdicts age with
 * time). Readers get the last built report and its JSON, never build; that keeps {@code GET /api/status} cheap
 * however many hosts publish. After a build the status goes to {@code <prefix>/status}, retained, when it changed
 * (at most once a second, and not in the first 2 s after start while retained messages arrive) and every publish
 * interval.
 */
@ApplicationScoped
public class StatusService {

    private static final Logger LOG = Logger.getLogger(StatusService.class);
    static final long DEBOUNCE_MS = 100;
    static final long SETTLE_MS = 2000;

    /** A built status with its encodings. */
    public static final class Snapshot {
        private final long sequence;
        private final StatusReport report;
        private final byte[] json;
        private volatile byte[] gzip;

        Snapshot(long sequence, StatusReport report) {
            this.sequence = sequence;
            this.report = report;
            this.json = ContractJson.write(report);
        }

        /** Which build this is, counting from 1 since start: an HTTP entity tag together with the start time. */
        public long sequence() {
            return sequence;
        }

        public StatusReport report() {
            return report;
        }

        public byte[] json() {
            return json;
        }

        /** The JSON gzip-compressed, computed once per snapshot on first use. */
        public byte[] gzip() {
            byte[] g = gzip;
            if (g == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 8 + 64);
                // Fastest level: a thousand hosts' status compresses 45:1 in a few ms instead of tens.
                try (GZIPOutputStream z = new GZIPOutputStream(out, 8192) {
                    {
                        def.setLevel(java.util.zip.Deflater.BEST_SPEED);
                    }
                }) {
                    z.write(json);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                g = out.toByteArray();
                gzip = g;
            }
            return g;
        }
    }

    private final HostRegistry registry;
    private final DiscoveryConfigs discovery;
    private final StatusBuilder builder;
    private final Topics topics;
    private final MqttSession publisher;
    private final AggregatorConfig config;
    private final Clock clock = Clock.systemUTC();
    private final StatusGauges gauges;
    private final Timer buildTimer;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private long builds;
    private volatile DetectorView detector = DetectorView.NONE;
    private volatile AcceptanceView acceptance = AcceptanceView.NONE;
    private final LogThrottle failureLog = new LogThrottle(java.time.Duration.ofMinutes(1));
    private final long startedNanos = System.nanoTime();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mediawatch-status");
        t.setDaemon(true);
        return t;
    });
    private volatile Snapshot snapshot;
    private final java.util.List<java.util.function.Consumer<Snapshot>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long builtNanos;
    /** The earliest a change-triggered build should run: 9 build-times after the last one ended. */
    private volatile long nextBuildNanos;
    // Status thread only:
    private StatusReport lastPublished;
    private long lastPublishNanos;

    public StatusService(AggregatorConfig config, MeterRegistry meters, ServiceCatalogue catalogue,
            MqttSession publisher, Topics topics, HostRegistry registry, DiscoveryConfigs discovery) {
        this.config = config;
        this.publisher = publisher;
        this.topics = topics;
        this.registry = registry;
        this.discovery = discovery;
        List<MountLock> locks;
        try {
            locks = config.drift().mountLocks().stream().map(MountLock::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mediawatch.drift.mount-locks: " + e.getMessage(), e);
        }
        Set<HostId> retired;
        try {
            retired = config.status().retiredHosts().stream().filter(s -> !s.isBlank() && !s.equals("none"))
                    .map(HostId::of).collect(Collectors.toUnmodifiableSet());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mediawatch.status.retired-hosts: " + e.getMessage(), e);
        }
        this.builder = new StatusBuilder(new StatusRules(config.status().staleAfter(), config.status().downAfter(),
                clock.instant(), catalogue, retired, locks, topics.prefix(), discovery.prefix()));
        this.gauges = new StatusGauges(meters);
        this.buildTimer = Timer.builder("mediawatch_status_build_seconds").description("time to build the unified status")
                .register(meters);
        build();
    }

    void onStart(@Observes StartupEvent event) {
        thread.scheduleAtFixedRate(() -> {
            // Time alone moves verdicts (stale, down): at least one build a second, but none right after another.
            if (System.nanoTime() - builtNanos >= TimeUnit.MILLISECONDS.toNanos(900)) {
                buildSafely();
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    /** The last built status. */
    public StatusReport report() {
        return snapshot.report();
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Called with every new build, on the status thread: the listener must only hand the snapshot on (the live
     * page does), never render or write there.
     */
    public void onBuilt(java.util.function.Consumer<Snapshot> listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /** Nanoseconds since the last build (the health check's "state fresh"). */
    public long ageNanos() {
        return System.nanoTime() - builtNanos;
    }

    /** The acceptance criteria and today's imports, shown from the next build on (which this asks for). */
    public void acceptance(AcceptanceView view) {
        java.util.Objects.requireNonNull(view, "view");
        if (view.equals(acceptance)) {
            return;
        }
        this.acceptance = view;
        changed();
    }

    /** The live success criteria of the last build, without the ones the acceptance checks add. */
    public List<dev.mediawatch.contract.Check> liveCriteria() {
        java.util.Set<String> mine = acceptance.criteria().stream().map(dev.mediawatch.contract.Check::id)
                .collect(Collectors.toSet());
        return report().checklist().stream().filter(c -> !mine.contains(c.id())).toList();
    }

    /** The stutter detector's latest window and alerts, shown from the next build on (which this asks for). */
    public void detector(DetectorView view) {
        this.detector = java.util.Objects.requireNonNull(view, "view");
        changed();
    }

    /** Builds now on the status thread; completes with the fresh report. */
    public CompletableFuture<StatusReport> rebuildNow() {
        return CompletableFuture.supplyAsync(() -> {
            build();
            return snapshot.report();
        }, thread);
    }

    /**
     * A message changed the registry: build soon, once for a whole burst, and never so often that building takes
     * more than about a tenth of a core (with a thousand hosts a build takes tens of milliseconds and messages
     * never stop). Called on the ingest thread.
     */
    public void changed() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                thread.schedule(this::scheduledBuild, TimeUnit.MILLISECONDS.toNanos(DEBOUNCE_MS), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                scheduled.set(false);
            }
        }
    }

    /**
     * The one change-triggered build chain: waits out the pause after the last build (whoever ran it: the
     * tick, a refresh), then builds. Only this task clears {@code scheduled}, and it does so before building,
     * so a change during the build schedules exactly one successor. (Clearing it in every build, as before,
     * let a tick's build start a second chain beside a pending one: 4-5 builds a second instead of ~2.)
     */
    private void scheduledBuild() {
        long wait = nextBuildNanos - System.nanoTime();
        if (wait > 0) {
            try {
                thread.schedule(this::scheduledBuild, wait, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                scheduled.set(false);
            }
            return;
        }
        scheduled.set(false);
        buildSafely();
    }

    private void buildSafely() {
        try {
            build();
            publishIfDue();
        } catch (RuntimeException e) {
            // A bug must cost one build, never the schedule (an exception would end the periodic task).
            long held = failureLog.tryLog(System.nanoTime());
            if (held >= 0) {
                LOG.errorf(e, "building the status failed%s", held > 0 ? " (" + held + " more since the last such line)" : "");
            }
        }
    }

    private synchronized void build() {
        long start = System.nanoTime();
        StatusReport report = builder.build(registry.hosts(), discovery.all(), clock.instant(), detector, acceptance);
        Snapshot next = new Snapshot(++builds, report);
        next.gzip(); // here, not on the first request's (event-loop) thread
        snapshot = next;
        builtNanos = System.nanoTime();
        nextBuildNanos = builtNanos + 9 * (builtNanos - start);
        buildTimer.record(builtNanos - start, TimeUnit.NANOSECONDS);
        gauges.update(report);
        for (java.util.function.Consumer<Snapshot> l : listeners) {
            l.accept(next);
        }
    }

    private void publishIfDue() {
        long now = System.nanoTime();
        if (now - startedNanos < TimeUnit.MILLISECONDS.toNanos(SETTLE_MS)) {
            return;
        }
        StatusReport report = snapshot.report();
        StatusReport comparable = new StatusReport(report.schema(), report.version(), Instant.EPOCH, report.hosts(),
                report.totals(), report.storage(), report.alerts(), report.drift(), report.checklist(),
                // The contention moves every detector window; it has its own topic. A change of alerts republishes.
                null, null, report.imports());
        boolean changed = !comparable.equals(lastPublished);
        boolean due = lastPublished == null || now - lastPublishNanos >= config.status().publishInterval().toNanos();
        if (!(changed && now - lastPublishNanos >= TimeUnit.SECONDS.toNanos(1)) && !due) {
            return;
        }
        byte[] payload = snapshot.json();
        if (payload.length > config.status().maxPublishBytes()) {
            payload = ContractJson.write(report.withoutServices());
        }
        lastPublished = comparable;
        lastPublishNanos = now;
        publisher.publish(topics.status(), payload, true).whenComplete((ok, error) -> {
            if (error != null) {
                // Not on the broker: try again at the next build (every second while the broker is away).
                thread.execute(() -> lastPublished = null);
            }
        });
    }
}
