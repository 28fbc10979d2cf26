package dev.mediawatch.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

/**
 * The tunnel in tests: a real HTTP reverse proxy on a local port that forwards every GET to the upstream it is
 * pointed at, as a Cloudflare tunnel forwards a public hostname to one VM's port. Re-pointable while it runs; an
 * upstream that does not answer becomes a 502; {@link #hang()} makes it accept and never answer.
 */
public final class ReverseProxy implements AutoCloseable {

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicReference<URI> upstream = new AtomicReference<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean hang;

    public ReverseProxy() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", x -> {
            try {
                if (hang) {
                    released.await();
                    return;
                }
                URI to = URI.create(upstream.get().toString() + x.getRequestURI());
                HttpResponse<byte[]> r;
                try {
                    r = client.send(HttpRequest.newBuilder(to).timeout(Duration.ofSeconds(2)).GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    x.sendResponseHeaders(502, -1);
                    return;
                }
                r.headers().firstValue("Content-Type").ifPresent(v -> x.getResponseHeaders().add("Content-Type", v));
                x.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                try (OutputStream out = x.getResponseBody()) {
                    out.write(r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                x.close();
            }
        });
        server.start();
    }

    /** Where the public URL now leads. */
    public ReverseProxy pointAt(URI to) {
        hang = false;
        upstream.set(to);
        return this;
    }

    /** Accept, and never answer. */
    public ReverseProxy hang() {
        hang = true;
        return this;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }

    /** A recorded service (one that cannot run here): fixed JSON bodies by path (query ignored), 404 for anything else. */
    public static final class Recorded implements AutoCloseable {
        private final HttpServer server;

        public Recorded(Map<String, String> bodyByPath) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", x -> {
                try {
                    String body = bodyByPath.get(x.getRequestURI().getPath());
                    if (body == null) {
                        x.sendResponseHeaders(404, -1);
                        return;
                    }
                    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    x.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
                    x.sendResponseHeaders(200, bytes.length);
                    x.getResponseBody().write(bytes);
                } finally {
                    x.close();
                }
            });
            server.start();
        }

        public URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
