package dev.mediawatch.aggregator.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.mediawatch.contract.ContractJson;

/**
 * A local HTTP server (127.0.0.1, an ephemeral port) standing in for a notification service: it records each
 * request (method, raw path and query, headers, body) and answers what the test scripts, in turn, else 200 with
 * {@code {}}. Targets send synchronously, so a test reads {@link #seen} right after {@code send} returns.
 */
final class LocalService implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** One request as the server saw it. */
    record Seen(String method, String path, String query, Map<String, List<String>> headers, String body) {

        /** A header's first value, its name matched case-insensitively; null when absent. */
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        JsonNode json() {
            try {
                return ContractJson.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("the body is not JSON: " + body, e);
            }
        }

        /** The body read as {@code application/x-www-form-urlencoded}. */
        Map<String, String> form() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return out;
        }
    }

    /** One scripted answer. */
    record Reply(int status, String body, Map<String, String> headers) {
        static Reply of(int status, String body, String... headerPairs) {
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 0; i + 1 < headerPairs.length; i += 2) {
                h.put(headerPairs[i], headerPairs[i + 1]);
            }
            return new Reply(status, body, h);
        }
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private volatile Function<Seen, Reply> fallback = s -> Reply.of(200, "{}");
    private final HttpServer server;

    LocalService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                headers.putAll(exchange.getRequestHeaders());
                Seen s = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), headers,
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
                seen.add(s);
                Reply r = script.poll();
                if (r == null) {
                    r = fallback.apply(s);
                }
                r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        });
        server.start();
    }

    /** Answers one request with this, after the answers scripted before it. */
    LocalService reply(int status, String body, String... headerPairs) {
        script.add(Reply.of(status, body, headerPairs));
        return this;
    }

    /** Answers every unscripted request by this function of the request. */
    LocalService otherwise(Function<Seen, Reply> answer) {
        fallback = answer;
        return this;
    }

    /** {@code 127.0.0.1:<port>}, for a service URL's authority. */
    String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    URI base() {
        return URI.create("http://" + hostPort());
    }

    Seen only() {
        if (seen.size() != 1) {
            throw new AssertionError("expected one request, saw " + seen.size() + ": " + seen);
        }
        return seen.get(0);
    }

    /** A loopback port nothing listens on (bound, then released). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
