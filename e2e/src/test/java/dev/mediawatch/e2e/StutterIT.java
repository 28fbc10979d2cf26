package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.BaselineReport;
import dev.mediawatch.contract.SignalBaseline;
import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.IncidentList;
import dev.mediawatch.contract.SignalValue;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.TestServices;

/**
 * The stutter detector end to end on real parts: two packaged agents on this one machine, one as the download
 * host and one as the streaming host, the packaged aggregator, real Mosquitto, and real disk contention from
 * {@code fio}: a paced 4 KiB direct reader is the stream, a random and a sequential direct writer are the downloads.
 * Nobody calibrates anything: the aggregator learns each host's calm (here after 35 s instead of the default hour)
 * and raises "streaming stutter during downloads" on the learned thresholds, clears it after the writers stop, and
 * keeps the incident across a restart. It records what it read; the recording, replayed through the same code with
 * no broker ({@code Replay}), raises and clears at the same times, within a window.
 *
 * <p>Both agents see the same disk and the same pressure here (one machine), and there is no NFS, no Jellyfin
 * and no downloader API: the detector decides on disk write throughput, io pressure and the reads' wait, and
 * says in the alert which signals it used and which it lacked.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(Lanes.HOST_DISK)
class StutterIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DL = "dl-" + RUN;
    private static final String ST = "st-" + RUN;
    private static final String PREFIX = "mw-stutter-" + RUN;
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).resolve("stutter-" + RUN);
    /** Shorter than the defaults (1h of calm, 1m of settling, 60 s to clear), so the whole evening takes two minutes. */
    private static final String LEARN_AFTER = "35s";
    private static final String SETTLE = "10s";
    private static final String CLEAR_AFTER = "30s";

    private static AppProcess aggregator;
    private static Map<String, String> aggregatorEnv;
    private static final List<AppProcess> agents = new ArrayList<>();
    private static final List<Process> load = new ArrayList<>();
    private static Process events;
    private static Path eventsLog;
    private static Path recording;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(WORK.resolve("fio"));
        Path catalogue = WORK.resolve("media.services.yaml");
        Files.writeString(catalogue, """
                version: 1
                hosts: [%s, %s]
                services: []
                """.formatted(DL, ST));
        for (String[] h : new String[][] { { DL, "download" }, { ST, "streaming" } }) {
            Map<String, String> env = AppProcess.agentEnv(PREFIX, h[0], h[1], catalogue);
            env.put("MEDIAWATCH_THROTTLE_STATE_FILE", WORK.resolve(h[0] + "-throttle.json").toString());
            agents.add(AppProcess.start("agent-" + h[1], app("agent"), WORK, Ports.free(), env));
        }
        // The stream: a paced reader, from now to the end.
        load.add(fio("reader", "--rw=randread", "--bs=4k", "--size=64m", "--rate_iops=50", "--runtime=600"));
        recording = WORK.resolve("recording.jsonl");
        aggregatorEnv = new HashMap<>(Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()),
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX,
                "MEDIAWATCH_CATALOGUE", catalogue.toString(),
                "MEDIAWATCH_INCIDENTS_FILE", WORK.resolve("incidents.journal").toString(),
                "MEDIAWATCH_STUTTER_BASELINES_FILE", WORK.resolve("baselines.json").toString(),
                "MEDIAWATCH_STUTTER_LEARN_AFTER", LEARN_AFTER,
                "MEDIAWATCH_STUTTER_SETTLE", SETTLE,
                "MEDIAWATCH_STUTTER_CLEAR_AFTER", CLEAR_AFTER,
                "MEDIAWATCH_RECORDING_FILE", recording.toString()));
        aggregatorEnv.put("MEDIAWATCH_HOMEASSISTANT_DISCOVERY_PREFIX", "ha-" + RUN);
        aggregator = AppProcess.start("aggregator-stutter", app("aggregator"), WORK, Ports.free(), aggregatorEnv);
        events = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(TestServices.mosquittoPort()),
                "-t", PREFIX + "/events", "-t", PREFIX + "/contention", "-F", "%I %t %p").redirectErrorStream(true)
                .redirectOutput((eventsLog = WORK.resolve("aggregator-events.log")).toFile()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : load) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (events != null) {
            events.destroy();
        }
        for (AppProcess a : agents) {
            a.close();
        }
        if (aggregator != null) {
            aggregator.close();
        }
    }

    @Test
    void onLearnedThresholds_stutterRisesWithTheDownloads_andClearsAfterThem_andTheReplaySaysTheSame() throws Exception {
        // Calm: the detector learns each host's signals, raises nothing. At least 45 s: a host's first 10 s online
        // are not learned from, then 35 s of calm; the rest is the apps' start on a busy machine.
        BaselineReport learned = await("thresholds learned from calm").atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofSeconds(2)).ignoreExceptionsInstanceOf(IOException.class)
                .until(StutterIT::baselines, b -> learned(b, ST, "disk-read-await") && learned(b, ST, "io-psi")
                        && learned(b, DL, "disk-write") && learned(b, DL, "io-psi"));
        assertThat(alerts()).noneMatch(AlertState::raised);
        assertThat(learned.store()).isEqualTo("ok");
        Contention calm = ContractJson.readContention(mosquittoSubOne(PREFIX + "/contention"));
        assertThat(calm.thresholds()).startsWith("learned from calm");
        String note = "learned: " + learned.baselines().stream().filter(b -> b.origin().equals(SignalBaseline.LEARNED))
                .map(b -> b.host() + " " + b.signal() + " p99 " + b.p99() + " -> raise " + b.raise()).toList();

        // The downloads: a random and a sequential writer, direct.
        Instant loadStart = Instant.now();
        Process random = fio("random-writer", "--rw=randwrite", "--bs=64k", "--size=256m", "--runtime=240");
        Process sequential = fio("writer", "--rw=write", "--bs=1m", "--size=256m", "--runtime=240");
        load.add(random);
        load.add(sequential);
        AlertState raised = await("stutter raised within 60 s of the writers (" + note + ")")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> stutter(), a -> a != null && a.raised());
        Duration toRaise = Duration.between(loadStart, Instant.now());
        assertThat(raised.evidence().signals()).filteredOn(SignalValue::crossed)
                .anySatisfy(s -> assertThat(s.host().value()).isEqualTo(DL))
                .anySatisfy(s -> assertThat(s.host().value()).isEqualTo(ST));
        assertThat(raised.message()).contains("used:");
        assertThat(raised.evidence().signalsMissing()).anyMatch(m -> m.startsWith("nfs-"));
        // The REST answer changes first; the retained alert follows once the publish reaches the broker.
        AlertState retained = await("the retained alert says raised").atMost(Duration.ofSeconds(10))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> ContractJson.readAlert(mosquittoSubOne(PREFIX + "/alerts/stutter")), AlertState::raised);
        assertThat(retained.incidentId()).isEqualTo(raised.incidentId());

        random.destroy();
        sequential.destroy();
        assertThat(random.waitFor(20, TimeUnit.SECONDS) && sequential.waitFor(20, TimeUnit.SECONDS)).isTrue();
        Instant loadEnd = Instant.now();
        // Clears after the calm time (30 s here) once the signals have fallen (io pressure's avg10 decays over ~30 s).
        AlertState cleared = await("stutter cleared after the writers stopped (raised after " + toRaise.toSeconds() + " s)")
                .atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
                .until(() -> stutter(), a -> a != null && !a.raised());
        assertThat(Duration.between(loadEnd, cleared.clearedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(25));
        await("the retained alert says cleared").atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> ContractJson.readAlert(mosquittoSubOne(PREFIX + "/alerts/stutter")), a -> !a.raised());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(eventsLog).contains("\"alert.cleared\""));
        String eventLines = Files.readString(eventsLog);
        assertThat(eventLines).contains("\"alert.raised\"");
        assertThat(count(eventLines, "\"alert.raised\"")).as("one raise, no flapping").isEqualTo(count(eventLines, "\"alert.cleared\""));

        Incident incident = incident(raised.incidentId());
        assertThat(incident.clearedAt()).isEqualTo(cleared.clearedAt());
        assertThat(incident.peakScore()).isGreaterThanOrEqualTo(incident.atRaise().score());

        // The timeline and what was learned survive a restart.
        aggregator.close();
        aggregator = AppProcess.start("aggregator-stutter-2", app("aggregator"), WORK, Ports.free(), aggregatorEnv);
        await().atMost(Duration.ofSeconds(45)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> aggregator.status("/q/health/live") == 200);
        assertThat(incident(raised.incidentId())).isEqualTo(incident);
        // The incident in a real browser, after the restart: its page draws the timeline from the windows kept with
        // it (the day's history is in memory only), with the raise and the clear marked, and the page lists it.
        try (Browser browser = Browser.start()) {
            String base = "http://127.0.0.1:" + aggregator.port();
            browser.open(base + "/incidents/" + raised.incidentId());
            assertThat(browser.count("#timeline svg.chart")).as("timeline charts").isGreaterThanOrEqualTo(2);
            assertThat(browser.count("#timeline svg.chart line.mark.raised")).as("raise marks").isGreaterThanOrEqualTo(1);
            assertThat(browser.count("#timeline svg.chart line.mark.cleared")).as("clear marks").isGreaterThanOrEqualTo(1);
            assertThat(browser.count("#at-raise")).isEqualTo(1);
            browser.screenshot("incident-desktop");
            browser.viewport(Browser.PHONE);
            assertThat(browser.horizontalOverflow()).as("the incident page scrolls sideways at 375 px").isFalse();
            browser.screenshot("incident-phone");
            browser.viewport(Browser.DESKTOP);
            browser.open(base + "/");
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.count(
                    "#incidents a[href=\"/incidents/" + raised.incidentId() + "\"]") == 1);
            browser.screenshot("page-after-incident");
            assertThat(browser.consoleErrors()).as("errors in the browser's console").isEmpty();
        }
        BaselineReport afterRestart = baselines();
        assertThat(afterRestart.store()).isEqualTo("ok");
        assertThat(learned(afterRestart, ST, "disk-read-await")).as("learned before the restart, still learned").isTrue();

        // The recording, replayed through the same ingest, baselines and detector: the same raise and clear.
        List<String[]> replayed = replay(recording, "learn-after=" + LEARN_AFTER, "settle=" + SETTLE,
                "clear-after=" + CLEAR_AFTER);
        assertThat(replayed).extracting(r -> r[1] + " " + r[2]).containsExactly("raised stutter", "cleared stutter");
        Instant replayRaise = Instant.parse(replayed.get(0)[0]);
        Instant replayClear = Instant.parse(replayed.get(1)[0]);
        // The recording marks where each live window read the hosts, so the replay decides each window on the same
        // messages: the same raise and clear, within one window (equal unless a message's receive time falls within
        // microseconds of a host's staleness limit, or the restart's gap is judged apart).
        Duration tolerance = Duration.ofSeconds(5);
        assertThat(replayRaise).as("replayed raise vs live %s", raised.since())
                .isBetween(raised.since().minus(tolerance), raised.since().plus(tolerance));
        assertThat(replayClear).as("replayed clear vs live %s", cleared.clearedAt())
                .isBetween(cleared.clearedAt().minus(tolerance), cleared.clearedAt().plus(tolerance));
    }

    private static boolean learned(BaselineReport r, String host, String signal) {
        return r.baselines().stream().anyMatch(b -> b.host().value().equals(host) && b.signal().equals(signal)
                && SignalBaseline.LEARNED.equals(b.origin()));
    }

    private static BaselineReport baselines() throws Exception {
        return ContractJson.readBaselines(aggregator.get("/api/baselines").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The packaged aggregator's replay (scripts/replay.sh runs the same) over a recording: its raises and clears as
     * {time, raised|cleared, alert}.
     */
    private static List<String[]> replay(Path file, String... options) throws Exception {
        Path appDir = app("aggregator");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp",
                appDir.resolve("lib/boot/*") + ":" + appDir.resolve("lib/main/*") + ":" + appDir.resolve("app/*"),
                "dev.mediawatch.aggregator.replay.Replay", file.toString()));
        cmd.addAll(List.of(options));
        Path out = WORK.resolve("replay.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(out);
        assertThat(p.exitValue()).as(text).isZero();
        List<String[]> found = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?m)^  (\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d)Z (raised|cleared) (\\S+) ").matcher(text);
        while (m.find()) {
            found.add(new String[] { m.group(1) + "T" + m.group(2) + "Z", m.group(3), m.group(4) });
        }
        return found;
    }

    private static Incident incident(String id) throws Exception {
        IncidentList list = ContractJson.readIncidents(aggregator.get("/api/incidents?since=" + Instant.now().minus(Duration.ofHours(1)))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(list.store()).isEqualTo("ok");
        return list.incidents().stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in " + list.incidents()));
    }

    private static AlertState stutter() throws Exception {
        return alerts().stream().filter(a -> a.id().equals(AlertState.STUTTER)).findFirst().orElse(null);
    }

    private static List<AlertState> alerts() throws Exception {
        return ContractJson.mapper().readValue(aggregator.get("/api/alerts"), new TypeReference<List<AlertState>>() {
        });
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static Process fio(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=" + name, "--directory=" + WORK.resolve("fio"),
                "--direct=1", "--ioengine=psync", "--time_based", "--output=/dev/null"));
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(WORK.resolve("fio-" + name + ".log").toFile()).start();
    }

    private static Path app(String which) {
        return Path.of(System.getProperty("mediawatch." + which + ".app"));
    }

    /** The retained message on a topic, read with mosquitto_sub. */
    private static byte[] mosquittoSubOne(String topic) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(TestServices.mosquittoPort()),
                "-t", topic, "-C", "1", "-W", "10").start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(15, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("nothing retained on " + topic);
        }
        return new String(out, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
    }
}
