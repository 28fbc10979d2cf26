package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.mediawatch.agent.TestHttp;
import dev.mediawatch.agent.activity.ArrClient.App;
import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.ServiceIdentity;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.ThrottleState;
import dev.mediawatch.testing.MutableClock;

/**
 * The slow sources in the activity loop ({@link ActivityCollector}): the *arr histories and Jellyfin's identity are
 * asked at {@code mediawatch.activity.imports.interval}, not every poll, and republished in between; Navidrome's
 * identity comes with every poll. The apps are real HTTP servers on loopback serving recorded answers
 * ({@link ArrFake}, and one server for Jellyfin and Navidrome), which count what they are asked; the clock is moved
 * by hand, one collection per activity interval.
 */
class ActivityWatchImportsTest {

    private static final HostId HOST = HostId.of("download-stack");
    private static final String RADARR_KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final String SONARR_KEY = "0f9e8d7c6b5a49382716f5e4d3c2b1a0";
    private static final String JELLYFIN_KEY = "1234567890abcdef1234567890abcdef";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofSeconds(5);
    private static final Duration IMPORTS = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2026-11-21T21:03:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<HostEvent> events = new ArrayList<>();
    private final ArrFake radarr = new ArrFake("radarr", RADARR_KEY).history("history-page.json");
    private final ArrFake sonarr = new ArrFake("sonarr", SONARR_KEY).history("history-page.json");

    /** Jellyfin and Navidrome on one loopback server: the paths they were asked, in order. */
    private HttpServer media;
    private ExecutorService mediaThreads;
    private final List<String> mediaRequests = new CopyOnWriteArrayList<>();
    private volatile int sessionsStatus = 200;

