package dev.mediawatch.aggregator.refresh;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.runtime.mqtt.MqttSession;
import dev.mediawatch.aggregator.status.StatusService;
import dev.mediawatch.contract.Command;
import dev.mediawatch.contract.CommandRequest;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountStatus;
import dev.mediawatch.contract.RefreshHost;
import dev.mediawatch.contract.RefreshResult;
import dev.mediawatch.contract.ServiceStatus;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.Topics;

/**
 * {@code media.refresh}: asks every known host's agent to collect now ({@code <prefix>/<host>/cmd/refresh} with a
 * request id), waits until each has republished its state for that id or the timeout passed, and answers with a
 * per-host pass/fail and the fresh status. One refresh runs at a time; a request while one runs gets that one's
 * answer, so a burst of clicks costs the agents one collection. Nothing blocks: the answer is a future.
 */
@ApplicationScoped
public class RefreshService {

    private static final Logger LOG = Logger.getLogger(RefreshService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Inflight(String requestId, Instant requestedAt, long startNanos,
            Map<HostId, CompletableFuture<Long>> answers, CompletableFuture<RefreshResult> result) {
    }

    private final StatusService status;
    private final Topics topics;
    private final MqttSession publisher;
    private final long timeoutMs;
    private final Clock clock = Clock.systemUTC();
    private final AtomicReference<Inflight> current = new AtomicReference<>();

    public RefreshService(StatusService status, HostRegistry registry, Topics topics, MqttSession publisher,
            AggregatorConfig config) {
        this.status = status;
        this.topics = topics;
        this.publisher = publisher;
        this.timeoutMs = config.refresh().timeout().toMillis();
        registry.onState(this::answered);
    }

    /** Starts a refresh, or joins the one running. */
    public CompletableFuture<RefreshResult> refresh() {
        while (true) {
            Inflight running = current.get();
            if (running != null && !running.result().isDone()) {
                return running.result();
            }
            byte[] id = new byte[6];
            RANDOM.nextBytes(id);
            Map<HostId, CompletableFuture<Long>> answers = new ConcurrentHashMap<>();
            for (HostStatus h : status.report().hosts()) {
                answers.put(h.host(), new CompletableFuture<>());
            }
            Inflight next = new Inflight("refresh-" + HexFormat.of().formatHex(id), clock.instant(), System.nanoTime(),
                    answers, new CompletableFuture<>());
            if (current.compareAndSet(running, next)) {
                start(next);
                return next.result();
            }
        }
    }

    private void start(Inflight r) {
        LOG.infof("refresh %s: asking %d hosts", r.requestId(), r.answers().size());
        byte[] payload = ContractJson.write(CommandRequest.of(Command.REFRESH, r.requestId(), r.requestedAt()));
        for (Map.Entry<HostId, CompletableFuture<Long>> e : r.answers().entrySet()) {
            publisher.publish(topics.command(e.getKey(), Command.REFRESH), payload, false)
                    .whenComplete((ok, error) -> {
                        if (error != null) {
                            e.getValue().completeExceptionally(new IllegalStateException("the command was not delivered"
                                    + " (broker unreachable)"));
                        }
                    });
        }
        CompletableFuture.allOf(r.answers().values().toArray(CompletableFuture[]::new))
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .handle((ok, error) -> null)
                .thenCompose(x -> status.rebuildNow())
                .whenComplete((report, error) -> {
                    if (error != null) {
                        r.result().completeExceptionally(error);
                    } else {
                        r.result().complete(result(r, report));
                    }
                });
    }

    /** A state arrived (on the ingest thread): if it answers the running refresh, note when. */
    private void answered(HostState state) {
        Inflight r = current.get();
        if (r != null && state.requestId() != null && state.requestId().equals(r.requestId())) {
            CompletableFuture<Long> answer = r.answers().get(state.host());
            if (answer != null) {
                answer.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r.startNanos()));
            }
        }
    }

    private RefreshResult result(Inflight r, StatusReport report) {
        Map<HostId, RefreshHost> hosts = new TreeMap<>(java.util.Comparator.comparing(HostId::value));
        for (Map.Entry<HostId, CompletableFuture<Long>> e : r.answers().entrySet()) {
            CompletableFuture<Long> answer = e.getValue();
            Long ms = answer.isDone() && !answer.isCompletedExceptionally() ? answer.join() : null;
            List<String> problems = new ArrayList<>();
            if (ms == null) {
                String why = answer.isCompletedExceptionally()
                        ? answer.handle((v, t) -> t.getCause() != null ? t.getCause().getMessage() : t.getMessage()).join()
                        : "no answer within " + timeoutMs + " ms";
                problems.add(why);
            }
            report.host(e.getKey()).ifPresent(h -> problems.addAll(problems(h)));
            hosts.put(e.getKey(), new RefreshHost(e.getKey(), ms != null, ms, ms != null && problems.isEmpty(), problems));
        }
        RefreshResult result = RefreshResult.of(r.requestId(), r.requestedAt(), clock.instant(), timeoutMs,
                List.copyOf(hosts.values()), report);
        LOG.infof("refresh %s: %d/%d hosts pass", r.requestId(),
                result.hosts().stream().filter(RefreshHost::pass).count(), result.hosts().size());
        return result;
    }

    /** What the fresh status says is wrong with a host, one line each. */
    static List<String> problems(HostStatus h) {
        List<String> out = new ArrayList<>();
        if (h.status() != HostHealth.UP) {
            out.add("host is " + h.status().wire());
        }
        if (h.engine() != null && !h.engine().reachable()) {
            out.add("engine unreachable" + (h.engine().error() == null ? "" : ": " + h.engine().error()));
        }
        for (MountStatus m : h.mounts()) {
            if (m.health() != MountHealth.OK) {
                out.add(m.path() + " " + m.health().wire());
            }
        }
        for (ServiceStatus s : h.services()) {
            if (s.catalogued() && s.problem() != null) {
                out.add(s.service() + ": " + s.problem());
            }
        }
        return out;
    }
}
