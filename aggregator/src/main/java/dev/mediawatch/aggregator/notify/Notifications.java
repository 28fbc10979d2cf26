package dev.mediawatch.aggregator.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.contention.ContentionService;
import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.aggregator.status.StatusService;
import dev.mediawatch.contract.Alert;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.IncidentAction;
import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.contract.ServiceProbe;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.contract.StutterEvidence;
import dev.mediawatch.runtime.http.OutboundHttp;
import dev.mediawatch.runtime.store.AtomicFile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The aggregator's notifications: the targets from {@code mediawatch.notify.urls} and {@code urls-file}, once a second
 * the status's open alerts through the {@link AlertPolicy} (grouped, held, cleared), the messages to the
 * {@link Notifier}, what was sent kept in {@code state-file}, each outcome counted per scheme
 * ({@code mediawatch_notify_deliveries_total}) and, for the detector's alerts, recorded in the incident.
 *
 * <p>A bad URL stops startup naming where it is (its position, or the file and line) and its scheme, never its token.
 * The policy runs on its own thread ({@code mediawatch-notify-policy}), which also writes the state file.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // a bad URL stops startup, not the first alert
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);
    /** The URL file is refused beyond this. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private final StatusService status;
    private final HostRegistry registry;
    private final ContentionService contention;
    private final MeterRegistry meters;
    private final Path stateFile;
    private final Clock clock = Clock.systemUTC();
    private final HttpClient http;
    private final Notifier notifier;
    private final AlertPolicy policy;
    private final String link;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final LogThrottle saveLog = new LogThrottle(Duration.ofMinutes(1));
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mediawatch-notify-policy");
        t.setDaemon(true);
        return t;
    });

    public Notifications(AggregatorConfig config, StatusService status, HostRegistry registry,
            ContentionService contention, MeterRegistry meters) {
        this.status = status;
        this.registry = registry;
        this.contention = contention;
        this.meters = meters;
        AggregatorConfig.Notify n = config.notifications();
        Map<String, Duration> holds = new LinkedHashMap<>(AlertPolicy.defaultHolds());
        n.hold().forEach((kind, d) -> {
            if (d.isNegative()) {
                throw new IllegalArgumentException("mediawatch.notify.hold." + kind + ": " + d + " is negative; use 0s or more");
            }
            holds.put(kind, d);
        });
        this.link = n.externalUrl().map(u -> u.endsWith("/") ? u + "status" : u + "/status").orElse(null);
        List<String[]> urls = urls(n);
        this.http = urls.isEmpty() ? null : OutboundHttp.client("mediawatch-notify-http", 2, n.timeout());
        List<Target> targets;
        try {
            targets = targets(urls, http);
        } catch (IllegalArgumentException e) {
            if (http != null) {
                OutboundHttp.close(http);
            }
            throw e;
        }
        this.notifier = new Notifier(targets, n.timeout(), n.maxAttempts(), n.backoff(), this::delivered);
        this.stateFile = n.stateFile();
        this.policy = new AlertPolicy(holds, link, clock.instant(), n.settle(), load(stateFile));
        for (Target t : targets) {
            LOG.infof("notifications go to %s (%s)", t.display(), describe(t.filter()));
        }
        io.micrometer.core.instrument.Gauge.builder("mediawatch_notify_pending", notifier, Notifier::pending)
                .description("notification deliveries waiting or under way").register(meters);
    }

    void onStart(@Observes StartupEvent event) {
        if (notifier.targets().isEmpty()) {
            return; // nobody to tell: no policy, no state file
        }
        thread.scheduleWithFixedDelay(this::look, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!notifier.targets().isEmpty()) {
            save();
        }
        notifier.close();
        if (http != null) {
            OutboundHttp.close(http);
        }
    }

    /** The targets as they may be shown: {@code scheme://***@host}. */
    public List<Target> targets() {
        return notifier.targets();
    }

    /** A test message to every target, once each; completes with the outcomes. */
    public CompletableFuture<List<Notifier.Delivered>> test() {
        Instant now = clock.instant();
        Message m = new Message("test:" + now.toEpochMilli(), "mediawatch test notification",
                "A test from mediawatch: notifications reach this target." + (link == null ? "" : "\nStatus: " + link),
                Message.Severity.INFO, false, "test", link);
        return notifier.test(m).whenComplete((list, error) -> {
            if (list != null) {
                list.forEach(this::count);
            }
        });
    }

    // ---- the policy, once a second ----

    private void look() {
        try {
            List<Alert> open = status.report().alerts();
            for (AlertPolicy.Out o : policy.update(open, this::evidence, clock.instant())) {
                LOG.infof("notify: %s (%s)", o.message().title(), o.message().key());
                notifier.send(o.message(), o.filterSeverity());
            }
            if (policy.takeChanged()) {
                save();
            }
        } catch (RuntimeException e) {
            long held = saveLog.tryLog(System.nanoTime());
            if (held >= 0) {
                LOG.errorf(e, "the notification policy failed%s", held > 0 ? " (" + held + " more since the last such line)" : "");
            }
        }
    }

    /** What a message says beyond its first line: the container and its probe, or the stalled streams and writers. */
    List<String> evidence(Alert a) {
        List<String> out = new ArrayList<>();
        if (AlertState.STUTTER.equals(a.kind()) || AlertState.STREAMING_DEGRADED.equals(a.kind())) {
            StutterEvidence e = contention.evidence(a.kind());
            if (e == null) {
                return out;
            }
            for (StreamSession s : e.sessions()) {
                if (s.stalledOrSilent()) {
                    out.add((Boolean.TRUE.equals(s.stalled()) ? "stalled: " : "silent: ") + (s.user() == null ? "someone" : s.user())
                            + " watching " + (s.title() == null ? "a stream" : "\"" + s.title() + "\"")
                            + (s.client() == null ? "" : " on " + s.client())
                            + (s.playMethod() == null ? "" : " (" + s.playMethod() + ")"));
                }
            }
            if (!e.topWriters().isEmpty()) {
                out.add("top writers: " + String.join(", ", e.topWriters()));
            }
            List<String> crossed = new ArrayList<>();
            e.signals().stream().filter(v -> v.crossed()).forEach(v -> crossed.add(v.name() + " on " + v.host()));
            if (!crossed.isEmpty()) {
                out.add("signals over their thresholds: " + String.join(", ", crossed));
            }
            out.add("contention score " + e.score() + " of 100");
            return out;
        }
        if ("service".equals(a.kind()) && a.host() != null && a.subject() != null) {
            HostRecord r = registry.hosts().stream().filter(h -> h.host().equals(a.host())).findFirst().orElse(null);
            if (r == null || r.state() == null) {
                return out;
            }
            for (ContainerState c : r.state().containers()) {
                if (a.subject().equals(c.service()) || a.subject().equals(c.name())) {
                    StringBuilder b = new StringBuilder("container ").append(c.name()).append(": ")
                            .append(c.state() == null ? "unknown" : c.state().name().toLowerCase(java.util.Locale.ROOT));
                    if (c.exitCode() != null) {
                        b.append(", exit code ").append(c.exitCode());
                    }
                    if (c.oomKilled()) {
                        b.append(", killed out of memory");
                    }
                    if (c.health() != null) {
                        b.append(", health ").append(c.health().name().toLowerCase(java.util.Locale.ROOT));
                    }
                    b.append(", ").append(c.restartCount()).append(c.restartCount() == 1 ? " restart" : " restarts");
                    out.add(b.toString());
                }
            }
            for (ServiceProbe p : r.state().probes()) {
                if (a.subject().equals(p.service())) {
                    out.add("last probe: " + (p.up() ? "up" : "down") + (p.httpStatus() == null ? "" : ", HTTP " + p.httpStatus())
                            + (p.latencyMs() == null ? "" : ", " + p.latencyMs() + " ms"));
                }
            }
        }
        return out;
    }

    // ---- outcomes ----

    private void delivered(Notifier.Delivered d) {
        count(d);
        Message m = d.message();
        if (!(AlertState.STUTTER.equals(m.kind()) || AlertState.STREAMING_DEGRADED.equals(m.kind()))) {
            return;
        }
        // The key ends with the raise's second: the incident's id.
        int at = m.key().lastIndexOf(':');
        try {
            Instant since = Instant.ofEpochSecond(Long.parseLong(m.key().substring(at + 1)));
            contention.notified(m.kind(), since, new IncidentAction(clock.instant(), d.action(),
                    d.target().display() + ": " + (m.raised() ? "raised" : "cleared") + ", " + d.detail()));
        } catch (NumberFormatException e) {
            // not an alert's key (a test): nothing to record
        }
    }

    private void count(Notifier.Delivered d) {
        String scheme = d.target().scheme();
        String outcome = d.sent() ? "sent" : "failed";
        counters.computeIfAbsent(scheme + "\n" + outcome, k -> Counter.builder("mediawatch_notify_deliveries_total")
                .description("notification deliveries by the target's scheme and their outcome")
                .tag("scheme", scheme).tag("outcome", outcome).register(meters)).increment();
    }

    // ---- configuration ----

    /** A target per URL; a mistake names where the URL is (the key, or the file and line) and its scheme. */
    static List<Target> targets(List<String[]> urls, HttpClient http) {
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            try {
                targets.add(ServiceUrls.parse(i + 1, urls.get(i)[1], http));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(urls.get(i)[0] + ": " + e.getMessage());
            }
        }
        return targets;
    }

    /** Each URL with where it came from, in order: the list, then the file's lines. */
    static List<String[]> urls(AggregatorConfig.Notify n) {
        List<String[]> out = new ArrayList<>();
        int position = 0;
        for (String u : n.urls().orElse("").split("\\s+")) {
            if (!u.isBlank()) {
                out.add(new String[] { "mediawatch.notify.urls, URL " + ++position, u.strip() });
            }
        }
        if (n.urlsFile().isPresent()) {
            Path file = n.urlsFile().get();
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            } catch (IOException e) {
                throw new IllegalArgumentException("mediawatch.notify.urls-file: cannot read " + file + " ("
                        + e.getClass().getSimpleName() + ")");
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("mediawatch.notify.urls-file: " + file + " is larger than "
                        + MAX_FILE_BYTES + " bytes");
            }
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                out.add(new String[] { "mediawatch.notify.urls-file " + file + ", line " + (i + 1), l });
            }
        }
        return out;
    }

    private static String describe(Target.Filter f) {
        return (f.minSeverity() == Message.Severity.CRITICAL ? "critical only" : "warning and critical")
                + (f.kinds().isEmpty() ? ", every kind" : ", kinds " + String.join(",", new java.util.TreeSet<>(f.kinds())));
    }

    // ---- what was sent, across restarts ----

    static List<AlertPolicy.Sent> load(Path file) {
        try {
            var bytes = AtomicFile.read(file, 4L * 1024 * 1024);
            if (bytes.isEmpty()) {
                return List.of();
            }
            JsonNode root = ContractJson.mapper().readTree(bytes.get());
            List<AlertPolicy.Sent> out = new ArrayList<>();
            for (JsonNode s : root.path("sent")) {
                out.add(new AlertPolicy.Sent(s.path("group").asText(), s.path("kind").asText(),
                        Message.Severity.valueOf(s.path("severity").asText()), Instant.parse(s.path("since").asText()),
                        s.path("title").asText()));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("notification state %s cannot be read (%s): alerts open now are sent again once held, and a clear"
                    + " of one sent before is not", file, e.getClass().getSimpleName());
            return List.of();
        }
    }

    private void save() {
        ObjectNode root = ContractJson.mapper().createObjectNode();
        root.put("version", 1);
        ArrayNode list = root.putArray("sent");
        for (AlertPolicy.Sent s : policy.sent()) {
            ObjectNode o = list.addObject();
            o.put("group", s.group());
            o.put("kind", s.kind());
            o.put("severity", s.severity().name());
            o.put("since", s.since().toString());
            o.put("title", s.title());
        }
        try {
            AtomicFile.write(stateFile, ContractJson.mapper().writeValueAsBytes(root));
        } catch (IOException | RuntimeException e) {
            long held = saveLog.tryLog(System.nanoTime());
            if (held >= 0) {
                LOG.warnf("notification state %s not written (%s): a restart may send a raise again", stateFile,
                        e.getClass().getSimpleName());
            }
        }
    }
}