    @BeforeEach
    void startMedia() throws IOException {
        media = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mediaThreads = Executors.newFixedThreadPool(2);
        media.setExecutor(mediaThreads);
        media.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            mediaRequests.add(path);
            int status = 200;
            String body;
            if (path.equals("/Sessions")) {
                status = sessionsStatus;
                body = status == 200 ? fixture("jellyfin", "sessions-idle.json") : "";
            } else if (path.equals("/System/Info/Public")) {
                body = fixture("jellyfin", "system-info-public.json");
            } else if (path.equals("/rest/getNowPlaying.view")) {
                body = fixture("navidrome", "nowplaying-empty.json");
            } else {
                status = 404;
                body = "";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        media.start();
    }

    @AfterEach
    void stop() {
        radarr.close();
        sonarr.close();
        media.stop(0);
        mediaThreads.shutdownNow();
    }

    private static String fixture(String dir, String name) throws IOException {
        try (InputStream in = ActivityWatchImportsTest.class.getResourceAsStream("/fixtures/" + dir + "/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private URI mediaBase() {
        return URI.create("http://127.0.0.1:" + media.getAddress().getPort());
    }

    private ActivityCollector downloadHost(ZoneId zone) {
        List<ArrClient> arr = List.of(
                new ArrClient(TestHttp.CLIENT, App.RADARR, radarr.base(), Optional.of(RADARR_KEY), TIMEOUT, clock,
                        zone),
                new ArrClient(TestHttp.CLIENT, App.SONARR, sonarr.base(), Optional.of(SONARR_KEY), TIMEOUT, clock,
                        zone));
        return new ActivityCollector(HOST, clock, new ActivityCollector.Clients(null, null, null, null, arr), IMPORTS,
                List.of(), () -> null, () -> null, () -> ThrottleState.INACTIVE, events::add,
                PlaybackTracker.Settings.DEFAULTS);
    }

    private ActivityCollector streamingHost() {
        return new ActivityCollector(HostId.of("streaming"), clock, new ActivityCollector.Clients(
                new JellyfinClient(TestHttp.CLIENT, mediaBase(), Optional.of(JELLYFIN_KEY), TIMEOUT),
                new NavidromeClient(TestHttp.CLIENT, mediaBase(), Optional.of("listener"), Optional.of("pass"),
                        TIMEOUT), null, null),
                IMPORTS, List.of(), () -> null, () -> null, () -> null, events::add, PlaybackTracker.Settings.DEFAULTS);
    }

    private static ActivitySource source(HostActivity a, String name) {
        return a.sources().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not among " + a.sources()));
    }

    private long count(String path) {
        return mediaRequests.stream().filter(path::equals).count();
    }

    @Test
    void theHistories_areAskedAtTheImportsCadence_notEveryPoll_andTheLastImportsArePublishedBetween() throws Exception {
        ActivityCollector collector = downloadHost(ZoneOffset.UTC);

        HostActivity first = collector.collect();
        List<ArrImports> asked = List.of(
                new ArrImports("radarr", "movies", 2, Instant.parse("2026-11-21T00:00:00Z"),
                        Instant.parse("2026-11-21T20:41:07Z"), T0),
                new ArrImports("sonarr", "episodes", 4, Instant.parse("2026-11-21T00:00:00Z"),
                        Instant.parse("2026-11-21T19:44:03Z"), T0));
        assertThat(first.imports()).isEqualTo(asked);
        assertThat(first.sources()).extracting(ActivitySource::name).containsExactly("radarr", "sonarr");
        assertThat(first.sources()).allSatisfy(s -> assertThat(s.state()).isEqualTo(SourceState.OK));
        assertThat(radarr.requests()).hasSize(1);
        assertThat(sonarr.requests()).hasSize(1);

        // A poll every 5 s for almost 5 minutes: the same imports each time, asked at T0, and no new request.
        for (int i = 1; i < 60; i++) {
            clock.advance(POLL);
            HostActivity a = collector.collect();
            assertThat(a.timestamp()).isEqualTo(clock.instant());
            assertThat(a.imports()).isEqualTo(asked);
            assertThat(a.sources()).extracting(ActivitySource::state).containsOnly(SourceState.OK);
        }
        assertThat(radarr.requests()).hasSize(1);
        assertThat(sonarr.requests()).hasSize(1);

        // Five minutes after the ask: asked again.
        clock.advance(POLL);
        HostActivity again = collector.collect();
        assertThat(radarr.requests()).hasSize(2);
        assertThat(sonarr.requests()).hasSize(2);
        assertThat(again.imports()).extracting(ArrImports::askedAt).containsOnly(T0.plus(IMPORTS));

        // What is published reads back as it was written, keys nowhere in it.
        byte[] json = ContractJson.write(again);
        assertThat(ContractJson.readActivity(json, HOST, ContractJson.MAX_PAYLOAD_BYTES)).isEqualTo(again);
        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain(RADARR_KEY, SONARR_KEY)
                .contains("\"imports\":[{\"app\":\"radarr\",\"unit\":\"movies\",\"today\":2,");
        assertThat(events).as("ok from the start is no news").isEmpty();
    }

    @Test
    void aRefresh_asksTheHistoriesAtTheNextCollection_andOnlyThen() {
        ActivityCollector collector = downloadHost(ZoneOffset.UTC);
        collector.collect();
        clock.advance(POLL);
        collector.collect();
        assertThat(radarr.requests()).hasSize(1);

        collector.askSlowSourcesNext();
        clock.advance(POLL);
        HostActivity refreshed = collector.collect();
        assertThat(radarr.requests()).hasSize(2);
        assertThat(sonarr.requests()).hasSize(2);
        assertThat(refreshed.imports()).extracting(ArrImports::askedAt).containsOnly(clock.instant());

        clock.advance(POLL);
        collector.collect();
        assertThat(radarr.requests()).hasSize(2);
    }

    @Test
    void anAppThatFails_keepsItsStateInSources_withoutImports_untilItsNextAsk_withOneEvent() {
        ActivityCollector collector = downloadHost(ZoneOffset.UTC);
        collector.collect();

        radarr.failWith(500);
        clock.advance(IMPORTS);
        HostActivity failed = collector.collect();
        assertThat(source(failed, "radarr").state()).isEqualTo(SourceState.ERROR);
        assertThat(source(failed, "radarr").problem()).contains("HTTP 500").doesNotContain(RADARR_KEY);
        // Yesterday's count is not shown as today's: only Sonarr's imports remain.
        assertThat(failed.imports()).extracting(ArrImports::app).containsExactly("sonarr");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.SOURCE_STATE);
            assertThat(e.subject()).isEqualTo("radarr");
            assertThat(e.from()).isEqualTo("ok");
            assertThat(e.to()).isEqualTo("error");
        });

        // Between asks the failure is published again, without a second event or a new request.
        radarr.failWith(0);
        for (int i = 0; i < 3; i++) {
            clock.advance(POLL);
            HostActivity a = collector.collect();
            assertThat(source(a, "radarr").state()).isEqualTo(SourceState.ERROR);
            assertThat(a.imports()).extracting(ArrImports::app).containsExactly("sonarr");
        }
        assertThat(events).hasSize(1);
        assertThat(radarr.requests()).hasSize(2);

        // At the next ask it is back, and that is the second event.
        clock.advance(IMPORTS);
        HostActivity back = collector.collect();
        assertThat(source(back, "radarr").state()).isEqualTo(SourceState.OK);
        assertThat(back.imports()).extracting(ArrImports::app).containsExactly("radarr", "sonarr");
        assertThat(events).hasSize(2);
        assertThat(events.get(1).to()).isEqualTo("ok");
    }

