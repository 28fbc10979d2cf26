package dev.mediawatch.aggregator.contention;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpServer;

import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.Command;
import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.ContentionHistory;
import dev.mediawatch.contract.ContentionWindow;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.DiskIo;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostPressure;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.IncidentList;
import dev.mediawatch.contract.Pressure;
import dev.mediawatch.contract.PressureLine;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.contract.ThrottleRequest;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The detector wired into the aggregator: agents' messages in (as the agents publish them, on a real in-process
 * broker), and out: the retained contention sensor and alert state, the aggregator's events, the throttle lease
 * commands to the download host (mitigation on), a webhook notification per raise and clear (a real HTTP server),
 * the incident with its actions, and the detector's part of the status. Short times (1 s windows, 3 s to raise and
 * to clear) so it runs in seconds; the decisions themselves are the detector's own tests.
 */
@QuarkusTest
@QuarkusTestResource(value = ContentionWiringTest.Rig.class, restrictToAnnotatedClass = true)
class ContentionWiringTest {

    static final HostId DL = HostId.of("wire-dl");
    static final HostId ST = HostId.of("wire-st");
    static final List<String> WEBHOOK = new CopyOnWriteArrayList<>();
    static TestBroker broker;

    /** The broker, a webhook receiver, and the short times. */
    public static class Rig implements QuarkusTestResourceLifecycleManager {
        private HttpServer webhook;

        @Override
        public Map<String, String> start() {
            broker = TestBroker.start();
            try {
                webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                webhook.createContext("/hook", x -> {
                    WEBHOOK.add(x.getRequestHeaders().getFirst("X-Mediawatch-Delivery") + " "
                            + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    x.sendResponseHeaders(204, -1);
                    x.close();
                });
                webhook.start();
                String journal = Files.createTempDirectory("mw-incidents").resolve("incidents.journal").toString();
                return Map.ofEntries(Map.entry("mediawatch.mqtt.host", broker.host()),
                        Map.entry("mediawatch.mqtt.port", Integer.toString(broker.port())),
                        Map.entry("mediawatch.stutter.window", "1s"),
                        Map.entry("mediawatch.stutter.raise-after", "3s"),
                        Map.entry("mediawatch.stutter.clear-after", "3s"),
                        Map.entry("mediawatch.mitigation.enabled", "true"),
                        Map.entry("mediawatch.mitigation.lease", "10s"),
                        Map.entry("mediawatch.mitigation.renew-every", "2s"),
                        Map.entry("mediawatch.notify.urls", "generic+http://127.0.0.1:" + webhook.getAddress().getPort()
                                + "/hook?@Authorization=Bearer%20tok-never-shown"),
                        Map.entry("mediawatch.notify.settle", "0s"),
                        Map.entry("mediawatch.incidents.file", journal));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            if (webhook != null) {
                webhook.stop(0);
            }
            if (broker != null) {
                broker.close();
            }
        }
    }

    private final Topics topics = Topics.defaults();

    private void publishHosts(boolean loaded) {
        Instant now = Instant.now();
        for (HostId h : List.of(DL, ST)) {
            String role = h.equals(DL) ? "download" : "streaming";
            broker.publish(topics.availability(h), Availability.ONLINE.payload(), true);
            broker.publish(topics.state(h), ContractJson.write(HostState.of(h, role, "0.1.0", now,
                    new EngineState(true, "20.10", "1.41", null, now), List.of())), true);
            double psi = loaded ? 40 : 1;
            HostPressure p = new HostPressure(new Pressure(new PressureLine(psi, psi, psi, 1, psi), null), null, null);
            DiskIo disk = h.equals(DL)
                    ? new DiskIo("vda", 0, loaded ? 80_000_000 : 0, 0, loaded ? 80 : 0, 1, 0, 1, 50)
                    : new DiskIo("vda", 400_000, 0, 50, 0, 1, loaded ? 60 : 1, 0, 5);
            broker.publish(topics.io(h), ContractJson.write(HostIo.of(h, now, 1, p, List.of(disk), List.of(),
                    h.equals(DL) && loaded ? List.of("sabnzbd") : List.of())), true);
        }
        broker.publish(topics.activity(ST), ContractJson.write(HostActivity.of(ST, now,
                List.of(ActivitySource.ok("jellyfin")), List.of(new StreamSession("jellyfin", "s1", "anna", "Arrival",
                        "Jellyfin Web (Firefox)", false, StreamSession.DIRECT_PLAY, null, 23.976, null, null)),
                null, null, List.of(), null)), true);
    }

    private static List<AlertState> alerts() throws IOException {
        return ContractJson.mapper().readValue(given().get("/api/alerts").then().statusCode(200).extract().asByteArray(),
                new TypeReference<List<AlertState>>() {
                });
    }

    private static AlertState stutter() throws IOException {
        return alerts().stream().filter(a -> a.id().equals(AlertState.STUTTER)).findFirst().orElse(null);
    }

    @Test
    void contentionRaises_throttles_notifies_andClears_withTheIncidentKept() throws Exception {
        // Calm: the sensor is published and nothing is raised.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
            publishHosts(false);
            TestBroker.Published c = broker.last(topics.contention());
            return c != null && ContractJson.readContention(c.payload()).evidence().signalsUsed().size() >= 3;
        });
        assertThat(alerts()).isNotEmpty().noneMatch(AlertState::raised);

