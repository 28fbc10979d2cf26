package dev.mediawatch.aggregator.contention;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mediawatch.aggregator.baseline.Baselines;
import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.aggregator.stutter.Decision;
import dev.mediawatch.aggregator.stutter.DetectorConfig;
import dev.mediawatch.aggregator.stutter.HostSample;
import dev.mediawatch.aggregator.stutter.Signals;
import dev.mediawatch.aggregator.stutter.StutterDetector;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.SignalValue;
import dev.mediawatch.contract.StreamSession;

/**
 * One detector window, the same live and in a replay: the registry's hosts as samples, the decision on the thresholds
 * in force (learned, configured or default: {@link Baselines}), then the window taught to the baselines when it was
 * calm. Plain Java, no I/O; the live wiring ({@link ContentionService}) and {@code Replay} both call {@link #step}.
 */
public final class DetectorRun {

    private final StutterDetector detector;
    private final Baselines baselines;
    private final Duration window;
    private final Duration settle;

    public DetectorRun(DetectorConfig config, Baselines baselines) {
        this(config, baselines, SETTLE);
    }

    public DetectorRun(DetectorConfig config, Baselines baselines, Duration settle) {
        this.detector = new StutterDetector(config, baselines);
        this.baselines = baselines;
        this.window = config.window();
        this.settle = java.util.Objects.requireNonNull(settle, "settle");
    }

    /**
     * The detector and baselines {@code mediawatch.stutter.*} describe, for {@code maxHosts} hosts; a mistake stops
     * startup (or a replay) naming the key and the entry.
     */
    public static DetectorRun configure(dev.mediawatch.aggregator.config.AggregatorConfig.Stutter s, int maxHosts) {
        DetectorConfig config = DetectorSettings.of(s);
        Baselines baselines = new Baselines(dev.mediawatch.aggregator.baseline.BaselineConfig.of(s.learnAfter(),
                s.learnDays(), s.learning().orElse(List.of())), config, DetectorSettings.configured(s),
                maxHosts * dev.mediawatch.aggregator.baseline.BaselineConfig.defaultLearning().size());
        return new DetectorRun(config, baselines, s.settle());
    }

    /** How long a host must have been online before its samples are learned from. */
    public Duration settle() {
        return settle;
    }

    public Baselines baselines() {
        return baselines;
    }

    public DetectorConfig config() {
        return detector.config();
    }

    /**
     * A host online for less than this is settling: what it reports is not learned from. An agent's first samples
     * carry its own start (a JVM reading its classes: 100 reads at 13 ms where the disk's calm is 0.3 ms), and so do
     * the aggregator's first windows where it shares the disk; one of those in the calm p99 would set a threshold no
     * contention crosses. The default of {@code mediawatch.stutter.settle}.
     */
    public static final Duration SETTLE = Duration.ofMinutes(1);

    /** Decides the window at {@code now} over the hosts, and learns from it if it was calm. */
    public Decision step(Instant now, Collection<HostRecord> records) {
        Set<HostId> settling = new HashSet<>();
        for (HostRecord r : records) {
            if (r.availabilitySince() == null || Duration.between(r.availabilitySince(), now).compareTo(settle) < 0) {
                settling.add(r.host());
            }
        }
        return decide(now, samples(records), settling);
    }

    /** The same over samples already made (generated traces). */
    public Decision decide(Instant now, List<HostSample> samples) {
        return decide(now, samples, Set.of());
    }

    private Decision decide(Instant now, List<HostSample> samples, Set<HostId> settling) {
        Decision d = detector.decide(now, samples);
        List<SignalValue> values = d.contention().evidence().signals();
        if (!settling.isEmpty()) {
            values = values.stream().filter(v -> !settling.contains(v.host())).toList();
        }
        baselines.observe(now, window, values, calm(d));
        return d;
    }

    /**
     * A window to learn from: nothing downloading (the downloaders count is 0 on every download host that reported
     * it; where none did, no download pressure), no contention (download pressure with degraded streaming, whether
     * or not anybody watches), no stutter raised and no stream stalled, so an evening of contention never becomes
     * "normal". A streaming side degraded by
     * the default thresholds alone is not excluded: that is how a slow NAS stops looking degraded.
     */
    public static boolean calm(Decision d) {
        if (d.stutter().raised() || Contention.CONTENTION.equals(d.contention().state())) {
            // Contention is never calm, alert or not: writes no downloader API counts (an import, a transcode)
            // slowing the NAS while nobody watches would otherwise become the normal.
            return false;
        }
        for (StreamSession s : d.contention().evidence().sessions()) {
            if (s.stalledOrSilent()) {
                return false;
            }
        }
        boolean downloadersKnown = false;
        for (SignalValue v : d.contention().evidence().signals()) {
            if (Signals.DOWNLOADERS.equals(v.name())) {
                downloadersKnown = true;
                if (v.value() > 0) {
                    return false;
                }
            }
            if (Signals.PLAYBACK_STALLED.equals(v.name()) && v.crossed()) {
                return false;
            }
        }
        if (!downloadersKnown) {
            String state = d.contention().state();
            return !Contention.DOWNLOADING.equals(state) && !Contention.CONTENTION.equals(state);
        }
        return true;
    }

    /** The detector's view of every host the registry holds. */
    public static List<HostSample> samples(Collection<HostRecord> records) {
        List<HostSample> samples = new ArrayList<>(records.size());
        for (HostRecord r : records) {
            samples.add(new HostSample(r.host(), r.state() == null ? null : r.state().role(),
                    r.availability() == Availability.ONLINE, r.lastSeen(), r.io(), r.mounts(), r.activity()));
        }
        return samples;
    }

    /** Each download or streaming host and its side, for the baselines' views. */
    public static Map<HostId, String> sides(Collection<HostRecord> records) {
        Map<HostId, String> out = new LinkedHashMap<>();
        for (HostSample s : samples(records)) {
            if (s.download()) {
                out.put(s.host(), Signals.DOWNLOAD);
            } else if (s.streaming()) {
                out.put(s.host(), Signals.STREAMING);
            }
        }
        return out;
    }
}
