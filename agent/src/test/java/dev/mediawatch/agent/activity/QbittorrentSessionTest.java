package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.mediawatch.agent.TestHttp;
import dev.mediawatch.contract.SourceState;

/**
 * qBittorrent's session is {@link QbittorrentClient}'s own, on the agent's one shared client: the cookie the login
 * sets goes back to qBittorrent under its own name ({@code SID}, or {@code QBT_SID_<port>} from 5.2) and to nothing
 * else, not even another service on the same host, and it is in no problem text. A stand-in qBittorrent on loopback
 * that hands out sessions it chooses (the real one is in {@link QbittorrentClientTest}), and a second service on the
 * same host that records what it is sent.
 */
class QbittorrentSessionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String USER = "mediawatch";
    private static final String PASSWORD = "pw-for-the-session-test";

    private HttpServer qbittorrent;
    private HttpServer neighbour;
    private volatile String cookieName = "SID";
    private volatile String session;
    private volatile int downloadLimitStatus = 200;
    private final AtomicInteger logins = new AtomicInteger();
    private final List<String> cookiesAtQbittorrent = new CopyOnWriteArrayList<>();
    private final List<String> cookiesAtNeighbour = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        qbittorrent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        qbittorrent.createContext("/api/v2/auth/login", x -> {
            String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!form.equals("username=" + USER + "&password=" + PASSWORD)) {
                answer(x, 200, "Fails.");
                return;
            }
            session = "s" + logins.incrementAndGet() + "0123456789abcdefABCDEF";
            x.getResponseHeaders().add("Set-Cookie",
                    cookieName + "=" + session + "; HttpOnly; SameSite=Strict; path=/");
            answer(x, 200, "Ok.");
        });
        qbittorrent.createContext("/api/v2/transfer/downloadLimit", x -> {
            String cookie = x.getRequestHeaders().getFirst("Cookie");
            cookiesAtQbittorrent.add(String.valueOf(cookie));
            if (session == null || !(cookieName + "=" + session).equals(cookie)) {
                answer(x, 403, "Forbidden");
            } else {
                answer(x, downloadLimitStatus, "1048576");
            }
        });
        qbittorrent.start();
        neighbour = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        neighbour.createContext("/", x -> {
            cookiesAtNeighbour.add(String.valueOf(x.getRequestHeaders().getFirst("Cookie")));
            answer(x, 200, "{}");
        });
        neighbour.start();
    }

    @AfterEach
    void stop() {
        qbittorrent.stop(0);
        neighbour.stop(0);
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private QbittorrentClient client() {
        return new QbittorrentClient(TestHttp.CLIENT,
                URI.create("http://127.0.0.1:" + qbittorrent.getAddress().getPort()),
                Optional.of(USER), Optional.of(PASSWORD), TIMEOUT);
    }

    /** A call by another source through the same shared client, to the same host on another port. */
    private void callNeighbour() throws ApiHttp.Failure {
        ApiHttp sabnzbd = new ApiHttp("sabnzbd", TestHttp.CLIENT, TIMEOUT);
        sabnzbd.send(sabnzbd.request(URI.create("http://127.0.0.1:" + neighbour.getAddress().getPort() + "/api"))
                .GET().build());
    }

    @Test
    void theSessionGoesBackToQbittorrent_andNeverToAnotherServiceOnTheSameHost() throws Exception {
        QbittorrentClient client = client();
        assertThat(client.downloadLimit()).isEqualTo(1_048_576);
        callNeighbour();
        assertThat(client.downloadLimit()).isEqualTo(1_048_576);
        callNeighbour();

        assertThat(logins).hasValue(1);
        assertThat(cookiesAtQbittorrent).containsExactly("SID=" + session, "SID=" + session);
        assertThat(cookiesAtNeighbour).containsExactly("null", "null");
    }

    @Test
    void qbittorrent52sPortNamedCookie_isSentBackUnderItsOwnName() throws Exception {
        cookieName = "QBT_SID_" + qbittorrent.getAddress().getPort();
        QbittorrentClient client = client();
        assertThat(client.downloadLimit()).isEqualTo(1_048_576);
        assertThat(cookiesAtQbittorrent).containsExactly(cookieName + "=" + session);
        callNeighbour();
        assertThat(cookiesAtNeighbour).containsExactly("null");
    }

    @Test
    void anExpiredSession_isReplacedByOneNewLogin() throws Exception {
        QbittorrentClient client = client();
        assertThat(client.downloadLimit()).isEqualTo(1_048_576);
        String first = session;
        session = "restarted"; // qBittorrent restarted: the session it gave is unknown now

        assertThat(client.downloadLimit()).isEqualTo(1_048_576);
        assertThat(logins).hasValue(2);
        assertThat(cookiesAtQbittorrent).containsExactly("SID=" + first, "SID=" + first, "SID=" + session);
    }

    @Test
    void theSessionIsInNoProblem() throws Exception {
        QbittorrentClient client = client();
        client.downloadLimit();
        String sid = session;
        downloadLimitStatus = 500;
        assertThatThrownBy(client::downloadLimit).isInstanceOfSatisfying(ApiHttp.Failure.class, f -> {
            assertThat(f.source().state()).isEqualTo(SourceState.ERROR);
            assertThat(f.source().problem()).doesNotContain(sid).doesNotContain(PASSWORD);
            assertThat(f.getMessage()).doesNotContain(sid);
        });
        Poll<?> transfer = client.transfer();
        assertThat(transfer.source().problem()).doesNotContain(sid).doesNotContain(PASSWORD);
    }

    @Test
    void sessionCookie_takesNameAndValue_withoutAttributes_andLeavesOutWhatAHeaderCannotCarry() {
        assertThat(QbittorrentClient.sessionCookie(headers(List.of("SID=abc123; HttpOnly; SameSite=Strict; path=/"))))
                .isEqualTo("SID=abc123");
        assertThat(QbittorrentClient.sessionCookie(headers(List.of("QBT_SID_8080=x/Y+z="))))
                .isEqualTo("QBT_SID_8080=x/Y+z=");
        assertThat(QbittorrentClient.sessionCookie(headers(List.of("SID=; Max-Age=0", "bad name=1", "n=a b", "=v"))))
                .isNull();
        assertThat(QbittorrentClient.sessionCookie(headers(List.of()))).isNull();
    }

    private static HttpHeaders headers(List<String> setCookies) {
        return HttpHeaders.of(setCookies.isEmpty() ? Map.of() : Map.of("Set-Cookie", setCookies), (k, v) -> true);
    }
}
