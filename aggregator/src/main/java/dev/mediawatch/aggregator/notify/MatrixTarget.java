package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Matrix rooms: {@code matrix://user:password@host[:port]/?rooms=!id:server,%23alias:server[&disableTLS=yes]}, or
 * {@code matrix://:<access token>@host/?rooms=...}. A room without {@code !} or {@code #} is an alias (a {@code #}
 * must be written {@code %23}: a bare one starts the fragment).
 *
 * <p>With a password the target logs in ({@code POST /_matrix/client/v3/login}, {@code m.login.password} with the
 * stable device id {@value #DEVICE}), keeps the access token, and logs in again when the server answers 401.
 * Aliases are resolved once ({@code GET /_matrix/client/v3/directory/room/{alias}}). Each room gets {@code PUT
 * /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}} with {@code m.text} for a raise and {@code
 * m.notice} for a clear or a test; the transaction id is derived from the message key and the room, so a retry is
 * the same transaction and the server keeps one event.
 */
final class MatrixTarget extends ServiceTarget {

    static final String DEVICE = "mediawatch";
    /** Matrix caps an event at 64 KiB of JSON; the body stays well under it. */
    static final int MAX_BODY_BYTES = 32 * 1024;

    private final HttpClient http;
    private final URI base;
    private final String user;
    private final String password;
    private final List<String> rooms;
    private final Map<String, String> roomIds = new ConcurrentHashMap<>();
    private final Fanout fanout = new Fanout("room");
    private volatile String accessToken;

    private MatrixTarget(ServiceUrl url, HttpClient http, URI base, String user, String password, String token,
            List<String> rooms) {
        super(url, url.host);
        this.http = http;
        this.base = base;
        this.user = user;
        this.password = password;
        this.accessToken = token;
        this.rooms = List.copyOf(rooms);
    }

    static MatrixTarget of(ServiceUrl url, HttpClient http) {
        url.allowOnly("rooms", "disabletls");
        if (url.host.isEmpty()) {
            throw url.error("no host (matrix://user:password@host/?rooms=...)");
        }
        if (url.password == null || url.password.isEmpty()) {
            throw url.error("no password or access token (matrix://user:password@host/ or matrix://:token@host/)");
        }
        List<String> rooms = new ArrayList<>();
        for (String room : url.list("rooms")) {
            String r = room.startsWith("!") || room.startsWith("#") ? room : "#" + room;
            if (r.length() < 4 || r.indexOf(':') < 2) {
                throw url.error("room " + (rooms.size() + 1) + " is neither !id:server nor an alias #name:server");
            }
            rooms.add(r);
        }
        if (rooms.isEmpty()) {
            throw url.error("no rooms (?rooms=!id:server,%23alias:server)");
        }
        boolean login = url.user != null && !url.user.isEmpty();
        URI base = Texts.base(!url.flag("disabletls", false), url.host, url.port, List.of());
        return new MatrixTarget(url, http, base, login ? url.user : null, login ? url.password : null,
                login ? null : url.password, rooms);
    }

    @Override
    protected Outcome deliver(Message m, Duration timeout) {
        if (accessToken == null) {
            Outcome login = login(timeout);
            if (!login.delivered()) {
                return login;
            }
        }
        ObjectNode content = Texts.object();
        content.put("msgtype", m.raised() && !"test".equals(m.kind()) ? "m.text" : "m.notice");
        content.put("body", Texts.truncateUtf8(m.title() + "\n" + m.textWithLink(), MAX_BODY_BYTES));
        return fanout.run(m.key(), rooms.size(), i -> sendTo(rooms.get(i), m.key(), content, timeout));
    }

    private Outcome sendTo(String room, String key, ObjectNode content, Duration timeout) {
        String roomId = room.startsWith("!") ? room : roomIds.get(room);
        if (roomId == null) {
            HttpCalls.Result r = authorized(() -> HttpCalls.request(
                    Texts.resolve(base, "/_matrix/client/v3/directory/room/" + Texts.segment(room)), timeout).GET(),
                    timeout);
            if (!r.outcome().delivered()) {
                return prefixed("alias: ", r.outcome());
            }
            JsonNode answer = Texts.read(r.body());
            roomId = answer == null ? "" : answer.path("room_id").asText("");
            if (roomId.isEmpty()) {
                return Outcome.fail("alias: no room_id in the answer");
            }
            roomIds.put(room, roomId);
        }
        URI uri = Texts.resolve(base, "/_matrix/client/v3/rooms/" + Texts.segment(roomId)
                + "/send/m.room.message/" + txnId(key, roomId));
        return authorized(() -> HttpCalls.request(uri, timeout)
                .header("Content-Type", "application/json")
                .PUT(Texts.json(content)), timeout).outcome();
    }

    /** One call with the access token; on 401 with a password, logs in again and makes the call once more. */
    private HttpCalls.Result authorized(java.util.function.Supplier<HttpRequest.Builder> request, Duration timeout) {
        String token = accessToken;
        if (token == null) {
            Outcome login = login(timeout);
            if (!login.delivered()) {
                return new HttpCalls.Result(login, 0, "");
            }
            token = accessToken;
        }
        HttpCalls.Result r = HttpCalls.exchange(http,
                request.get().header("Authorization", "Bearer " + token).build(), true);
        if (r.status() != 401 || password == null) {
            return r;
        }
        synchronized (this) {
            if (token.equals(accessToken)) {
                accessToken = null;
            }
        }
        Outcome login = login(timeout);
        if (!login.delivered()) {
            return new HttpCalls.Result(login, 0, "");
        }
        return HttpCalls.exchange(http, request.get().header("Authorization", "Bearer " + accessToken).build(), true);
    }

    private synchronized Outcome login(Duration timeout) {
        if (accessToken != null) {
            return Outcome.delivered("logged in");
        }
        ObjectNode body = Texts.object();
        body.put("type", "m.login.password");
        ObjectNode identifier = body.putObject("identifier");
        identifier.put("type", "m.id.user");
        identifier.put("user", user);
        body.put("password", password);
        body.put("device_id", DEVICE);
        body.put("initial_device_display_name", DEVICE);
        HttpCalls.Result r = HttpCalls.exchange(http, HttpCalls.request(
                Texts.resolve(base, "/_matrix/client/v3/login"), timeout)
                .header("Content-Type", "application/json")
                .POST(Texts.json(body))
                .build(), true);
        if (!r.outcome().delivered()) {
            return prefixed("login: ", r.outcome());
        }
        JsonNode answer = Texts.read(r.body());
        String token = answer == null ? "" : answer.path("access_token").asText("");
        if (token.isEmpty()) {
            return Outcome.fail("login: no access_token in the answer");
        }
        accessToken = token;
        return r.outcome();
    }

    /** Stable per message and room, unique across rooms: the server keeps one event per transaction. */
    static String txnId(String key, String roomId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((key + "\n" + roomId).getBytes(StandardCharsets.UTF_8));
            return "mw" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Outcome prefixed(String prefix, Outcome o) {
        return new Outcome(o.delivered(), o.retry(), prefix + o.what(), o.retryAfter());
    }
}
