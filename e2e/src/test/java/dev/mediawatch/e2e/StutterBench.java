package dev.mediawatch.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpServer;

import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.BaselineReport;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.SignalBaseline;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.TestServices;

/**
 * The stutter benchmark on this machine with the packaged apps (not a test; scripts/bench/stutter.sh runs it): two
 * agents (download and streaming roles), the aggregator with thresholds learned from a minute of calm, a paced 4 KiB
 * direct reader as the stream and a random and a sequential direct writer as the downloads.
 * <ol>
 * <li>{@code runs} cycles: how long from the writers' start until stutter is raised, and from their stop until it
 * clears (the median and the worst);</li>
 * <li>then {@code quietMinutes} of writers only while Jellyfin (its answer recorded from its documented API and served
 * here: Jellyfin cannot run on this machine) reports nobody playing: stutter must never be raised.</li>
 * </ol>
 */
public final class StutterBench {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DL = "dl-" + RUN;
    private static final String ST = "st-" + RUN;
    private static final String PREFIX = "mw-sbench-" + RUN;
    private static final String JELLYFIN_KEY = "bench-key-" + RUN;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int quietMinutes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path work = Path.of(args.length > 2 ? args[2] : "target/stutter-bench").resolve(RUN);
        Files.createDirectories(work.resolve("fio"));
        // Every file fio will use, laid out before the apps start: laying out is writing, and writes during the
        // calm the thresholds are learned from would be learned as calm.
        for (String[] f : new String[][] { { "reader", "64m" }, { "random", "256m" }, { "seq", "256m" } }) {
            Process layout = new ProcessBuilder("fio", "--name=" + f[0], "--directory=" + work.resolve("fio"),
                    "--size=" + f[1], "--create_only=1", "--output=/dev/null").redirectErrorStream(true)
                    .redirectOutput(work.resolve("fio-layout-" + f[0] + ".log").toFile()).start();
            if (!layout.waitFor(120, TimeUnit.SECONDS) || layout.exitValue() != 0) {
                throw new IllegalStateException("fio could not lay out its " + f[0] + " file: see " + work);
            }
        }
        List<AutoCloseable> closing = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        // Jellyfin's /Sessions answering "nobody plays" (an empty list), or "somebody plays" (one session, not paused).
        boolean[] playing = { true };
        HttpServer jellyfin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Instant playStart = Instant.now();
        jellyfin.createContext("/Sessions", ex -> {
            byte[] body = (playing[0] ? playing(playStart, Instant.now()) : "[]").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        jellyfin.start();
        try {
            Path catalogue = work.resolve("media.services.yaml");
            Files.writeString(catalogue, "version: 1\nhosts: [" + DL + ", " + ST + "]\nservices: []\n");
            for (String[] h : new String[][] { { DL, "download" }, { ST, "streaming" } }) {
                Map<String, String> env = AppProcess.agentEnv(PREFIX, h[0], h[1], catalogue);
                env.put("MEDIAWATCH_THROTTLE_STATE_FILE", work.resolve(h[0] + "-throttle.json").toString());
                if (h[1].equals("streaming")) {
                    env.put("MEDIAWATCH_ACTIVITY_JELLYFIN_URL", "http://127.0.0.1:" + jellyfin.getAddress().getPort());
                    env.put("MEDIAWATCH_JELLYFIN_API_KEY", JELLYFIN_KEY);
                }
                closing.add(AppProcess.start("agent-" + h[1], AppProcess.app("agent"), work, Ports.free(), env));
            }
            processes.add(fio(work, "reader", "--rw=randread", "--bs=4k", "--size=64m", "--rate_iops=50",
                    "--runtime=" + (runs * 300 + quietMinutes * 60 + 600)));
            Map<String, String> env = new HashMap<>(Map.of("MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                    "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()), "MEDIAWATCH_TOPIC_PREFIX", PREFIX,
                    "MEDIAWATCH_CATALOGUE", catalogue.toString(),
                    "MEDIAWATCH_STUTTER_BASELINES_FILE", work.resolve("baselines.json").toString(),
                    "MEDIAWATCH_STUTTER_LEARN_AFTER", "60s",
                    "MEDIAWATCH_RECORDING_FILE", work.resolve("recording.jsonl").toString()));
            AppProcess aggregator = AppProcess.start("aggregator", AppProcess.app("aggregator"), work, Ports.free(), env);
            closing.add(aggregator);
            long learnStart = System.nanoTime();
            waitFor(Duration.ofMinutes(4), () -> {
                BaselineReport b = ContractJson.readBaselines(aggregator.get("/api/baselines").getBytes(StandardCharsets.UTF_8));
                return b.baselines().stream().filter(x -> x.origin().equals(SignalBaseline.LEARNED)).count() >= 4;
            });
            System.out.printf("thresholds learned after %d s of calm: %s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - learnStart),
                    ContractJson.readBaselines(aggregator.get("/api/baselines").getBytes(StandardCharsets.UTF_8)).baselines()
                            .stream().filter(x -> x.origin().equals(SignalBaseline.LEARNED))
                            .map(x -> x.host() + " " + x.signal() + " raise " + x.raise()).toList());

            List<Long> raises = new ArrayList<>();
            List<Long> clears = new ArrayList<>();
            List<Long> fromDegraded = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                Instant start = Instant.now();
                List<Process> writers = List.of(fio(work, "random", "--rw=randwrite", "--bs=64k", "--size=256m",
                        "--runtime=300"), fio(work, "seq", "--rw=write", "--bs=1m", "--size=256m", "--runtime=300"));
                // Until raised (at most 120 s), noting when the stream's side first showed degradation: on a disk that
                // absorbs the writers for a while, the stream's reads slow some time after the writers start, and the
                // detector's own delay is the time from then.
                Instant[] degradedAt = { null };
                AlertState[] raisedAlert = { null };
                try {
                    waitFor(Duration.ofSeconds(120), () -> {
                        if (degradedAt[0] == null && streamingDegraded(aggregator)) {
                            degradedAt[0] = Instant.now();
                        }
                        AlertState s = stutter(aggregator);
                        if (s != null && s.raised()) {
                            raisedAlert[0] = s;
                            return true;
                        }
                        return false;
                    });
                } catch (IllegalStateException notRaised) {
                    // reported below
                }
                AlertState raised = raisedAlert[0];
                long toRaise = raised == null ? -1 : Duration.between(start, raised.since()).toMillis();
                long toDegraded = degradedAt[0] == null ? -1 : Duration.between(start, degradedAt[0]).toMillis();
                // Writers on for a minute at least, as downloads would be.
                waitFor(Duration.ofSeconds(70), () -> Duration.between(start, Instant.now()).toSeconds() >= 60);
                for (Process w : writers) {
                    w.destroy();
                    w.waitFor(20, TimeUnit.SECONDS);
                }
                Instant stop = Instant.now();
                AlertState cleared = waitForAlert(aggregator, false, Duration.ofSeconds(240));
                long toClear = cleared == null || cleared.clearedAt() == null ? -1
                        : Duration.between(stop, cleared.clearedAt()).toMillis();
                raises.add(toRaise);
                clears.add(toClear);
                if (toRaise >= 0 && toDegraded >= 0) {
                    fromDegraded.add(toRaise - toDegraded);
                }
                System.out.printf("run %d: %s, %s, %s%n", r + 1,
                        toDegraded < 0 ? "the stream's side never degraded"
                                : String.format("the stream's side degraded %.1f s after the writers started", toDegraded / 1000.0),
                        toRaise < 0 ? "NOT raised within 120 s" : String.format("raised %.1f s after the writers started",
                                toRaise / 1000.0),
                        toClear < 0 ? "not cleared within 240 s" : String.format("cleared %.1f s after they stopped",
                                toClear / 1000.0));
                System.out.flush();
                // Calm between runs.
                long calmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                waitFor(Duration.ofSeconds(40), () -> System.nanoTime() > calmUntil);
            }
            // Over the runs that raised (and cleared); a run that did not counts as the worst, said apart.
            List<Long> raisedRuns = raises.stream().filter(v -> v >= 0).toList();
            List<Long> clearedRuns = clears.stream().filter(v -> v >= 0).toList();
            System.out.printf("raise: median %.1f s, worst %.1f s (raised in %d of %d runs); clear: median %.1f s, worst %.1f s"
                    + " (cleared in %d)%n", median(raisedRuns) / 1000.0, worst(raisedRuns) / 1000.0, raisedRuns.size(), runs,
                    median(clearedRuns) / 1000.0, worst(clearedRuns) / 1000.0, clearedRuns.size());
            if (!fromDegraded.isEmpty()) {
                System.out.printf("raise after the stream's side degraded: median %.1f s, worst %.1f s (%d runs)%n",
                        median(fromDegraded) / 1000.0, worst(fromDegraded) / 1000.0, fromDegraded.size());
            }

            // Writers only, nobody watching: never stutter.
            playing[0] = false;
            long raisedBefore = raisedCount(aggregator);
            Instant quietStart = Instant.now();
            List<Process> writers = List.of(fio(work, "random", "--rw=randwrite", "--bs=64k", "--size=256m",
                    "--runtime=" + quietMinutes * 60), fio(work, "seq", "--rw=write", "--bs=1m", "--size=256m",
                            "--runtime=" + quietMinutes * 60));
            int[] stutterWindows = { 0 };
            waitFor(Duration.ofMinutes(quietMinutes + 1), () -> {
                AlertState s = stutter(aggregator);
                if (s != null && s.raised()) {
                    stutterWindows[0]++;
                }
                return Duration.between(quietStart, Instant.now()).toMinutes() >= quietMinutes;
            });
            for (Process w : writers) {
                w.destroy();
                w.waitFor(20, TimeUnit.SECONDS);
            }
            System.out.printf("%d min of writers while Jellyfin reports nobody playing: stutter raised %d times (seen raised"
                    + " in %d polls)%n", quietMinutes, raisedCount(aggregator) - raisedBefore, stutterWindows[0]);
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (AutoCloseable c : closing) {
                c.close();
            }
            jellyfin.stop(0);
        }
    }

    /**
     * One session playing smoothly, as Jellyfin's SessionInfo shows it: the client reports every 10 s
     * ({@code LastPlaybackCheckIn}) and its position moved by the time between reports.
     */
    static String playing(Instant start, Instant now) {
        long reports = Duration.between(start, now).toSeconds() / 10;
        Instant checkIn = start.plusSeconds(reports * 10);
        long position = 1_200_000_000L + reports * 10 * 10_000_000L;
        return """
                [{"Id":"b71e","UserName":"anna","Client":"Jellyfin Web","DeviceName":"Firefox","LastPlaybackCheckIn":"%s",\
                "NowPlayingItem":{"Id":"i1","Name":"Arrival","Type":"Movie","RunTimeTicks":69600000000},\
                "PlayState":{"PositionTicks":%d,"IsPaused":false,"PlayMethod":"DirectPlay"}}]""".formatted(checkIn, position);
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void waitFor(Duration max, Check check) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.done()) {
                    return;
                }
            } catch (IOException notYet) {
                // the app is starting
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException("not within " + max);
    }

    private static AlertState waitForAlert(AppProcess aggregator, boolean raised, Duration max) throws Exception {
        AlertState[] found = new AlertState[1];
        try {
            waitFor(max, () -> {
                AlertState s = stutter(aggregator);
                if (s != null && s.raised() == raised && (raised || s.clearedAt() != null)) {
                    found[0] = s;
                    return true;
                }
                return false;
            });
        } catch (IllegalStateException timeout) {
            return null;
        }
        return found[0];
    }

    private static AlertState stutter(AppProcess aggregator) throws Exception {
        List<AlertState> all = ContractJson.mapper().readValue(aggregator.get("/api/alerts"),
                new TypeReference<List<AlertState>>() {
                });
        return all.stream().filter(a -> a.id().equals(AlertState.STUTTER)).findFirst().orElse(null);
    }

    /** Whether the detector's latest window found the streaming side degraded (alone or with download pressure). */
    private static boolean streamingDegraded(AppProcess aggregator) throws Exception {
        String state = ContractJson.mapper().readTree(aggregator.get("/api/status")).path("contention").path("state").asText();
        return state.equals("contention") || state.equals("degraded");
    }

    private static long raisedCount(AppProcess aggregator) throws Exception {
        return ContractJson.readIncidents(aggregator.get("/api/incidents?since=24h").getBytes(StandardCharsets.UTF_8))
                .incidents().stream().filter(i -> i.alert().equals(AlertState.STUTTER)).count();
    }

    private static Process fio(Path work, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=" + name, "--directory=" + work.resolve("fio"),
                "--direct=1", "--ioengine=psync", "--time_based", "--output=/dev/null"));
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("fio-" + name + ".log").toFile())
                .start();
    }

    private static double median(List<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        if (v.length == 0) {
            return -1;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    private static double worst(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(-1);
    }
}
