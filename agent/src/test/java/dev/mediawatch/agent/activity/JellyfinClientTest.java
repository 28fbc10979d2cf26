package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
import dev.mediawatch.contract.ServiceIdentity;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.testing.Ports;

/**
 * {@link JellyfinClient} against a real HTTP server on loopback that serves recorded {@code /Sessions} answers
 * and records what it was sent; against a port nobody listens on; and against a server that accepts and never
 * answers.
 *
 * <p>Jellyfin is not packaged for Debian and cannot run here, so its answers are recorded responses built on its
 * documented format: see {@code src/test/resources/fixtures/jellyfin/README.md} for the source of each field.
 */
class JellyfinClientTest {

    private static final String KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    /** Generous, so a loaded machine does not turn a served answer into a timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** For the server that never answers. */
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

    /** One request as the server saw it. */
    record Seen(String method, String path, String query, String authorization, String embyToken) {
    }

    private HttpServer server;
    private ExecutorService serverThreads;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "[]";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newFixedThreadPool(2);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Emby-Token")));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private JellyfinClient client() {
        return new JellyfinClient(TestHttp.CLIENT, base(), Optional.of(KEY), TIMEOUT);
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = JellyfinClientTest.class.getResourceAsStream("/fixtures/jellyfin/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Neither the poll (its problem and its whole toString) nor the client may show the key. */
    private static void assertNoKey(Poll<?> poll, JellyfinClient client) {
        assertThat(poll.toString()).doesNotContain(KEY);
        assertThat(String.valueOf(poll.source().problem())).doesNotContain(KEY);
        assertThat(client.toString()).doesNotContain(KEY);
    }

    private static StreamSession session(String id, String user, String title, String client, boolean paused,
            String method, Double transcodeFps, Double mediaFps, Double buffered, Boolean behind) {
        return new StreamSession("jellyfin", id, user, title, client, paused, method, transcodeFps, mediaFps, buffered,
                behind);
    }

    @Test
    void everyKindOfSession_isRead_andIdleOnesAreLeftOut() throws IOException {
        body = fixture("sessions-mixed.json");
        JellyfinClient client = client();

        Poll<List<StreamSession>> poll = client.sessions();

        assertThat(poll.source().state()).isEqualTo(SourceState.OK);
        assertThat(poll.source().name()).isEqualTo("jellyfin");
        assertThat(poll.source().problem()).isNull();
        assertThat(poll.value()).containsExactly(
                session("6f1c2b0e8d3a4c5e9b7a1d2e3f405162", "alice", "Pioneer One - S01E02 - The Man From Mars",
                        "Jellyfin Web (Firefox)", false, "direct-play", null, 23.974428, null, null),
                // A remux: its lead over the player shows, but it is not a transcode to judge.
                session("0b7d9a3c1e2f4a5b8c6d7e8f90a1b2c3", "bob", "Big Buck Bunny", "Jellyfin Android TV (Living Room)",
                        false, "direct-stream", null, 60.0, 118.6, null),
                // 60 % of 734 s transcoded, the player at 320.4 s: 120 s ahead.
                session("5a4b3c2d1e0f49a8b7c6d5e4f3a2b1c0", "carol", "Tears of Steel", "Jellyfin iOS (iPad)", false,
                        "transcode", 71.5, 24.0, 120.0, false),
                // 18.2 fps for 24 fps media with 4.1 s ahead: the player is catching up.
                session("9f8e7d6c5b4a43219f8e7d6c5b4a4321", "dave", "Sintel", "Jellyfin Web (Chrome)", false,
                        "transcode", 18.2, 24.0, 4.1, true),
                // Paused with 1 s ahead: nobody is waiting for frames.
                session("1234abcd5678ef901234abcd5678ef90", "erin", "Elephants Dream",
                        "Jellyfin Media Player (erin-desktop)", true, "transcode", 3.0, 24.0, 1.0, false),
                session("aa11bb22cc33dd44ee55ff6600771188", "frank", "Kevin MacLeod - Sneaky Snitch", "Finamp (Pixel 7)",
                        false, "direct-play", null, null, null, null),
                // Just started: fps=0 is no rate yet, 1000 fps is ffmpeg's misdetection, no progress: no judgement.
                session("77aa88bb99cc00dd77aa88bb99cc00dd", "ivan", "Pioneer One - E01 - Earthfall",
                        "Jellyfin Roku (Roku Ultra)", false, "transcode", null, null, null, null));

        assertThat(seen).hasSize(1);
        Seen request = seen.get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/Sessions");
        assertThat(request.query()).isEqualTo("activeWithinSeconds=960");
        assertThat(request.authorization()).isEqualTo("MediaBrowser Token=\"" + KEY + "\"");
        assertThat(request.embyToken()).isNull();
        assertNoKey(poll, client);
    }

    @Test
    void poll_givesTheSameSessions_eachWithItsProgress() throws IOException {
        body = fixture("sessions-mixed.json");
        JellyfinClient client = client();

        Poll<List<JellyfinSession>> poll = client.poll();
        List<StreamSession> sessions = client.sessions().value();

        assertThat(poll.source().state()).isEqualTo(SourceState.OK);
        assertThat(poll.value()).extracting(JellyfinSession::session).containsExactlyElementsOf(sessions);
        // alice: a post with LastActivityDate equal to LastPlaybackCheckIn, so no automatic progress to take off.
        PlaybackTracker.Progress alice = poll.value().get(0).progress();
        assertThat(alice.itemId()).isEqualTo("26e5d3268d21165df762a033b8b116f6");
        assertThat(alice.positionTicks()).isEqualTo(1106488970L);
        assertThat(alice.paused()).isFalse();
        assertThat(alice.playbackRate()).isNull();
        assertThat(alice.checkIn()).isEqualTo(Instant.parse("2026-11-21T20:58:01.1234567Z"));
        assertThat(alice.stream()).isEqualTo(new PlaybackTracker.StreamIdentity("DirectPlay",
                "a20cc5741f4fe20413c23fa2b48920fc", 1, null));
        assertThat(alice.completionPercentage()).isNull();
        // carol transcodes: CompletionPercentage is read; her answer has no LastPlaybackCheckIn.
        PlaybackTracker.Progress carol = poll.value().get(2).progress();
        assertThat(carol.completionPercentage()).isEqualTo(60.0);
        assertThat(carol.checkIn()).isNull();
        assertThat(carol.stream().playMethod()).isEqualTo("Transcode");
        // erin is paused.
        assertThat(poll.value().get(4).progress().paused()).isTrue();
        assertNoKey(poll, client);
    }

    @Test
    void aPositionMovedByJellyfinsAutomaticProgress_isTakenBackToTheClientsPost() {
        Instant checkIn = Instant.parse("2026-11-21T20:58:01.1234567Z");
        long post = 12_000_000_000L;
        // Seven automated seconds since the post (the last one 3 ms late): seven seconds off.
        assertThat(JellyfinClient.posted(post + 70_000_000L, checkIn, checkIn.plusMillis(7_003))).isEqualTo(post);
        // Another request of the client 0.9 s after the seventh step: still seven.
        assertThat(JellyfinClient.posted(post + 70_000_000L, checkIn, checkIn.plusMillis(7_900))).isEqualTo(post);
        // Right after a post, or without both dates, the position is as it is.
        assertThat(JellyfinClient.posted(post, checkIn, checkIn)).isEqualTo(post);
        assertThat(JellyfinClient.posted(post, null, checkIn)).isEqualTo(post);
        assertThat(JellyfinClient.posted(post, checkIn, null)).isEqualTo(post);
        assertThat(JellyfinClient.posted(null, checkIn, checkIn.plusSeconds(3))).isNull();
        // Never below the start.
        assertThat(JellyfinClient.posted(20_000_000L, checkIn, checkIn.plusSeconds(5))).isZero();
    }

    @Test
    void datesAsJellyfinWritesThem_areRead_andNeverSetOnesAreNot() throws IOException {
        com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"a": "2026-11-21T20:58:01.1234567Z", "b": "2026-11-21T20:58:01.1234567",
                 "c": "2026-11-21T21:58:01+01:00", "d": "0001-01-01T00:00:00.0000000Z", "e": "yesterday",
                 "f": 1795294681}""");
        assertThat(JellyfinClient.date(node, "a")).isEqualTo(Instant.parse("2026-11-21T20:58:01.1234567Z"));
        // Without an offset: read as UTC (only differences between Jellyfin's own dates are used).
        assertThat(JellyfinClient.date(node, "b")).isEqualTo(Instant.parse("2026-11-21T20:58:01.1234567Z"));
        assertThat(JellyfinClient.date(node, "c")).isEqualTo(Instant.parse("2026-11-21T20:58:01Z"));
        assertThat(JellyfinClient.date(node, "d")).isNull();
        assertThat(JellyfinClient.date(node, "e")).isNull();
        assertThat(JellyfinClient.date(node, "f")).isNull();
        assertThat(JellyfinClient.date(node, "missing")).isNull();
    }

    @Test
    void onlyIdleClients_isAnEmptyList() throws IOException {
        body = fixture("sessions-idle.json");
        Poll<List<StreamSession>> poll = client().sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.OK);
        assertThat(poll.value()).isEmpty();
    }

    @Test
    void hostileText_isEscapedAndCut_andWrongTypesAreUnknown() throws IOException {
        body = fixture("sessions-hostile.json");
        Poll<List<StreamSession>> poll = client().sessions();

        assertThat(poll.source().state()).isEqualTo(SourceState.OK);
        assertThat(poll.value()).hasSize(1);
        StreamSession s = poll.value().get(0);
        assertThat(s.user()).isEqualTo("mallory\\x1b[31m");
        assertThat(s.title()).isEqualTo("Line one\\x0aFAKE LOG LINE");
        assertThat(s.client()).startsWith("Evil\\x0aClient (xxx").endsWith("...").hasSize(123);
        // "yes", "Teleport", "24" and "fast" are not what Jellyfin sends: unknown, not guessed.
        assertThat(s.paused()).isFalse();
        assertThat(s.playMethod()).isNull();
        assertThat(s.mediaFps()).isNull();
        assertThat(s.transcodeFps()).isNull();
        assertThat(s.bufferedSeconds()).isNull();
        assertThat(s.transcodeBehind()).isNull();
    }

    @Test
    void aBasePath_isKept() throws IOException {
        body = fixture("sessions-idle.json");
        JellyfinClient client = new JellyfinClient(TestHttp.CLIENT, URI.create(base() + "/jellyfin/"),
                Optional.of(KEY), TIMEOUT);
        assertThat(client.sessions().source().state()).isEqualTo(SourceState.OK);
        assertThat(seen).extracting(Seen::path).containsExactly("/jellyfin/Sessions");
    }

    @Test
    void rejectedKey_isUnauthorized() {
        status = 401;
        body = "";
        JellyfinClient client = client();
        Poll<List<StreamSession>> poll = client.sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.UNAUTHORIZED);
        assertThat(poll.source().problem()).contains("HTTP 401").contains("127.0.0.1");
        assertThat(poll.value()).isNull();
        assertNoKey(poll, client);
    }

    @Test
    void serverError_isError() {
        status = 500;
        body = "{\"type\":\"https://tools.ietf.org/html/rfc9110#section-15.6.1\",\"title\":\"An error occurred\"}";
        JellyfinClient client = client();
        Poll<List<StreamSession>> poll = client.sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(poll.source().problem()).isEqualTo("HTTP 500 from " + base() + "/Sessions");
        assertNoKey(poll, client);
    }

    @Test
    void notJson_isError() {
        body = "<!DOCTYPE html><html><body>Jellyfin is starting up</body></html>";
        JellyfinClient client = client();
        Poll<List<StreamSession>> poll = client.sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(poll.source().problem()).isEqualTo("not JSON from " + base() + "/Sessions");
        assertNoKey(poll, client);
    }

    @Test
    void jsonThatIsNotAList_isError() {
        body = "{\"Items\":[]}";
        Poll<List<StreamSession>> poll = client().sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(poll.source().problem()).isEqualTo("not a list of sessions from " + base() + "/Sessions");
    }

    @Test
    void nobodyListening_isUnreachable() {
        JellyfinClient client = new JellyfinClient(TestHttp.CLIENT, URI.create("http://127.0.0.1:" + Ports.free()),
                Optional.of(KEY), TIMEOUT);
        Poll<List<StreamSession>> poll = client.sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.UNREACHABLE);
        assertThat(poll.source().problem()).startsWith("cannot connect to http://127.0.0.1:");
        assertNoKey(poll, client);
    }

    @Test
    void aServerThatNeverAnswers_isUnreachable_withinTheTimeout() throws IOException {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    return;
                }
            }, "silent-jellyfin");
            accept.setDaemon(true);
            accept.start();
            JellyfinClient client = new JellyfinClient(TestHttp.CLIENT,
                    URI.create("http://127.0.0.1:" + silent.getLocalPort()), Optional.of(KEY), SHORT_TIMEOUT);

            long started = System.nanoTime();
            Poll<List<StreamSession>> poll = client.sessions();
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(poll.source().state()).isEqualTo(SourceState.UNREACHABLE);
            assertThat(poll.source().problem()).contains("within 300 ms");
            assertThat(tookMs).isLessThan(5_000);
            assertThat(held).isNotEmpty();
            assertNoKey(poll, client);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void noKey_isNotConfigured_withoutARequest() {
        for (Optional<String> key : List.of(Optional.<String>empty(), Optional.of(""), Optional.of("  \n"))) {
            Poll<List<StreamSession>> poll = new JellyfinClient(TestHttp.CLIENT, base(), key, TIMEOUT).sessions();
            assertThat(poll.source().state()).isEqualTo(SourceState.NOT_CONFIGURED);
            assertThat(poll.source().problem()).isEqualTo("no API key: set MEDIAWATCH_JELLYFIN_API_KEY");
            assertThat(poll.value()).isNull();
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void aKeyFromAFileWithANewline_isSentWithoutIt() throws IOException {
        body = fixture("sessions-idle.json");
        new JellyfinClient(TestHttp.CLIENT, base(), Optional.of(KEY + "\n"), TIMEOUT).sessions();
        assertThat(seen).extracting(Seen::authorization).containsExactly("MediaBrowser Token=\"" + KEY + "\"");
    }

    @Test
    void aKeyAHeaderCannotCarry_isRefused_withoutARequest_andWithoutShowingIt() {
        String bad = "abc\"def\r\nX-Injected: 1";
        JellyfinClient client = new JellyfinClient(TestHttp.CLIENT, base(), Optional.of(bad), TIMEOUT);
        Poll<List<StreamSession>> poll = client.sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(poll.source().problem()).contains("MEDIAWATCH_JELLYFIN_API_KEY").doesNotContain("abc");
        assertThat(client.toString()).doesNotContain("abc");
        assertThat(seen).isEmpty();
    }

    @Test
    void aUrlThatIsNotHttp_isRefused_withoutARequest() {
        Poll<List<StreamSession>> poll = new JellyfinClient(TestHttp.CLIENT, URI.create("ftp://127.0.0.1/"),
                Optional.of(KEY), TIMEOUT)
                .sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(poll.source().problem()).contains("Jellyfin URL");
        assertThat(seen).isEmpty();
    }

    @Test
    void toString_namesTheEndpoint_notTheKey() {
        assertThat(client().toString()).isEqualTo("JellyfinClient[" + base() + "/Sessions, key set]");
    }

    @Test
    void identity_isTheServersIdNameAndVersion_fromThePublicSystemInfo_askedWithoutTheKey() throws IOException {
        body = fixture("system-info-public.json");
        JellyfinClient client = client();

        Poll<ServiceIdentity> poll = client.identity();

        assertThat(poll.source().state()).isEqualTo(SourceState.OK);
        assertThat(poll.value()).isEqualTo(new ServiceIdentity("jellyfin", "4f8c2b1e6a7d4c0b9e3f5a1d2c7b8e90",
                "streaming-jellyfin", "10.10.3"));
        // The endpoint is anonymous: the key is not sent where it is not needed.
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("GET");
            assertThat(s.path()).isEqualTo("/System/Info/Public");
            assertThat(s.query()).isNull();
            assertThat(s.authorization()).isNull();
            assertThat(s.embyToken()).isNull();
        });
        assertNoKey(poll, client);
    }

    @Test
    void identity_isAskedWithoutAKeySet_andUnderTheBasePath() throws IOException {
        body = fixture("system-info-public.json");
        JellyfinClient client = new JellyfinClient(TestHttp.CLIENT, URI.create(base() + "/jellyfin/"),
                Optional.empty(), TIMEOUT);
        assertThat(client.identity().value().id()).isEqualTo("4f8c2b1e6a7d4c0b9e3f5a1d2c7b8e90");
        assertThat(seen).extracting(Seen::path).containsExactly("/jellyfin/System/Info/Public");
    }

    @Test
    void identity_withoutAnId_isAnError_forANameAndAVersionCannotTellTwoServersApart() {
        body = "{\"ServerName\":\"streaming-jellyfin\",\"Version\":\"10.10.3\",\"Id\":\" \"}";
        Poll<ServiceIdentity> poll = client().identity();
        assertThat(poll.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(poll.source().problem()).isEqualTo("no server Id in the answer from " + base() + "/System/Info/Public");
        assertThat(poll.value()).isNull();

        status = 503;
        body = "";
        assertThat(client().identity().source().state()).isEqualTo(SourceState.ERROR);
    }
}
