package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mediawatch.agent.TestHttp;
import dev.mediawatch.agent.activity.ArrClient.App;
import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.testing.MutableClock;
import dev.mediawatch.testing.Ports;

/**
 * {@link ArrClient} against a real HTTP server on loopback ({@link ArrFake}) serving the recorded history pages of
 * Radarr, Sonarr and Lidarr: none of them can run here; their format and its sources are in
 * {@code src/test/resources/fixtures/{radarr,sonarr,lidarr}/README.md}. The agent's clock stands at
 * 2026-11-21 21:03 UTC (22:03 in Berlin, where today began at 23:00 UTC the evening before).
 */
class ArrClientTest {

    private static final String KEY = "6f0c1d2e3b4a59687f8e9d0c1b2a3948";
    /** Generous, so a loaded machine does not turn a served answer into a timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Instant NOW = Instant.parse("2026-11-21T21:03:00Z");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");

    private final MutableClock clock = new MutableClock(NOW);
    private final List<ArrFake> fakes = new ArrayList<>();

    @AfterEach
    void stop() {
        fakes.forEach(ArrFake::close);
    }

    private ArrFake fake(App app) {
        ArrFake f = new ArrFake(app.id(), KEY);
        fakes.add(f);
        return f;
    }

    private ArrClient client(App app, ArrFake fake, ZoneId zone) {
        return new ArrClient(TestHttp.CLIENT, app, fake.base(), Optional.of(KEY), TIMEOUT, clock, zone);
    }

    private static ArrImports ok(Poll<ArrImports> p) {
        assertThat(p.source().state()).as("%s", p.source()).isEqualTo(SourceState.OK);
        assertThat(p.source().problem()).isNull();
        return p.value();
    }

    @Test
    void radarr_countsTodaysImportedMovies_fromMidnightInTheAgentsZone() {
        ArrFake radarr = fake(App.RADARR).history("history-page.json");

        // In Berlin today began at 23:00 UTC: the import at 23:20 UTC the evening before is today's.
        ArrImports berlin = ok(client(App.RADARR, radarr, BERLIN).imports());
        assertThat(berlin).isEqualTo(new ArrImports("radarr", "movies", 3, Instant.parse("2026-11-20T23:00:00Z"),
                Instant.parse("2026-11-21T20:41:07Z"), NOW));

        // In UTC the same record is yesterday's.
        ArrImports utc = ok(client(App.RADARR, radarr, ZoneOffset.UTC).imports());
        assertThat(utc.today()).isEqualTo(2);
        assertThat(utc.since()).isEqualTo(Instant.parse("2026-11-21T00:00:00Z"));
        assertThat(utc.lastImportAt()).isEqualTo(Instant.parse("2026-11-21T20:41:07Z"));

        // Nine records fit one page: one call each.
        assertThat(radarr.requests()).hasSize(2);
    }

    @Test
    void sonarr_countsOneImportPerEpisode_andNotFilesFoundInTheSeriesFolder() {
        ArrFake sonarr = fake(App.SONARR).history("history-page.json");

        // A season pack's three episodes and one single episode; the manual import from the series folder is not a
        // download's import.
        ArrImports utc = ok(client(App.SONARR, sonarr, ZoneOffset.UTC).imports());
        assertThat(utc).isEqualTo(new ArrImports("sonarr", "episodes", 4, Instant.parse("2026-11-21T00:00:00Z"),
                Instant.parse("2026-11-21T19:44:03Z"), NOW));
        assertThat(ok(client(App.SONARR, sonarr, NEW_YORK).imports()).today()).isEqualTo(4);
        // In Auckland it is already 10:03 on the 22nd: only the season pack (at 08:44 there) is today's.
        ArrImports auckland = ok(client(App.SONARR, sonarr, AUCKLAND).imports());
        assertThat(auckland.today()).isEqualTo(3);
        assertThat(auckland.since()).isEqualTo(Instant.parse("2026-11-21T11:00:00Z"));
    }

    @Test
    void lidarr_countsImportedTracks_notTheAlbumSummaryOrTheIncompleteMarker() {
        ArrFake lidarr = fake(App.LIDARR).history("history-page.json");

        ArrImports utc = ok(client(App.LIDARR, lidarr, ZoneOffset.UTC).imports());
        // Four tracks of one album and two of a partly imported one; downloadImported repeats the first album.
        assertThat(utc).isEqualTo(new ArrImports("lidarr", "tracks", 6, Instant.parse("2026-11-21T00:00:00Z"),
                Instant.parse("2026-11-21T18:02:13.4414936Z"), NOW));
        // The track at 23:47 UTC the evening before was imported at 00:47 in Berlin.
        assertThat(ok(client(App.LIDARR, lidarr, BERLIN).imports()).today()).isEqualTo(7);
        assertThat(lidarr.requests()).allSatisfy(r -> assertThat(r.path()).isEqualTo("/api/v1/history"));
    }

    @Test
    void theHistory_isAskedNewestFirst_250APage_onEachAppsApiVersion_underItsUrlBase() {
        for (App app : App.values()) {
            ArrFake f = fake(app).history(List.of());
            ok(new ArrClient(TestHttp.CLIENT, app, URI.create(f.base() + "/" + app.id() + "/"), Optional.of(KEY),
                    TIMEOUT, clock, ZoneOffset.UTC).imports());
            assertThat(f.requests()).singleElement().satisfies(r -> {
                assertThat(r.path()).isEqualTo("/" + app.id() + (app == App.LIDARR ? "/api/v1/history" : "/api/v3/history"));
                assertThat(r.query()).isEqualTo("page=1&pageSize=250&sortKey=date&sortDirection=descending");
            });
        }
    }

    @Test
    void paging_stopsAtTheFirstPageThatReachesBeforeMidnight() {
        // 600 records three minutes apart back from 21:00 UTC, imports and grabs in turn. Today began at 23:00 UTC
        // (Berlin): records 0 to 440 are today's (440 exactly at midnight, which counts), so page 2 (250-499)
        // reaches before it and page 3 is never asked.
        List<Instant> dates = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            dates.add(Instant.parse("2026-11-21T21:00:00Z").minus(Duration.ofMinutes(3L * i)));
        }
        ObjectNode template = ArrFake.records("radarr", "history-page.json").get(0);
        ArrFake radarr = fake(App.RADARR).history(ArrFake.generated(template, dates, "downloadFolderImported", "grabbed"));

        ArrImports a = ok(client(App.RADARR, radarr, BERLIN).imports());

        assertThat(radarr.requests()).extracting(r -> r.param("page")).containsExactly("1", "2");
        // The even records from 0 to 440.
        assertThat(a.today()).isEqualTo(221);
        assertThat(a.lastImportAt()).isEqualTo(Instant.parse("2026-11-21T21:00:00Z"));
    }

    @Test
    void paging_isBoundedToFourPages_onADayWithMoreRecords() {
        // 1,500 imports 30 seconds apart: 12.5 hours, all today. Four pages of 250 are read, no more.
        List<Instant> dates = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            dates.add(Instant.parse("2026-11-21T21:00:00Z").minus(Duration.ofSeconds(30L * i)));
        }
        ObjectNode template = ArrFake.records("sonarr", "history-page.json").get(0);
        ArrFake sonarr = fake(App.SONARR).history(ArrFake.generated(template, dates, "downloadFolderImported"));

        ArrImports a = ok(client(App.SONARR, sonarr, ZoneOffset.UTC).imports());

        assertThat(sonarr.requests()).extracting(r -> r.param("page")).containsExactly("1", "2", "3", "4");
        assertThat(a.today()).isEqualTo(4 * ArrClient.PAGE_SIZE);
    }

    @Test
    void aHistoryWithoutImports_countsNone_andHasNoLastImport() {
        ArrFake radarr = fake(App.RADARR).history("history-empty.json");
        ArrImports empty = ok(client(App.RADARR, radarr, BERLIN).imports());
        assertThat(empty.today()).isZero();
        assertThat(empty.lastImportAt()).isNull();
        assertThat(empty.since()).isEqualTo(Instant.parse("2026-11-20T23:00:00Z"));

        // Only grabs, failures, deletions and renames.
        radarr.history(ArrFake.records("radarr", "history-page.json").stream()
                .filter(r -> !r.path("eventType").asText().equals("downloadFolderImported")).toList());
        ArrImports none = ok(client(App.RADARR, radarr, BERLIN).imports());
        assertThat(none.today()).isZero();
        assertThat(none.lastImportAt()).isNull();
    }

    @Test
    void aQuietDay_countsNone_butStillShowsTheLastImportRead() {
        // The next morning: the first page reaches into yesterday, where the newest import is.
        clock.set(Instant.parse("2026-11-22T09:30:00Z"));
        ArrFake radarr = fake(App.RADARR).history("history-page.json");
        ArrImports a = ok(client(App.RADARR, radarr, ZoneOffset.UTC).imports());
        assertThat(a.today()).isZero();
        assertThat(a.lastImportAt()).isEqualTo(Instant.parse("2026-11-21T20:41:07Z"));
        assertThat(a.askedAt()).isEqualTo(Instant.parse("2026-11-22T09:30:00Z"));
    }

    @Test
    void everyOtherEventType_isNotAnImport() {
        List<Instant> dates = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            dates.add(Instant.parse("2026-11-21T20:00:00Z").minus(Duration.ofMinutes(i)));
        }
        // Radarr's other types, and the other apps' import types, which Radarr never writes.
        ArrFake radarr = fake(App.RADARR).history(ArrFake.generated(ArrFake.records("radarr", "history-page.json").get(0),
                dates, "grabbed", "downloadFailed", "movieFileDeleted", "movieFileRenamed", "downloadIgnored",
                "movieFolderImported", "unknown", "trackFileImported", "seriesFolderImported"));
        assertThat(ok(client(App.RADARR, radarr, ZoneOffset.UTC).imports()).today()).isZero();

        // Lidarr: the album-level and folder imports and the incomplete marker are not track imports.
        ArrFake lidarr = fake(App.LIDARR).history(ArrFake.generated(ArrFake.records("lidarr", "history-page.json").get(1),
                dates, "downloadImported", "artistFolderImported", "albumImportIncomplete", "trackFileRetagged",
                "trackFileDeleted", "downloadFolderImported"));
        ArrImports l = ok(client(App.LIDARR, lidarr, ZoneOffset.UTC).imports());
        assertThat(l.today()).isZero();
        assertThat(l.lastImportAt()).isNull();
    }

    @Test
    void theKey_travelsInTheXApiKeyHeaderOnly_andIsNeverShown() {
        ArrFake radarr = fake(App.RADARR).history("history-page.json");
        ArrClient client = client(App.RADARR, radarr, BERLIN);

        Poll<ArrImports> p = client.imports();

        assertThat(radarr.requests()).singleElement().satisfies(r -> {
            assertThat(r.apiKeyHeader()).isEqualTo(KEY);
            assertThat(r.query()).doesNotContain(KEY).doesNotContainIgnoringCase("apikey");
            assertThat(r.path()).doesNotContain(KEY);
        });
        assertThat(p.toString()).doesNotContain(KEY);
        assertThat(client.toString()).doesNotContain(KEY).contains("radarr").contains("key set");
    }

    @Test
    void aWrongKey_isUnauthorized_andTheKeyIsInNoProblem() {
        String wrong = "00112233445566778899aabbccddeeff";
        ArrFake radarr = fake(App.RADARR).history("history-page.json");
        ArrClient client = new ArrClient(TestHttp.CLIENT, App.RADARR, radarr.base(), Optional.of(wrong), TIMEOUT,
                clock, BERLIN);

        Poll<ArrImports> p = client.imports();

        assertThat(p.source().name()).isEqualTo("radarr");
        assertThat(p.source().state()).isEqualTo(SourceState.UNAUTHORIZED);
        assertThat(p.value()).isNull();
        assertThat(p.source().problem()).contains("HTTP 401").contains("/api/v3/history").doesNotContain(wrong)
                .doesNotContain("?");
        assertThat(p.toString()).doesNotContain(wrong);
        assertThat(client.toString()).doesNotContain(wrong);
    }

    @Test
    void forbidden_isUnauthorized_andAServerError_isAnError() {
        ArrFake sonarr = fake(App.SONARR);
        sonarr.failWith(403);
        assertThat(client(App.SONARR, sonarr, BERLIN).imports().source().state()).isEqualTo(SourceState.UNAUTHORIZED);

        sonarr.failWith(500);
        Poll<ArrImports> p = client(App.SONARR, sonarr, BERLIN).imports();
        assertThat(p.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(p.source().problem()).contains("HTTP 500").doesNotContain(KEY);
    }

    @Test
    void nothingListening_isUnreachable() {
        ArrClient client = new ArrClient(TestHttp.CLIENT, App.LIDARR, URI.create("http://127.0.0.1:" + Ports.free()),
                Optional.of(KEY), TIMEOUT, clock, BERLIN);
        Poll<ArrImports> p = client.imports();
        assertThat(p.source().name()).isEqualTo("lidarr");
        assertThat(p.source().state()).isEqualTo(SourceState.UNREACHABLE);
        assertThat(p.source().problem()).contains("127.0.0.1").doesNotContain(KEY);
    }

    @Test
    void anAnswerThatIsNotAHistoryPage_isAnError() {
        ArrFake radarr = fake(App.RADARR);
        // A reverse proxy's sign-in page instead of the API.
        radarr.answer(ArrFake.fixture("radarr", "login-page.html"));
        Poll<ArrImports> html = client(App.RADARR, radarr, BERLIN).imports();
        assertThat(html.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(html.source().problem()).contains("not JSON");

        for (String body : List.of("[]", "{\"message\":\"NotFound\"}", "{\"records\":{}}", "\"records\"")) {
            radarr.answer(body);
            Poll<ArrImports> p = client(App.RADARR, radarr, BERLIN).imports();
            assertThat(p.source().state()).as(body).isEqualTo(SourceState.ERROR);
            assertThat(p.source().problem()).as(body).contains("not a history page").doesNotContain(KEY);
        }
    }

    @Test
    void recordsWithoutAUsableDate_areNeitherCountedNorTakenForYesterday() {
        List<ObjectNode> records = ArrFake.records("radarr", "history-page.json");
        ObjectNode broken = records.get(0).deepCopy();
        broken.put("date", "not a date");
        ArrFake radarr = fake(App.RADARR);
        // The fake sorts by date: serve the page as it is instead.
        radarr.answer("{\"page\":1,\"pageSize\":250,\"totalRecords\":2,\"records\":[" + broken + ",\"text\","
                + records.get(2) + "]}");
        ArrImports a = ok(client(App.RADARR, radarr, ZoneOffset.UTC).imports());
        assertThat(a.today()).isEqualTo(1);
        assertThat(a.lastImportAt()).isEqualTo(Instant.parse("2026-11-21T17:30:12Z"));
    }

    @Test
    void withoutAKey_isNotConfigured_namingTheVariable_andNothingIsSent() {
        for (App app : App.values()) {
            ArrFake f = fake(app);
            Poll<ArrImports> p = new ArrClient(TestHttp.CLIENT, app, f.base(), Optional.of("  "), TIMEOUT, clock,
                    BERLIN).imports();
            assertThat(p.source().name()).isEqualTo(app.id());
            assertThat(p.source().state()).isEqualTo(SourceState.NOT_CONFIGURED);
            assertThat(p.source().problem()).isEqualTo("no API key: set " + app.keyVariable());
            assertThat(f.requests()).isEmpty();
        }
        assertThat(App.RADARR.keyVariable()).isEqualTo("MEDIAWATCH_RADARR_API_KEY");
        assertThat(App.SONARR.keyVariable()).isEqualTo("MEDIAWATCH_SONARR_API_KEY");
        assertThat(App.LIDARR.keyVariable()).isEqualTo("MEDIAWATCH_LIDARR_API_KEY");
    }

    @Test
    void aKeyAHeaderCannotCarry_isRefusedWithoutACall() {
        ArrFake radarr = fake(App.RADARR);
        String bad = "abc\r\nX-Injected: 1";
        ArrClient client = new ArrClient(TestHttp.CLIENT, App.RADARR, radarr.base(), Optional.of(bad), TIMEOUT, clock,
                BERLIN);
        Poll<ArrImports> p = client.imports();
        assertThat(p.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(p.source().problem()).contains("MEDIAWATCH_RADARR_API_KEY").doesNotContain("abc");
        assertThat(radarr.requests()).isEmpty();
        assertThat(client.toString()).doesNotContain("abc");
    }

    @Test
    void since_isTheFirstInstantOfTheLocalDay_evenWhereMidnightIsSkipped() {
        ArrFake radarr = fake(App.RADARR);
        // Santiago moved its clocks from 24:00 to 01:00 on 2026-09-06: that day began at 01:00 local, 04:00 UTC.
        ArrClient santiago = new ArrClient(TestHttp.CLIENT, App.RADARR, radarr.base(), Optional.of(KEY), TIMEOUT, clock,
                ZoneId.of("America/Santiago"));
        assertThat(santiago.since(Instant.parse("2026-09-06T15:00:00Z"))).isEqualTo(Instant.parse("2026-09-06T04:00:00Z"));
        assertThat(client(App.RADARR, radarr, BERLIN).since(NOW)).isEqualTo(Instant.parse("2026-11-20T23:00:00Z"));
    }
}
