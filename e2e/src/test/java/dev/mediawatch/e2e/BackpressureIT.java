package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.TestMethodOrder;

import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.ServiceStatus;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.PrivateMosquitto;
import dev.mediawatch.testing.TestServices;

/**
 * No burst blinds the aggregator: the packaged aggregator and agent on a real Mosquitto of the test's own (Debian's
 * defaults) and the real dockerd, while someone floods the broker. Throughout each flood and after it, health stays
 * 200 and a container killed on the real engine is shown exited within 5 s; every message the broker delivered is
 * either handled or counted as shed, for the right host. Then the aggregator's connection is broken from outside (a
 * packet too large to decode, a second client with its id) and comes back by itself.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(value = Lanes.HOST_DISK, mode = ResourceAccessMode.READ)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackpressureIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    /** How soon a killed container must show as exited on the status, flood or not. */
    private static final Duration SHOWN_WITHIN = Duration.ofSeconds(5);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DL = "dl-" + RUN;
    private static final String PREFIX = "mw-bp-" + RUN;
    private static final String WEB = DL + "-web";
    private static final String CLIENT_ID = "aggregator-bp-" + RUN;
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).resolve("backpressure-" + RUN);
    /** The flood's length and rate of valid states; the defaults are the capability's own numbers. */
    private static final int CHATTY_SECONDS = Integer.getInteger("mediawatch.e2e.chatty-seconds", 60);
    private static final int CHATTY_PER_SECOND = 200;

    private static PrivateMosquitto broker;
    private static DockerCli docker;
    private static AppProcess aggregator;
    private static AppProcess agent;
    private static HealthWatch health;

    @BeforeAll
    static void startEverything() throws Exception {
        Files.createDirectories(WORK);
        broker = PrivateMosquitto.start(WORK.resolve("mosquitto"));
        Path catalogue = WORK.resolve("media.services.yaml");
        Files.writeString(catalogue, """
                version: 1
                hosts: [%s]
                services:
                  - { name: web, host: %s, category: download, container: %s }
                """.formatted(DL, DL, WEB));
        docker = new DockerCli(TestServices.dockerHost());
        docker.runSleeper(WEB);
        aggregator = AppProcess.start("aggregator-backpressure", AppProcess.app("aggregator"), WORK, Ports.free(), Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(broker.port()),
                "MEDIAWATCH_MQTT_CLIENT_ID", CLIENT_ID,
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX,
                "MEDIAWATCH_CATALOGUE", catalogue.toString(),
                "MEDIAWATCH_INCIDENTS_FILE", WORK.resolve("incidents.journal").toString(),
                "MEDIAWATCH_HOMEASSISTANT_DISCOVERY_PREFIX", "ha-" + RUN));
        Map<String, String> env = AppProcess.agentEnv(PREFIX, DL, "download", catalogue);
        env.put("MEDIAWATCH_MQTT_PORT", Integer.toString(broker.port()));
        env.put("MEDIAWATCH_THROTTLE_STATE_FILE", WORK.resolve("throttle.json").toString());
        agent = AppProcess.start("agent-backpressure", AppProcess.app("agent"), WORK, Ports.free(), env);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(aggregator.alive()).as("aggregator log:\n%s", aggregator.output()).isTrue();
            assertThat(web().state()).isEqualTo("running");
            assertThat(aggregator.status("/q/health/ready")).isEqualTo(200);
        });
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (aggregator != null) {
            aggregator.close();
        }
        if (docker != null) {
            docker.removeQuietly(WEB);
        }
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void watchHealth() {
        health = new HealthWatch();
    }

    @AfterEach
    void containerBack() throws Exception {
        health.close();
        docker.run("start", WEB);
        await().atMost(WAIT).ignoreExceptions().until(() -> web().state().equals("running"));
    }

    @Test
    @Order(1)
    void twentyThousandJunkLinesOnOneTopic_costOneSlot_theRealHostStaysSeen() throws Exception {
        Metrics before = Metrics.of(aggregator);
        Process flood = mosquittoPubLines(PREFIX + "/junk-host/state", junk(20_000));
        killWebAndSeeItExited();
        assertThat(flood.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(flood.exitValue()).isZero();
        Metrics after = awaitSettled(before, 20_000);
        // Every junk line was read and refused, or replaced by a newer one before it was read: none vanished.
        double superseded = after.shed("state", "junk-host", "superseded") - before.shed("state", "junk-host", "superseded");
        double read = after.rejected("state", "malformed") - before.rejected("state", "malformed");
        assertThat(superseded + read).isEqualTo(20_000);
        figure("junk on one topic: 20000 delivered, " + (long) read + " read and refused, " + (long) superseded
                + " superseded");
        health.assertAlways200();
    }

    @Test
    @Order(2)
    void theSameFloodOverTwentySpoofedHosts_isCountedPerHost_andBlindsNothing() throws Exception {
        Metrics before = Metrics.of(aggregator);
        List<Process> floods = new ArrayList<>();
        for (int h = 0; h < 20; h++) {
            floods.add(mosquittoPubLines(PREFIX + "/spoof-" + h + "/state", junk(1_000)));
        }
        killWebAndSeeItExited();
        for (Process p : floods) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        Metrics after = awaitSettled(before, 20_000);
        double handled = after.rejected("state", "malformed") - before.rejected("state", "malformed");
        double shed = 0;
        for (int h = 0; h < 20; h++) {
            double hostShed = after.shed("state", "spoof-" + h, "superseded") - before.shed("state", "spoof-" + h, "superseded");
            assertThat(hostShed).as("spoof-%d shed", h).isBetween(0.0, 999.0); // at least its newest was read
            shed += hostShed;
        }
        assertThat(shed + handled).isEqualTo(20_000);
        figure("junk over 20 hosts: 20000 delivered, " + (long) handled + " read and refused, " + (long) shed + " superseded");
        health.assertAlways200();
    }

    @Test
    @Order(3)
    void twoHundredValidStatesASecondFromOneHost_forAMinute_keepEveryoneElseOnTime() throws Exception {
        Metrics before = Metrics.of(aggregator);
        String chatty = "chatty-" + RUN;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        List<Long> liveHeap = new CopyOnWriteArrayList<>();
        List<Long> pendingBytes = new CopyOnWriteArrayList<>();
        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()), "-q",
                "1", "-t", PREFIX + "/" + chatty + "/state", "-l").redirectErrorStream(true)
                .redirectOutput(WORK.resolve("chatty-pub.out").toFile()).start();
        Thread feeder = new Thread(() -> {
            try (OutputStream out = pub.getOutputStream()) {
                long start = System.nanoTime();
                long n = 0;
                while (!stop.get()) {
                    long due = start + n * 1_000_000_000L / CHATTY_PER_SECOND;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        continue;
                    }
                    out.write(validState(chatty, n).getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                    out.flush();
                    sent.incrementAndGet();
                    n++;
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "chatty-feeder");
        feeder.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHATTY_SECONDS);
        // During the flood: a kill seen in time, twice, and the heap sampled.
        await().atMost(Duration.ofSeconds(CHATTY_SECONDS)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Metrics m = Metrics.of(aggregator);
            liveHeap.add(m.liveHeap());
            pendingBytes.add((long) m.pendingBytes());
            return System.nanoTime() > end - TimeUnit.SECONDS.toNanos(CHATTY_SECONDS * 2L / 3);
        });
        killWebAndSeeItExited();
        docker.run("start", WEB);
        await().atMost(WAIT).ignoreExceptions().until(() -> web().state().equals("running"));
        await().atMost(Duration.ofSeconds(CHATTY_SECONDS)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Metrics m = Metrics.of(aggregator);
            liveHeap.add(m.liveHeap());
            pendingBytes.add((long) m.pendingBytes());
            return System.nanoTime() > end;
        });
        killWebAndSeeItExited();
        stop.set(true);
        feeder.join(10_000);
        pub.waitFor(30, TimeUnit.SECONDS);
        assertThat(sent.get()).isGreaterThanOrEqualTo((long) (CHATTY_SECONDS * CHATTY_PER_SECOND * 0.9));
        // The newest state won: the chatty host's last one is what the status shows.
        Instant last = CHATTY_EPOCH.plusMillis(sent.get() - 1);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(status().hosts())
                .filteredOn(h -> h.host().value().equals(chatty)).singleElement()
                .satisfies(h -> assertThat(h.stateTimestamp()).isEqualTo(last)));
        Metrics after = awaitSettled(before, sent.get());
        double accepted = after.received("state") - before.received("state");
        double superseded = after.shed("state", chatty, "superseded") - before.shed("state", chatty, "superseded");
        assertThat(accepted + superseded).isGreaterThanOrEqualTo(sent.get());
        figure("valid states 200/s: " + sent.get() + " sent, " + (long) accepted + " states accepted (the agent's too), "
                + (long) superseded + " of the chatty host's superseded");
        // Bounded: nothing waits but the newest message of each topic (a state is a few hundred bytes), and what the
        // heap keeps after a collection does not grow with the flood.
        assertThat(pendingBytes).allMatch(b -> b < 256 * 1024);
        assertThat(liveHeap).allMatch(h -> h >= 0 && h < 64L * 1024 * 1024);
        Files.writeString(WORK.resolve("chatty-figures.txt"), "sent " + sent.get() + " states in " + CHATTY_SECONDS
                + " s; old generation max " + liveHeap.stream().mapToLong(Long::longValue).max().orElse(0)
                + " B; inbox pending bytes max " + pendingBytes.stream().mapToLong(Long::longValue).max().orElse(0) + "\n");
        health.assertAlways200();
    }

    @Test
    @Order(4)
    void aPacketTooLargeToDecode_breaksTheConnection_whichComesBackByItself() throws Exception {
        Path big = WORK.resolve("big.bin");
        Files.write(big, new byte[2 * 1024 * 1024]);
        Process p = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()), "-q",
                "1", "-t", PREFIX + "/" + DL + "/events", "-f", big.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).untilAsserted(() -> assertThat(aggregator.output())
                .contains("lost the MQTT connection", "larger than 1048576 bytes", "reconnected to the MQTT broker"));
        await().atMost(WAIT).until(() -> aggregator.status("/q/health/ready") == 200);
        killWebAndSeeItExited();
        health.close();
    }

    @Test
    @Order(5)
    void anotherClientTakingTheAggregatorsId_isPushedOut_andIngestGoesOn() throws Exception {
        Process impostor = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                "-i", CLIENT_ID, "-t", "nothing", "-W", "3").redirectErrorStream(true).start();
        await().atMost(WAIT).untilAsserted(() -> assertThat(aggregator.output())
                .containsPattern("lost the MQTT connection .* \\(the broker closed the connection\\)"));
        impostor.waitFor(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> aggregator.status("/q/health/ready") == 200);
        killWebAndSeeItExited();
        health.close();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static ServiceStatus web() throws Exception {
        return status().hosts().stream().filter(h -> h.host().value().equals(DL)).findFirst().orElseThrow().services()
                .stream().filter(s -> s.service().equals("web")).findFirst().orElseThrow();
    }

    private static StatusReport status() throws Exception {
        return ContractJson.readStatus(aggregator.get("/api/status").getBytes(StandardCharsets.UTF_8));
    }

    /** Kills the catalogue service's container on the real engine; the status must say exited within 5 s. */
    private static void killWebAndSeeItExited() throws Exception {
        long t0 = System.nanoTime();
        docker.run("kill", WEB);
        await().atMost(SHOWN_WITHIN).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> web().state().equals("exited"));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Files.writeString(WORK.resolve("kill-to-exited.txt"), Instant.now() + " " + ms + " ms\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static void figure(String line) throws IOException {
        Files.writeString(WORK.resolve("figures.txt"), line + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    private static Path junk(int lines) throws IOException {
        Path f = WORK.resolve("junk-" + lines + ".txt");
        if (!Files.exists(f)) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                b.append("junk line ").append(i).append('\n');
            }
            Files.writeString(f, b);
        }
        return f;
    }

    /** {@code mosquitto_pub -l}: every line of the file one message, as fast as it goes (QoS 0). */
    private static Process mosquittoPubLines(String topic, Path lines) throws IOException {
        return new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()), "-t", topic,
                "-l").redirectInput(lines.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The chatty host's states are stamped from here, one millisecond apart: the last one is recognisable. */
    private static final Instant CHATTY_EPOCH = Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    /** A valid, one-line state of a made-up host, the {@code n}th. */
    private static String validState(String host, long n) {
        HostState s = HostState.of(HostId.of(host), "other", "test", CHATTY_EPOCH.plusMillis(n),
                new EngineState(true, "20.10", "1.41", null, CHATTY_EPOCH), List.of());
        return new String(ContractJson.write(s), StandardCharsets.UTF_8);
    }

    /** Waits until the inbox is empty and what was delivered since {@code before} is at least {@code delivered}. */
    private static Metrics awaitSettled(Metrics before, long delivered) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> Metrics.of(aggregator),
                m -> m.delivered("state") - before.delivered("state") >= delivered && m.pending() == 0
                        && m.handled("state") + m.shedAll("state") == m.delivered("state"));
    }

    /** Polls both health endpoints every 200 ms on its own thread and remembers every answer that was not 200. */
    private static final class HealthWatch implements AutoCloseable {
        private final List<String> bad = new CopyOnWriteArrayList<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;
        private final AtomicLong polls = new AtomicLong();

        HealthWatch() {
            thread = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        for (String path : List.of("/q/health/live", "/q/health/ready")) {
                            int code = aggregator.status(path);
                            if (code != 200) {
                                bad.add(Instant.now() + " " + path + " " + code);
                            }
                        }
                        polls.incrementAndGet();
                        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "health-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void assertAlways200() {
            close();
            assertThat(polls.get()).isPositive();
            assertThat(bad).as("health answers other than 200").isEmpty();
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The aggregator's Prometheus metrics, read once. */
    private record Metrics(String text) {
        private static final Pattern LINE = Pattern.compile("^([a-z_]+)\\{([^}]*)\\} ([0-9.eE+-]+)$", Pattern.MULTILINE);

        static Metrics of(AppProcess app) throws Exception {
            return new Metrics(app.get("/q/metrics"));
        }

        /** The sum of every series of {@code name} whose labels include all of {@code labels} ("k=v"). */
        double sum(String name, String... labels) {
            double total = 0;
            Matcher m = LINE.matcher(text);
            while (m.find()) {
                if (!m.group(1).equals(name)) {
                    continue;
                }
                boolean all = true;
                for (String l : labels) {
                    String[] kv = l.split("=", 2);
                    if (!m.group(2).contains(kv[0] + "=\"" + kv[1] + "\"")) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    total += Double.parseDouble(m.group(3));
                }
            }
            return total;
        }

        double shed(String kind, String host, String reason) {
            return sum("mediawatch_inbox_shed_total", "inbox=ingest", "kind=" + kind, "host=" + host, "reason=" + reason);
        }

        double shedAll(String kind) {
            return sum("mediawatch_inbox_shed_total", "inbox=ingest", "kind=" + kind);
        }

        double rejected(String kind, String reason) {
            return sum("mediawatch_ingest_rejected_total", "kind=" + kind, "reason=" + reason);
        }

        double received(String kind) {
            return sum("mediawatch_ingest_received_total", "kind=" + kind);
        }

        double delivered(String kind) {
            return sum("mediawatch_inbox_delivered_total", "inbox=ingest", "kind=" + kind);
        }

        double handled(String kind) {
            return sum("mediawatch_inbox_handled_total", "inbox=ingest", "kind=" + kind);
        }

        double pending() {
            return sum("mediawatch_inbox_pending", "inbox=ingest");
        }

        double pendingBytes() {
            return sum("mediawatch_inbox_pending_bytes", "inbox=ingest");
        }

        /** What the heap's old generation holds: what survived collections (grows only with what is kept). */
        long liveHeap() {
            Matcher m = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]*(Old Gen|Tenured)[^\"]*\"\\} ([0-9.eE+-]+)$",
                    Pattern.MULTILINE).matcher(text);
            return m.find() ? (long) Double.parseDouble(m.group(2)) : -1;
        }
    }
}
