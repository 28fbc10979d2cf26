package dev.mediawatch.agent.activity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the history API of Radarr, Sonarr or Lidarr on a loopback port: Servarr apps are not packaged for
 * Debian and cannot run here. It holds a history (records in the recorded format of
 * {@code src/test/resources/fixtures/<app>/}, see the README there) and answers
 * {@code GET [<url base>]/api/v3/history} ({@code /api/v1/history} for Lidarr) as the apps do: sorted by
 * {@code date} (descending unless {@code sortDirection=ascending}), cut into the page asked for ({@code page},
 * {@code pageSize}), in a {@code PagingResource} ({@code page}, {@code pageSize}, {@code sortKey},
 * {@code sortDirection}, {@code totalRecords}, {@code records}). The key is checked like
 * {@code ApiKeyAuthenticationHandler} does ({@code X-Api-Key} header or {@code apikey} query; otherwise 401 with an
 * empty body). It can be told to answer another status, or a fixed body instead of the API.
 */
final class ArrFake implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the fake saw it: path, raw query, and the {@code X-Api-Key} header (null when absent). */
    record Seen(String path, String query, String apiKeyHeader) {

        /** The decoded query parameter, or null. */
        String param(String name) {
            if (query == null) {
                return null;
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    private final String app;
    private final String apiKey;
    private final String historyPath;
    private final HttpServer server;
    private final ExecutorService threads;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile List<ObjectNode> history = List.of();
    private volatile int failWith;
    private volatile String fixedBody;

    /** @param app {@code radarr}, {@code sonarr} or {@code lidarr} */
    ArrFake(String app, String apiKey) {
        this.app = app;
        this.apiKey = apiKey;
        this.historyPath = "lidarr".equals(app) ? "/api/v1/history" : "/api/v3/history";
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, app + "-fake");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The history served from now on: the records of a recorded page under {@code fixtures/<app>/}. */
    ArrFake history(String fixture) {
        return history(records(app, fixture));
    }

    /** The history served from now on, in any order (it is sorted per request as the apps sort it). */
    ArrFake history(List<ObjectNode> records) {
        history = List.copyOf(records);
        return this;
    }

    /** Every call answers this HTTP status with an empty body (0: answer normally). */
    void failWith(int status) {
        failWith = status;
    }

    /** Every call with the right key answers this body with HTTP 200 (null: the API). */
    void answer(String body) {
        fixedBody = body;
    }

    /** History requests received, in order (the header holds the key: for assertions only, never printed). */
    List<Seen> requests() {
        return List.copyOf(seen);
    }

    /** The records of the recorded page {@code fixtures/<app>/<file>}. */
    static List<ObjectNode> records(String app, String file) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : read(app, file).path("records")) {
            out.add((ObjectNode) r);
        }
        return out;
    }

    /**
     * Copies of {@code template} dated {@code dates} (each with its own {@code id}), alternating the event types
     * given: a long history in the recorded format, for paging.
     */
    static List<ObjectNode> generated(ObjectNode template, List<Instant> dates, String... eventTypes) {
        List<ObjectNode> out = new ArrayList<>(dates.size());
        for (int i = 0; i < dates.size(); i++) {
            ObjectNode r = template.deepCopy();
            r.put("date", dates.get(i).toString());
            r.put("eventType", eventTypes[i % eventTypes.length]);
            r.put("id", 100_000 - i);
            out.add(r);
        }
        return out;
    }

    static String fixture(String app, String file) {
        try (InputStream in = ArrFake.class.getResourceAsStream("/fixtures/" + app + "/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + app + "/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String app, String file) {
        try {
            return JSON.readTree(fixture(app, file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            Seen s = new Seen(x.getRequestURI().getRawPath(), x.getRequestURI().getRawQuery(),
                    x.getRequestHeaders().getFirst("X-Api-Key"));
            if (!s.path().endsWith(historyPath)) {
                send(x, 404, "");
                return;
            }
            seen.add(s);
            if (failWith != 0) {
                send(x, failWith, "");
                return;
            }
            String key = s.apiKeyHeader() != null ? s.apiKeyHeader() : s.param("apikey");
            if (key == null || !key.equals(apiKey)) {
                send(x, 401, "");
                return;
            }
            if (fixedBody != null) {
                send(x, 200, fixedBody);
                return;
            }
            send(x, 200, JSON.writeValueAsString(page(s)));
        }
    }

    private ObjectNode page(Seen s) {
        int page = number(s.param("page"), 1);
        int pageSize = number(s.param("pageSize"), 10);
        boolean ascending = "ascending".equals(s.param("sortDirection"));
        Comparator<ObjectNode> byDate = Comparator.comparing(r -> Instant.parse(r.path("date").asText()));
        List<ObjectNode> sorted = new ArrayList<>(history);
        sorted.sort(ascending ? byDate : byDate.reversed());
        ObjectNode out = JSON.createObjectNode();
        out.put("page", page);
        out.put("pageSize", pageSize);
        out.put("sortKey", s.param("sortKey") == null ? "date" : s.param("sortKey"));
        out.put("sortDirection", ascending ? "ascending" : "descending");
        out.put("totalRecords", sorted.size());
        ArrayNode records = out.putArray("records");
        long from = (long) (page - 1) * pageSize;
        for (long i = from; i < Math.min(sorted.size(), from + pageSize); i++) {
            records.add(sorted.get((int) i));
        }
        return out;
    }

    private static int number(String text, int otherwise) {
        try {
            return text == null ? otherwise : Math.max(1, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", body.startsWith("<") ? "text/html" : "application/json; charset=utf-8");
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
