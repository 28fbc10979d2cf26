package dev.mediawatch.agent.activity;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.TorrentTransfer;

/**
 * qBittorrent's WebUI API v2: the transfer info and active torrents for the activity snapshot, and the
 * global download limit the throttle reads and sets.
 *
 * <p>Authentication: with a user and password, {@code POST /api/v2/auth/login} (form {@code username},
 * {@code password}; qBittorrent answers {@code Ok.} with an {@code SID} cookie, or {@code Fails.}, both with
 * HTTP 200), before the first call and once more when a call is refused with 403 (the session expired or
 * qBittorrent restarted). Without credentials it relies on qBittorrent's "bypass authentication for clients
 * on localhost" ({@code WebUI\LocalHostAuth=false}); a 403 then is {@code unauthorized}. Credentials go in
 * the login body only, never in a URI, log line or problem.
 *
 * <p>The session is this client's own: the agent's shared HTTP client keeps no cookies (a cookie jar is per host,
 * not per port, and would send qBittorrent's session to SABnzbd or any other service on the same host), so the
 * cookie the login answer sets is kept here and sent as {@code Cookie} on this client's requests only. It is
 * {@code SID} up to qBittorrent 5.1, {@code QBT_SID_<port>} from 5.2, and its name can be configured
 * ({@code WebAPI\SessionCookieName}): whatever the login set is sent back under its own name. Like the password, it
 * is never in a log line, problem or payload.
 *
 * <p>Blocking calls, each bounded by the timeout: run on the activity thread only (one caller at a time).
 */
public final class QbittorrentClient {

    public static final String NAME = "qbittorrent";

    /** Torrents counted at most: the list is asked with this limit so its body stays bounded. */
    static final int MAX_COUNTED_TORRENTS = 1000;

    private final String base;
    private final Optional<String> user;
    private final Optional<String> password;
    private final ApiHttp http;
    private boolean loggedIn;
    /** The {@code Cookie} header value of the session the last login set; null without one. */
    private String session;

    /** @param httpClient the agent's shared client */
    public QbittorrentClient(HttpClient httpClient, URI base, Optional<String> user, Optional<String> password,
            Duration timeout) {
        Objects.requireNonNull(base, "base");
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.user = Objects.requireNonNull(user, "user").filter(u -> !u.isBlank());
        this.password = Objects.requireNonNull(password, "password").filter(p -> !p.isEmpty());
        this.http = new ApiHttp(NAME, httpClient, timeout);
    }

    /** Global speeds, limit and connection, and how many torrents are downloading. */
    public Poll<TorrentTransfer> transfer() {
        try {
            JsonNode info = json(get("/api/v2/transfer/info"), "/api/v2/transfer/info");
            JsonNode downloading = json(get("/api/v2/torrents/info?filter=downloading&limit=" + MAX_COUNTED_TORRENTS),
                    "/api/v2/torrents/info");
            if (!info.isObject() || !downloading.isArray()) {
                throw http.fail(SourceState.ERROR, "unexpected answer from " + where("/api/v2/transfer/info"));
            }
            return Poll.ok(NAME, new TorrentTransfer(
                    Math.max(0, info.path("dl_info_speed").asLong(0)),
                    Math.max(0, info.path("up_info_speed").asLong(0)),
                    downloading.size(),
                    Math.max(0, info.path("dl_rate_limit").asLong(0)),
                    info.path("connection_status").asText("unknown")));
        } catch (ApiHttp.Failure f) {
            return Poll.failed(f.source());
        }
    }

    /** The global download limit in force, bytes per second; {@code 0} for none. */
    public long downloadLimit() throws ApiHttp.Failure {
        String body = get("/api/v2/transfer/downloadLimit").strip();
        try {
            return Math.max(0, Long.parseLong(body));
        } catch (NumberFormatException e) {
            throw http.fail(SourceState.ERROR, "not a number from " + where("/api/v2/transfer/downloadLimit"));
        }
    }

    /**
     * Sets the global download limit, bytes per second, {@code 0} for none. qBittorrent keeps whole KiB/s
     * (123456 reads back as 122880).
     */
    public void setDownloadLimit(long bytesPerSec) throws ApiHttp.Failure {
        if (bytesPerSec < 0) {
            throw new IllegalArgumentException("a download limit is >= 0 (0 is none)");
        }
        post("/api/v2/transfer/setDownloadLimit", "limit=" + bytesPerSec);
    }

