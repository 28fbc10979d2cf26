package dev.mediawatch.agent.engine;

import static dev.mediawatch.agent.engine.FakeEngine.answer;
import static dev.mediawatch.agent.engine.FakeEngine.chunk;
import static dev.mediawatch.agent.engine.FakeEngine.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The engine client against a server of the test's own on a Unix socket (and once on TCP), answering canned
 * HTTP the way dockerd does: Content-Length and chunked bodies, errors with the engine's message, a server that
 * never answers, a body too large, and the events stream read, ended by the engine, broken and closed.
 */
class EngineClientTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final String VERSION = "{\"Version\":\"20.10.24+dfsg1\",\"ApiVersion\":\"1.41\"}";
    private static final String EVENT_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";

    @TempDir
    Path dir;

    private FakeEngine engine;

    private FakeEngine unixEngine() throws IOException {
        engine = FakeEngine.unix(dir);
        return engine;
    }

    private EngineClient client() {
        return new EngineClient(engine.address(), TIMEOUT);
    }

    @AfterEach
    void stop() throws IOException {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void version_withContentLength_andARequestDockerdAccepts() throws IOException {
        unixEngine().answering(answer(200, "OK", VERSION));

        JsonNode v = client().version();

        assertThat(v.path("Version").asText()).isEqualTo("20.10.24+dfsg1");
        assertThat(v.path("ApiVersion").asText()).isEqualTo("1.41");
        String request = engine.requests.get(0);
        // Unversioned: the engine answers at its own API version.
        assertThat(request).startsWith("GET /version HTTP/1.1\r\n").contains("\r\nHost: localhost\r\n")
                .contains("\r\nConnection: close\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void containerList_chunked_inChunksThatSplitTheJson() throws IOException {
        String list = "[{\"Id\":\"abc\",\"Names\":[\"/sabnzbd\"],\"State\":\"running\"},{\"Id\":\"def\"}]";
        unixEngine().answering((head, c) -> {
            send(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            send(c, chunk(list.substring(0, 7)));
            // A chunk extension is allowed and means nothing here.
            send(c, Integer.toHexString(list.length() - 7) + ";name=value\r\n" + list.substring(7) + "\r\n");
            send(c, "0\r\n\r\n");
        });

        JsonNode rows = client().containers();

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).path("Names").get(0).asText()).isEqualTo("/sabnzbd");
        assertThat(engine.requests.get(0)).startsWith("GET /containers/json?all=1 HTTP/1.1\r\n");
    }

    @Test
    void aBodyWithoutLengthOrChunks_endsWhereTheEngineClosesTheConnection() throws IOException {
        unixEngine().answering("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + VERSION);

        assertThat(client().version().path("ApiVersion").asText()).isEqualTo("1.41");
    }

    @Test
    void anInterimAnswer_isSkipped() throws IOException {
        unixEngine().answering("HTTP/1.1 100 Continue\r\n\r\n" + answer(200, "OK", VERSION));

        assertThat(client().version().path("Version").asText()).isEqualTo("20.10.24+dfsg1");
    }

    @Test
    void inspect_404_isNoSuchContainer_andOtherErrorsCarryTheEnginesMessage() throws IOException {
        unixEngine().answering((head, c) -> {
            if (head.startsWith("GET /containers/gone/json ")) {
                send(c, answer(404, "Not Found", "{\"message\":\"No such container: gone\"}"));
            } else {
                send(c, answer(500, "Internal Server Error", "{\"message\":\"something broke\"}"));
            }
            c.close();
        });
        EngineClient client = client();

        assertThat(client.inspect("gone")).isEmpty();
        assertThatThrownBy(() -> client.inspect("tdarr")).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.getMessage()).isEqualTo("Status 500: something broke");
        });
    }

    @Test
    void inspect_aNameIsOnePathSegment() throws IOException {
        unixEngine().answering(answer(200, "OK", "{\"Id\":\"abc\"}"));

        assertThat(client().inspect("a b/c")).isPresent();
        assertThat(engine.requests.get(0)).startsWith("GET /containers/a%20b%2Fc/json HTTP/1.1\r\n");
    }

    @Test
    void pause_andUnpause_post_andTheirRefusalsCarryTheStatus() throws IOException {
        unixEngine().answering((head, c) -> {
            if (head.startsWith("POST /containers/tdarr/pause ")) {
                send(c, "HTTP/1.1 204 No Content\r\n\r\n");
            } else {
                send(c, answer(409, "Conflict", "{\"message\":\"Container tdarr is not paused\"}"));
            }
            c.close();
        });
        EngineClient client = client();

        client.pause("tdarr");
        assertThat(engine.requests.get(0)).startsWith("POST /containers/tdarr/pause HTTP/1.1\r\n")
                .contains("\r\nContent-Length: 0\r\n");
        assertThatThrownBy(() -> client.unpause("tdarr")).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.status()).isEqualTo(409));
        assertThat(engine.requests.get(1)).startsWith("POST /containers/tdarr/unpause HTTP/1.1\r\n");
    }

    @Test
    void anEngineThatNeverAnswers_timesOut() throws IOException {
        unixEngine().answering((head, c) -> engine.holdUntilClosed());

        long start = System.nanoTime();
        assertThatThrownBy(() -> client().containers()).isInstanceOf(SocketTimeoutException.class)
                .hasMessage("the engine did not answer GET /containers/json within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(TIMEOUT.minusMillis(50), Duration.ofSeconds(3));
    }

    @Test
    void aBodyThatTrickles_isBoundByTheSameTimeout() throws IOException {
        unixEngine().answering((head, c) -> {
            send(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 50; i++) {
                send(c, chunk(i == 0 ? "[" : " "));
                Thread.sleep(50);
            }
        });

        long start = System.nanoTime();
        assertThatThrownBy(() -> client().containers()).isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aBodyLargerThanTheCap_isRefused_whetherAnnouncedOrChunked() throws IOException {
        unixEngine().answering((head, c) -> {
            if (head.startsWith("GET /version ")) {
                send(c, "HTTP/1.1 200 OK\r\nContent-Length: " + (EngineClient.MAX_BODY_BYTES + 1) + "\r\n\r\n[");
                return;
            }
            send(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            String mib = " ".repeat(1024 * 1024);
            for (int i = 0; i <= EngineClient.MAX_BODY_BYTES / mib.length(); i++) {
                send(c, chunk(mib));
            }
            send(c, "0\r\n\r\n");
        });
        EngineClient client = new EngineClient(engine.address(), Duration.ofSeconds(10));

        assertThatThrownBy(client::version).isInstanceOf(IOException.class)
                .hasMessage("the engine's answer to GET /version is larger than 16384 KiB");
        assertThatThrownBy(client::containers).isInstanceOf(IOException.class)
                .hasMessage("the engine's answer to GET /containers/json?all=1 is larger than 16384 KiB");
    }

    @Test
    void anAnswerCutShort_isAnError() throws IOException {
        unixEngine().answering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Version\":");

        assertThatThrownBy(() -> client().version()).isInstanceOf(EOFException.class);
    }

    @Test
    void noSocket_isTheSocketsOwnError() {
        EngineClient client = new EngineClient("unix://" + dir.resolve("missing/docker.sock"), TIMEOUT);

        assertThatThrownBy(client::version).isInstanceOf(SocketException.class).hasMessage("No such file or directory");
    }

    @Test
    void aSocketNobodyListensOn_isRefused() throws IOException {
        Path socket = dir.resolve("dead.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(socket));
        }
        EngineClient client = new EngineClient("unix://" + socket, TIMEOUT);

        assertThatThrownBy(client::version).isInstanceOf(ConnectException.class).hasMessage("Connection refused");
    }

    @Test
    void plainTcp_speaksTheSame() throws IOException {
        engine = FakeEngine.tcp().answering(answer(200, "OK", VERSION));

        assertThat(client().version().path("ApiVersion").asText()).isEqualTo("1.41");
        assertThat(engine.requests.get(0)).contains("\r\nHost: 127.0.0.1:");
    }

    @Test
    void events_lineByLine_acrossChunks_untilTheEngineEndsTheStream() throws IOException {
        String create = "{\"status\":\"create\",\"id\":\"abc\",\"Type\":\"container\",\"Action\":\"create\"}";
        String start = "{\"status\":\"start\",\"id\":\"abc\",\"Type\":\"container\",\"Action\":\"start\"}";
        String die = "{\"status\":\"die\",\"id\":\"abc\",\"Type\":\"container\",\"Action\":\"die\"}";
        unixEngine().answering((head, c) -> {
            send(c, EVENT_HEAD);
            send(c, chunk(create + "\n"));
            // Two in one chunk, then one split over two.
            send(c, chunk(start + "\n" + die.substring(0, 10)));
            Thread.sleep(100);
            send(c, chunk(die.substring(10) + "\n"));
            send(c, "0\r\n\r\n");
        });

        try (EngineClient.EventStream events = client().containerEvents()) {
            assertThat(events.next().path("Action").asText()).isEqualTo("create");
            assertThat(events.next().path("Action").asText()).isEqualTo("start");
            assertThat(events.next().path("Action").asText()).isEqualTo("die");
            assertThat(events.next()).isNull();
        }
        assertThat(engine.requests.get(0))
                .startsWith("GET /events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D HTTP/1.1\r\n");
    }

    @Test
    void events_waitLongerThanTheTimeout_withoutEnding() throws Exception {
        unixEngine().answering((head, c) -> {
            send(c, EVENT_HEAD);
            Thread.sleep(TIMEOUT.toMillis() * 3);
            send(c, chunk("{\"Action\":\"start\"}\n"));
            engine.holdUntilClosed();
        });

        try (EngineClient.EventStream events = client().containerEvents()) {
            assertThat(events.next().path("Action").asText()).isEqualTo("start");
        }
    }

    @Test
    void events_closedFromAnotherThread_endTheWaitAtOnce() throws Exception {
        unixEngine().answering((head, c) -> {
            send(c, EVENT_HEAD);
            engine.holdUntilClosed();
        });
        EngineClient.EventStream events = client().containerEvents();
        CountDownLatch reading = new CountDownLatch(1);
        CompletableFuture<JsonNode> next = CompletableFuture.supplyAsync(() -> {
            reading.countDown();
            try {
                return events.next();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(200);

        long start = System.nanoTime();
        events.close();

        assertThatThrownBy(() -> next.get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(AsynchronousCloseException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void events_aStreamThatBreaks_isAnError_afterTheEventsItGave() throws IOException {
        unixEngine().answering((head, c) -> {
            send(c, EVENT_HEAD);
            send(c, chunk("{\"Action\":\"start\"}\n"));
            // The engine goes away mid-stream: no last chunk.
            send(c, "20\r\n{\"Action\":");
            c.close();
        });

        try (EngineClient.EventStream events = client().containerEvents()) {
            assertThat(events.next().path("Action").asText()).isEqualTo("start");
            assertThatThrownBy(events::next).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void events_anErrorAnswer_isAnEngineException() throws IOException {
        unixEngine().answering(answer(500, "Internal Server Error", "{\"message\":\"events are off\"}"));

        assertThatThrownBy(() -> client().containerEvents()).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.getMessage()).isEqualTo("Status 500: events are off"));
    }

    @Test
    void events_anEngineThatNeverAnswers_timesOutOpening() throws IOException {
        unixEngine().answering((head, c) -> engine.holdUntilClosed());

        assertThatThrownBy(() -> client().containerEvents()).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void addresses_otherThanUnixOrTcp_areRefusedAtOnce() {
        for (String bad : new String[] { "http://nas:2375", "unix://docker.sock", "tcp://", "tcp://nas:2375/v1.41", "",
                "npipe:////./pipe/docker_engine" }) {
            assertThatThrownBy(() -> new EngineClient(bad, TIMEOUT)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(EngineAddress.parse("tcp://nas").hostHeader()).isEqualTo("nas:2375");
        assertThat(EngineAddress.parse("tcp://[::1]:2376").hostHeader()).isEqualTo("[::1]:2376");
        assertThat(EngineAddress.parse("unix:///var/run/docker.sock").unix()).isTrue();
    }
}
