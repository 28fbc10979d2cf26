package dev.mediawatch.agent.activity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.ServiceIdentity;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.contract.Text;

/**
 * Who is watching what on Jellyfin, and whether its transcodes keep up: one {@code GET /Sessions} per poll,
 * read into {@link StreamSession}s (only sessions with a {@code NowPlayingItem}: idle clients are left out),
 * each with the progress fields {@link PlaybackTracker} judges stalls from ({@link #poll()}).
 *
 * <p>Why: the stutter detector needs to know whether anyone is watching, and a transcode falling behind is the
 * streaming side's own sign of starvation. The transcoder's progress ({@code TranscodingInfo.CompletionPercentage},
 * which Jellyfin computes from ffmpeg's {@code time=} plus the seek offset, over the item's run time) minus the
 * player's position gives how far it is ahead; {@link TranscodePace} judges that.
 *
 * <p>Besides, {@link #identity()} asks who the server is ({@code /System/Info/Public}, every few minutes rather than
 * every poll: a server's id does not change while it runs), so the aggregator can compare it with what the public
 * URL answers.
 *
 * <p>The API key goes in the {@code Authorization: MediaBrowser Token="..."} header only: never in the URL, a
 * problem text or {@link #toString()}. A key that a header cannot carry is refused here without a call.
 */
public final class JellyfinClient {

    /** The source name in {@link ActivitySource} and {@link StreamSession#source()}. */
    public static final String SOURCE = "jellyfin";

    /** Sessions seen within the last 16 minutes: Jellyfin's own dashboard asks for the same window. */
    static final String SESSIONS = "/Sessions?activeWithinSeconds=960";

    /**
     * Who the server is, without a key ({@code [AllowAnonymous]} in Jellyfin's {@code SystemController}): a
     * {@code PublicSystemInfo} with {@code Id} (the server id, kept across restarts and upgrades), {@code ServerName},
     * {@code Version}, {@code ProductName} and {@code LocalAddress}.
     */
    static final String PUBLIC_INFO = "/System/Info/Public";

    /** At most this many sessions are kept from one answer, so one poll cannot grow the published payload. */
    static final int MAX_SESSIONS = 100;

    private static final int MAX_TEXT = 120;
    private static final double TICKS_PER_SECOND = 10_000_000.0;
    /** ffmpeg sometimes misdetects an average frame rate of 1000 fps (jellyfin/jellyfin#12603). */
    private static final double MAX_PLAUSIBLE_FPS = 1000.0;
    /** Dates before this are .NET's {@code DateTime.MinValue} (0001-01-01): a check-in that never happened. */
    private static final Instant NEVER = Instant.parse("1970-01-02T00:00:00Z");

    private final ApiHttp http;
    private final URI sessionsUri;
    private final URI publicInfoUri;
    private final String authorization;
    private final ActivitySource unusable;

    /**
     * @param httpClient the agent's shared client
     * @param baseUrl Jellyfin's address, e.g. {@code http://127.0.0.1:8096} (a base path, e.g. {@code /jellyfin}
     *                behind a proxy, is kept)
     * @param apiKey  an API key (Dashboard, API Keys); empty: every poll answers {@code not-configured}
     *                ("no API key: set MEDIAWATCH_JELLYFIN_API_KEY") without calling
     * @param timeout bounds the connection and the whole answer
     */
    public JellyfinClient(HttpClient httpClient, URI baseUrl, Optional<String> apiKey, Duration timeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        this.http = new ApiHttp(SOURCE, httpClient, timeout);
        this.sessionsUri = endpoint(baseUrl, SESSIONS);
        this.publicInfoUri = endpoint(baseUrl, PUBLIC_INFO);
        String key = apiKey.map(String::strip).orElse("");
        if (sessionsUri == null) {
            this.unusable = problem(SourceState.ERROR, "not an http(s) URL with a host: check the Jellyfin URL");
            this.authorization = null;
        } else if (key.isEmpty()) {
            this.unusable = problem(SourceState.NOT_CONFIGURED, "no API key: set MEDIAWATCH_JELLYFIN_API_KEY");
            this.authorization = null;
        } else if (!headerSafe(key)) {
            this.unusable = problem(SourceState.ERROR,
                    "the API key has characters a header cannot carry: check MEDIAWATCH_JELLYFIN_API_KEY");
            this.authorization = null;
        } else {
            this.unusable = null;
            this.authorization = "MediaBrowser Token=\"" + key + "\"";
        }
    }

