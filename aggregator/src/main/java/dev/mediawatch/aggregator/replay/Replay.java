package dev.mediawatch.aggregator.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.contention.DetectorRun;
import dev.mediawatch.aggregator.drift.DiscoveryConfigs;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.aggregator.ingest.Ingest;
import dev.mediawatch.aggregator.stutter.Decision;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.SignalBaseline;
import dev.mediawatch.contract.SignalValue;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.contract.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Replays a recording ({@link Recorder}) through the same ingest, host registry, baselines and detector the live
 * aggregator runs ({@link Ingest}, {@link HostRegistry}, {@link DetectorRun}), on the recording's clock and as fast as
 * it goes, with no broker: every message is read at its receive time, and a detector window is decided at each window
 * line, where the live detector read the hosts, on the very messages it had (a recording without window lines: at every
 * multiple of {@code window} on the clock, :00, :05, :10 ... for 5 s, the instants the live aggregator decides on,
 * where a message that came within milliseconds of a window's time can fall on the other side). Prints each raise and clear
 * with its evidence, the score over time in brief, the learned baselines and the thresholds it would use.
 *
 * <pre>scripts/replay.sh FILE [FILE...] [key=value ...]</pre>
 *
 * Keys are those of {@code mediawatch.stutter.*} without the prefix ({@code raise-after=20s},
 * {@code thresholds=streaming-disk-read-await=2/1}, {@code learn-after=10m}, ...) and {@code max-hosts}; several
 * files are read in the order given (the rotated ones first: {@code FILE.2 FILE.1 FILE}).
 */
public final class Replay {

    /** One raise or clear, as the replay decided it. */
    public record Transition(Instant at, String alert, String change, String reason, int score, String message) {
    }

    /** What a replay found. */
    public record Result(long messages, Instant from, Instant to, List<Transition> transitions,
            Map<Instant, Integer> maxScoreByMinute, List<SignalBaseline> baselines, String thresholds) {
    }

    private static final ObjectMapper JSON = ContractJson.mapper();
    /** The start of a window line, as {@link Recorder} writes it. */
    private static final java.util.regex.Pattern WINDOW_LINE = java.util.regex.Pattern.compile("\\{\"at\":\"[^\"]*\",\"window\":");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Replay() {
    }

    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq > 0 && !Files.exists(Path.of(a))) {
                options.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
            } else {
                files.add(Path.of(a));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: replay FILE [FILE...] [key=value ...]   (keys: " + String.join(", ", Options.KEYS) + ")");
            System.exit(2);
        }
        Result r;
        try {
            r = run(files, options);
        } catch (IllegalArgumentException e) {
            System.err.println("replay: " + e.getMessage());
            System.exit(2);
            return;
        }
        print(r, System.out);
    }

    /** Replays the files in order with the options; the decisions and what was learned. */
    public static Result run(List<Path> files, Map<String, String> options) throws IOException {
        Options o = new Options(options);
        ReplayClock clock = new ReplayClock();
        HostRegistry registry = new HostRegistry(clock, o.maxHosts, 10);
        DetectorRun run = DetectorRun.configure(o, o.maxHosts);
        Duration window = run.config().window();
        Ingest ingest = null;
        Instant nextWindow = null;
        Instant first = null;
        Instant last = null;
        long messages = 0;
        List<Transition> transitions = new ArrayList<>();
        Map<Instant, Integer> scores = new TreeMap<>();
        boolean marked = hasWindowLines(files);
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                long n = 0;
                while ((line = in.readLine()) != null) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    Line l = parse(line, file, n);
                    if (l.window != null) {
                        if (marked && ingest != null) {
                            decide(run, registry, clock, l.window, transitions, scores);
                        }
                        continue;
                    }
                    if (ingest == null) {
                        ingest = new Ingest(Topics.withPrefix(prefixOf(l.topic, file, n)), registry,
                                new DiscoveryConfigs("homeassistant", 10, ContractJson.MAX_PAYLOAD_BYTES),
                                new SimpleMeterRegistry(), ContractJson.MAX_PAYLOAD_BYTES, () -> { });
                        first = l.at;
                        nextWindow = dev.mediawatch.aggregator.contention.ContentionService.nextWindow(l.at, window);
                    }
                    while (!marked && !nextWindow.isAfter(l.at)) {
                        decide(run, registry, clock, nextWindow, transitions, scores);
                        nextWindow = nextWindow.plus(window);
                    }
                    clock.set(l.at);
                    ingest.accept(l.topic, l.payload);
                    last = l.at;
                    messages++;
                }
            }
        }
        if (ingest == null) {
            throw new IllegalArgumentException("no message in " + files);
        }
        // The windows right after the last message, as the live detector would have decided them.
        for (int i = 0; i < (marked ? 0 : 2); i++) {
            decide(run, registry, clock, nextWindow, transitions, scores);
            nextWindow = nextWindow.plus(window);
        }
        var sides = DetectorRun.sides(registry.hosts());
        return new Result(messages, first, last, transitions, scores, run.baselines().views(sides),
                dev.mediawatch.aggregator.contention.ContentionService.thresholdsLine(run.baselines().progress(sides),
                        run.settle()));
    }

    private static void decide(DetectorRun run, HostRegistry registry, ReplayClock clock, Instant at,
            List<Transition> transitions, Map<Instant, Integer> scores) {
        clock.set(at);
        Decision d = run.step(at, registry.hosts());
        scores.merge(at.truncatedTo(java.time.temporal.ChronoUnit.MINUTES), d.contention().score(), Math::max);
        for (Decision.Transition t : d.transitions()) {
            transitions.add(new Transition(at, t.alertId(), t.change().name().toLowerCase(Locale.ROOT), t.reason(),
                    t.alert().state().evidence() == null ? d.contention().score() : t.alert().state().evidence().score(),
                    t.alert().state().message() + evidence(t.alert().state().evidence())));
        }
    }

    private static String evidence(dev.mediawatch.contract.StutterEvidence e) {
        if (e == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (SignalValue v : e.signals()) {
            b.append("\n      ").append(v.side()).append(' ').append(v.name()).append('@').append(v.host()).append(' ')
                    .append(number(v.value())).append(' ').append(v.unit()).append(v.crossed() ? " >= " : " < ")
                    .append(number(v.threshold())).append(v.crossed() ? " (crossed)" : "");
        }
        for (StreamSession s : e.sessions()) {
            if (s.stalledOrSilent()) {
                b.append("\n      stalled: ").append(s.user()).append(" \"").append(s.title()).append("\" on ")
                        .append(s.client()).append(", ").append(s.playMethod()).append(" (advance ")
                        .append(s.advanceRatio()).append(')');
            }
        }
        if (!e.topWriters().isEmpty()) {
            b.append("\n      top writers: ").append(String.join(", ", e.topWriters()));
        }
        return b.toString();
    }

    static void print(Result r, PrintStream out) {
        out.printf("replayed %d messages from %s to %s%n", r.messages(), TIME.format(r.from()), TIME.format(r.to()));
        out.println();
        out.println("raises and clears:");
        if (r.transitions().isEmpty()) {
            out.println("  none");
        }
        for (Transition t : r.transitions()) {
            out.printf("  %s %s %s (score %d, %s): %s%n", TIME.format(t.at()), t.change(), t.alert(), t.score(), t.reason(),
                    t.message());
        }
        out.println();
        out.println("score over time (the highest per minute):");
        StringBuilder line = new StringBuilder("  ");
        int n = 0;
        for (Map.Entry<Instant, Integer> e : r.maxScoreByMinute().entrySet()) {
            line.append(DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.of("UTC")).format(e.getKey())).append(' ')
                    .append(e.getValue()).append("  ");
            if (++n % 10 == 0) {
                out.println(line);
                line = new StringBuilder("  ");
            }
        }
        if (line.length() > 2) {
            out.println(line);
        }
        out.println();
        out.println("baselines and thresholds in force at the end (" + r.thresholds() + "):");
        out.printf("  %-20s %-9s %-17s %8s %8s %10s %10s %10s %12s %12s  %s%n", "host", "side", "signal", "samples", "calm",
                "p50", "p95", "p99", "raise", "clear", "origin");
        for (SignalBaseline b : r.baselines()) {
            out.printf("  %-20s %-9s %-17s %8d %8s %10s %10s %10s %12s %12s  %s%n", b.host(), b.side(), b.signal(),
                    b.calmSamples(), b.calmSeconds() / 60 + " min", q(b.p50()), q(b.p95()), q(b.p99()), number(b.raise()),
                    number(b.clear()), b.origin());
        }
    }

    private static String q(Double v) {
        return v == null ? "-" : number(v);
    }

    private static String number(double v) {
        if (Math.abs(v) >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    /** A message, or (with {@code window} set) the place where a detector window read the hosts. */
    private record Line(Instant at, String topic, byte[] payload, Instant window) {
    }

    /** Whether the recording marks its windows (a recording made by an aggregator that did). */
    private static boolean hasWindowLines(List<Path> files) throws IOException {
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (WINDOW_LINE.matcher(line).lookingAt()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Line parse(String line, Path file, long n) {
        try {
            JsonNode node = JSON.readTree(line);
            Instant at = Instant.parse(node.path("at").asText());
            if (node.hasNonNull("window")) {
                return new Line(at, null, null, Instant.parse(node.get("window").asText()));
            }
            String topic = node.path("topic").asText(null);
            if (topic == null) {
                throw new IllegalArgumentException("no topic");
            }
            JsonNode p = node.get("payload");
            byte[] payload = p == null || p.isNull() ? new byte[0]
                    : p.isTextual() ? p.textValue().getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(p);
            return new Line(at, topic, payload, null);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ", line " + n + ": not a recording line ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""))
                    + ")");
        }
    }

    /** {@code <prefix>/<host>/<kind>}: the prefix is all but the last two levels. */
    private static String prefixOf(String topic, Path file, long n) {
        int kind = topic.lastIndexOf('/');
        int host = kind <= 0 ? -1 : topic.lastIndexOf('/', kind - 1);
        if (host <= 0) {
            throw new IllegalArgumentException(file + ", line " + n + ": topic '" + topic + "' is not <prefix>/<host>/<kind>");
        }
        return topic.substring(0, host);
    }

    /** The recording's clock: the registry reads it when a message is read, the detector at each window. */
    static final class ReplayClock extends Clock {
        private Instant now = Instant.EPOCH;

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** {@code mediawatch.stutter.*} from key=value arguments, with the live defaults for the rest. */
    static final class Options implements AggregatorConfig.Stutter {
        static final List<String> KEYS = List.of("window", "raise-after", "stall-raise-after", "clear-after", "hold-share",
                "hold-missing-for", "media-path", "thresholds", "learn-after", "learn-days", "learning", "settle", "max-hosts");
        private final Map<String, String> values;
        final int maxHosts;

        Options(Map<String, String> values) {
            for (String k : values.keySet()) {
                if (!KEYS.contains(k)) {
                    throw new IllegalArgumentException("unknown option '" + k + "'; known: " + String.join(", ", KEYS));
                }
            }
            this.values = Map.copyOf(values);
            this.maxHosts = Integer.parseInt(values.getOrDefault("max-hosts", "1000"));
        }

        /** The live default of a {@code mediawatch.stutter} key, from the configuration mapping itself. */
        private static String defaultOf(String method) {
            try {
                return AggregatorConfig.Stutter.class.getMethod(method).getAnnotation(io.smallrye.config.WithDefault.class)
                        .value();
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }

        private Duration duration(String key, String fallback) {
            String v = values.getOrDefault(key, fallback).strip().toLowerCase(Locale.ROOT);
            try {
                return Duration.parse(v.startsWith("p") ? v.toUpperCase(Locale.ROOT) : "PT" + v.toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                if (v.endsWith("d")) {
                    return Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
                }
                throw new IllegalArgumentException(key + ": '" + v + "' is not a duration such as 20s, 10m, 1h");
            }
        }

        private Optional<List<String>> list(String key) {
            String v = values.get(key);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(List.of(v.split(",")));
        }

        @Override
        public Duration window() {
            return duration("window", defaultOf("window"));
        }

        @Override
        public Duration raiseAfter() {
            return duration("raise-after", defaultOf("raiseAfter"));
        }

        @Override
        public Duration stallRaiseAfter() {
            return duration("stall-raise-after", defaultOf("stallRaiseAfter"));
        }

        @Override
        public double holdShare() {
            String v = values.getOrDefault("hold-share", defaultOf("holdShare")).strip();
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("hold-share: '" + v + "' is not a number such as 0.75");
            }
        }

        @Override
        public Duration clearAfter() {
            return duration("clear-after", defaultOf("clearAfter"));
        }

        @Override
        public Duration holdMissingFor() {
            return duration("hold-missing-for", defaultOf("holdMissingFor"));
        }

        @Override
        public String mediaPath() {
            return values.getOrDefault("media-path", defaultOf("mediaPath"));
        }

        @Override
        public Optional<List<String>> thresholds() {
            return list("thresholds");
        }

        @Override
        public Duration learnAfter() {
            return duration("learn-after", defaultOf("learnAfter"));
        }

        @Override
        public Duration settle() {
            return duration("settle", defaultOf("settle"));
        }

        @Override
        public int learnDays() {
            return Integer.parseInt(values.getOrDefault("learn-days", defaultOf("learnDays")));
        }

        @Override
        public Optional<List<String>> learning() {
            return list("learning");
        }

        @Override
        public Path baselinesFile() {
            return Path.of("/nonexistent/replay-keeps-no-baselines");
        }
    }
}
