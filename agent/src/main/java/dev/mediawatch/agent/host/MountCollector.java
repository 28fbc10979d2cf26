package dev.mediawatch.agent.host;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mediawatch.agent.fs.HostFiles;
import dev.mediawatch.agent.fs.MountCalls;
import dev.mediawatch.agent.mounts.MountInfoParser;
import dev.mediawatch.agent.mounts.MountStatsParser;
import dev.mediawatch.agent.mounts.NfsRates;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountSpace;
import dev.mediawatch.contract.MountState;
import dev.mediawatch.contract.NfsOpStats;
import dev.mediawatch.contract.NfsOptions;
import dev.mediawatch.contract.NfsStats;

/**
 * Judges the watched mounts from the mount table, the NFS client statistics and one {@code stat}/{@code statvfs}
 * per mount (through {@link MountCalls}, so a dead mount costs at most the timeout). Plain Java with an
 * injectable clock; called from one thread. Keeps the previous sample of each mount for rates and
 * transitions.
 */
public final class MountCollector {

    /** A snapshot and the transitions since the previous one. */
    public record Result(HostMounts mounts, List<HostEvent> events) {
    }

    private record NfsSample(MountStatsParser.NfsMount stats, Instant at) {
    }

    private final HostId host;
    private final List<MountSpec> specs;
    private final HostFiles files;
    private final MountCalls calls;
    private final Clock clock;
    private final Map<String, MountState> previous = new HashMap<>();
    private final Map<String, NfsSample> previousNfs = new HashMap<>();

    public MountCollector(HostId host, List<MountSpec> specs, HostFiles files, MountCalls calls, Clock clock) {
        this.host = host;
        this.specs = List.copyOf(specs);
        this.files = files;
        this.calls = calls;
        this.clock = clock;
    }

    /**
     * @param mountInfo  the parsed mount table of the agent's mount view
     * @param mountStats the parsed NFS statistics of the same view (empty when there are none)
     */
    public Result collect(List<MountInfoParser.Mount> mountInfo, List<MountStatsParser.NfsMount> mountStats) {
        Map<String, MountInfoParser.Mount> byPoint = new HashMap<>();
        for (MountInfoParser.Mount m : mountInfo) {
            byPoint.put(m.mountPoint(), m); // later lines are mounted over earlier ones: the last one is seen
        }
        Map<String, MountStatsParser.NfsMount> statsByPoint = new HashMap<>();
        for (MountStatsParser.NfsMount m : mountStats) {
            statsByPoint.put(m.mountPoint(), m);
        }
        Map<String, Path> toCall = new LinkedHashMap<>();
        for (MountSpec spec : specs) {
            if (byPoint.containsKey(spec.path())) {
                toCall.put(spec.path(), files.path(spec.path()));
            }
        }
        Map<String, MountCalls.Outcome> outcomes = toCall.isEmpty() ? Map.of() : calls.check(toCall);
        Instant now = clock.instant();

        List<MountState> states = new ArrayList<>(specs.size());
        List<HostEvent> events = new ArrayList<>();
        for (MountSpec spec : specs) {
            MountState state = judge(spec, byPoint.get(spec.path()), statsByPoint.get(spec.path()),
                    outcomes.get(spec.path()), now);
            MountState before = previous.get(spec.path());
            if (before != null && before.health() == state.health()) {
                state = state.since(before.since());
            }
            transitions(before, state, now, events);
            previous.put(spec.path(), state);
            states.add(state);
        }
        return new Result(HostMounts.of(host, now, states), List.copyOf(events));
    }

