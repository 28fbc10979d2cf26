package dev.mediawatch.agent.activity;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.ServiceIdentity;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.contract.Text;

/**
 * Who is listening on Navidrome: one Subsonic {@code getNowPlaying} per poll, read into {@link StreamSession}s
 * (source {@code navidrome}). Subsonic says nothing about how a track is delivered, so the play method and the
 * transcode fields stay empty; an entry counts as playing when it was reported at most
 * {@value #PLAYING_MINUTES} minutes ago, and as paused when the server adds OpenSubsonic's
 * {@code state: "paused"} (Navidrome 0.55 and later).
 *
 * <p>Why: a listener counts as someone the stutter alert should protect, and music read from the NAS competes
 * with downloads like video does.
 *
 * <p>Token authentication: {@code t = md5(password + salt)} with a fresh random salt {@code s} per call, so the
 * password never leaves the agent. The query with user, token and salt is kept out of every problem text
 * ({@link ApiHttp} reports scheme, host and path only), and an error message from the server has the token,
 * salt and password masked before it is reported.
 */
public final class NavidromeClient {

    /** The source name in {@link ActivitySource} and {@link StreamSession#source()}. */
    public static final String SOURCE = "navidrome";

    /** Entries older than this are a player that stopped without saying so. */
    static final int PLAYING_MINUTES = 10;

    static final String PATH = "/rest/getNowPlaying.view";
    static final String API_VERSION = "1.16.1";
    static final String CLIENT_NAME = "mediawatch";

    private static final int SALT_BYTES = 12;
    private static final int MAX_PROBLEM_MESSAGE = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiHttp http;
    private final URI endpoint;
    private final String user;
    private final String password;
    private final ActivitySource unusable;

    /**
     * @param httpClient the agent's shared client
     * @param baseUrl  Navidrome's address, e.g. {@code http://127.0.0.1:4533} (a base path is kept)
     * @param user     the Navidrome user name
     * @param password that user's password; with either empty, every poll answers {@code not-configured}
     *                 without calling
     * @param timeout  bounds the connection and the whole answer
     */
    public NavidromeClient(HttpClient httpClient, URI baseUrl, Optional<String> user, Optional<String> password,
            Duration timeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        this.http = new ApiHttp(SOURCE, httpClient, timeout);
        this.endpoint = JellyfinClient.endpoint(baseUrl, PATH);
        this.user = user.map(String::strip).filter(u -> !u.isEmpty()).orElse(null);
        this.password = password.filter(p -> !p.isBlank()).orElse(null);
        if (endpoint == null) {
            this.unusable = new ActivitySource(SOURCE, SourceState.ERROR,
                    "not an http(s) URL with a host: check the Navidrome URL");
        } else if (this.user == null || this.password == null) {
            this.unusable = new ActivitySource(SOURCE, SourceState.NOT_CONFIGURED,
                    "no user or password: set MEDIAWATCH_NAVIDROME_USER and MEDIAWATCH_NAVIDROME_PASSWORD");
        } else {
            this.unusable = null;
        }
    }

    /**
     * Blocking, bounded by the timeout: run it on the activity thread. Entries reported within the last
     * {@value #PLAYING_MINUTES} minutes, in the server's order.
     */
    public Poll<List<StreamSession>> sessions() {
        return nowPlaying().sessions();
    }

    /**
     * One {@code getNowPlaying}, blocking as {@link #sessions()}: the sessions, and who answered. Every Subsonic
     * envelope names its server, a failed one too: Navidrome writes {@code type} ("navidrome") and
     * {@code serverVersion} (OpenSubsonic's fields) beside {@code status}, so a wrong password still shows which
     * server was reached. The original Subsonic server writes neither: no identity then.
     */
    public NowPlaying nowPlaying() {
        if (unusable != null) {
            return new NowPlaying(Poll.failed(unusable), null);
        }
        String salt = HexFormat.of().formatHex(randomBytes());
        String token = md5Hex(password + salt);
        URI uri = URI.create(endpoint + "?u=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&t=" + token
                + "&s=" + salt + "&v=" + API_VERSION + "&c=" + CLIENT_NAME + "&f=json");
        HttpRequest request = http.request(uri).header("Accept", "application/json").GET().build();
        String where = ApiHttp.where(endpoint);
        ServiceIdentity identity = null;
        try {
            JsonNode response = http.json(request).path("subsonic-response");
            if (!response.isObject()) {
                throw http.fail(SourceState.ERROR, "not a Subsonic answer from " + where);
            }
            identity = identity(response);
            String status = JellyfinClient.text(response, "status");
            if ("failed".equals(status)) {
                throw failed(response.path("error"), where, token, salt);
            }
            if (!"ok".equals(status)) {
                throw http.fail(SourceState.ERROR, "Subsonic status "
                        + (status == null ? "missing" : "\"" + Text.printable(status, 20) + "\"") + " from " + where);
            }
            List<StreamSession> out = new ArrayList<>();
            JsonNode entries = response.path("nowPlaying").path("entry");
            // The original Subsonic server writes a list of one as the element itself.
            Iterable<JsonNode> list = entries.isObject() ? List.of(entries) : entries;
            for (JsonNode e : list) {
                if (out.size() == JellyfinClient.MAX_SESSIONS) {
                    break;
                }
                StreamSession s = entry(e);
                if (s != null) {
                    out.add(s);
                }
            }
            return new NowPlaying(Poll.ok(SOURCE, List.copyOf(out)), identity);
        } catch (ApiHttp.Failure f) {
            return new NowPlaying(Poll.failed(f.source()), identity);
        }
    }

