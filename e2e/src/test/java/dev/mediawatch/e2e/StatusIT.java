package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.TestMethodOrder;

import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.RefreshResult;
import dev.mediawatch.contract.ServiceStatus;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.TestServices;

/**
 * The unified status end to end: two packaged agents (a download and a streaming host, one catalogue) and the
 * packaged aggregator as processes, on a real Mosquitto and a real dockerd. Refresh asks the real agents; the
 * drift gates and checklist react to what is really on the broker (Home Assistant configs, the old VM's retained
 * messages, a plaintext .env); and a restarted aggregator has the whole status back from retained messages
 * without showing an up host down.
 */
@ResourceLock(value = Lanes.HOST_DISK, mode = ResourceAccessMode.READ)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DL = "dl-" + RUN;
    private static final String ST = "st-" + RUN;
    private static final String OLD = "old-" + RUN;
    private static final String PREFIX = "mw-st-" + RUN;
    private static final String HA = "ha-" + RUN;
    private static final String WEB = DL + "-web";
    private static final String SECRET_VALUE = "do-not-leak-" + RUN;
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).resolve("status-" + RUN);

    private static DockerCli docker;
    private static AppProcess aggregator;
    private static final List<AppProcess> agents = new ArrayList<>();
    private static Map<String, String> aggregatorEnv;

    @BeforeAll
    static void startEverything() throws Exception {
        Files.createDirectories(WORK.resolve("stacks/download"));
        Path catalogue = WORK.resolve("media.services.yaml");
        Files.writeString(catalogue, """
                version: 1
                hosts: [%s, %s]
                services:
                  - { name: web, host: %s, category: download, container: %s }
                  - { name: tdarr, host: %s, category: media-support, expected: parked }
                """.formatted(DL, ST, DL, WEB, DL));
        Files.writeString(WORK.resolve("stacks/download/.env"), "TZ=Europe/Berlin\nRADARR_API_KEY=" + SECRET_VALUE + "\n");

        docker = new DockerCli(TestServices.dockerHost());
        docker.runSleeper(WEB);
        aggregatorEnv = Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()),
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX,
                "MEDIAWATCH_CATALOGUE", catalogue.toString(),
                "MEDIAWATCH_STATUS_RETIRED_HOSTS", OLD,
                "MEDIAWATCH_HOMEASSISTANT_DISCOVERY_PREFIX", HA,
                "MEDIAWATCH_REFRESH_TIMEOUT", "15s");
        aggregator = AppProcess.start("aggregator-status", app("aggregator"), WORK, Ports.free(), aggregatorEnv);
        for (String[] h : new String[][] { { DL, "download" }, { ST, "streaming" } }) {
            Map<String, String> env = AppProcess.agentEnv(PREFIX, h[0], h[1], catalogue);
            env.put("MEDIAWATCH_COMPOSE_DIRS", WORK.resolve(h[0].equals(DL) ? "stacks" : "nothing-here").toString());
            agents.add(AppProcess.start("agent-" + h[1], app("agent"), WORK, Ports.free(), env));
        }
        await().atMost(WAIT).ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
            assertThat(aggregator.alive()).as("aggregator log:\n%s", aggregator.output()).isTrue();
            StatusReport r = status();
            assertThat(host(r, DL).status()).isEqualTo(HostHealth.UP);
            assertThat(host(r, ST).status()).isEqualTo(HostHealth.UP);
            assertThat(host(r, DL).services()).filteredOn(s -> s.service().equals("web")).singleElement()
                    .extracting(ServiceStatus::state).isEqualTo("running");
        });
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AppProcess a : agents) {
            a.close();
        }
        if (aggregator != null) {
            aggregator.close();
        }
        if (docker != null) {
            docker.removeQuietly(WEB);
        }
    }

    @Test
    @Order(1)
    void theStatus_isJudgedByTheCatalogue_andPublishedRetained() throws Exception {
        StatusReport r = status();
        HostStatus dl = host(r, DL);
        assertThat(dl.address()).isNotBlank();
        assertThat(dl.services()).filteredOn(s -> s.service().equals("tdarr")).singleElement()
                .satisfies(s -> assertThat(s.parkedOrStopped()).isTrue());
        // Both "VMs" share this machine's one dockerd, so the streaming agent sees the download host's container
        // too: exactly the wrong-VM drift D109 exists to catch, caught on real parts. On its own VM it is fine.
        Check d109 = check(r.drift(), "D109");
        assertThat(d109.pass()).isFalse();
        assertThat(d109.evidence()).contains(WEB + " runs on " + ST + "; the catalogue places it on " + DL)
                .noneMatch(e -> e.contains("(" + DL + ")"));
        assertThat(check(r.checklist(), "services-placed").evidence())
                .contains(WEB + " runs on " + ST + "; the catalogue places it on " + DL);
        // The agents watch no mount here (they publish no mounts report), so the lock cannot hold: named per host.
        assertThat(check(r.drift(), "D107").evidence()).containsExactly(
                DL + ": no mounts report, /mnt/media must be rw", ST + ": no mounts report, /mnt/media must be ro");
        String dashboard = aggregator.get("/status");
        assertThat(dashboard).contains("VM STATUS", "SERVICES", "NFS", "STORAGE", "ALERTS", "DRIFT", DL + " ", "tdarr*");

        StatusReport published = ContractJson.readStatus(mosquittoSubOne(PREFIX + "/status"));
        assertThat(published.hosts()).extracting(h -> h.host().value()).contains(DL, ST);
    }

    @Test
    @Order(2)
    void plaintextSecrets_failTheChecklist_byKeyName_andTheValueGoesNowhere() throws Exception {
        await().atMost(WAIT).untilAsserted(() -> assertThat(check(status().checklist(), "no-plaintext-secrets").evidence())
                .contains(DL + ": " + WORK.resolve("stacks/download/.env") + " holds RADARR_API_KEY"));
        assertThat(aggregator.get("/api/status")).doesNotContain(SECRET_VALUE);
        assertThat(aggregator.get("/api/hosts/" + DL + "/state")).contains("RADARR_API_KEY").doesNotContain(SECRET_VALUE);
        assertThat(new String(mosquittoSubOne(PREFIX + "/" + DL + "/state"), StandardCharsets.UTF_8)).doesNotContain(SECRET_VALUE);
        for (AppProcess a : agents) {
            assertThat(a.output()).doesNotContain(SECRET_VALUE);
        }
        assertThat(aggregator.output()).doesNotContain(SECRET_VALUE);
    }

    @Test
    @Order(3)
    void refresh_asksTheRealAgents_andBothAnswer() throws Exception {
        HttpResponse<String> response = aggregator.post("/api/refresh", Duration.ofSeconds(30));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        RefreshResult result = ContractJson.readRefresh(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(result.hosts()).extracting(h -> h.host().value()).containsExactly(DL, ST);
        assertThat(result.hosts()).allSatisfy(h -> {
            assertThat(h.answered()).as("%s answered; agent logs:\n%s", h.host(), agents.get(0).output()).isTrue();
            assertThat(h.answerMs()).isLessThan(15_000L);
        });
        // Both are up and their catalogue services fine: both pass.
        assertThat(result.hosts()).allSatisfy(h -> assertThat(h.pass()).as("%s", h.problems()).isTrue());
        assertThat(result.status().host(dev.mediawatch.contract.HostId.of(DL))).isPresent();
    }

    @Test
    @Order(4)
    void homeAssistantDuplicates_onTheBroker_failD110_untilCleared() throws Exception {
        MqttTap.publish(HA + "/sensor/" + DL + "/containers/config", "{\"unique_id\":\"dup-" + RUN + "\",\"name\":\"Containers\"}", true);
        MqttTap.publish(HA + "/sensor/stray/containers/config", "{\"unique_id\":\"dup-" + RUN + "\",\"name\":\"Other\"}", true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(check(status().drift(), "D110").evidence())
                .singleElement().asString().startsWith("unique_id dup-" + RUN));
        MqttTap.publish(HA + "/sensor/stray/containers/config", null, true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(check(status().drift(), "D110").pass()).isTrue());
    }

    @Test
    @Order(5)
    void theOldVm_failsTheChecklist_whileItsRetainedMessagesStay() throws Exception {
        MqttTap.publish(PREFIX + "/" + OLD + "/availability", "offline", true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(check(status().checklist(), "old-vm-gone").evidence())
                .singleElement().asString().startsWith(OLD + " still has retained availability"));
        assertThat(status().hosts()).extracting(h -> h.host().value()).doesNotContain(OLD);
        MqttTap.publish(PREFIX + "/" + OLD + "/availability", null, true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(check(status().checklist(), "old-vm-gone").pass()).isTrue());
    }

    @Test
    @Order(6)
    void aRestartedAggregator_hasTheStatusBackWithin5s_andNeverShowsAnUpHostDown() throws Exception {
        aggregator.close();
        long launched = System.nanoTime();
        aggregator = AppProcess.start("aggregator-restarted", app("aggregator"), WORK, Ports.free(), aggregatorEnv);
        await().atMost(WAIT).until(() -> aggregator.status("/api/status") == 200);
        long answering = System.nanoTime();
        List<String> seen = new ArrayList<>();
        long back = -1;
        // Poll as fast as the endpoint answers for 6 s: every view of both hosts must be up or (briefly) stale.
        while (System.nanoTime() - answering < TimeUnit.SECONDS.toNanos(6)) {
            StatusReport r = status();
            HostHealth dl = r.host(dev.mediawatch.contract.HostId.of(DL)).map(HostStatus::status).orElse(null);
            HostHealth st = r.host(dev.mediawatch.contract.HostId.of(ST)).map(HostStatus::status).orElse(null);
            seen.add(dl + "/" + st);
            assertThat(dl).as("download host after restart; views so far %s", seen).isNotEqualTo(HostHealth.DOWN);
            assertThat(st).as("streaming host after restart; views so far %s", seen).isNotEqualTo(HostHealth.DOWN);
            if (back < 0 && dl == HostHealth.UP && st == HostHealth.UP
                    && !host(r, DL).services().isEmpty()) {
                back = System.nanoTime();
            }
        }
        assertThat(back).as("both hosts up with their services; views %s", seen).isPositive();
        long fromAnswering = TimeUnit.NANOSECONDS.toMillis(back - answering);
        long fromLaunch = TimeUnit.NANOSECONDS.toMillis(back - launched);
        System.out.printf("status back %d ms after the HTTP port answered, %d ms after launch (%d views)%n",
                fromAnswering, fromLaunch, seen.size());
        assertThat(fromAnswering).isLessThan(5_000);
    }

    @Test
    @Order(7)
    void badCatalogue_stopsTheAggregatorAtStartup_namingFileLineAndProblem() throws Exception {
        Path bad = WORK.resolve("bad.yaml");
        Files.writeString(bad, "version: 1\nhosts: [a]\nservices:\n  - { name: x, host: b, category: download }\n");
        Map<String, String> env = new HashMap<>(aggregatorEnv);
        env.put("MEDIAWATCH_CATALOGUE", bad.toString());
        try (AppProcess p = AppProcess.start("aggregator-bad-catalogue", app("aggregator"), WORK, Ports.free(), env)) {
            assertThat(p.awaitStartupFailure(WAIT)).isNotZero();
            assertThat(p.output()).contains(bad + ":4:");
        }
    }

    private static Path app(String which) {
        return Path.of(System.getProperty("mediawatch." + which + ".app"));
    }

    private static StatusReport status() throws Exception {
        return ContractJson.readStatus(aggregator.get("/api/status").getBytes(StandardCharsets.UTF_8));
    }

    private static HostStatus host(StatusReport r, String id) {
        return r.hosts().stream().filter(h -> h.host().value().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in the status " + r.hosts()));
    }

    private static Check check(List<Check> checks, String id) {
        return checks.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    /** The retained message on a topic, read with mosquitto_sub. */
    private static byte[] mosquittoSubOne(String topic) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(TestServices.mosquittoPort()),
                "-t", topic, "-C", "1", "-W", "10").start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("mosquitto_sub %s", topic).isZero();
        return new String(out, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
    }
}
