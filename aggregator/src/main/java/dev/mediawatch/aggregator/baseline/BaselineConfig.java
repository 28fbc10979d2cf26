package dev.mediawatch.aggregator.baseline;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.mediawatch.aggregator.stutter.Signals;
import dev.mediawatch.contract.Text;

/**
 * How thresholds are learned from calm: how much calm a signal needs before its learned thresholds are used, how
 * many days of calm are kept, and per learnable signal the floor and the factor (raise at the larger of the floor
 * and factor x the calm p99). docs/decisions/0010-learned-thresholds.md justifies the defaults.
 *
 * @param learnAfter calm seen on a host's signal before its learned thresholds replace the defaults
 * @param keepDays   days of calm kept per host and signal (daily pieces; older ones are dropped)
 * @param learn      per learnable signal, by {@code <side>/<signal>}
 */
public record BaselineConfig(Duration learnAfter, int keepDays, Map<String, Learn> learn) {

    /** The most days of calm kept per host and signal. */
    public static final int MAX_KEEP_DAYS = 90;

    /**
     * How one signal's thresholds are made from its calm p99.
     *
     * @param floor  the raise threshold is never below this (the signal's unit): below it, differences are noise
     * @param factor the raise threshold is this many times the calm p99
     */
    public record Learn(double floor, double factor) {
        public Learn {
            if (!Double.isFinite(floor) || floor < 0 || !Double.isFinite(factor) || factor < 1) {
                throw new IllegalArgumentException("floor must be >= 0 and factor >= 1, got " + floor + "/" + factor);
            }
        }
    }

    public BaselineConfig {
        Objects.requireNonNull(learnAfter, "learnAfter");
        if (learnAfter.isNegative() || learnAfter.isZero()) {
            throw new IllegalArgumentException("learnAfter must be positive, got " + learnAfter);
        }
        if (keepDays < 1 || keepDays > MAX_KEEP_DAYS) {
            throw new IllegalArgumentException("keepDays must be 1-" + MAX_KEEP_DAYS + ", got " + keepDays);
        }
        learn = Map.copyOf(learn);
    }

    /** 1 MB/s, decimal. */
    private static final double MB = 1_000_000;

    /** The defaults of docs/decisions/0010. Counts (downloaders, transcodes behind, stalls) are not learned. */
    public static Map<String, Learn> defaultLearning() {
        Map<String, Learn> m = new LinkedHashMap<>();
        m.put(key(Signals.STREAMING, Signals.NFS_READ_RTT), new Learn(5, 3));
        m.put(key(Signals.STREAMING, Signals.NFS_READ_EXE), new Learn(10, 3));
        m.put(key(Signals.STREAMING, Signals.DISK_READ_AWAIT), new Learn(2, 3));
        m.put(key(Signals.STREAMING, Signals.IO_PSI), new Learn(10, 2));
        m.put(key(Signals.DOWNLOAD, Signals.NFS_WRITE), new Learn(5 * MB, 3));
        m.put(key(Signals.DOWNLOAD, Signals.DISK_WRITE), new Learn(5 * MB, 3));
        m.put(key(Signals.DOWNLOAD, Signals.IO_PSI), new Learn(10, 2));
        return m;
    }

    public static BaselineConfig defaults() {
        return new BaselineConfig(Duration.ofHours(1), 7, defaultLearning());
    }

    public Optional<Learn> learn(String side, String name) {
        return Optional.ofNullable(learn.get(key(side, name)));
    }

    public static String key(String side, String name) {
        return side + "/" + name;
    }

    /**
     * The defaults with the owner's overrides, each {@code <side>-<signal>=<floor>/<factor>}; a mistake stops startup
     * naming {@code mediawatch.stutter.learning} and the entry.
     */
    public static BaselineConfig of(Duration learnAfter, int keepDays, List<String> overrides) {
        Map<String, Learn> m = defaultLearning();
        for (String raw : overrides) {
            String entry = raw.strip();
            int eq = entry.indexOf('=');
            int slash = entry.indexOf('/', eq + 1);
            if (eq <= 0 || slash < 0) {
                throw bad(entry, "expected <side>-<signal>=<floor>/<factor>");
            }
            String name = entry.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            int dash = name.indexOf('-');
            String key = dash < 0 ? name : key(name.substring(0, dash), name.substring(dash + 1));
            if (!m.containsKey(key)) {
                throw bad(entry, "'" + Text.printable(name, 40) + "' is not a learnable signal; learnable: "
                        + String.join(", ", m.keySet().stream().map(k -> k.replace('/', '-')).toList()));
            }
            try {
                m.put(key, new Learn(Double.parseDouble(entry.substring(eq + 1, slash).strip()),
                        Double.parseDouble(entry.substring(slash + 1).strip())));
            } catch (NumberFormatException e) {
                throw bad(entry, "floor and factor must be numbers");
            } catch (IllegalArgumentException e) {
                throw bad(entry, e.getMessage());
            }
        }
        try {
            return new BaselineConfig(learnAfter, keepDays, m);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mediawatch.stutter: " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("mediawatch.stutter.learning: '" + Text.printable(entry, 80) + "': " + why);
    }
}
