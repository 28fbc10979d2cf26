package dev.mediawatch.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The shared client's settings: no redirect followed, no cookie kept, named daemon threads, closed by its executor. */
class OutboundHttpTest {

    private HttpServer server;
    private final List<String> cookiesReceived = new CopyOnWriteArrayList<>();
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            cookiesReceived.add(exchange.getRequestHeaders().getFirst("Cookie"));
            if (exchange.getRequestURI().getPath().equals("/moved")) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
                exchange.getResponseHeaders().add("Set-Cookie", "SID=session-of-this-service; HttpOnly; path=/");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
        client = OutboundHttp.client("test-http", 2, Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        OutboundHttp.close(client);
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private int get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aRedirectIsAnswered_notFollowed_andACookieIsNeverSentBack() throws Exception {
        assertThat(get("/moved")).isEqualTo(302);
        assertThat(get("/next")).isEqualTo(204);
        assertThat(cookiesReceived).containsExactly(null, null);
    }

    @Test
    void itsExecutorRunsOnFewNamedDaemonThreads_andClosingShutsItDown() throws Exception {
        ExecutorService executor = (ExecutorService) client.executor().orElseThrow();
        Thread thread = CompletableFuture.supplyAsync(Thread::currentThread, executor).get(2, TimeUnit.SECONDS);
        assertThat(thread.getName()).isEqualTo("test-http-1");
        assertThat(thread.isDaemon()).isTrue();
        assertThat(client.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
        assertThat(client.cookieHandler()).isEmpty();
        assertThat(client.connectTimeout()).contains(Duration.ofSeconds(2));

        OutboundHttp.close(client);
        assertThat(executor.awaitTermination(2, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void refusesSettingsThatCannotWork() {
        assertThatThrownBy(() -> OutboundHttp.client("x", 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutboundHttp.client("x", 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