    /**
     * Blocking, bounded by the timeout: run it on the activity thread. Sessions that play something, as
     * {@link StreamSession} (source {@code jellyfin}, not judged for stalls), in Jellyfin's order (most recently
     * active first).
     */
    public Poll<List<StreamSession>> sessions() {
        Poll<List<JellyfinSession>> p = poll();
        return p.value() == null ? Poll.failed(p.source())
                : new Poll<>(p.source(), p.value().stream().map(JellyfinSession::session).toList());
    }

    /**
     * As {@link #sessions()}, each session with its progress for {@link PlaybackTracker}. Blocking, bounded by the
     * timeout.
     */
    Poll<List<JellyfinSession>> poll() {
        if (unusable != null) {
            return Poll.failed(unusable);
        }
        HttpRequest request = http.request(sessionsUri).header("Authorization", authorization)
                .header("Accept", "application/json").GET().build();
        try {
            JsonNode root = http.json(request);
            if (!root.isArray()) {
                throw http.fail(SourceState.ERROR, "not a list of sessions from " + ApiHttp.where(sessionsUri));
            }
            List<JellyfinSession> out = new ArrayList<>();
            for (JsonNode node : root) {
                if (out.size() == MAX_SESSIONS) {
                    break;
                }
                JellyfinSession s = playing(node);
                if (s != null) {
                    out.add(s);
                }
            }
            return Poll.ok(SOURCE, List.copyOf(out));
        } catch (ApiHttp.Failure f) {
            return Poll.failed(f.source());
        }
    }

    /**
     * Who this Jellyfin is ({@code GET /System/Info/Public}): {@code Id}, {@code ServerName} and {@code Version}, what
     * a public URL's answer is compared with to show that it reaches this instance. Asked without the key (the
     * endpoint needs none, so it works before a key is set). An answer without an {@code Id} is an error: a
     * name and a version alone cannot tell two servers apart. Blocking, bounded by the timeout.
     */
    public Poll<ServiceIdentity> identity() {
        if (publicInfoUri == null) {
            return Poll.failed(problem(SourceState.ERROR, "not an http(s) URL with a host: check the Jellyfin URL"));
        }
        HttpRequest request = http.request(publicInfoUri).header("Accept", "application/json").GET().build();
        try {
            JsonNode info = http.json(request);
            String id = info.isObject() ? text(info, "Id") : null;
            if (id == null || id.isBlank()) {
                throw http.fail(SourceState.ERROR, "no server Id in the answer from " + ApiHttp.where(publicInfoUri));
            }
            return Poll.ok(SOURCE, new ServiceIdentity(SOURCE, printable(id.strip()), printable(text(info, "ServerName")),
                    printable(text(info, "Version"))));
        } catch (ApiHttp.Failure f) {
            return Poll.failed(f.source());
        }
    }

    /** One SessionInfo, or null when it plays nothing (or is not an object). */
    static StreamSession session(JsonNode s) {
        JellyfinSession playing = playing(s);
        return playing == null ? null : playing.session();
    }

    /** One SessionInfo with its progress, or null when it plays nothing (or is not an object). */
    static JellyfinSession playing(JsonNode s) {
        if (!s.isObject()) {
            return null;
        }
        JsonNode item = s.path("NowPlayingItem");
        if (!item.isObject()) {
            return null;
        }
        JsonNode play = s.path("PlayState");
        JsonNode transcode = s.path("TranscodingInfo");
        return new JellyfinSession(streamSession(s, item, play, transcode), progress(s, item, play, transcode));
    }