    private MountState judge(MountSpec spec, MountInfoParser.Mount m, MountStatsParser.NfsMount stats,
            MountCalls.Outcome outcome, Instant now) {
        List<String> problems = new ArrayList<>();
        MountHealth health = MountHealth.OK;
        if (m == null) {
            previousNfs.remove(spec.path());
            problems.add("nothing is mounted on " + spec.path());
            return new MountState(spec.path(), spec.fsTypesText(), spec.mode(), MountHealth.MISSING, problems, now,
                    false, null, null, null, null, null, null, null);
        }
        String mode = m.readOnly() ? "ro" : "rw";
        String superMode = m.superOptions().containsKey("ro") ? "ro" : "rw";
        MountSpace space = null;
        if (outcome instanceof MountCalls.Answer a) {
            space = MountSpace.of(a.totalBytes(), a.freeBytes(), a.availableBytes());
        } else if (outcome instanceof MountCalls.Hung h) {
            health = worse(health, MountHealth.HUNG);
            problems.add("stat/statvfs has not returned for " + seconds(h.outstanding()));
        } else if (outcome instanceof MountCalls.Failed f) {
            health = worse(health, f.stale() ? MountHealth.STALE : MountHealth.DEGRADED);
            problems.add(f.reason());
        }
        if (spec.mode() != null && !spec.mode().equals(mode)) {
            health = worse(health, MountHealth.WRONG_MODE);
            problems.add("mounted " + mode + ", expected " + spec.mode());
        }
        if (!spec.fsTypes().isEmpty() && !spec.fsTypes().contains(m.fsType())) {
            health = worse(health, MountHealth.WRONG_MODE);
            problems.add("filesystem " + m.fsType() + ", expected " + spec.fsTypesText());
        }
        boolean nfs = m.fsType().startsWith("nfs");
        NfsStats nfsStats = null;
        if (nfs && stats != null) {
            NfsSample before = previousNfs.put(spec.path(), new NfsSample(stats, now));
            if (before != null) {
                double seconds = Duration.between(before.at(), now).toNanos() / 1e9;
                NfsRates rates = NfsRates.between(before.stats(), stats, seconds);
                if (rates != null) {
                    nfsStats = nfsStats(rates, seconds);
                    if (rates.timeoutsPerSecond() > 0) {
                        health = worse(health, MountHealth.DEGRADED);
                        problems.add(String.format(java.util.Locale.ROOT, "%.2f NFS timeouts/s", rates.timeoutsPerSecond()));
                    }
                    if (rates.retransmissionsPerSecond() > 0) {
                        health = worse(health, MountHealth.DEGRADED);
                        problems.add(String.format(java.util.Locale.ROOT, "%.2f NFS retransmissions/s",
                                rates.retransmissionsPerSecond()));
                    }
                }
            }
        } else {
            previousNfs.remove(spec.path());
        }
        return new MountState(spec.path(), spec.fsTypesText(), spec.mode(), health, problems, now, true, m.source(),
                m.fsType(), mode, superMode, nfs ? nfsOptions(m.superOptions()) : null, space, nfsStats);
    }

    private static NfsOptions nfsOptions(Map<String, String> o) {
        Boolean hard = o.containsKey("soft") || o.containsKey("softerr") ? Boolean.FALSE : Boolean.TRUE;
        return new NfsOptions(o.get("vers"), o.get("proto"), hard, integer(o.get("timeo")), integer(o.get("retrans")));
    }

    private static Integer integer(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static NfsStats nfsStats(NfsRates r, double seconds) {
        List<NfsOpStats> ops = new ArrayList<>();
        r.ops().forEach((name, o) -> {
            if (o.opsPerSecond() > 0 || o.timeoutsPerSecond() > 0) {
                ops.add(new NfsOpStats(name, Num.r3(o.opsPerSecond()), Num.r3(o.avgRttMs()), Num.r3(o.avgExecuteMs()),
                        Num.r3(o.retransmissionsPerSecond()), Num.r3(o.timeoutsPerSecond()), Num.r3(o.errorsPerSecond())));
            }
        });
        ops.sort(Comparator.comparingDouble(NfsOpStats::opsPerSec).reversed().thenComparing(NfsOpStats::op));
        return new NfsStats(Num.r3(seconds), Math.round(r.readBytesPerSecond()), Math.round(r.writeBytesPerSecond()),
                Num.r3(r.retransmissionsPerSecond()), Num.r3(r.timeoutsPerSecond()), Num.r3(r.backlog()), ops);
    }

    private void transitions(MountState before, MountState now, Instant at, List<HostEvent> events) {
        if (before == null) {
            return; // the first look: the retained snapshot tells, there is no change to report
        }
        if (!before.mounted() && now.mounted()) {
            events.add(HostEvent.of(host, EventTypes.MOUNT_MOUNTED, at, now.path(), null, null,
                    Map.of("source", String.valueOf(now.source()), "fsType", String.valueOf(now.fsType()),
                            "mode", String.valueOf(now.mode()))));
        } else if (before.mounted() && !now.mounted()) {
            events.add(HostEvent.of(host, EventTypes.MOUNT_UNMOUNTED, at, now.path(), null, null,
                    Map.of("source", String.valueOf(before.source()))));
        } else if (before.mounted() && now.mounted() && !before.mode().equals(now.mode())) {
            events.add(HostEvent.of(host, EventTypes.MOUNT_MODE_CHANGED, at, now.path(), before.mode(), now.mode(),
                    Map.of()));
        }
        if (before.health() != now.health()) {
            events.add(HostEvent.of(host, EventTypes.MOUNT_HEALTH, at, now.path(), before.health().wire(),
                    now.health().wire(), now.problems().isEmpty() ? Map.of()
                            : Map.of("problems", String.join("; ", now.problems()))));
        }
    }

    private static MountHealth worse(MountHealth a, MountHealth b) {
        return b.severity() > a.severity() ? b : a;
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