    @Test
    void theDayEnding_asksAgainAtOnce_soYesterdaysCountIsNotPublishedAsTodays() {
        clock.set(Instant.parse("2026-11-21T23:59:00Z"));
        ActivityCollector collector = downloadHost(ZoneOffset.UTC);
        HostActivity evening = collector.collect();
        assertThat(evening.imports()).extracting(ArrImports::today).containsExactly(2L, 4L);

        clock.advance(Duration.ofSeconds(55));
        collector.collect();
        assertThat(radarr.requests()).as("still the same day").hasSize(1);

        // Past midnight, long before the interval has passed: the new day starts at zero.
        clock.advance(POLL);
        HostActivity night = collector.collect();
        assertThat(radarr.requests()).hasSize(2);
        assertThat(night.imports()).allSatisfy(i -> {
            assertThat(i.since()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
            assertThat(i.today()).isZero();
        });
    }

    @Test
    void jellyfinsIdentity_isAskedAtTheImportsCadence_andNavidromesComesWithEveryPoll() {
        ActivityCollector collector = streamingHost();
        ServiceIdentity jellyfin = new ServiceIdentity("jellyfin", "4f8c2b1e6a7d4c0b9e3f5a1d2c7b8e90",
                "streaming-jellyfin", "10.10.3");
        ServiceIdentity navidrome = new ServiceIdentity("navidrome", null, "navidrome", "0.55.2 (a1b2c3d4)");

        for (int i = 0; i < 10; i++) {
            HostActivity a = collector.collect();
            assertThat(a.identities()).containsExactly(jellyfin, navidrome);
            assertThat(a.imports()).isEmpty();
            clock.advance(POLL);
        }
        assertThat(count("/Sessions")).isEqualTo(10);
        assertThat(count("/rest/getNowPlaying.view")).isEqualTo(10);
        assertThat(count("/System/Info/Public")).isEqualTo(1);

        clock.set(T0.plus(IMPORTS));
        collector.collect();
        assertThat(count("/System/Info/Public")).isEqualTo(2);
    }

    @Test
    void aJellyfinThatComesBack_isAskedWhoItIs_andItsLastIdentityIsKeptWhileItIsDown() {
        ActivityCollector collector = streamingHost();
        collector.collect();
        assertThat(count("/System/Info/Public")).isEqualTo(1);

        sessionsStatus = 503;
        clock.advance(POLL);
        HostActivity down = collector.collect();
        assertThat(source(down, "jellyfin").state()).isEqualTo(SourceState.ERROR);
        assertThat(down.identity("jellyfin")).isPresent();
        assertThat(count("/System/Info/Public")).isEqualTo(1);

        // Back before the interval has passed: it may be another instance, so it is asked at once, and only once.
        sessionsStatus = 200;
        clock.advance(POLL);
        collector.collect();
        clock.advance(POLL);
        collector.collect();
        assertThat(count("/System/Info/Public")).isEqualTo(2);
    }
}
