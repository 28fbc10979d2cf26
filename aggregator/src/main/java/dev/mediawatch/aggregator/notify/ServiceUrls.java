package dev.mediawatch.aggregator.notify;

import java.net.http.HttpClient;
import java.util.List;

/**
 * Service URLs in Shoutrrr's format, one {@link Target} each. A mistake throws {@link IllegalArgumentException}
 * naming the URL's position and scheme and the problem, never its token, password or path.
 */
public final class ServiceUrls {

    /** The schemes understood, as the README lists them. */
    public static final List<String> SCHEMES = List.of("ntfy", "gotify", "discord", "telegram", "pushover", "slack",
            "matrix", "smtp", "generic", "generic+http", "generic+https", "apprise", "apprises");

    private ServiceUrls() {
    }

    /**
     * @param position the URL's place among all configured ones, from 1, for the error message
     * @param url      the service URL, with an optional fragment {@code #severity=critical&kinds=host,stutter}
     * @param http     the aggregator's outbound client, shared by every HTTP target
     */
    public static Target parse(int position, String url, HttpClient http) {
        throw new UnsupportedOperationException("not yet");
    }
}
