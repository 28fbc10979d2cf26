package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where to tell people that an alert was raised or cleared: a generic JSON webhook (the {@code AlertState} is
 * POSTed) or an ntfy-compatible server ({@code url} is {@code <server>/<topic>}, a plain-text message is POSTed).
 *
 * <p>The token is a secret: it goes only into the {@code Authorization: Bearer} header. {@link #toString()} and
 * every message of this package show {@link #safeUrl()} (no query, which may hold ntfy's {@code ?auth=}) and
 * never the token. Credentials in the URL's user-info part are refused: put them in the token.
 *
 * @param name  unique among the targets; names it in logs and incident actions
 * @param kind  {@value #WEBHOOK} or {@value #NTFY}
 * @param url   absolute http or https URL
 * @param token optional bearer token
 */
public record NotifyTarget(String name, String kind, URI url, Optional<String> token) {

    public static final String WEBHOOK = "webhook";
    public static final String NTFY = "ntfy";

    public NotifyTarget {
        if (name == null || name.isBlank() || name.length() > 64 || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("notify target name must be 1-64 printable characters without spaces");
        }
        if (!WEBHOOK.equals(kind) && !NTFY.equals(kind)) {
            throw new IllegalArgumentException("notify target '" + name + "': kind must be '" + WEBHOOK + "' or '" + NTFY
                    + "'");
        }
        Objects.requireNonNull(url, "url");
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("notify target '" + name
                    + "': the URL has credentials in it; give them as the token instead");
        }
        if (!url.isAbsolute() || url.getHost() == null
                || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
            throw new IllegalArgumentException("notify target '" + name + "': the URL must be an absolute http(s) URL");
        }
        token = token == null ? Optional.empty() : token.filter(t -> !t.isBlank());
        if (token.isPresent() && !token.get().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("notify target '" + name
                    + "': the token must be printable ASCII without spaces (it goes into an HTTP header)");
        }
    }

    /** The URL as logs may show it: scheme, host, port and path; no query or fragment. */
    public String safeUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    @Override
    public String toString() {
        return "NotifyTarget[name=" + name + ", kind=" + kind + ", url=" + safeUrl() + ", token="
                + (token.isPresent() ? "(set)" : "(none)") + "]";
    }
}
