package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Service URLs in Shoutrrr's format, one {@link Target} each. A mistake throws {@link IllegalArgumentException}
 * naming the URL's position and scheme and the problem, never its token, password or path.
 *
 * <p>The fragment is mediawatch's own and never sent: {@code #severity=critical} (or {@code warning}, the default)
 * and {@code kinds=host,service} (empty: every kind) make the target's {@link Target.Filter}.
 */
public final class ServiceUrls {

    /** The schemes understood, as docs/configuration.md lists them ({@code mediawatch.notify.urls}). */
    public static final List<String> SCHEMES = List.of("ntfy", "gotify", "discord", "telegram", "pushover", "slack",
            "matrix", "smtp", "generic", "generic+http", "generic+https", "apprise", "apprises");

    /** The fixed API hosts of the hosted services, each reached at {@code https://<host>} unless overridden. */
    static final List<String> API_HOSTS = List.of(DiscordTarget.HOST, TelegramTarget.HOST, PushoverTarget.HOST,
            SlackTarget.HOOKS_HOST, SlackTarget.API_HOST);

    private ServiceUrls() {
    }

    /**
     * @param position the URL's place among all configured ones, from 1, for the error message
     * @param url      the service URL, with an optional fragment {@code #severity=critical&kinds=host,stutter}
     * @param http     the aggregator's outbound client, shared by every HTTP target
     */
    public static Target parse(int position, String url, HttpClient http) {
        return parse(position, url, http, Map.of());
    }

    /**
     * The same, with the hosted services' API hosts ({@link #API_HOSTS}) mapped to other base URIs: how a test
     * points Discord, Telegram, Pushover and Slack targets at a local server.
     */
    static Target parse(int position, String url, HttpClient http, Map<String, URI> apiBases) {
        ServiceUrl u = ServiceUrl.parse(position, url);
        switch (u.scheme.toLowerCase(Locale.ROOT)) {
            case "ntfy":
                return NtfyTarget.of(u, http);
            case "gotify":
                return GotifyTarget.of(u, http);
            case "discord":
                return DiscordTarget.of(u, http, api(apiBases, DiscordTarget.HOST));
            case "telegram":
                return TelegramTarget.of(u, http, api(apiBases, TelegramTarget.HOST));
            case "pushover":
                return PushoverTarget.of(u, http, api(apiBases, PushoverTarget.HOST));
            case "slack":
                return SlackTarget.of(u, http, api(apiBases, SlackTarget.HOOKS_HOST), api(apiBases, SlackTarget.API_HOST));
            case "matrix":
                return MatrixTarget.of(u, http);
            case "generic":
            case "generic+http":
            case "generic+https":
                return GenericTarget.of(u, http);
            case "apprise":
            case "apprises":
                return AppriseTarget.of(u, http);
            case "smtp":
                return SmtpTarget.of(position, u.uri, u.filter);
            default:
                throw u.error("unknown scheme (known: " + String.join(", ", SCHEMES) + ")");
        }
    }

    private static URI api(Map<String, URI> bases, String host) {
        URI base = bases.get(host);
        return base != null ? base : URI.create("https://" + host);
    }
}
