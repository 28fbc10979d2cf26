package dev.mediawatch.agent.host;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.mediawatch.agent.config.AgentConfig;
import dev.mediawatch.agent.config.AgentIdentity;
import dev.mediawatch.runtime.metrics.Gauges;
import dev.mediawatch.agent.containers.ContainerWatch;
import dev.mediawatch.agent.fs.HostFiles;
import dev.mediawatch.agent.fs.MountCalls;
import dev.mediawatch.agent.io.DeviceFilter;
import dev.mediawatch.agent.mounts.MountInfoParser;
import dev.mediawatch.agent.mounts.MountStatsParser;
import dev.mediawatch.runtime.mqtt.MqttSession;
import dev.mediawatch.agent.publish.StatePublisher;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.contract.MountState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Samples the host every {@code mediawatch.mounts.interval} on a thread of its own: the watched mounts
 * (through {@link MountCalls}, so a dead NFS server costs this thread at most the timeout per cycle and
 * nothing else waits on it), pressure, disks and containers' I/O. Publishes {@link HostMounts} and
 * {@link HostIo} retained every cycle and mount transitions as events.
 */
@ApplicationScoped
public class HostWatch {

    private static final Logger LOG = Logger.getLogger(HostWatch.class);

    private final AgentConfig config;
    private final AgentIdentity identity;
    private final MqttSession mqtt;
    private final StatePublisher events;
    private final ContainerWatch containers;
    private final MeterRegistry registry;
    private final List<MountSpec> specs;
    private final DeviceFilter disks;
    private final LogThrottle skippedLog = new LogThrottle(Duration.ofMinutes(1));
    private final Map<String, Counter> skippedCounters = new ConcurrentHashMap<>();
    private final LogThrottle failureLog = new LogThrottle(Duration.ofMinutes(1));

    private ScheduledExecutorService thread;
    private HostFiles files;
    private MountCalls calls;
    private MountCollector mountCollector;
    private IoCollector ioCollector;
    private Timer cycleTimer;
    private volatile HostMounts lastMounts;
    private volatile HostIo lastIo;

    public HostWatch(AgentConfig config, AgentIdentity identity, MqttSession mqtt, StatePublisher events,
            ContainerWatch containers, MeterRegistry registry) {
        this.config = config;
        this.identity = identity;
        this.mqtt = mqtt;
        this.events = events;
        this.containers = containers;
        this.registry = registry;
        this.specs = specs(config.mounts().watch(), identity.role());
        this.disks = DeviceFilter.of(config.io().disks());
    }

