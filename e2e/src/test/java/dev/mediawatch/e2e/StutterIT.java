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

import com.fasterxml.jackson.core.type.TypeReference;

import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.DiskIo;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.IncidentList;
import dev.mediawatch.contract.SignalValue;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.TestServices;

/**
 * The stutter detector end to end on real parts: two packaged agents on this one machine, one as the download
 * host and one as the streaming host, the packaged aggregator, real Mosquitto, and real disk contention from
 * {@code fio}: a paced 4 KiB direct reader is the stream, two 1 MiB direct writers are the downloads. "Streaming
 * stutter during downloads" rises within 60 s of the writers starting and clears after they stop; the incident
 * is on {@code GET /api/incidents}, still there after the aggregator restarts.
 *
 * <p>Both agents see the same disk and the same pressure here (one machine), and there is no NFS, no Jellyfin
 * and no downloader API: the detector decides on disk write throughput, io pressure and the reads' wait, and
 * says in the alert which signals it used and which it lacked. This machine's disk is virtual and fast (reads
 * wait 0.2 ms alone, about 0.5 ms beside the writers, ENVIRONMENT.md), far below what hurts a real NAS, so the
 * thresholds are calibrated on the calm machine first, the way an owner would set them for their own disks
 * (mediawatch.stutter.threshold.*); the raise and clear times are the defaults.
 */
class StutterIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DL = "dl-" + RUN;
    private static final String ST = "st-" + RUN;
    private static final String PREFIX = "mw-stutter-" + RUN;
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).resolve("stutter-" + RUN);

    private static AppProcess aggregator;
    private static Map<String, String> aggregatorEnv;
    private static final List<AppProcess> agents = new ArrayList<>();
    private static final List<Process> load = new ArrayList<>();
    private static Process events;
    private static Path eventsLog;

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
    void stutterRisesWithinAMinuteOfTheDownloads_andClearsAfterThem_andTheIncidentIsKept() throws Exception {
        // Calibrate on the calm machine: the streaming agent's own samples, reader reading, nothing writing.
        AppProcess streaming = agents.get(1);
        List<HostIo> calm = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(5)).until(() -> {
            HostIo io = ContractJson.readIo(streaming.get("/api/state/io").getBytes(StandardCharsets.UTF_8), HostId.of(ST));
            if (io.intervalSeconds() > 0 && io.pressure() != null && !io.disks().isEmpty()
                    && calm.stream().noneMatch(c -> c.timestamp().equals(io.timestamp()))
                    && io.disks().stream().mapToLong(DiskIo::writeBytesPerSec).sum() < 2_000_000
                    && io.disks().stream().anyMatch(d -> d.readIops() > 10)) {
                calm.add(io);
            }
            return calm.size() >= 6;
        });
        double calmPsi = median(calm.stream().mapToDouble(s -> s.pressure().io().some().avg10()).toArray());
        double calmAwait = median(calm.stream().mapToDouble(s -> s.disks().stream().filter(d -> d.readIops() > 0)
                .mapToDouble(DiskIo::readAwaitMs).max().orElse(0)).toArray());
        // Raise well above calm, clear between: the writers measured 2.5x the reads' wait and +10 io pressure here.
        double awaitRaise = Math.max(1.8 * calmAwait, calmAwait + 0.1);
        double psiRaise = calmPsi + 6;
        aggregatorEnv = new HashMap<>(Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()),
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX,
                "MEDIAWATCH_CATALOGUE", WORK.resolve("media.services.yaml").toString(),
                "MEDIAWATCH_INCIDENTS_FILE", WORK.resolve("incidents.journal").toString()));
        aggregatorEnv.put("MEDIAWATCH_STUTTER_THRESHOLDS", String.join(",",
                "streaming-disk-read-await=" + fmt(awaitRaise) + "/" + fmt((awaitRaise + calmAwait) / 2),
                "streaming-io-psi=" + fmt(psiRaise) + "/" + fmt(calmPsi + 3),
                "download-io-psi=" + fmt(psiRaise) + "/" + fmt(calmPsi + 3)));
        aggregator = AppProcess.start("aggregator-stutter", app("aggregator"), WORK, Ports.free(), aggregatorEnv);
        events = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(TestServices.mosquittoPort()),
                "-t", PREFIX + "/events").redirectErrorStream(true)
                .redirectOutput((eventsLog = WORK.resolve("aggregator-events.log")).toFile()).start();
        String calmNote = "calm: io psi %.2f, read await %.3f ms; raise at %.2f / %.3f ms".formatted(calmPsi, calmAwait,
                psiRaise, awaitRaise);

        // Calm: the detector runs, publishes its sensor, raises nothing.
        await(calmNote).atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
            Contention c = ContractJson.readContention(mosquittoSubOne(PREFIX + "/contention"));
            return c.evidence().signalsUsed().size() >= 2;
        });
        assertThat(alerts()).noneMatch(AlertState::raised);

        // The downloads: two blocking writers of 1 MiB blocks.
        Instant loadStart = Instant.now();
        Process writers = fio("writer", "--rw=write", "--bs=1m", "--size=256m", "--numjobs=2", "--runtime=240");
        load.add(writers);
        AlertState raised = await("stutter raised within 60 s of the writers (" + calmNote + ")")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> stutter(), a -> a != null && a.raised());
        Duration toRaise = Duration.between(loadStart, Instant.now());
        assertThat(raised.evidence().signals()).filteredOn(SignalValue::crossed)
                .anySatisfy(s -> assertThat(s.host().value()).isEqualTo(DL))
                .anySatisfy(s -> assertThat(s.host().value()).isEqualTo(ST));
        assertThat(raised.message()).contains("used:");
        assertThat(raised.evidence().signalsMissing()).anyMatch(m -> m.startsWith("nfs-"));
        AlertState retained = ContractJson.readAlert(mosquittoSubOne(PREFIX + "/alerts/stutter"));
        assertThat(retained.raised()).isTrue();
        assertThat(retained.incidentId()).isEqualTo(raised.incidentId());

        writers.destroy();
        assertThat(writers.waitFor(20, TimeUnit.SECONDS)).isTrue();
        Instant loadEnd = Instant.now();
        // Clears after the calm time (60 s) once the signals have fallen (io pressure's avg10 decays over ~30 s).
        AlertState cleared = await("stutter cleared after the writers stopped (raised after " + toRaise.toSeconds() + " s)")
                .atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
                .until(() -> stutter(), a -> a != null && !a.raised());
        assertThat(Duration.between(loadEnd, cleared.clearedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(55));
        assertThat(ContractJson.readAlert(mosquittoSubOne(PREFIX + "/alerts/stutter")).raised()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(eventsLog).contains("\"alert.cleared\""));
        String eventLines = Files.readString(eventsLog);
        assertThat(eventLines).contains("\"alert.raised\"");
        assertThat(count(eventLines, "\"alert.raised\"")).as("one raise, no flapping").isEqualTo(count(eventLines, "\"alert.cleared\""));

        Incident incident = incident(raised.incidentId());
        assertThat(incident.clearedAt()).isEqualTo(cleared.clearedAt());
        assertThat(incident.peakScore()).isGreaterThanOrEqualTo(incident.atRaise().score());

        // The timeline survives a restart.
        aggregator.close();
        aggregator = AppProcess.start("aggregator-stutter-2", app("aggregator"), WORK, Ports.free(), aggregatorEnv);
        await().atMost(Duration.ofSeconds(45)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> aggregator.status("/q/health/live") == 200);
        assertThat(incident(raised.incidentId())).isEqualTo(incident);
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

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
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
