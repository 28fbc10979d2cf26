package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.TestServices;

/**
 * The aggregator's web page ({@code GET /}) in a real browser (headless Chromium, {@link Browser}) on real parts:
 * the packaged aggregator, two packaged agents as the two VMs ({@code download-stack} and {@code streaming-stack}),
 * a real Mosquitto and a real dockerd. The page is read through its DOM contract: {@code main#status} updated
 * live from {@code /api/status/stream}, one {@code details.vm[data-host]} per VM with a {@code tr.svc[data-service]
 * [data-state]} per service, {@code #conn} shown when the live connection is lost, {@code ol#events} and
 * {@code ul#sessions}.
 *
 * <p>Jellyfin cannot run here (it is not packaged for Debian): the streaming agent asks a local server that answers
 * {@code GET /Sessions} as Jellyfin documents it ({@code SessionInfoDto}, as in the agent's
 * {@code fixtures/jellyfin/}), one session playing and moving on as a client posting every 10 s would.
 *
 * <p>After each test the browser's console must hold no error (no script error, no CSP violation, no failed load)
 * and no app may have logged an ERROR.
 */
@ResourceLock(value = Lanes.HOST_DISK, mode = ResourceAccessMode.READ)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DL = "download-stack";
    private static final String ST = "streaming-stack";
    private static final String PREFIX = "mw-page-" + RUN;
    private static final String SERVICE = "sabnzbd";
    private static final String CONTAINER = "page-" + RUN + "-sabnzbd";
    private static final String KEY = "jf-key-" + RUN;
    /** Markup, a script, an attribute break-out and an event handler: shown as text or it is a hole. */
    static final String HOSTILE = "<script>window.__pwned=1</script>\"'><img src=x onerror=window.__pwned=2>";
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).resolve("page-" + RUN);
    private static final Pattern ERROR_LINE = Pattern.compile("^\\S+ ERROR ");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static DockerCli docker;
    private static HttpServer jellyfin;
    private static AppProcess aggregator;
    private static int aggregatorPort;
    private static final List<AppProcess> apps = new ArrayList<>();
    private static Browser browser;
    private static final String TOKEN = "page-token-" + java.util.UUID.randomUUID();
    /** The aggregator was killed on purpose: the page's reconnect attempts may fail in the console from then on. */
    private static boolean aggregatorKilled;

    @BeforeAll
    static void startEverything() throws Exception {
        Files.createDirectories(WORK);
        Path catalogue = WORK.resolve("media.services.yaml");
        Files.writeString(catalogue, """
                version: 1
                hosts: [%s, %s]
                services:
                  - { name: %s, host: %s, category: download, container: %s, probe: none }
                """.formatted(DL, ST, SERVICE, DL, CONTAINER));
        docker = new DockerCli(TestServices.dockerHost());
        docker.runSleeper(CONTAINER);
        jellyfin = recordedJellyfin();

        for (String[] h : new String[][] { { DL, "download" }, { ST, "streaming" } }) {
            Map<String, String> env = AppProcess.agentEnv(PREFIX, h[0], h[1], catalogue);
            env.put("MEDIAWATCH_THROTTLE_STATE_FILE", WORK.resolve(h[0] + "-throttle.json").toString());
            if (h[0].equals(ST)) {
                env.put("MEDIAWATCH_ACTIVITY_JELLYFIN_URL", "http://127.0.0.1:" + jellyfin.getAddress().getPort());
                env.put("MEDIAWATCH_JELLYFIN_API_KEY", KEY);
            }
            apps.add(AppProcess.start("agent-" + h[1], AppProcess.app("agent"), WORK, Ports.free(), env));
        }
        Map<String, String> env = new HashMap<>(Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()),
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX,
                "MEDIAWATCH_CATALOGUE", catalogue.toString()));
        aggregatorPort = Ports.free();
        aggregator = AppProcess.start("aggregator-page", AppProcess.app("aggregator"), WORK, aggregatorPort, env);
        apps.add(aggregator);
        await().atMost(WAIT).ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
            assertThat(aggregator.alive()).as("aggregator log:\n%s", aggregator.output()).isTrue();
            StatusReport r = ContractJson.readStatus(aggregator.get("/api/status").getBytes(StandardCharsets.UTF_8));
            assertThat(host(r, DL).status()).isEqualTo(HostHealth.UP);
            assertThat(host(r, ST).status()).isEqualTo(HostHealth.UP);
            assertThat(host(r, DL).services()).filteredOn(s -> s.service().equals(SERVICE)).singleElement()
                    .satisfies(s -> assertThat(s.state()).isEqualTo("running"));
        });
        browser = Browser.start();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (browser != null) {
            browser.close();
        }
        for (AppProcess a : apps) {
            a.close();
        }
        if (jellyfin != null) {
            jellyfin.stop(0);
        }
        if (docker != null) {
            docker.removeQuietly(CONTAINER);
        }
    }

    @BeforeEach
    void desktop() {
        browser.viewport(Browser.DESKTOP);
        browser.clearConsole();
    }

    @AfterEach
    void noConsoleErrors_andNoErrorLogged() {
        List<String> console = browser.consoleErrors().stream()
                .filter(e -> !(aggregatorKilled && e.contains("/api/status/stream") && e.contains("net::ERR_"))).toList();
        assertThat(console).as("errors in the browser's console").isEmpty();
        List<String> logged = new ArrayList<>();
        for (AppProcess app : apps) {
            app.output().lines().filter(l -> ERROR_LINE.matcher(l).find()).forEach(l -> logged.add(app + ": " + l));
        }
        assertThat(logged).as("ERROR lines in the apps' logs").isEmpty();
    }

    private static String page() {
        return "http://127.0.0.1:" + aggregatorPort + "/";
    }

    private static String vm(String host) {
        return "details.vm[data-host=\"" + host + "\"]";
    }

    private static String row(String host, String service) {
        return vm(host) + " tr.svc[data-service=\"" + service + "\"]";
    }

    @Test
    @Order(1)
    void thePage_isSentWithAPolicyThatAllowsOnlyItsOwnOrigin_andNoInlineScript() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(page())).timeout(Duration.ofSeconds(5))
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(r.headers().allValues("Content-Security-Policy")).as("Content-Security-Policy headers")
                .singleElement().asString().contains("default-src 'self'").doesNotContain("unsafe-inline");
    }

    @Test
    @Order(2)
    void thePage_showsBothVms_up() {
        browser.open(page());
        assertThat(browser.count("main#status")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(browser.attribute(vm(DL), "data-state")).isEqualTo("up");
            assertThat(browser.attribute(vm(ST), "data-state")).isEqualTo("up");
        });
        assertThat(browser.attributes("#status details.vm", "data-host")).contains(DL, ST);
        assertThat(browser.text(vm(DL) + " summary")).contains(DL);
    }

    @Test
    @Order(3)
    void aKilledContainer_showsExitedWithin5s_withoutReloadingThePage() {
        browser.open(page());
        await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(browser.attribute(row(DL, SERVICE), "data-state")));
        browser.script("window.__noReload = 'x';");

        docker.run("kill", CONTAINER);
        await("the row exited, live").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> browser.attribute(row(DL, SERVICE), "data-state"), "exited"::equals);
        assertThat(browser.script("return window.__noReload")).as("the same document: no reload").isEqualTo("x");
    }

    @Test
    @Order(4)
    void hostileEventDetailsAndTitles_areShownAsText_andNothingRuns() throws Exception {
        HostEvent event = HostEvent.of(HostId.of(DL), EventTypes.SERVICE_PROBE, Instant.now(), SERVICE, "up", "down",
                Map.of("error", HOSTILE));
        Topics topics = Topics.withPrefix(PREFIX);
        MqttTap.publish(topics.events(HostId.of(DL)), new String(ContractJson.write(event), StandardCharsets.UTF_8), false);
        // Both strings reached the aggregator as they were: what the page shows is the page's doing.
        await("the event in /api/events").atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> ContractJson.mapper().readValue(aggregator.get("/api/events"),
                        new TypeReference<List<HostEvent>>() {
                        }).stream().anyMatch(e -> HOSTILE.equals(e.detail().get("error"))));
        try (MqttTap tap = MqttTap.subscribe(topics.activity(HostId.of(ST)))) {
            await("the title in the streaming agent's activity").atMost(Duration.ofSeconds(20))
                    .until(() -> {
                        byte[] a = tap.last(topics.activity(HostId.of(ST)));
                        return a != null && a.length > 0 && ContractJson.readActivity(a, HostId.of(ST),
                                ContractJson.MAX_PAYLOAD_BYTES).sessions().stream().anyMatch(x -> HOSTILE.equals(x.title()));
                    });
        }
        browser.open(page());
        await("the event detail and the session title on the page").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(browser.text("#events")).contains(HOSTILE);
            assertThat(browser.text("#sessions")).contains(HOSTILE);
        });
        assertThat(browser.texts("#events li")).anySatisfy(li -> assertThat(li).contains(HOSTILE));
        assertThat(browser.texts("#sessions li")).anySatisfy(li -> assertThat(li).contains(HOSTILE));
        // An image that fails to load fires its handler at once; give it a second to (not) happen.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> browser.script("return typeof window.__pwned"), "undefined"::equals);
        assertThat(browser.count("#status script")).as("script elements inside #status").isZero();
        assertThat(browser.count("#status img[src=\"x\"]")).as("the hostile image inside #status").isZero();
    }

    @Test
    @Order(5)
    void atPhoneWidth_nothingScrollsSideways_andBothViewsAreScreenshot() {
        browser.open(page());
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.count("#status details.vm") >= 2);
        Path desktop = browser.screenshot("page-desktop");

        browser.viewport(Browser.PHONE);
        assertThat(browser.horizontalOverflow()).as("the page scrolls sideways at 375 px: scrollWidth %s",
                browser.script("return document.documentElement.scrollWidth")).isFalse();
        // A page that does not ask for the phone's width (<meta name=viewport content="width=device-width">) is laid
        // out 980 px wide and shrunk to the screen: no sideways scroll, and unreadable.
        assertThat(browser.script("return document.documentElement.clientWidth")).as("layout width on the phone")
                .isEqualTo(375L);
        Path phone = browser.screenshot("page-phone");
        assertThat(desktop).isRegularFile();
        assertThat(phone).isRegularFile();
    }

    @Test
    @Order(6)
    void theRefreshButton_refreshesEveryHost_withoutAToken() {
        browser.open(page());
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.one("#refresh").isDisplayed());
        browser.one("#refresh").click();
        await("the refresh's answer").atMost(WAIT).untilAsserted(() ->
                assertThat(browser.text("#refresh-result")).isEqualTo("refreshed 2 hosts"));
        assertThat(browser.one("#token-form").isDisplayed()).as("no token asked where none is configured").isFalse();
    }

    @Test
    @Order(7)
    void whereTheApiHasAToken_thePageAsksForIt_andKeepsItNowhere() throws Exception {
        // An aggregator of its own with a token, on a prefix no agent uses: the point is the token, not the hosts.
        Map<String, String> env = new HashMap<>(Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()),
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX + "-token",
                // Its own client id: with the default one each aggregator would push the other off the broker.
                "MEDIAWATCH_MQTT_CLIENT_ID", "mediawatch-aggregator-token-" + PREFIX,
                "MEDIAWATCH_API_TOKEN", TOKEN,
                "MEDIAWATCH_INCIDENTS_FILE", WORK.resolve("token-incidents.journal").toString(),
                "MEDIAWATCH_HOMEASSISTANT_DISCOVERY", "false"));
        int port = Ports.free();
        AppProcess tokened = AppProcess.start("aggregator-token", AppProcess.app("aggregator"), WORK, port, env);
        apps.add(tokened);
        await().atMost(WAIT).ignoreExceptionsInstanceOf(IOException.class).until(() -> tokened.status("/q/health/live") == 200);
        browser.open("http://127.0.0.1:" + port + "/");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.one("#refresh").isDisplayed());
        browser.one("#refresh").click();
        await("the page asks for the token").atMost(WAIT).until(() -> browser.one("#token-form").isDisplayed());
        assertThat(browser.text("#refresh-result")).contains("token");
        // The 401 that made the page ask is in the console as a failed load: expected here, and only here.
        assertThat(browser.consoleErrors()).allSatisfy(e -> assertThat(e).contains("/api/refresh").contains("401"));
        browser.clearConsole();

        browser.one("#token").sendKeys(TOKEN);
        browser.one("#token-form button[type=submit]").click();
        await("refreshed with the token").atMost(WAIT).untilAsserted(() ->
                assertThat(browser.text("#refresh-result")).startsWith("refreshed"));
        assertThat(browser.one("#token-form").isDisplayed()).isFalse();
        // Kept in the tab's memory only: not in the field, a cookie or either storage, and never in the server's log.
        assertThat(browser.script("return document.getElementById('token').value")).isEqualTo("");
        assertThat(browser.script("return document.cookie")).isEqualTo("");
        assertThat(browser.script("return window.localStorage.length + window.sessionStorage.length")).isEqualTo(0L);
        assertThat(tokened.output()).doesNotContain(TOKEN);
        browser.open("about:blank"); // off its live stream before it stops
        tokened.close();
        apps.remove(tokened);
    }

    @Test
    @Order(8)
    void aLostLiveConnection_isShown() throws Exception {
        browser.open(page());
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.count(vm(DL)) == 1);
        assertThat(browser.attribute("#conn", "hidden")).as("#conn is hidden while live").isNotNull();
        assertThat(browser.one("#conn").isDisplayed()).isFalse();
        assertThat(browser.count("#status #conn")).as("#conn outside #status").isZero();

        aggregatorKilled = true;
        aggregator.kill();
        await("#conn shown").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(browser.one("#conn").isDisplayed()).isTrue();
            assertThat(browser.text("#conn")).containsIgnoringCase("lost");
        });
    }

    /**
     * Jellyfin's {@code /Sessions} (one session playing {@link #HOSTILE}, its position posted every 10 s) and
     * {@code /System/Info/Public}, built with Jackson so the hostile title is JSON-escaped as Jellyfin would send it.
     */
    private static HttpServer recordedJellyfin() throws IOException {
        Instant start = Instant.now();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/Sessions", ex -> {
            boolean authorized = ("MediaBrowser Token=\"" + KEY + "\"").equals(ex.getRequestHeaders().getFirst("Authorization"));
            answer(ex, authorized ? 200 : 401, authorized ? sessions(start, Instant.now()) : "");
        });
        server.createContext("/System/Info/Public", ex -> answer(ex, 200,
                AcceptanceIT.jellyfinInfo("5b0e2c7d9a1f4e3b8c6d0a2f4e6b8d1c", ST)));
        server.start();
        return server;
    }

    static String sessions(Instant start, Instant now) {
        long posts = Duration.between(start, now).toSeconds() / 10;
        ArrayNode list = ContractJson.mapper().createArrayNode();
        ObjectNode s = list.addObject();
        s.put("Id", "c0ffee00c0ffee00c0ffee00c0ffee00");
        s.put("UserName", "anna");
        s.put("Client", "Jellyfin Web");
        s.put("DeviceName", "Firefox");
        s.put("LastPlaybackCheckIn", start.plusSeconds(posts * 10).toString());
        ObjectNode item = s.putObject("NowPlayingItem");
        item.put("Id", "b1e55ed0b1e55ed0b1e55ed0b1e55ed0");
        item.put("Name", HOSTILE);
        item.put("Type", "Movie");
        item.put("RunTimeTicks", 69_600_000_000L);
        ObjectNode play = s.putObject("PlayState");
        play.put("PositionTicks", 1_200_000_000L + posts * 10 * 10_000_000L);
        play.put("IsPaused", false);
        play.put("PlayMethod", "DirectPlay");
        return list.toString();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static HostStatus host(StatusReport r, String id) {
        return r.hosts().stream().filter(h -> h.host().value().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in the status " + r.hosts()));
    }
}
