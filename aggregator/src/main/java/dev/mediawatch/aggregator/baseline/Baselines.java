package dev.mediawatch.aggregator.baseline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.mediawatch.aggregator.stutter.DetectorConfig;
import dev.mediawatch.aggregator.stutter.DetectorConfig.Rule;
import dev.mediawatch.aggregator.stutter.Signals;
import dev.mediawatch.aggregator.stutter.Thresholds;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.SignalBaseline;
import dev.mediawatch.contract.SignalValue;

/**
 * What each host's signals look like when nothing is wrong, and the thresholds that follow from it. The detector
 * asks it for the rule in force per host and signal ({@link Thresholds}); after each window the wiring tells it the
 * window's values and whether the window was calm ({@link #observe}).
 *
 * <p>Per host and learnable signal it keeps the calm values of the last {@code keepDays} days ({@link CalmHistory}).
 * Once {@code learnAfter} of calm has been seen, the signal's thresholds are learned: raise at the larger of the
 * signal's floor and its factor times the calm p99, clear at the default's ratio of clear to raise (the hysteresis
 * is kept). Until then, and for signals that are not learned (counts), the defaults apply. A threshold the owner
 * configured ({@code mediawatch.stutter.thresholds}) wins for that signal on every host.
 *
 * <p>Plain Java, thread-safe (one lock; the detector's thread writes, the API reads). Bounded: at most
 * {@code maxEntries} host-signal histories; a history whose days have all aged out is dropped.
 */
public final class Baselines implements Thresholds {

    private record Key(HostId host, String side, String name) {
    }

    private final BaselineConfig config;
    private final DetectorConfig defaults;
    private final Set<String> configured;
    private final int maxEntries;
    private final Map<Key, CalmHistory> histories = new HashMap<>();

    /**
     * @param defaults   the detector's configuration: the default thresholds, with the configured ones in them
     * @param configured the signals whose thresholds the owner configured, as {@code <side>/<signal>}
     * @param maxEntries the most host-signal histories kept (hosts x learnable signals)
     */
    public Baselines(BaselineConfig config, DetectorConfig defaults, Set<String> configured, int maxEntries) {
        this.config = Objects.requireNonNull(config, "config");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.configured = Set.copyOf(configured);
        this.maxEntries = maxEntries;
    }

    public BaselineConfig config() {
        return config;
    }

    @Override
    public synchronized Rule rule(HostId host, String side, String name) {
        Rule fallback = defaults.rule(side, name);
        if (configured.contains(BaselineConfig.key(side, name))) {
            return fallback;
        }
        BaselineConfig.Learn learn = config.learn(side, name).orElse(null);
        if (learn == null) {
            return fallback;
        }
        CalmHistory h = histories.get(new Key(host, side, name));
        if (h == null || h.seconds() < config.learnAfter().toSeconds()) {
            return fallback;
        }
        return learned(learn, h.quantiles()[2], fallback);
    }

    private static Rule learned(BaselineConfig.Learn learn, double p99, Rule fallback) {
        double raise = Math.max(learn.floor(), learn.factor() * Math.max(0, p99));
        double ratio = fallback.raise() > 0 ? fallback.clear() / fallback.raise() : 0.5;
        return new Rule(raise, raise * ratio, fallback.weight());
    }

    /**
     * One detector window: its values, and whether it was calm (nothing downloading, no stutter raised, no stream
     * stalled). Only calm windows are learned from; a learnable signal's value counts for {@code window} of calm.
     */
    public synchronized void observe(Instant now, Duration window, List<SignalValue> values, boolean calm) {
        if (calm) {
            double seconds = window.toMillis() / 1000.0;
            for (SignalValue v : values) {
                if (config.learn(v.side(), v.name()).isEmpty()) {
                    continue;
                }
                Key k = new Key(v.host(), v.side(), v.name());
                CalmHistory h = histories.get(k);
                if (h == null) {
                    if (histories.size() >= maxEntries) {
                        continue;
                    }
                    h = new CalmHistory(config.keepDays());
                    histories.put(k, h);
                }
                h.add(now, v.value(), seconds);
            }
        }
        for (Iterator<CalmHistory> it = histories.values().iterator(); it.hasNext();) {
            CalmHistory h = it.next();
            h.ageAt(now);
            if (h.isEmpty()) {
                it.remove();
            }
        }
    }

    /**
     * Per host and signal the detector reads ({@code hostSides}: each host's side), what is known and in force;
     * hosts by name, then side, then the side's signal order.
     */
    public synchronized List<SignalBaseline> views(Map<HostId, String> hostSides) {
        List<SignalBaseline> out = new ArrayList<>();
        List<HostId> hosts = new ArrayList<>(hostSides.keySet());
        hosts.sort(Comparator.comparing(HostId::value));
        for (HostId host : hosts) {
            String side = hostSides.get(host);
            List<String> names = Signals.DOWNLOAD.equals(side) ? Signals.DOWNLOAD_SIGNALS : Signals.STREAMING_SIGNALS;
            for (String name : names) {
                out.add(view(host, side, name));
            }
        }
        return out;
    }