    /** What one {@code getNowPlaying} gave: the sessions as a poll, and the server's identity (null when unknown). */
    public record NowPlaying(Poll<List<StreamSession>> sessions, ServiceIdentity identity) {
    }

    /**
     * {@code ServiceIdentity("navidrome", null, type, serverVersion)}: Subsonic has no server id, so the server's
     * kind and version are what a public URL's answer can be compared with. Null when the envelope has neither.
     */
    static ServiceIdentity identity(JsonNode response) {
        String type = JellyfinClient.printable(JellyfinClient.text(response, "type"));
        String version = JellyfinClient.printable(JellyfinClient.text(response, "serverVersion"));
        return type == null && version == null ? null : new ServiceIdentity(SOURCE, null, type, version);
    }

    /** Subsonic errors 40 (wrong user name or password) and 41 (no token authentication for this user) are the
     *  credentials' fault; any other is an error in the server's own words, masked. */
    private ApiHttp.Failure failed(JsonNode error, String where, String token, String salt) {
        JsonNode codeNode = error.path("code");
        int code = codeNode.isNumber() ? codeNode.intValue() : -1;
        return switch (code) {
            case 40 -> http.fail(SourceState.UNAUTHORIZED,
                    "wrong user name or password (Subsonic error 40) from " + where + ": check the credentials");
            case 41 -> http.fail(SourceState.UNAUTHORIZED, "token authentication not supported for this user "
                    + "(Subsonic error 41, e.g. an LDAP user) from " + where);
            default -> {
                String message = JellyfinClient.text(error, "message");
                String said = message == null ? ""
                        : ": " + Text.printable(mask(message, token, salt), MAX_PROBLEM_MESSAGE);
                yield http.fail(SourceState.ERROR,
                        "Subsonic error " + (code < 0 ? "without code" : code) + " from " + where + said);
            }
        };
    }

    /** One now-playing entry, or null when it is stale or not an object. */
    static StreamSession entry(JsonNode e) {
        if (!e.isObject()) {
            return null;
        }
        Double minutesAgo = JellyfinClient.number(e, "minutesAgo");
        if (minutesAgo != null && minutesAgo > PLAYING_MINUTES) {
            return null;
        }
        JsonNode playerId = e.get("playerId");
        String id = playerId != null && (playerId.isNumber() || playerId.isTextual()) ? playerId.asText() : null;
        String title = JellyfinClient.text(e, "title");
        String artist = JellyfinClient.text(e, "artist");
        String shown = artist == null ? title : title == null ? artist : artist + " - " + title;
        String user = JellyfinClient.text(e, "username");
        String player = JellyfinClient.text(e, "playerName");
        boolean paused = "paused".equals(JellyfinClient.text(e, "state"));
        return new StreamSession(SOURCE, JellyfinClient.printable(id), JellyfinClient.printable(user),
                JellyfinClient.printable(shown), JellyfinClient.printable(player), paused, null, null, null, null,
                null);
    }

    /** The server's own words, with anything of ours it might echo masked. */
    private String mask(String message, String token, String salt) {
        String out = message;
        for (String secret : new String[] { password, token, salt }) {
            out = out.replace(secret, "***");
        }
        return out;
    }

    static String md5Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide MD5.
            throw new IllegalStateException("MD5 is not available", e);
        }
    }

    private static byte[] randomBytes() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return salt;
    }

    @Override
    public String toString() {
        return "NavidromeClient[" + (endpoint == null ? "no usable URL" : ApiHttp.where(endpoint))
                + (unusable == null ? ", credentials set]" : ", no usable credentials]");
    }
}
