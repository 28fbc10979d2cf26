package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.TestServices;

/**
 * Notifications end to end on real parts: the packaged agent and aggregator, a real dockerd and Mosquitto, a catalogue
 * service whose container is killed. Two receivers stand in for the services people use (none can be reached from
 * here): a JSON webhook ({@code generic+http://}) and a Gotify-shaped server ({@code gotify://}, its REST
 * {@code POST /message}). After the service's hold, exactly one message reaches each; the aggregator restarts while
 * the container is down and sends nothing again; the container starts and exactly one clear reaches each. A canary
 * token in every URL never shows in the aggregator's log, metrics or API answers.
 */
class NotifyIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String HOST = "nt-" + RUN;
    private static final String PREFIX = "mw-nt-" + RUN;
    private static final String CONTAINER = HOST + "-sabnzbd";
    private static final String CANARY = "canary" + RUN + "Tok";
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).resolve("notify-" + RUN);

    /** One request a receiver got. */
    record Got(String method, String path, String query, Map<String, List<String>> headers, String body) {
    }

    private static HttpServer receivers;
    private static final List<Got> webhook = new CopyOnWriteArrayList<>();
    private static final List<Got> gotify = new CopyOnWriteArrayList<>();
    private static DockerCli docker;
    private static AppProcess agent;
    private static AppProcess aggregator;
    private static Map<String, String> aggregatorEnv;
    private static int aggregatorPort;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(WORK);
        receivers = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receivers.createContext("/hook", ex -> record(ex, webhook));
        receivers.createContext("/message", ex -> record(ex, gotify));
        receivers.start();
        int port = receivers.getAddress().getPort();

        docker = new DockerCli(TestServices.dockerHost());
        docker.runSleeper(CONTAINER);
        Path catalogue = WORK.resolve("media.services.yaml");
        Files.writeString(catalogue, """
                version: 1
                hosts: [%s]
                services:
                  - { name: sabnzbd, host: %s, category: download, container: %s, probe: none }
                """.formatted(HOST, HOST, CONTAINER));
        Map<String, String> agentEnv = AppProcess.agentEnv(PREFIX, HOST, "download", catalogue);
        agentEnv.put("MEDIAWATCH_PUBLISH_INTERVAL", "2s");
        agent = AppProcess.start("agent", AppProcess.app("agent"), WORK, Ports.free(), agentEnv);

        aggregatorEnv = new HashMap<>(Map.of("MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()),
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX,
                "MEDIAWATCH_CATALOGUE", catalogue.toString(),
                "MEDIAWATCH_NOTIFY_URLS", "generic+http://127.0.0.1:" + port + "/hook?@X-Canary=" + CANARY
                        + "  gotify://127.0.0.1:" + port + "/" + CANARY + "?disabletls=yes",
                "MEDIAWATCH_NOTIFY_HOLD_SERVICE", "5s",
                "MEDIAWATCH_NOTIFY_SETTLE", "5s",
                "MEDIAWATCH_NOTIFY_EXTERNAL_URL", "http://media-agg.lan:8470",
                "MEDIAWATCH_NOTIFY_STATE_FILE", WORK.resolve("notify-state.json").toString()));
        aggregatorPort = Ports.free();
        aggregator = AppProcess.start("aggregator", AppProcess.app("aggregator"), WORK, aggregatorPort, aggregatorEnv);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            assertThat(aggregator.alive()).as("aggregator alive; log:\n%s", aggregator.output()).isTrue();
            assertThat(aggregator.get("/api/status")).contains("\"service\":\"sabnzbd\"").contains("\"state\":\"running\"");
        });
    }

    private static void record(com.sun.net.httpserver.HttpExchange ex, List<Got> into) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(1 << 20);
        }
        into.add(new Got(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(),
                Map.copyOf(ex.getRequestHeaders()), new String(body, StandardCharsets.UTF_8)));
        byte[] answer = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, answer.length);
        ex.getResponseBody().write(answer);
        ex.close();
    }

    @AfterAll
    static void stop() throws Exception {
        if (docker != null) {
            docker.removeQuietly(CONTAINER);
        }
        for (AppProcess p : new AppProcess[] { agent, aggregator }) {
            if (p != null) {
                p.close();
            }
        }
        if (receivers != null) {
            receivers.stop(0);
        }
    }

    @Test
    void aKilledServiceContainer_oneMessageEach_aRestartSendsNothingAgain_oneClearEach_andNoTokenShows()
            throws Exception {
        docker.run("kill", CONTAINER);
        await().atMost(Duration.ofSeconds(60)).until(() -> webhook.size() >= 1 && gotify.size() >= 1);

        Got hook = webhook.get(0);
        assertThat(hook.method()).isEqualTo("POST");
        assertThat(hook.headers().get("X-canary")).containsExactly(CANARY);
        JsonNode raised = ContractJson.mapper().readTree(hook.body());
        assertThat(raised.path("title").asText()).isEqualTo("sabnzbd exited (137) on " + HOST);
        assertThat(raised.path("message").asText()).startsWith("Sabnzbd on " + HOST + ": exited (137). Since ")
                .contains("container " + CONTAINER + ": exited, exit code 137").contains("http://media-agg.lan:8470/status");
        Got g = gotify.get(0);
        assertThat(g.method()).isEqualTo("POST");
        assertThat(g.path()).isEqualTo("/message");
        JsonNode gm = ContractJson.mapper().readTree(g.body());
        assertThat(gm.path("title").asText()).isEqualTo("sabnzbd exited (137) on " + HOST);
        assertThat(gm.path("priority").asInt()).isEqualTo(8);

        // Restarted while the container is still down: the raise is remembered, not sent again.
        aggregator.close();
        aggregator = AppProcess.start("aggregator", AppProcess.app("aggregator"), WORK, aggregatorPort, aggregatorEnv);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(aggregator.get("/api/status"))
                .contains("\"service\":\"sabnzbd\"").contains("exited"));
        await().atMost(Duration.ofSeconds(30)).until(() -> aggregator.output().contains("notifications go to"));
        // Past the settle and the hold on the new aggregator: still one each.
        long judgedFrom = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - judgedFrom > 15_000_000_000L);
        assertThat(webhook).hasSize(1);
        assertThat(gotify).hasSize(1);

        docker.run("start", CONTAINER);
        await().atMost(Duration.ofSeconds(60)).until(() -> webhook.size() >= 2 && gotify.size() >= 2);
        JsonNode cleared = ContractJson.mapper().readTree(webhook.get(1).body());
        assertThat(cleared.path("title").asText()).isEqualTo("Cleared: sabnzbd exited (137) on " + HOST);
        assertThat(ContractJson.mapper().readTree(gotify.get(1).body()).path("title").asText())
                .startsWith("Cleared: sabnzbd exited");
        long clearedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).until(() -> System.nanoTime() - clearedAt > 8_000_000_000L);
        assertThat(webhook).hasSize(2);
        assertThat(gotify).hasSize(2);

        // The canary token: sent to the receivers only, never shown.
        assertThat(aggregator.get("/q/metrics")).contains("mediawatch_notify_deliveries_total").doesNotContain(CANARY);
        assertThat(aggregator.get("/api/status")).doesNotContain(CANARY);
        assertThat(aggregator.get("/api/incidents")).doesNotContain(CANARY);
        // This test's two aggregators (aggregator.log, aggregator-2.log), not the one refused at startup.
        for (Path log : Files.list(WORK).filter(p -> p.getFileName().toString().matches("aggregator(-\\d+)?\\.log"))
                .toList()) {
            assertThat(Files.readString(log)).as(log.toString()).doesNotContain(CANARY).contains("notifications go to");
        }
        assertThat(Files.readString(WORK.resolve("notify-state.json"))).doesNotContain(CANARY);
    }

    @Test
    void aMalformedUrl_stopsStartup_namingItsPlaceAndScheme_notItsToken() throws Exception {
        Path file = WORK.resolve("bad-urls");
        Files.writeString(file, "# phones\nntfy://ntfy.example.org/media\ngotify://" + CANARY + "@\n");
        Map<String, String> env = new HashMap<>(aggregatorEnv);
        env.remove("MEDIAWATCH_NOTIFY_URLS");
        env.put("MEDIAWATCH_NOTIFY_URLS_FILE", file.toString());
        env.put("MEDIAWATCH_TOPIC_PREFIX", PREFIX + "-bad");
        AppProcess bad = AppProcess.start("aggregator-bad-url", AppProcess.app("aggregator"), WORK, Ports.free(), env);
        assertThat(bad.awaitStartupFailure(Duration.ofSeconds(60))).isNotZero();
        assertThat(bad.output()).contains("mediawatch.notify.urls-file " + file + ", line 3: notification URL #2 (gotify): ")
                .doesNotContain(CANARY);
    }
}
