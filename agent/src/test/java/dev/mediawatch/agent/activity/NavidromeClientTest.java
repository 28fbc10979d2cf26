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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

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
 * {@link NavidromeClient} against a real HTTP server on loopback that serves recorded Subsonic
 * {@code getNowPlaying} answers and records the query it was sent (user, token, salt); against a port nobody
 * listens on; and against a server that accepts and never answers.
 *
 * <p>Navidrome is not installed here, so its answers are recorded responses in the Subsonic API's documented
 * format and Navidrome's own response snapshots: see {@code src/test/resources/fixtures/navidrome/README.md}.
 */
class NavidromeClientTest {

    private static final String USER = "media watch";
    private static final String PASSWORD = "s3cret-Pässword";
    /** Generous, so a loaded machine does not turn a served answer into a timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** For the server that never answers. */
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

    /** One request as the server saw it: path and decoded query parameters. */
    record Seen(String method, String path, Map<String, String> params, String rawQuery) {
    }

    private HttpServer server;
    private ExecutorService serverThreads;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile Function<Seen, String> answer = request -> "{}";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newFixedThreadPool(2);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            String raw = exchange.getRequestURI().getRawQuery();
            Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), params(raw), raw);
            seen.add(request);
            byte[] bytes = answer.apply(request).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
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

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private NavidromeClient client() {
        return new NavidromeClient(TestHttp.CLIENT, base(), Optional.of(USER), Optional.of(PASSWORD), TIMEOUT);
    }

    private void serve(String fixture) throws IOException {
        try (InputStream in = NavidromeClientTest.class.getResourceAsStream("/fixtures/navidrome/" + fixture)) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            answer = request -> body;
        }
    }

    /** Neither the poll nor the client shows the password, or the token and salt of any call made. */
    private void assertNoSecret(Poll<?> poll, NavidromeClient client) {
        for (String text : List.of(poll.toString(), String.valueOf(poll.source().problem()), client.toString())) {
            assertThat(text).doesNotContain(PASSWORD);
            for (Seen s : seen) {
                assertThat(text).doesNotContain(s.params().get("t")).doesNotContain(s.params().get("s"));
            }
        }
    }

    @Test
    void nowPlaying_isRead_pausedAsTheServerSays_andStaleEntriesLeftOut() throws IOException {
        serve("nowplaying-three.json");
        NavidromeClient client = client();

        Poll<List<StreamSession>> poll = client.sessions();

        assertThat(poll.source().state()).isEqualTo(SourceState.OK);
        assertThat(poll.source().name()).isEqualTo("navidrome");
        assertThat(poll.value()).containsExactly(
                new StreamSession("navidrome", "3", "alice", "Kevin MacLeod - Sneaky Snitch", "Feishin", false, null,
                        null, null, null, null),
                new StreamSession("navidrome", "7", "bob", "Kevin MacLeod - Monkeys Spinning Monkeys", "DSub", true,
                        null, null, null, null, null));
        // carol's entry is 25 minutes old: a player that stopped without saying so.
        assertNoSecret(poll, client);
    }

    @Test
    void tokenAuthentication_isSent_withAFreshSaltPerCall_andNeverThePassword() throws IOException {
        serve("nowplaying-empty.json");
        NavidromeClient client = client();

        client.sessions();
        client.sessions();

        assertThat(seen).hasSize(2);
        for (Seen s : seen) {
            assertThat(s.method()).isEqualTo("GET");
            assertThat(s.path()).isEqualTo("/rest/getNowPlaying.view");
            assertThat(s.params()).containsOnlyKeys("u", "t", "s", "v", "c", "f")
                    .containsEntry("u", USER).containsEntry("v", "1.16.1").containsEntry("c", "mediawatch")
                    .containsEntry("f", "json");
            assertThat(s.params().get("s")).matches("[0-9a-f]{24}");
            assertThat(s.params().get("t")).isEqualTo(NavidromeClient.md5Hex(PASSWORD + s.params().get("s")));
            assertThat(s.rawQuery()).doesNotContain("p=");
            assertThat(URLDecoder.decode(s.rawQuery(), StandardCharsets.UTF_8)).doesNotContain(PASSWORD);
        }
        assertThat(seen.get(0).params().get("s")).isNotEqualTo(seen.get(1).params().get("s"));
        assertThat(seen.get(0).params().get("t")).isNotEqualTo(seen.get(1).params().get("t"));
    }

    @Test
    void token_isTheSubsonicDocumentationsExample() {
        // http://www.subsonic.org/pages/api.jsp, "Authentication": password sesame, salt c19b2d.
        assertThat(NavidromeClient.md5Hex("sesame" + "c19b2d")).isEqualTo("26719a1196d2a940705a59634eb18eab");
    }

    @Test
    void nobodyListening_isAnEmptyList() throws IOException {
        serve("nowplaying-empty.json");
        Poll<List<StreamSession>> poll = client().sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.OK);
        assertThat(poll.value()).isEmpty();
    }

    @Test
    void aListOfOneWrittenAsTheElement_isRead() throws IOException {
        serve("nowplaying-single-object.json");
        Poll<List<StreamSession>> poll = client().sessions();
        assertThat(poll.value()).containsExactly(new StreamSession("navidrome", "0", "user",
                "Raggedy Angry - Take the Home", null, false, null, null, null, null, null));
    }

    @Test
    void wrongCredentials_isUnauthorized() throws IOException {
        serve("error-40.json");
        NavidromeClient client = client();
        Poll<List<StreamSession>> poll = client.sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.UNAUTHORIZED);
        assertThat(poll.source().problem()).isEqualTo("wrong user name or password (Subsonic error 40) from " + base()
                + "/rest/getNowPlaying.view: check the credentials");
        assertThat(poll.value()).isNull();
        assertNoSecret(poll, client);
    }

    @Test
    void noTokenAuthenticationForThisUser_isUnauthorized() throws IOException {
        serve("error-41.json");
        Poll<List<StreamSession>> poll = client().sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.UNAUTHORIZED);
        assertThat(poll.source().problem()).contains("Subsonic error 41");
    }

    @Test
    void otherSubsonicErrors_areErrors_withTheServersWords() throws IOException {
        serve("error-10.json");
        Poll<List<StreamSession>> poll = client().sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(poll.source().problem()).isEqualTo("Subsonic error 10 from " + base()
                + "/rest/getNowPlaying.view: required 'c' parameter is missing");
    }

    @Test
    void aServerThatEchoesTheQuery_hasTokenSaltAndPasswordMasked() {
        answer = request -> "{\"subsonic-response\":{\"status\":\"failed\",\"version\":\"1.16.1\",\"error\":{\"code\":0,"
                + "\"message\":\"bad request t=" + request.params().get("t") + " s=" + request.params().get("s")
                + " p=" + PASSWORD + "\"}}}";
        NavidromeClient client = client();
        Poll<List<StreamSession>> poll = client.sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(poll.source().problem()).endsWith(": bad request t=*** s=*** p=***");
        assertNoSecret(poll, client);
    }

    @Test
    void httpRejection_isUnauthorized() {
        status = 401;
        answer = request -> "";
        NavidromeClient client = client();
        Poll<List<StreamSession>> poll = client.sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.UNAUTHORIZED);
        assertNoSecret(poll, client);
    }

    @Test
    void serverError_isError() {
        status = 500;
        answer = request -> "Internal Server Error";
        NavidromeClient client = client();
        Poll<List<StreamSession>> poll = client.sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(poll.source().problem()).isEqualTo("HTTP 500 from " + base() + "/rest/getNowPlaying.view");
        assertNoSecret(poll, client);
    }

    @Test
    void notJson_isError() {
        answer = request -> "<subsonic-response status=\"ok\" version=\"1.16.1\"><nowPlaying/></subsonic-response>";
        NavidromeClient client = client();
        Poll<List<StreamSession>> poll = client.sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(poll.source().problem()).isEqualTo("not JSON from " + base() + "/rest/getNowPlaying.view");
        assertNoSecret(poll, client);
    }

    @Test
    void jsonThatIsNotSubsonic_orHasNoKnownStatus_isError() {
        answer = request -> "{\"nowPlaying\":{}}";
        Poll<List<StreamSession>> poll = client().sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(poll.source().problem()).startsWith("not a Subsonic answer from ");

        answer = request -> "{\"subsonic-response\":{\"status\":\"maybe\"}}";
        poll = client().sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(poll.source().problem()).startsWith("Subsonic status \"maybe\" from ");
    }

    @Test
    void nobodyListeningOnThePort_isUnreachable() {
        NavidromeClient client = new NavidromeClient(TestHttp.CLIENT, URI.create("http://127.0.0.1:" + Ports.free()),
                Optional.of(USER), Optional.of(PASSWORD), TIMEOUT);
        Poll<List<StreamSession>> poll = client.sessions();
        assertThat(poll.source().state()).isEqualTo(SourceState.UNREACHABLE);
        assertThat(poll.source().problem()).startsWith("cannot connect to http://127.0.0.1:")
                .endsWith("/rest/getNowPlaying.view");
        assertNoSecret(poll, client);
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
            }, "silent-navidrome");
            accept.setDaemon(true);
            accept.start();
            NavidromeClient client = new NavidromeClient(TestHttp.CLIENT,
                    URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    Optional.of(USER), Optional.of(PASSWORD), SHORT_TIMEOUT);

            long started = System.nanoTime();
            Poll<List<StreamSession>> poll = client.sessions();
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(poll.source().state()).isEqualTo(SourceState.UNREACHABLE);
            assertThat(poll.source().problem()).contains("within 300 ms").doesNotContain("?");
            assertThat(tookMs).isLessThan(5_000);
            assertThat(held).isNotEmpty();
            assertNoSecret(poll, client);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void missingUserOrPassword_isNotConfigured_withoutARequest() {
        List<NavidromeClient> clients = List.of(
                new NavidromeClient(TestHttp.CLIENT, base(), Optional.empty(), Optional.of(PASSWORD), TIMEOUT),
                new NavidromeClient(TestHttp.CLIENT, base(), Optional.of(USER), Optional.empty(), TIMEOUT),
                new NavidromeClient(TestHttp.CLIENT, base(), Optional.of(" "), Optional.of(" "), TIMEOUT),
                new NavidromeClient(TestHttp.CLIENT, base(), Optional.empty(), Optional.empty(), TIMEOUT));
        for (NavidromeClient client : clients) {
            Poll<List<StreamSession>> poll = client.sessions();
            assertThat(poll.source().state()).isEqualTo(SourceState.NOT_CONFIGURED);
            assertThat(poll.source().problem())
                    .isEqualTo("no user or password: set MEDIAWATCH_NAVIDROME_USER and MEDIAWATCH_NAVIDROME_PASSWORD");
            assertThat(client.toString()).doesNotContain(PASSWORD);
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void toString_namesTheEndpoint_notTheCredentials() {
        assertThat(client().toString())
                .isEqualTo("NavidromeClient[" + base() + "/rest/getNowPlaying.view, credentials set]");
    }

    @Test
    void theServersIdentity_isItsTypeAndVersion_fromTheNowPlayingAnswer() throws IOException {
        serve("nowplaying-three.json");
        NavidromeClient.NowPlaying n = client().nowPlaying();
        assertThat(n.sessions().source().state()).isEqualTo(SourceState.OK);
        assertThat(n.sessions().value()).hasSize(2);
        // Subsonic has no server id: the kind of server and its version are what a public URL's answer is matched on.
        assertThat(n.identity()).isEqualTo(new ServiceIdentity("navidrome", null, "navidrome", "0.55.2 (a1b2c3d4)"));
        // Still one call per poll.
        assertThat(seen).hasSize(1);
    }

    @Test
    void aFailedAnswer_stillNamesTheServer() throws IOException {
        serve("error-40.json");
        NavidromeClient.NowPlaying n = client().nowPlaying();
        assertThat(n.sessions().source().state()).isEqualTo(SourceState.UNAUTHORIZED);
        assertThat(n.identity()).isEqualTo(new ServiceIdentity("navidrome", null, "navidrome", "0.55.2 (a1b2c3d4)"));
    }

    @Test
    void aServerThatDoesNotNameItself_hasNoIdentity() {
        // The original Subsonic server writes neither type nor serverVersion.
        answer = request -> "{\"subsonic-response\":{\"status\":\"ok\",\"version\":\"1.16.1\",\"nowPlaying\":{}}}";
        NavidromeClient.NowPlaying n = client().nowPlaying();
        assertThat(n.sessions().source().state()).isEqualTo(SourceState.OK);
        assertThat(n.identity()).isNull();

        // Nor does an answer that never arrived, or credentials never set.
        NavidromeClient.NowPlaying none = new NavidromeClient(TestHttp.CLIENT,
                URI.create("http://127.0.0.1:" + Ports.free()),
                Optional.of(USER), Optional.of(PASSWORD), TIMEOUT).nowPlaying();
        assertThat(none.sessions().source().state()).isEqualTo(SourceState.UNREACHABLE);
        assertThat(none.identity()).isNull();
        assertThat(new NavidromeClient(TestHttp.CLIENT, base(), Optional.empty(), Optional.empty(),
                TIMEOUT).nowPlaying().identity())
                .isNull();
    }
}
