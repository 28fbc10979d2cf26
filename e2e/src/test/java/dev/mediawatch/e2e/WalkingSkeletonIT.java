package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.TestServices;

/**
 * The walking skeleton end to end: the packaged agent and aggregator as processes, a real dockerd and a real
 * Mosquitto (both started by scripts/test.sh). Three containers start, one stops, and the aggregator's
 * {@code /api/status} says so; then the agent is killed with SIGKILL and the host goes down through the
 * MQTT last will alone. Each run uses its own topic prefix, so retained messages of earlier runs on the
 * same broker cannot leak in.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String HOST = "e2e-" + RUN;
    private static final String PREFIX = "mw-e2e-" + RUN;
    private static final List<String> CONTAINERS = List.of(HOST + "-sabnzbd", HOST + "-radarr", HOST + "-tdarr");

    private static DockerCli docker;
    private static AppProcess aggregator;
    private static AppProcess agent;
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e"));

    @BeforeAll
    static void startEverything() throws Exception {
        docker = new DockerCli(TestServices.dockerHost());
        int mqttPort = TestServices.mosquittoPort();
        Map<String, String> common = Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(mqttPort),
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX);
        aggregator = AppProcess.start("aggregator", Path.of(System.getProperty("mediawatch.aggregator.app")), WORK,
                Ports.free(), common);
        Map<String, String> agentEnv = new HashMap<>(common);
        agentEnv.put("MEDIAWATCH_HOST_ID", HOST);
        agentEnv.put("MEDIAWATCH_ROLE", "download");
        agentEnv.put("MEDIAWATCH_DOCKER_HOST", TestServices.dockerHost());
        agentEnv.put("MEDIAWATCH_PUBLISH_INTERVAL", "2s");
        agent = AppProcess.start("agent", Path.of(System.getProperty("mediawatch.agent.app")), WORK,
                Ports.free(), agentEnv);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(aggregator.alive()).as("aggregator alive; log:\n%s", aggregator.output()).isTrue();
            assertThat(agent.alive()).as("agent alive; log:\n%s", agent.output()).isTrue();
            assertThat(aggregator.status("/q/health/ready")).isEqualTo(200);
            assertThat(agent.status("/q/health/ready")).isEqualTo(200);
        });
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (docker != null) {
            docker.removeQuietly(CONTAINERS.toArray(String[]::new));
        }
        if (agent != null) {
            agent.close();
        }
        if (aggregator != null) {
            aggregator.close();
        }
    }

    @Test
    @Order(1)
    void threeContainersStartAndOneStops_andTheStatusSaysSo() throws Exception {
        for (String name : CONTAINERS) {
            docker.runSleeper(name);
        }
        docker.run("stop", "-t", "1", CONTAINERS.get(2));

        await().atMost(WAIT).untilAsserted(() -> {
            HostStatus h = host(status());
            assertThat(h.status()).isEqualTo(HostHealth.UP);
            assertThat(h.availability()).isEqualTo(Availability.ONLINE);
            assertThat(h.role()).isEqualTo("download");
            assertThat(h.engine().reachable()).isTrue();
            assertThat(state(h, CONTAINERS.get(0))).isEqualTo(ContainerStatus.RUNNING);
            assertThat(state(h, CONTAINERS.get(1))).isEqualTo(ContainerStatus.RUNNING);
            assertThat(state(h, CONTAINERS.get(2))).isEqualTo(ContainerStatus.EXITED);
            // The counts are the engine's whole picture; without a catalogue every container is unlisted.
            assertThat(h.counts().total()).isGreaterThanOrEqualTo(3);
            assertThat(h.counts().unknown()).isEqualTo(h.counts().total());
        });

        String dashboard = aggregator.get("/status");
        assertThat(dashboard).contains("VM STATUS", HOST, "✓ UP", CONTAINERS.get(0), CONTAINERS.get(2) + " (");
    }

    @Test
    @Order(2)
    void garbageOnTheRealBroker_isRefusedAndCounted_andTheStatusStands() throws Exception {
        mosquittoPub(PREFIX + "/" + HOST + "/state", "{not json");
        mosquittoPub(PREFIX + "/" + HOST + "/state", "{\"schema\":\"mediawatch.host-state\",\"version\":7}");
        await().atMost(WAIT).untilAsserted(() -> assertThat(aggregator.get("/q/metrics"))
                .contains("mediawatch_ingest_rejected_total{kind=\"state\",reason=\"malformed\"}")
                .contains("mediawatch_ingest_rejected_total{kind=\"state\",reason=\"unsupported-version\"}"));
        assertThat(host(status()).status()).isEqualTo(HostHealth.UP);
    }

    @Test
    @Order(3)
    void killedAgent_goesDownThroughItsLastWill() throws Exception {
        long pid = agent.pid();
        agent.kill();
        assertThat(ProcessHandle.of(pid)).isEmpty();

        await().atMost(WAIT).untilAsserted(() -> {
            HostStatus h = host(status());
            assertThat(h.availability()).isEqualTo(Availability.OFFLINE);
            assertThat(h.status()).isEqualTo(HostHealth.DOWN);
        });
        assertThat(aggregator.get("/status")).contains("✗ DOWN");
    }

    @Test
    @Order(4)
    void badConfiguration_stopsTheAgentAtStartup_namingTheKey() throws Exception {
        Map<String, String> env = Map.of("MEDIAWATCH_HOST_ID", "Not A Slug", "MEDIAWATCH_MQTT_PORT", "1");
        try (AppProcess bad = AppProcess.start("agent-bad-config", Path.of(System.getProperty("mediawatch.agent.app")),
                WORK, Ports.free(), env)) {
            assertThat(bad.awaitStartupFailure(WAIT)).isNotZero();
            assertThat(bad.output()).contains("mediawatch.host-id").contains("invalid host id");
        }
    }

    @Test
    @Order(5)
    void badCatalogue_stopsTheAgentAtStartup_namingFileLineAndProblem() throws Exception {
        java.nio.file.Path catalogue = WORK.resolve("bad.media.services.yaml");
        java.nio.file.Files.createDirectories(WORK);
        java.nio.file.Files.writeString(catalogue, """
                version: 1
                hosts: [download-stack]
                services:
                  - { name: sabnzbd, host: download-stack, category: download, ports: [8080] }
                  - { name: qbittorrent, host: download-stack, category: download, ports: [8080] }
                """);
        Map<String, String> env = Map.of("MEDIAWATCH_HOST_ID", "download-stack", "MEDIAWATCH_CATALOGUE",
                catalogue.toString(), "MEDIAWATCH_MQTT_PORT", "1");
        try (AppProcess bad = AppProcess.start("agent-bad-catalogue", Path.of(System.getProperty("mediawatch.agent.app")),
                WORK, Ports.free(), env)) {
            assertThat(bad.awaitStartupFailure(WAIT)).isNotZero();
            assertThat(bad.output()).contains(catalogue + ":5: port clash on download-stack: 'qbittorrent' publishes port 8080");
        }
    }

    private static StatusReport status() throws Exception {
        return ContractJson.readStatus(aggregator.get("/api/status").getBytes(StandardCharsets.UTF_8));
    }

    private static HostStatus host(StatusReport report) {
        return report.hosts().stream().filter(h -> h.host().value().equals(HOST)).findFirst()
                .orElseThrow(() -> new AssertionError(HOST + " not in the status; agent log:\n" + agent.output()));
    }

    private static ContainerStatus state(HostStatus h, String name) {
        return h.services().stream().filter(c -> name.equals(c.container()))
                .map(c -> ContainerStatus.fromWire(c.state())).findFirst().orElse(null);
    }

    private static void mosquittoPub(String topic, String payload) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(TestServices.mosquittoPort()), "-t", topic, "-m", payload).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }
}
