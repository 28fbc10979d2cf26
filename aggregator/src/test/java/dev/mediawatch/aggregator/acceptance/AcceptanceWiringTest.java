package dev.mediawatch.aggregator.acceptance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.DownloadQueue;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.ServiceIdentity;
import dev.mediawatch.testing.ReverseProxy;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The success criteria with memory wired into the aggregator: the agents' activity in on a real in-process broker
 * (imports, playback, the streaming host's Jellyfin id), the public URL through a real local reverse proxy in front
 * of recorded Jellyfin servers, and out: the checklist and today's imports in the status JSON, the terminal
 * dashboard and Home Assistant's state, which must agree, before and after the tunnel is pointed at the old VM.
 */
@QuarkusTest
@QuarkusTestResource(value = AcceptanceWiringTest.Rig.class, restrictToAnnotatedClass = true)
class AcceptanceWiringTest {

    static final HostId DL = HostId.of("accept-dl");
    static final HostId ST = HostId.of("accept-st");
    static TestBroker broker;
    static ReverseProxy proxy;
    static ReverseProxy.Recorded jellyfin210;
    static ReverseProxy.Recorded jellyfin201;

    /** The broker, the recorded Jellyfins, the tunnel, short times. */
    public static class Rig implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            broker = TestBroker.start();
            try {
                jellyfin210 = new ReverseProxy.Recorded(Map.of("/System/Info/Public", TunnelTest.fixture("jellyfin-210.json")));
                jellyfin201 = new ReverseProxy.Recorded(Map.of("/System/Info/Public", TunnelTest.fixture("jellyfin-201.json")));
                proxy = new ReverseProxy().pointAt(jellyfin210.url());
                return Map.ofEntries(Map.entry("mediawatch.mqtt.host", broker.host()),
                        Map.entry("mediawatch.mqtt.port", Integer.toString(broker.port())),
                        Map.entry("mediawatch.stutter.window", "1s"),
                        Map.entry("mediawatch.acceptance.tunnel", proxy.url() + "=jellyfin"),
                        Map.entry("mediawatch.acceptance.tunnel-interval", "2s"),
                        Map.entry("mediawatch.acceptance.tunnel-timeout", "1s"),
                        Map.entry("mediawatch.acceptance.state-file",
                                Files.createTempDirectory("mw-acceptance").resolve("acceptance.json").toString()),
                        Map.entry("mediawatch.incidents.file",
                                Files.createTempDirectory("mw-incidents").resolve("incidents.journal").toString()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            for (AutoCloseable c : new AutoCloseable[] { proxy, jellyfin210, jellyfin201, broker }) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception e) {
                    // stopping
                }
            }
        }
    }

    private final Topics topics = Topics.defaults();
    private long remaining = 9_000_000_000L;

    private void publishHosts() {
        Instant now = Instant.now();
        for (HostId h : List.of(DL, ST)) {
            broker.publish(topics.availability(h), Availability.ONLINE.payload(), true);
            broker.publish(topics.state(h), ContractJson.write(HostState.of(h, h.equals(DL) ? "download" : "streaming",
                    "0.1.0", now, new EngineState(true, "20.10", "1.41", null, now), List.of())), true);
        }
        Instant midnight = now.minus(Duration.ofHours(1));
        remaining -= 10_000_000;
        broker.publish(topics.activity(DL), ContractJson.write(HostActivity.of(DL, now,
                List.of(ActivitySource.ok("sabnzbd"), ActivitySource.ok("radarr"), ActivitySource.ok("sonarr")), List.of(),
                new DownloadQueue("downloading", false, 10_000_000, remaining, 2, 0), null, List.of(), null,
                List.of(new ArrImports("radarr", "movies", 12, midnight, now.minusSeconds(300), now),
                        new ArrImports("sonarr", "episodes", 30, midnight, now.minusSeconds(60), now)),
                List.of())), true);
        broker.publish(topics.activity(ST), ContractJson.write(HostActivity.of(ST, now,
                List.of(ActivitySource.ok("jellyfin")), List.of(new StreamSession("jellyfin", "s1", "anna", "Arrival",
                        "Jellyfin Web", false, StreamSession.DIRECT_PLAY, null, 23.976, null, null, false, false, 1.0)),
                null, null, List.of(), null, List.of(),
                List.of(new ServiceIdentity("jellyfin", TunnelTest.ID_210, "streaming-stack", "10.10.7")))), true);
    }

    private static StatusReport status() throws Exception {
        return ContractJson.readStatus(given().get("/api/status").then().statusCode(200).extract().asByteArray());
    }

    private static Check criterion(StatusReport s, String id) {
        return s.checklist().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    private JsonNode haState() throws IOException {
        TestBroker.Published p = broker.last(topics.homeAssistantState("aggregator"));
        return p == null ? null : ContractJson.mapper().readTree(p.payload());
    }

    @Test
    void theChecklist_andTodaysImports_agreeInJson_text_andHomeAssistant_andFollowTheTunnel() throws Exception {
        StatusReport green = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    publishHosts();
                    return status();
                }, s -> criterion(s, Acceptance.TUNNEL) != null && criterion(s, Acceptance.TUNNEL).pass()
                        && criterion(s, Acceptance.DOWNLOADS_WORKING).pass() && criterion(s, Acceptance.STREAMING_WORKING).pass());
        assertThat(criterion(green, Acceptance.TUNNEL).evidence()).singleElement().asString()
                .contains("answers as Jellyfin \"streaming-stack\" on " + ST.value());
        assertThat(criterion(green, Acceptance.DOWNLOADS_WORKING).evidence()).anyMatch(e -> e.startsWith("radarr: imported (12 today)"))
                .contains("lidarr: not configured (no URL: nothing to prove)");
        assertThat(criterion(green, Acceptance.SOAK).evidence()).anyMatch(e -> e.startsWith("the split went live"));
        assertThat(criterion(green, Acceptance.NO_CONTENTION).evidence().get(0)).startsWith("not shown yet: ");
        assertThat(green.imports()).extracting(i -> i.app() + " " + i.today() + " " + i.unit())
                .containsExactly("radarr 12 movies", "sonarr 30 episodes");
        assertAgree();
        assertThat(given().get("/status").then().extract().asString()).contains("imports today: radarr 12 · sonarr 30");
        JsonNode config = ContractJson.mapper().readTree(broker.last(
                "homeassistant/sensor/mediawatch/aggregator_imports_radarr/config").payload());
        assertThat(config.path("state_class").asText()).isEqualTo("total_increasing");
        assertThat(config.path("unit_of_measurement").asText()).isEqualTo("movies");
        assertThat(config.path("value_template").asText()).isEqualTo("{{ value_json.imports_radarr }}");

        // The public URL now reaches the old VM's Jellyfin: the tunnel criterion fails, everywhere alike.
        proxy.pointAt(jellyfin201.url());
        StatusReport red = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    publishHosts();
                    return status();
                }, s -> !criterion(s, Acceptance.TUNNEL).pass());
        assertThat(criterion(red, Acceptance.TUNNEL).evidence()).singleElement().asString()
                .contains("answers as another Jellyfin (Id e03b7a5c2d8f41b6935c0f1a4d6e8b27");
        assertAgree();
    }

    /** JSON, dashboard and Home Assistant show the same criteria met and the same ones failing, the same imports. */
    private void assertAgree() {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    StatusReport s = status();
                    String text = given().get("/status").then().extract().asString();
                    JsonNode ha = haState();
                    long met = s.checklist().stream().filter(Check::pass).count();
                    List<String> failing = s.checklist().stream().filter(c -> !c.pass()).map(Check::id).toList();
                    assertThat(text).contains(met + "/" + s.checklist().size() + " criteria met");
                    for (Check c : s.checklist()) {
                        assertThat(text).contains((c.pass() ? "✓ " : "✗ ") + c.name());
                    }
                    assertThat(ha).isNotNull();
                    assertThat(ha.path("criteria").asText()).isEqualTo(met + "/" + s.checklist().size());
                    assertThat(ha.path("criteria_failing")).extracting(JsonNode::asText).containsExactlyElementsOf(failing);
                    for (ArrImports i : s.imports()) {
                        assertThat(ha.path("imports_" + i.app()).asLong()).isEqualTo(i.today());
                    }
                });
    }
}