    private static StreamSession streamSession(JsonNode s, JsonNode item, JsonNode play, JsonNode transcode) {
        boolean paused = flag(play, "IsPaused");
        String method = playMethod(text(play, "PlayMethod"));
        boolean transcoding = StreamSession.TRANSCODE.equals(method);

        JsonNode video = videoStream(item);
        Double mediaFps = video == null ? null : frameRate(video);
        Double transcodeFps = null;
        Double buffered = null;
        if (transcode.isObject()) {
            // A direct stream (remux) runs an ffmpeg job too: its lead is worth showing, its frame rate is not a
            // video transcode's.
            boolean videoItem = video != null || "Video".equals(text(item, "MediaType"));
            if (transcoding && videoItem && !flag(transcode, "IsVideoDirect")) {
                transcodeFps = positive(number(transcode, "Framerate"));
            }
            buffered = buffered(number(transcode, "CompletionPercentage"), number(item, "RunTimeTicks"),
                    number(play, "PositionTicks"));
        }
        return new StreamSession(SOURCE, printable(text(s, "Id")), printable(text(s, "UserName")),
                printable(title(item)), printable(client(text(s, "Client"), text(s, "DeviceName"))), paused, method,
                transcodeFps, mediaFps, buffered,
                TranscodePace.behind(transcoding, paused, transcodeFps, mediaFps, buffered));
    }

    /**
     * What {@link PlaybackTracker} follows: {@code NowPlayingItem.Id}; the position the client last posted;
     * {@code PlayState.IsPaused}, {@code PlaybackRate} (optional: Emby and some Jellyfin versions give it),
     * {@code PlayMethod}, {@code MediaSourceId}, {@code AudioStreamIndex}, {@code SubtitleStreamIndex};
     * {@code LastPlaybackCheckIn}; and {@code TranscodingInfo.CompletionPercentage}.
     */
    static PlaybackTracker.Progress progress(JsonNode s, JsonNode item, JsonNode play, JsonNode transcode) {
        Long position = whole(play, "PositionTicks");
        Instant checkIn = date(s, "LastPlaybackCheckIn");
        return new PlaybackTracker.Progress(printable(text(item, "Id")),
                posted(position, checkIn, date(s, "LastActivityDate")), flag(play, "IsPaused"),
                number(play, "PlaybackRate"), checkIn,
                new PlaybackTracker.StreamIdentity(printable(text(play, "PlayMethod")),
                        printable(text(play, "MediaSourceId")), index(play, "AudioStreamIndex"),
                        index(play, "SubtitleStreamIndex")),
                transcode.isObject() ? number(transcode, "CompletionPercentage") : null);
    }

    /**
     * The position the client last posted. After each post Jellyfin moves {@code PositionTicks} on by itself,
     * one second each second while not paused, until the next post replaces it ({@code SessionInfo}'s automatic
     * progress: an automated {@code OnPlaybackProgress} that sets {@code LastActivityDate}, never
     * {@code LastPlaybackCheckIn}). So a player that stands still and posts the same position every 10 s shows
     * a position that runs and jumps back. The whole seconds between {@code LastPlaybackCheckIn} and
     * {@code LastActivityDate} (both Jellyfin's clock) are those steps: taken off, what is left is the post. Other
     * requests of the client also set {@code LastActivityDate}, but at most a second after a step, so whole
     * seconds are still right to a second. Without both dates the position is taken as it is.
     */
    static Long posted(Long positionTicks, Instant checkIn, Instant lastActivity) {
        if (positionTicks == null || checkIn == null || lastActivity == null || !lastActivity.isAfter(checkIn)) {
            return positionTicks;
        }
        long steps = Duration.between(checkIn, lastActivity).toSeconds();
        return Math.max(0L, positionTicks - steps * (long) TICKS_PER_SECOND);
    }

    /**
     * An ISO-8601 date-time as Jellyfin writes them ({@code 2026-11-21T21:03:12.1234567Z}); one without an offset
     * is taken as UTC (only differences between two of Jellyfin's dates are used). Null when absent, not a date,
     * or .NET's {@code DateTime.MinValue} (year 1: never set).
     */
    static Instant date(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null || text.length() > 40) {
            return null;
        }
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(text, OffsetDateTime::from,
                    LocalDateTime::from);
            Instant at = t instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
            return at.isBefore(NEVER) ? null : at;
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** A whole JSON number that fits a long; null otherwise. */
    private static Long whole(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : null;
    }

    /** A stream index (-1 is Jellyfin's "none", kept: switching a track off is a switch too). */
    private static Integer index(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isIntegralNumber() && v.canConvertToInt() ? v.intValue() : null;
    }

    /** Jellyfin's PlayMethod as the contract spells it; null when absent or unknown. */
    static String playMethod(String jellyfin) {
        if (jellyfin == null) {
            return null;
        }
        return switch (jellyfin) {
            case "DirectPlay" -> StreamSession.DIRECT_PLAY;
            case "DirectStream" -> StreamSession.DIRECT_STREAM;
            case "Transcode" -> StreamSession.TRANSCODE;
            default -> null;
        };
    }

