package dev.mediawatch.aggregator.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

import dev.mediawatch.aggregator.ExternalBroker;
import dev.mediawatch.aggregator.ExternalBroker.InjectBroker;
import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The web page in the running aggregator, fed over a real (in-process) broker: the HTML, its safety headers, strings
 * from outside escaped, the live stream's events, the static files. The browser's view of it is WebPageIT's.
 */
@QuarkusTest
@QuarkusTestResource(value = ExternalBroker.class, restrictToAnnotatedClass = true)
class WebPageTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    static final String HOSTILE = "<script>window.__pwned=1</script>\"'><img src=x onerror=window.__pwned=2>";

    @InjectBroker
    TestBroker broker;

    @TestHTTPResource("/api/status/stream")
    URI stream;

    private final Topics topics = Topics.defaults();

    private HostId online(ContainerState... containers) {
        HostId host = HostId.of("w-" + UUID.randomUUID().toString().substring(0, 8));
        broker.publish(topics.availability(host), Availability.ONLINE.payload(), true);
        publishState(host, containers);
        return host;
    }

    private void publishState(HostId host, ContainerState... containers) {
        Instant now = Instant.now();
        broker.publish(topics.state(host), ContractJson.write(HostState.of(host, "download", "0.1.0", now,
                new EngineState(true, "20.10.24", "1.41", null, now), List.of(containers))), true);
    }

    private static ContainerState c(String name, ContainerStatus s) {
        return new ContainerState("0123456789ab", name, "img", s, ContainerHealth.NONE, s == ContainerStatus.EXITED ? 137 : null,
                null, null, Instant.now());
    }

    @Test
    void thePage_showsEveryHostAndItsServices_withItsSafetyHeaders() {
        HostId host = online(c("sabnzbd", ContainerStatus.RUNNING), c("tdarr", ContainerStatus.EXITED));
        await().atMost(WAIT).untilAsserted(() -> assertThat(given().get("/").then().statusCode(200).extract().asString())
                .contains("data-host=\"" + host + "\"")
                .contains("data-service=\"sabnzbd\" data-state=\"running\"")
                .contains("data-service=\"tdarr\" data-state=\"exited\""));
        var response = given().get("/").then().statusCode(200).extract();
        assertThat(response.contentType()).startsWith("text/html");
        String csp = response.header("Content-Security-Policy");
        assertThat(csp).contains("default-src 'self'").contains("script-src 'self'").contains("style-src 'self'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        String html = response.asString();
        // Nothing from another host: every script and stylesheet is the aggregator's own.
        assertThat(html).doesNotContainPattern("(src|href|action)=\"(https?:)?//").doesNotContain("style=\"")
                .contains("<script src=\"/static/app.js\" defer></script>")
                .containsOnlyOnce("<script");
    }

    @Test
    void stringsFromOutside_areShownAsText_neverAsMarkup() {
        HostId host = online(c("sabnzbd", ContainerStatus.RUNNING));
        // Known first: the events and activity lanes are not ordered with the state's.
        await().atMost(WAIT).until(() -> given().get("/").then().extract().asString().contains("data-host=\"" + host + "\""));
        broker.publish(topics.events(host), ContractJson.write(HostEvent.of(host, EventTypes.CONTAINER_DIE, Instant.now(),
                "sabnzbd", "running", "exited", Map.of("reason", HOSTILE))), false);
        broker.publish(topics.activity(host), ContractJson.write(HostActivity.of(host, Instant.now(),
                List.of(ActivitySource.ok("jellyfin")), List.of(new StreamSession("jellyfin", "s1", "anna", HOSTILE,
                        "Jellyfin Web", false, StreamSession.DIRECT_PLAY, null, null, null, null, false, false, 1.0)),
                null, null, List.of(), null)), true);
        String escaped = "&lt;script&gt;window.__pwned=1&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=window.__pwned=2&gt;";
        await().atMost(WAIT).untilAsserted(() -> {
            String html = given().get("/").then().statusCode(200).extract().asString();
            int events = html.indexOf("id=\"events\"");
            int sessions = html.indexOf("id=\"sessions\"");
            assertThat(html.indexOf(escaped, events)).as("the event's detail, escaped, in #events").isGreaterThan(events);
            assertThat(html.indexOf(escaped, sessions)).as("the title, escaped, in #sessions").isGreaterThan(sessions);
            assertThat(html).doesNotContain("<script>window").doesNotContain("<img src=x");
        });
    }

    @Test
    void theLiveStream_sendsTheStatusAtOnce_andAgainWhenItChanges() throws Exception {
        HostId host = online(c("radarr", ContainerStatus.RUNNING));
        ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(stream).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException closed) {
                // the test ended the stream
            }
        }, "test-sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(WAIT).until(() -> lines.contains("event: status") && lines.stream()
                    .anyMatch(l -> l.contains("data-service=\"radarr\" data-state=\"running\"")));
            assertThat(lines).contains("event: charts");
            publishState(host, c("radarr", ContainerStatus.EXITED));
            await().atMost(WAIT).until(() -> lines.stream()
                    .anyMatch(l -> l.contains("data-service=\"radarr\" data-state=\"exited\"")));
            assertThat(lines).allSatisfy(l -> assertThat(l).satisfiesAnyOf(
                    x -> assertThat(x).isEmpty(), x -> assertThat(x).startsWith("event: "),
                    x -> assertThat(x).startsWith("data: "), x -> assertThat(x).startsWith("retry: ")));
        } finally {
            response.body().close();
        }
    }

    @Test
    void theStaticFiles_areServedByTheAggregator() {
        assertThat(given().get("/static/app.js").then().statusCode(200).extract().asString()).contains("EventSource");
        assertThat(given().get("/static/app.css").then().statusCode(200).extract().asString()).contains("prefers-color-scheme");
    }

    @Test
    void anUnknownIncident_isNotFound() {
        given().get("/incidents/stutter-19700101T000000Z").then().statusCode(404);
    }

    @Test
    void anEventStreamLine_neverCarriesARawLineBreak() {
        String e = LiveStatus.event("status", "<p>a</p>\n<p>b</p>\r\n").toString(StandardCharsets.UTF_8);
        assertThat(e).isEqualTo("event: status\ndata: <p>a</p>\ndata: <p>b</p>\ndata: \n\n");
    }
}