    private String get(String pathAndQuery) throws ApiHttp.Failure {
        return withSession(() -> http.send(request(pathAndQuery).GET().build()));
    }

    private String post(String path, String form) throws ApiHttp.Failure {
        return withSession(() -> http.send(request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build()));
    }

    /** A request carrying the session, if there is one (built at each try: a new login replaces the session). */
    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = http.request(URI.create(base + pathAndQuery));
        if (session != null) {
            b.header("Cookie", session);
        }
        return b;
    }

    private interface Call {
        String run() throws ApiHttp.Failure;
    }

    /** Logs in first when it has credentials and no session; on a 403 logs in again once and retries. */
    private String withSession(Call call) throws ApiHttp.Failure {
        boolean credentials = user.isPresent() && password.isPresent();
        if (credentials && !loggedIn) {
            login();
        }
        try {
            return call.run();
        } catch (ApiHttp.Failure f) {
            if (f.source().state() != SourceState.UNAUTHORIZED) {
                throw f;
            }
            loggedIn = false;
            session = null;
            if (!credentials) {
                throw http.fail(SourceState.UNAUTHORIZED, "refused by " + where("/api/v2") + " (HTTP 403): set "
                        + ActivityKeys.QBITTORRENT_USER + " and " + ActivityKeys.QBITTORRENT_PASSWORD
                        + ", or allow clients on localhost without authentication");
            }
            login();
            return call.run();
        }
    }

    private void login() throws ApiHttp.Failure {
        String form = "username=" + URLEncoder.encode(user.orElseThrow(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password.orElseThrow(), StandardCharsets.UTF_8);
        URI uri = URI.create(base + "/api/v2/auth/login");
        ApiHttp.Answer answer;
        try {
            answer = http.exchange(http.request(uri)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build());
        } catch (ApiHttp.Failure f) {
            if (f.source().state() == SourceState.UNAUTHORIZED) {
                // 403 on login: qBittorrent banned this address after failed logins.
                throw http.fail(SourceState.UNAUTHORIZED, "login refused by " + ApiHttp.where(uri)
                        + " (HTTP 403: too many failed logins ban the address for a while)");
            }
            throw f;
        }
        if (!answer.body().strip().startsWith("Ok")) {
            throw http.fail(SourceState.UNAUTHORIZED, "login refused by " + ApiHttp.where(uri) + ": check "
                    + ActivityKeys.QBITTORRENT_USER + " and " + ActivityKeys.QBITTORRENT_PASSWORD);
        }
        // None where qBittorrent lets this address in without a login: the calls then go without one.
        session = sessionCookie(answer.headers());
        loggedIn = true;
    }

    /**
     * The cookies an answer sets ({@code Set-Cookie}), as the value of a {@code Cookie} header: {@code name=value}
     * pairs, without their attributes; null when it sets none. A cookie whose name or value a header cannot carry
     * as it is, or whose value is empty (a deletion), is left out.
     */
    static String sessionCookie(HttpHeaders headers) {
        List<String> pairs = new ArrayList<>(1);
        for (String set : headers.allValues("Set-Cookie")) {
            int semicolon = set.indexOf(';');
            String pair = (semicolon < 0 ? set : set.substring(0, semicolon)).strip();
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            if (cookieText(name, "()<>@,;:\\\"/[]?={}") && !value.isEmpty() && cookieText(value, ",;\\\"")) {
                pairs.add(name + "=" + value);
            }
        }
        return pairs.isEmpty() ? null : String.join("; ", pairs);
    }

    /** Visible ASCII without any of {@code excluded}: what RFC 6265 allows in a cookie's name or value. */
    private static boolean cookieText(String s, String excluded) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e || excluded.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private JsonNode json(String body, String path) throws ApiHttp.Failure {
        try {
            JsonNode node = dev.mediawatch.contract.ContractJson.mapper().readTree(body);
            if (node == null || node.isMissingNode()) {
                throw http.fail(SourceState.ERROR, "empty answer from " + where(path));
            }
            return node;
        } catch (java.io.IOException e) {
            throw http.fail(SourceState.ERROR, "not JSON from " + where(path));
        }
    }

    private String where(String path) {
        return ApiHttp.where(URI.create(base + path));
    }
}