    private SignalBaseline view(HostId host, String side, String name) {
        CalmHistory h = histories.get(new Key(host, side, name));
        boolean learnable = config.learn(side, name).isPresent();
        Rule rule = rule(host, side, name);
        String origin = configured.contains(BaselineConfig.key(side, name)) ? SignalBaseline.CONFIGURED
                : learnable && h != null && h.seconds() >= config.learnAfter().toSeconds() ? SignalBaseline.LEARNED
                : SignalBaseline.DEFAULT;
        double[] q = h == null ? null : h.quantiles();
        return new SignalBaseline(host, side, name, Signals.unit(name), h == null ? 0 : h.samples(),
                h == null ? 0 : (long) h.seconds(), h == null ? null : h.first(), h == null ? null : h.last(),
                q == null ? null : round(q[0]), q == null ? null : round(q[1]), q == null ? null : round(q[2]),
                round(rule.raise()), round(rule.clear()), origin, learnable);
    }

    /**
     * How far learning has come: of the hosts' learnable signals, how many have reported at all, how many are
     * learned, and the calm the least-learned reported one has seen. A signal a host never reports (no NFS mount,
     * nobody on Jellyfin yet) is counted apart: it keeps its defaults and does not hold "learning" open.
     */
    public synchronized Progress progress(Map<HostId, String> hostSides) {
        int learnable = 0;
        int reported = 0;
        int learned = 0;
        long least = Long.MAX_VALUE;
        for (Map.Entry<HostId, String> e : hostSides.entrySet()) {
            List<String> names = Signals.DOWNLOAD.equals(e.getValue()) ? Signals.DOWNLOAD_SIGNALS : Signals.STREAMING_SIGNALS;
            for (String name : names) {
                if (config.learn(e.getValue(), name).isEmpty() || configured.contains(BaselineConfig.key(e.getValue(), name))) {
                    continue;
                }
                learnable++;
                CalmHistory h = histories.get(new Key(e.getKey(), e.getValue(), name));
                if (h == null) {
                    continue;
                }
                reported++;
                long seconds = (long) h.seconds();
                if (seconds >= config.learnAfter().toSeconds()) {
                    learned++;
                } else {
                    least = Math.min(least, seconds);
                }
            }
        }
        return new Progress(learned, reported, learnable, least == Long.MAX_VALUE ? config.learnAfter().toSeconds() : least,
                config.learnAfter().toSeconds());
    }

    /**
     * @param learned        reported signals with their thresholds learned
     * @param reported       learnable signals that reported at least once (calm or not)
     * @param learnable      learnable signals of the hosts asked about
     * @param leastSeconds   calm seen by the least-learned reported one (seconds)
     * @param neededSeconds  calm needed
     */
    public record Progress(int learned, int reported, int learnable, long leastSeconds, long neededSeconds) {
        public boolean learning() {
            return learned < reported;
        }

        public int unreported() {
            return learnable - reported;
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    // ---- the store's view -----------------------------------------------------------------------------------

    /** Every history as stored ({@link BaselineStore}). */
    synchronized List<BaselineStore.Entry> entries() {
        List<BaselineStore.Entry> out = new ArrayList<>();
        for (Map.Entry<Key, CalmHistory> e : histories.entrySet()) {
            List<BaselineStore.DayEntry> days = new ArrayList<>();
            for (CalmHistory.Day d : e.getValue().days()) {
                days.add(new BaselineStore.DayEntry(d.epochDay, d.samples, d.seconds, d.first, d.last,
                        CalmHistory.encode(d.digest)));
            }
            out.add(new BaselineStore.Entry(e.getKey().host().value(), e.getKey().side(), e.getKey().name(), days));
        }
        out.sort(Comparator.comparing(BaselineStore.Entry::host).thenComparing(BaselineStore.Entry::side)
                .thenComparing(BaselineStore.Entry::signal));
        return out;
    }

    /** Puts stored histories back; learnable signals only, within the bound. */
    synchronized void restore(List<BaselineStore.Entry> entries) {
        for (BaselineStore.Entry e : entries) {
            if (config.learn(e.side(), e.signal()).isEmpty() || histories.size() >= maxEntries) {
                continue;
            }
            CalmHistory h = new CalmHistory(config.keepDays());
            for (BaselineStore.DayEntry d : e.days()) {
                CalmHistory.Day day = new CalmHistory.Day(d.epochDay(), CalmHistory.decode(d.digest()));
                day.samples = d.samples();
                day.seconds = d.seconds();
                day.first = d.first();
                day.last = d.last();
                h.restore(day);
            }
            if (!h.isEmpty()) {
                histories.put(new Key(HostId.of(e.host()), e.side(), e.signal()), h);
            }
        }
    }
}
