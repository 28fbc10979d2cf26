package dev.mediawatch.aggregator;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.mediawatch.aggregator.ExternalBroker.InjectBroker;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.CommandRequest;
import dev.mediawatch.contract.RefreshResult;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The aggregator subscribed to a real (in-process) broker, fed as the agents feed it. */
@QuarkusTest
@QuarkusTestResource(value = ExternalBroker.class, restrictToAnnotatedClass = true)
class AggregatorApiTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @InjectBroker
    TestBroker broker;

    private final Topics topics = Topics.defaults();

    private static HostState state(HostId host, ContainerState... containers) {
        Instant now = Instant.now();
        return HostState.of(host, "download", "0.1.0", now, new EngineState(true, "20.10.24", "1.41", null, now),
                List.of(containers));
    }

    private static ContainerState c(String name, ContainerStatus s, ContainerHealth h) {
        return new ContainerState("0123456789ab", name, "img", s, h, s == ContainerStatus.EXITED ? 137 : null, null, null,
                Instant.now());
    }

    private HostId newHost() {
        return HostId.of("h-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Test
    void agentMessages_becomeTheUnifiedStatus_asJsonAndDashboard() {
        HostId host = newHost();
        broker.publish(topics.availability(host), Availability.ONLINE.payload(), true);
        broker.publish(topics.state(host), ContractJson.write(state(host,
                c("sabnzbd", ContainerStatus.RUNNING, ContainerHealth.HEALTHY),
                c("radarr", ContainerStatus.RUNNING, ContainerHealth.UNHEALTHY),
                c("tdarr", ContainerStatus.EXITED, ContainerHealth.NONE))), true);

        await().atMost(WAIT).untilAsserted(() -> given().get("/api/status").then().statusCode(200)
                .body("schema", equalTo("mediawatch.status"))
                .body("hosts.find { it.host == '" + host + "' }.status", equalTo("up"))
                .body("hosts.find { it.host == '" + host + "' }.counts.total", equalTo(3))
                .body("hosts.find { it.host == '" + host + "' }.counts.running", equalTo(2))
                .body("hosts.find { it.host == '" + host + "' }.counts.exited", equalTo(1))
                .body("hosts.find { it.host == '" + host + "' }.counts.unhealthy", equalTo(1))
                .body("hosts.find { it.host == '" + host + "' }.lastSeen", not(equalTo(null))));

        given().get("/status").then().statusCode(200).contentType(containsString("text/plain"))
                .body(containsString(host + ": 3 total | 2 running | 1 exited | 1 unhealthy | 0 missing"))
                .body(containsString("✓ UP"));

        broker.publish(topics.availability(host), Availability.OFFLINE.payload(), true);
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/status").then()
                .body("hosts.find { it.host == '" + host + "' }.status", equalTo("down")));
    }

    @Test
    void events_areKept_forTheEventsEndpoint() {
        HostId host = newHost();
        broker.publish(topics.events(host), ContractJson.write(HostEvent.of(host, EventTypes.CONTAINER_DIE, Instant.now(),
                "tdarr", "running", "exited", Map.of("exitCode", "137"))), false);
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/events").then().statusCode(200)
                .body("subject", hasItem("tdarr"))
                .body("find { it.host == '" + host + "' }.detail.exitCode", equalTo("137")));
    }

    @Test
    void badMessages_areRefusedAndCounted_andNeverBreakTheStatus() {
        HostId good = newHost();
        broker.publish(topics.availability(good), Availability.ONLINE.payload(), true);
        broker.publish(topics.state(good), ContractJson.write(state(good, c("jellyfin", ContainerStatus.RUNNING,
                ContainerHealth.NONE))), true);
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/status").then()
                .body("hosts.find { it.host == '" + good + "' }.status", equalTo("up")));

        String valid = new String(ContractJson.write(state(good)), java.nio.charset.StandardCharsets.UTF_8);
        // One at a time: while a retained topic's message waits to be read, a newer one replaces it (only the newest
        // counts), so each bad message is published once the one before it has been read and refused.
        String[][] bad = {
                { topics.state(good), "{this is not json", "state", "malformed" },
                { topics.state(good), valid.replace("\"version\":1", "\"version\":99"), "state", "unsupported-version" },
                { topics.state(good), valid.replace("\"host\":\"" + good + "\"", "\"host\":\"someone-else\""), "state",
                        "host-mismatch" },
                { "mediawatch/Not_A_Host/state", valid, "state", "bad-topic" },
                { topics.availability(good), "maybe", "availability", "malformed" } };
        for (String[] b : bad) {
            broker.publish(b[0], b[1], true);
            await().atMost(WAIT).untilAsserted(() -> given().get("/q/metrics").then().body(containsString(
                    "mediawatch_ingest_rejected_total{kind=\"" + b[2] + "\",reason=\"" + b[3] + "\"} 1.0")));
        }
        // The good host's last good state stands: one container, still up.
        given().get("/api/status").then()
                .body("hosts.find { it.host == '" + good + "' }.status", equalTo("up"))
                .body("hosts.find { it.host == '" + good + "' }.counts.total", equalTo(1));
    }

    @Test
    void hostTable_isBounded() {
        // max-hosts is 12 in this test; the other tests use some of them. Flood with new hosts.
        for (int i = 0; i < 20; i++) {
            broker.publish(topics.availability(newHost()), Availability.ONLINE.payload(), true);
        }
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("mediawatch_ingest_rejected_total{kind=\"availability\",reason=\"host-limit\"}")));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/status").then().body("hosts.size()", equalTo(12)));
    }

    @Test
    void theStatus_isPublishedRetained_forAnyMqttClient() {
        HostId host = newHost();
        broker.publish(topics.availability(host), Availability.ONLINE.payload(), true);
        broker.publish(topics.state(host), ContractJson.write(state(host, c("navidrome", ContainerStatus.RUNNING,
                ContainerHealth.NONE))), true);
        await().atMost(WAIT).untilAsserted(() -> {
            TestBroker.Published p = broker.last(topics.status());
            assertThat(p).isNotNull();
            assertThat(p.retained()).isTrue();
            StatusReport r = ContractJson.readStatus(p.payload());
            assertThat(r.host(host)).hasValueSatisfying(h -> {
                assertThat(h.status()).isEqualTo(dev.mediawatch.contract.HostHealth.UP);
                assertThat(h.services()).extracting(s -> s.service()).containsExactly("navidrome");
            });
        });
    }

    @Test
    void refresh_asksEveryAgent_andReportsWhoAnswered() throws Exception {
        HostId answers = newHost();
        broker.publish(topics.availability(answers), Availability.ONLINE.payload(), true);
        broker.publish(topics.state(answers), ContractJson.write(state(answers)), true);
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/status").then()
                .body("hosts.find { it.host == '" + answers + "' }.status", equalTo("up")));
        broker.clearRecorded();

        java.util.concurrent.CompletableFuture<io.restassured.response.Response> call = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> given().post("/api/refresh"));
        // The agent's side: the command arrives with a request id; answer with a state that carries it.
        TestBroker.Published command = await().atMost(WAIT).until(() -> broker.last(topics.command(answers,
                dev.mediawatch.contract.Command.REFRESH)), java.util.Objects::nonNull);
        CommandRequest request = ContractJson.readCommand(command.payload(), dev.mediawatch.contract.Command.REFRESH);
        assertThat(request.requestId()).startsWith("refresh-");
        assertThat(command.retained()).isFalse();
        broker.publish(topics.state(answers), ContractJson.write(state(answers).with("10.0.0.9", request.requestId(), null)),
                true);

        io.restassured.response.Response response = call.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        RefreshResult result = ContractJson.readRefresh(response.asByteArray());
        assertThat(result.requestId()).isEqualTo(request.requestId());
        assertThat(result.hosts()).filteredOn(h -> h.host().equals(answers)).singleElement().satisfies(h -> {
            assertThat(h.answered()).isTrue();
            assertThat(h.pass()).as(h.problems().toString()).isTrue();
            assertThat(h.answerMs()).isNotNull();
        });
        assertThat(result.status().host(answers)).hasValueSatisfying(h -> assertThat(h.address()).isEqualTo("10.0.0.9"));
        // Hosts of other tests have no agent: they did not answer within the 3 s timeout, and the whole refresh fails.
        assertThat(result.hosts()).filteredOn(h -> !h.host().equals(answers)).allSatisfy(h -> {
            assertThat(h.answered()).isFalse();
            assertThat(h.problems()).contains("no answer within 3000 ms");
        });
        assertThat(result.pass()).isEqualTo(result.hosts().size() == 1);
    }

    @Test
    void aDeletedRetainedMessage_forgetsTheHost() {
        HostId host = newHost();
        broker.publish(topics.availability(host), Availability.ONLINE.payload(), true);
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/status").then()
                .body("hosts.host", hasItem(host.value())));
        broker.publish(topics.availability(host), new byte[0], true);
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/status").then()
                .body("hosts.host", not(hasItem(host.value()))));
    }

    @Test
    void hostDetail_andGzip_andColour() {
        HostId host = newHost();
        broker.publish(topics.availability(host), Availability.ONLINE.payload(), true);
        broker.publish(topics.state(host), ContractJson.write(state(host, c("bazarr", ContainerStatus.RUNNING,
                ContainerHealth.NONE))), true);
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/hosts/" + host + "/state").then().statusCode(200)
                .body("containers.name", hasItem("bazarr")));
        given().get("/api/hosts/" + host + "/mounts").then().statusCode(404);
        given().get("/api/hosts/Not_Valid/state").then().statusCode(404);
        given().header("Accept-Encoding", "gzip").get("/api/status").then().statusCode(200)
                .header("Content-Encoding", "gzip").body("schema", equalTo("mediawatch.status"));
        given().get("/status?color=always").then().statusCode(200).body(containsString("\u001b[32m✓"));
    }

    @io.quarkus.test.common.http.TestHTTPResource("/api/status")
    java.net.URI statusUri;

    @Test
    void status_isServedFromOneBufferToManyResponses_withEntityTags() throws Exception {
        // java.net.http, not rest-assured: it sends exactly the Accept-Encoding given (rest-assured adds gzip).
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.BiFunction<String, String, java.net.http.HttpResponse<byte[]>> get = (enc, inm) -> {
            var req = java.net.http.HttpRequest.newBuilder(statusUri);
            if (enc != null) {
                req.header("Accept-Encoding", enc);
            }
            if (inm != null) {
                req.header("If-None-Match", inm);
            }
            try {
                return http.send(req.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        // The same wrapped bytes go to every response: a buffer freed after the first write would fail the rest.
        for (int i = 0; i < 5; i++) {
            var plain = get.apply(null, null);
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(plain.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(plain.headers().firstValue("Vary")).hasValue("Accept-Encoding");
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(ContractJson.readStatus(plain.body()).schema()).isEqualTo("mediawatch.status");
            var gz = get.apply("gzip, deflate", null);
            assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body()))) {
                assertThat(ContractJson.readStatus(in.readAllBytes()).schema()).isEqualTo("mediawatch.status");
            }
        }
        // gzip refused with q=0: identity.
        assertThat(get.apply("gzip;q=0", null).headers().firstValue("Content-Encoding")).isEmpty();
        // A poller with the current build's tag gets 304 and no body; identity and gzip have their own tags. A
        // build lands at least every second, so two requests may straddle one: retry until they do not.
        String tag = get.apply(null, null).headers().firstValue("ETag").orElseThrow();
        String gzTag = get.apply("gzip", null).headers().firstValue("ETag").orElseThrow();
        assertThat(tag).startsWith("\"").endsWith("\"");
        assertThat(gzTag).endsWith("-gz\"");
        await().atMost(WAIT).until(() -> {
            String t = get.apply(null, null).headers().firstValue("ETag").orElseThrow();
            var r = get.apply(null, "\"other\", " + t);
            return r.statusCode() == 304 && r.body().length == 0;
        });
        assertThat(get.apply(null, "\"0-0\"").statusCode()).isEqualTo(200);
    }

    @Test
    void statusGauges_areOnTheMetricsEndpoint() {
        HostId host = newHost();
        broker.publish(topics.availability(host), Availability.ONLINE.payload(), true);
        broker.publish(topics.state(host), ContractJson.write(state(host, c("a", ContainerStatus.RUNNING, ContainerHealth.NONE),
                c("b", ContainerStatus.EXITED, ContainerHealth.NONE))), true);
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("mediawatch_containers{host=\"" + host + "\",state=\"running\"} 1.0"))
                .body(containsString("mediawatch_containers{host=\"" + host + "\",state=\"exited\"} 1.0"))
                .body(containsString("mediawatch_hosts{status=\"up\"}"))
                .body(containsString("mediawatch_alerts_open{severity=\"critical\"}"))
                .body(containsString("mediawatch_drift_gate_pass{gate=\"D110\"} 1.0"))
                .body(containsString("mediawatch_checklist_pass{criterion=\"old-vm-gone\"} 1.0")));
    }

    @Test
    void readiness_reflectsTheBrokerConnection() {
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("mediawatch-status")));
    }
}
