package dev.mediawatch.agent.activity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for SABnzbd's API on a loopback port, serving the recorded responses of
 * {@code src/test/resources/fixtures/sabnzbd} (see its README for where their format comes from): SABnzbd is
 * not packaged for Debian and cannot run here. It checks the API key like SABnzbd (wrong or missing: the plain
 * text {@code API Key Incorrect}, HTTP 200), keeps the speed limit it was last given
 * ({@code mode=config&name=speedlimit&value=<N>[K|M|G]}, KiB units, {@code 0} none, a bare 1-100 refused as
 * a percentage without a line speed) and writes it into {@code speedlimit_abs} of every queue answer, so
 * setting and restoring are observable. It can be told to answer 500, or to hold answers until released.
 */
final class SabnzbdFake implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String apiKey;
    private volatile String queueFixture = "queue-downloading-4.x.json";
    private volatile long limit;
    private volatile int failWith;
    private volatile boolean locked;
    private volatile CountDownLatch hold;
    private final List<String> queries = new CopyOnWriteArrayList<>();

    SabnzbdFake(String apiKey) {
        this.apiKey = apiKey;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sabnzbd-fake");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/api", this::api);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The limit in force, bytes per second, 0 for none. */
    long limit() {
        return limit;
    }

    void limit(long bytesPerSec) {
        limit = bytesPerSec;
    }

    void queue(String fixture) {
        queueFixture = fixture;
    }

    /** Every call answers this HTTP status (0: answer normally). */
    void failWith(int status) {
        failWith = status;
    }

    /** {@code mode=config} answers "Configuration locked". */
    void locked(boolean locked) {
        this.locked = locked;
    }

    /** Answers wait until {@link #release()} (or the test ends): a SABnzbd that does not answer. */
    void hold() {
        hold = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    /** The query strings received, in order (they hold the key: for assertions only, never printed). */
    List<String> queries() {
        return List.copyOf(queries);
    }

    private void api(HttpExchange x) throws IOException {
        try (x) {
            String query = x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery();
            queries.add(query);
            CountDownLatch h = hold;
            if (h != null) {
                try {
                    h.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failWith != 0) {
                send(x, failWith, "text/html", "<html><body>Internal Server Error</body></html>");
                return;
            }
            Map<String, String> q = parse(query);
            if (!apiKey.equals(q.get("apikey"))) {
                send(x, 200, "text/plain", fixture("apikey-incorrect.txt"));
                return;
            }
            String mode = q.getOrDefault("mode", "");
            if (mode.equals("queue")) {
                ObjectNode root = (ObjectNode) JSON.readTree(fixture(queueFixture));
                ((ObjectNode) root.get("queue")).put("speedlimit_abs", Long.toString(limit));
                send(x, 200, "application/json", JSON.writeValueAsString(root));
            } else if (mode.equals("config") && "speedlimit".equals(q.get("name"))) {
                if (locked) {
                    send(x, 200, "application/json", fixture("config-locked.json"));
                    return;
                }
                String value = q.getOrDefault("value", "");
                long parsed = units(value.isEmpty() ? "0" : value);
                if (parsed < 0 || (parsed > 0 && parsed < 101 && !value.matches(".*[KMG]"))) {
                    // A percentage without bandwidth_max: SABnzbd warns and keeps the old limit.
                    send(x, 200, "application/json", fixture("config-ok.json"));
                    return;
                }
                limit = parsed;
                send(x, 200, "application/json", fixture("config-ok.json"));
            } else {
                send(x, 200, "application/json", "{\"status\": false, \"error\": \"not implemented\"}");
            }
        }
    }

    /** SABnzbd's from_units: a number with an optional K, M or G (powers of 1024); -1 when not a number. */
    static long units(String value) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        long factor = 1;
        if (v.endsWith("K")) {
            factor = 1024;
        } else if (v.endsWith("M")) {
            factor = 1024 * 1024;
        } else if (v.endsWith("G")) {
            factor = 1024L * 1024 * 1024;
        }
        if (factor > 1) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Math.round(Double.parseDouble(v) * factor);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> out = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static String fixture(String name) {
        try (InputStream in = SabnzbdFake.class.getResourceAsStream("/fixtures/sabnzbd/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