    /** The configured mounts, or the role's default (the split plan) when none are configured. */
    static List<MountSpec> specs(Optional<List<String>> configured, String role) {
        List<String> raw = configured.orElseGet(() -> switch (role) {
            case "download" -> List.of("/mnt/media:nfs|nfs4:rw", "/mnt/docker:nfs|nfs4:rw");
            case "streaming" -> List.of("/mnt/media:nfs|nfs4:ro", "/mnt/docker:nfs|nfs4:rw");
            default -> List.of();
        });
        if (raw.size() == 1 && raw.get(0).strip().equals("none")) {
            return List.of();
        }
        List<MountSpec> out = new ArrayList<>();
        for (String s : raw) {
            MountSpec spec;
            try {
                spec = MountSpec.parse(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mediawatch.mounts.watch: " + e.getMessage());
            }
            if (out.stream().anyMatch(o -> o.path().equals(spec.path()))) {
                throw new IllegalArgumentException("mediawatch.mounts.watch: " + spec.path() + " is listed twice");
            }
            out.add(spec);
        }
        return List.copyOf(out);
    }

    void onStart(@Observes StartupEvent event) {
        files = new HostFiles(Path.of(config.hostRoot()));
        calls = new MountCalls(config.mounts().timeout(), specs.size());
        Clock clock = Clock.systemUTC();
        mountCollector = new MountCollector(identity.host(), specs, files, calls, clock);
        ioCollector = new IoCollector(identity.host(), files, disks, clock, this::skipped);
        cycleTimer = Timer.builder("mediawatch_agent_host_cycle_seconds")
                .description("time to sample mounts, pressure and I/O once (a hung mount costs up to the timeout)")
                .register(registry);
        Gauges.replace(registry, "mediawatch_agent_mount_calls_outstanding",
                "filesystem calls on watched mounts that have not returned", Tags.empty(), this,
                w -> w.calls == null ? 0 : w.calls.outstanding());
        Gauges.replace(registry, "mediawatch_agent_mount_call_threads",
                "worker threads for filesystem calls on watched mounts (at most one per mount)", Tags.empty(), this,
                w -> w.calls == null ? 0 : w.calls.threads());
        for (MountSpec spec : specs) {
            Gauges.replace(registry, "mediawatch_agent_mount_ok", "1 while the watched mount's verdict is ok",
                    Tags.of("path", spec.path()), this, w -> w.healthOk(spec.path()));
        }
        LOG.infof("watching %s under host root %s every %s (filesystem call timeout %s); disks: %s",
                specs.isEmpty() ? "no mounts" : specs.toString(), files, config.mounts().interval(),
                config.mounts().timeout(), disks.describe());
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mediawatch-host");
            t.setDaemon(true);
            return t;
        });
        long period = config.mounts().interval().toMillis();
        // Fixed rate: samples start every interval whatever one cycle cost (a new hung mount costs it the timeout).
        thread.scheduleAtFixedRate(this::cycle, 0, period, TimeUnit.MILLISECONDS);
    }

    private double healthOk(String path) {
        HostMounts m = lastMounts;
        if (m == null) {
            return Double.NaN;
        }
        for (MountState s : m.mounts()) {
            if (s.path().equals(path)) {
                return s.health() == dev.mediawatch.contract.MountHealth.OK ? 1 : 0;
            }
        }
        return Double.NaN;
    }

    /** Sample now (the refresh command); the next periodic cycle follows as usual. */
    public void refresh() {
        if (thread != null && !thread.isShutdown()) {
            thread.execute(this::cycle);
        }
    }

    /** Runs on the one host thread only (periodic and refresh alike), so cycles never overlap. */
    private void cycle() {
        long start = System.nanoTime();
        try {
            List<MountInfoParser.Mount> mountInfo = MountTables.mountInfo(files, this::skipped);
            List<MountStatsParser.NfsMount> nfs = MountTables.mountStats(files, this::skipped);
            MountCollector.Result mounts = mountCollector.collect(mountInfo, nfs);
            HostIo io = ioCollector.collect(mountInfo, runningContainers());
            for (HostEvent e : mounts.events()) {
                LOG.infof("mount %s: %s %s -> %s %s", e.subject(), e.type(), e.from(), e.to(), e.detail());
                events.event(e);
            }
            lastMounts = mounts.mounts();
            lastIo = io;
            if (!specs.isEmpty()) {
                mqtt.publish(identity.topics().mounts(identity.host()), ContractJson.write(mounts.mounts()), true);
            }
            mqtt.publish(identity.topics().io(identity.host()), ContractJson.write(io), true);
        } catch (RuntimeException e) {
            // A bug must cost one sample, never the schedule (an exception would end a periodic task), and a
            // lasting one must not write a stack every interval.
            long held = failureLog.tryLog(System.nanoTime());
            if (held >= 0) {
                LOG.warnf(e, "host sample failed%s", held > 0 ? " (" + held + " more since the last such line)" : "");
            }
        } finally {
            cycleTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private List<IoCollector.ContainerRef> runningContainers() {
        HostState state = containers.current();
        Map<String, Long> pids = containers.pids();
        if (state == null || pids.isEmpty()) {
            return List.of();
        }
        List<IoCollector.ContainerRef> out = new ArrayList<>();
        for (ContainerState c : state.containers()) {
            Long pid = pids.get(c.name());
            if (pid != null) {
                out.add(new IoCollector.ContainerRef(c.name(), c.service(), pid));
            }
        }
        return out;
    }

    void skipped(String file, int count) {
        skippedCounters.computeIfAbsent(file, f -> Counter.builder("mediawatch_agent_proc_lines_skipped_total")
                .tag("file", f).description("malformed lines of host files skipped").register(registry))
                .increment(count);
        long held = skippedLog.tryLog(System.nanoTime());
        if (held >= 0) {
            LOG.warnf("skipped %d malformed line(s) of %s%s", count, file,
                    held > 0 ? " (" + held + " more such warnings held back)" : "");
        }
    }

    public HostMounts currentMounts() {
        return lastMounts;
    }

    public HostIo currentIo() {
        return lastIo;
    }

    /** Worker threads for mount calls alive now. */
    public int mountCallThreads() {
        return calls == null ? 0 : calls.threads();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.shutdownNow();
        }
        if (calls != null) {
            calls.close();
        }
    }
}