        // Contention with somebody watching: raised, with evidence from both sides.
        AlertState raised = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    publishHosts(true);
                    return stutter();
                }, a -> a != null && a.raised());
        assertThat(raised.incidentId()).startsWith("stutter-");
        assertThat(raised.evidence().topWriters()).contains("sabnzbd");
        assertThat(raised.evidence().sessions()).extracting(StreamSession::user).contains("anna");
        // The REST answer is the aggregator's own state; its MQTT messages follow on the send path, a moment later
        // on a loaded machine.
        AlertState retained = await("the raised alert on MQTT").atMost(Duration.ofSeconds(5)).until(() -> {
            TestBroker.Published m = broker.last(topics.alert(AlertState.STUTTER));
            return m == null ? null : ContractJson.readAlert(m.payload());
        }, a -> a != null && a.raised());
        assertThat(retained.raised()).isTrue();
        assertThat(broker.last(topics.alert(AlertState.STUTTER)).retained()).isTrue();
        Contention c = await("the contention on MQTT").atMost(Duration.ofSeconds(5))
                .until(() -> ContractJson.readContention(broker.last(topics.contention()).payload()),
                        x -> x.state().equals(Contention.CONTENTION));
        assertThat(c.score()).isGreaterThan(50);
        // The throttle lease goes to the download host, and is renewed while the alert holds.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
            publishHosts(true);
            return throttleRequests(ThrottleRequest.APPLY).size() >= 2;
        });
        ThrottleRequest apply = throttleRequests(ThrottleRequest.APPLY).get(0);
        assertThat(apply.leaseSeconds()).isEqualTo(10);
        assertThat(apply.limits().sabnzbdBytesPerSec()).isEqualTo(10_485_760L);
        assertThat(broker.messages(topics.command(ST, Command.THROTTLE))).as("never the streaming host").isEmpty();
        // The status shows it: the alert, and the contention box.
        StatusReport status = ContractJson.readStatus(given().get("/api/status").then().extract().asByteArray());
        assertThat(status.alerts()).anySatisfy(a -> assertThat(a.id()).isEqualTo(AlertState.STUTTER));
        assertThat(status.contention()).isNotNull();
        given().get("/status").then().body(containsString("STREAMING"), containsString("contention"),
                containsString("thresholds: defaults: learning from calm begins once the hosts"));
        // What is learned, per host and signal: nothing yet (an hour of calm is needed), the defaults in force.
        dev.mediawatch.contract.BaselineReport baselines = ContractJson.readBaselines(given().get("/api/baselines").then()
                .statusCode(200).extract().asByteArray());
        assertThat(baselines.learnAfterSeconds()).isEqualTo(3600);
        assertThat(baselines.store()).isEqualTo("ok");
        assertThat(baselines.baselines()).extracting(b -> b.host().value() + " " + b.signal())
                .contains(ST.value() + " nfs-read-rtt", ST.value() + " playback-stalled", DL.value() + " disk-write");
        assertThat(baselines.baselines()).allMatch(b -> b.origin().equals(dev.mediawatch.contract.SignalBaseline.DEFAULT));
        assertThat(status.contention().thresholds()).startsWith("defaults: learning from calm begins");

        // Calm again: cleared after the clear time, the throttle released, one notification each way.
        AlertState cleared = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    publishHosts(false);
                    return stutter();
                }, a -> a != null && !a.raised());
        assertThat(cleared.clearedAt()).isNotNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> throttleRequests(ThrottleRequest.RELEASE).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> WEBHOOK.size() >= 2);
        assertThat(WEBHOOK).hasSize(2);
        assertThat(WEBHOOK.get(0)).startsWith("stutter:raised:")
                .contains("\"title\":\"Streaming stutter during downloads\"").contains("top writers: sabnzbd");
        assertThat(WEBHOOK.get(1)).startsWith("stutter:cleared:");
        assertThat(String.join("\n", WEBHOOK)).doesNotContain("tok-never-shown");
        List<String> events = broker.messages(topics.aggregatorEvents()).stream().map(TestBroker.Published::text).toList();
        assertThat(events).anyMatch(e -> e.contains("\"alert.raised\"")).anyMatch(e -> e.contains("\"alert.cleared\""))
                .anyMatch(e -> e.contains("\"throttle.requested\""));

        // The incident: raise to clear, with what was done.
        Incident incident = await().atMost(Duration.ofSeconds(10)).until(() -> {
            IncidentList list = ContractJson.readIncidents(given().get("/api/incidents?since=1h").then().statusCode(200)
                    .extract().asByteArray());
            return list.incidents().stream().filter(i -> i.id().equals(raised.incidentId())).findFirst().orElse(null);
        }, i -> i != null && i.clearedAt() != null && i.actions().stream().anyMatch(a -> a.action().equals("notify.sent"))
                && i.actions().stream().filter(a -> a.action().equals("notify.sent")).count() == 2);
        assertThat(incident.actions()).extracting(a -> a.action()).contains("alert.raised", "throttle.requested",
                "alert.cleared", "notify.sent");
        assertThat(incident.actions().toString()).doesNotContain("tok-never-shown");
        assertThat(incident.peakScore()).isGreaterThanOrEqualTo(incident.atRaise().score());
        given().get("/api/incidents/" + raised.incidentId()).then().statusCode(200);
        given().get("/api/incidents/nope").then().statusCode(404);
        given().get("/api/incidents?since=yesterday").then().statusCode(400).body(containsString("since must be"));

        // The incident's windows: from before the raise (calm) through the raise to the clear.
        ContentionHistory windows = ContractJson.readContentionHistory(given().get("/api/incidents/"
                + raised.incidentId() + "/windows").then().statusCode(200).extract().asByteArray());
        assertThat(windows.windowSeconds()).isEqualTo(1);
        assertThat(windows.windows()).extracting(ContentionWindow::at).isSorted();
        assertThat(windows.since()).isEqualTo(windows.windows().get(0).at());
        assertThat(windows.windows().get(0).at()).isBefore(incident.raisedAt());
        assertThat(windows.windows().get(windows.windows().size() - 1).at()).isAfterOrEqualTo(incident.clearedAt());
        assertThat(windows.windows()).anyMatch(ContentionWindow::stutter)
                .anyMatch(w -> w.state().equals(Contention.CONTENTION)).anyMatch(w -> w.state().equals(Contention.CALM));
        assertThat(windows.windows()).allSatisfy(w -> assertThat(w.signals()).hasSizeLessThanOrEqualTo(
                ContentionWindow.MAX_SIGNALS)).anyMatch(w -> w.signals().size() >= 3);
        given().get("/api/incidents/nope/windows").then().statusCode(404).body(containsString("no incident nope"));

        // The last 24 hours: every window of this test, oldest first, the raise among them.
        ContentionHistory history = ContractJson.readContentionHistory(given().get("/api/contention/history?since=1h")
                .then().statusCode(200).extract().asByteArray());
        assertThat(history.windowSeconds()).isEqualTo(1);
        assertThat(history.windows()).hasSizeGreaterThan(windows.windows().size() - 1);
        assertThat(history.windows()).extracting(ContentionWindow::at).isSorted().doesNotHaveDuplicates();
        assertThat(history.windows()).extracting(ContentionWindow::at).contains(incident.raisedAt());
        assertThat(history.windows()).anySatisfy(w -> {
            assertThat(w.stutter()).isTrue();
            assertThat(w.signals()).anyMatch(sv -> sv.host().equals(DL) && sv.crossed())
                    .anyMatch(sv -> sv.host().equals(ST));
        });
        ContentionHistory recent = ContractJson.readContentionHistory(given()
                .get("/api/contention/history?since=" + incident.clearedAt()).then().statusCode(200).extract()
                .asByteArray());
        assertThat(recent.since()).isEqualTo(incident.clearedAt());
        assertThat(recent.windows()).isNotEmpty().allMatch(w -> !w.at().isBefore(incident.clearedAt()));
        ContentionHistory byDefault = ContractJson.readContentionHistory(given().get("/api/contention/history")
                .then().statusCode(200).extract().asByteArray());
        assertThat(byDefault.since()).isBetween(Instant.now().minus(Duration.ofHours(24)).minusSeconds(60),
                Instant.now().minus(Duration.ofHours(24)));
        assertThat(byDefault.windows().size()).isGreaterThanOrEqualTo(history.windows().size());
        given().get("/api/contention/history?since=yesterday").then().statusCode(400)
                .body(containsString("since must be"));
        given().get("/q/metrics").then().body(containsString("mediawatch_incident_store_ok 1.0"),
                containsString("mediawatch_incident_windows_ok 1.0"),
                containsString("mediawatch_contention_score"),
                containsString("mediawatch_notify_deliveries_total{outcome=\"sent\",scheme=\"generic+http\"} 2.0"));

        // A test message to every target, answered per target; the token is sent, never shown.
        int before = WEBHOOK.size();
        String answer = given().post("/api/notify/test").then().statusCode(200).extract().asString();
        dev.mediawatch.contract.NotifyTest test = ContractJson.mapper().readValue(answer, dev.mediawatch.contract.NotifyTest.class);
        assertThat(test.pass()).isTrue();
        assertThat(test.targets()).singleElement().satisfies(t -> {
            assertThat(t.target()).isEqualTo("generic+http://***@127.0.0.1");
            assertThat(t.sent()).isTrue();
            assertThat(t.detail()).startsWith("HTTP 204");
        });
        assertThat(answer).doesNotContain("tok-never-shown").doesNotContain("/hook");
        assertThat(WEBHOOK).hasSize(before + 1);
        assertThat(WEBHOOK.get(before)).startsWith("test:").contains("mediawatch test notification");
    }

    private List<ThrottleRequest> throttleRequests(String action) {
        return broker.messages(topics.command(DL, Command.THROTTLE)).stream().map(m -> {
            try {
                return ContractJson.readThrottle(m.payload());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).filter(r -> r.action().equals(action)).toList();
    }
}