    /**
     * Seconds the transcoder is ahead of the player, to 0.1 s:
     * (CompletionPercentage/100 x RunTimeTicks - PositionTicks) / 1e7. Negative when the player is ahead.
     */
    static Double buffered(Double completionPercentage, Double runTimeTicks, Double positionTicks) {
        if (completionPercentage == null || runTimeTicks == null || positionTicks == null || runTimeTicks <= 0) {
            return null;
        }
        double seconds = (completionPercentage / 100.0 * runTimeTicks - positionTicks) / TICKS_PER_SECOND;
        return Math.round(seconds * 10.0) / 10.0;
    }

    /** {@code Series - S01E02 - Name} for episodes, {@code Artist - Name} for audio, {@code Name} otherwise. */
    static String title(JsonNode item) {
        String name = text(item, "Name");
        String type = text(item, "Type");
        if ("Episode".equals(type)) {
            String series = text(item, "SeriesName");
            Double season = number(item, "ParentIndexNumber");
            Double episode = number(item, "IndexNumber");
            String code = episode == null ? null
                    : season == null ? String.format(Locale.ROOT, "E%02d", episode.longValue())
                    : String.format(Locale.ROOT, "S%02dE%02d", season.longValue(), episode.longValue());
            return join(" - ", series, code, name);
        }
        if ("Audio".equals(type)) {
            JsonNode artists = item.path("Artists");
            String artist = artists.isArray() && artists.size() > 0 && artists.get(0).isTextual()
                    ? artists.get(0).textValue() : text(item, "AlbumArtist");
            return join(" - ", artist, name);
        }
        return name;
    }

    /** {@code Client (DeviceName)}, or whichever of the two is known. */
    static String client(String client, String device) {
        if (client == null) {
            return device;
        }
        return device == null ? client : client + " (" + device + ")";
    }

    private static JsonNode videoStream(JsonNode item) {
        for (JsonNode stream : item.path("MediaStreams")) {
            if ("Video".equals(text(stream, "Type"))) {
                return stream;
            }
        }
        return null;
    }

    /** RealFrameRate, else AverageFrameRate; null when neither is a plausible rate. */
    private static Double frameRate(JsonNode video) {
        Double real = plausibleFps(number(video, "RealFrameRate"));
        return real != null ? real : plausibleFps(number(video, "AverageFrameRate"));
    }

    private static Double plausibleFps(Double fps) {
        return fps != null && fps > 0 && fps < MAX_PLAUSIBLE_FPS ? fps : null;
    }

    /** ffmpeg reports {@code fps=0} before it has measured anything: that is no rate, not a stalled one. */
    private static Double positive(Double value) {
        return value != null && value > 0 ? value : null;
    }

    private static String join(String separator, String... parts) {
        StringBuilder out = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isEmpty()) {
                if (out.length() > 0) {
                    out.append(separator);
                }
                out.append(p);
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** A JSON boolean; anything else (absent, null, "true" as text) is false. */
    static boolean flag(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isBoolean() && v.booleanValue();
    }

    static Double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) {
            return null;
        }
        double d = v.doubleValue();
        return Double.isFinite(d) ? d : null;
    }

    static String printable(String text) {
        return text == null ? null : Text.printable(text, MAX_TEXT);
    }

    /** {@code base + pathAndQuery}, keeping a base path, dropping any query; null unless http(s) with a host. */
    static URI endpoint(URI base, String pathAndQuery) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || base.getHost() == null) {
            return null;
        }
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        // Host and port only: user info in the URL would be a credential Jellyfin and Navidrome do not use.
        String authority = base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
        try {
            return URI.create(scheme + "://" + authority + path + pathAndQuery);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Visible ASCII but the quote and backslash, which would end or escape the quoted token. */
    private static boolean headerSafe(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static ActivitySource problem(SourceState state, String problem) {
        return new ActivitySource(SOURCE, state, problem);
    }

    @Override
    public String toString() {
        return "JellyfinClient[" + (sessionsUri == null ? "no usable URL" : ApiHttp.where(sessionsUri))
                + (authorization == null ? ", no usable key]" : ", key set]");
    }
}
