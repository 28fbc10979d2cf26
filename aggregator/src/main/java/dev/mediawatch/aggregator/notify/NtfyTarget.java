package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * An ntfy topic: {@code ntfy://[user:password@]host[:port][/base]/topic}, or {@code ntfy://:token@host/topic} with
 * an access token. HTTPS unless {@code ?scheme=http}; {@code ?tags=a,b} adds tags. The body is the plain text;
 * {@code Title}, {@code Priority} (5 critical, 3 warning, 2 info or a clear), {@code Tags} and {@code Click} (the
 * status link) are headers, non-ASCII ones RFC 2047-encoded.
 */
final class NtfyTarget extends ServiceTarget {

    /** ntfy keeps a message up to 4096 bytes as text; a longer one becomes an attachment. */
    static final int MAX_BYTES = 4096;

    private final HttpClient http;
    private final URI endpoint;
    private final String authorization;
    private final List<String> tags;

    private NtfyTarget(ServiceUrl url, HttpClient http, URI endpoint, String authorization, List<String> tags) {
        super(url, url.host);
        this.http = http;
        this.endpoint = endpoint;
        this.authorization = authorization;
        this.tags = List.copyOf(tags);
    }

    static NtfyTarget of(ServiceUrl url, HttpClient http) {
        url.allowOnly("scheme", "tags");
        if (url.host.isEmpty()) {
            throw url.error("no host (for the public server write ntfy://ntfy.sh/<topic>)");
        }
        if (url.path.isEmpty()) {
            throw url.error("no topic (ntfy://host/<topic>)");
        }
        String scheme = url.param("scheme");
        boolean tls = scheme == null || scheme.equalsIgnoreCase("https");
        if (!tls && !scheme.equalsIgnoreCase("http")) {
            throw url.error("the query parameter scheme must be http or https");
        }
        String authorization = null;
        if (url.password != null && !url.password.isEmpty()) {
            authorization = url.user == null || url.user.isEmpty()
                    ? "Bearer " + url.password
                    : "Basic " + Base64.getEncoder()
                            .encodeToString((url.user + ":" + url.password).getBytes(StandardCharsets.UTF_8));
        } else if (url.user != null && !url.user.isEmpty()) {
            throw url.error("a user without a password (write user:password@, or :token@ for an access token)");
        }
        URI endpoint = Texts.base(tls, url.host, url.port, url.path);
        return new NtfyTarget(url, http, endpoint, authorization, url.list("tags"));
    }

    static int priority(Message m) {
        if (!m.raised()) {
            return 2;
        }
        switch (m.severity()) {
            case CRITICAL:
                return 5;
            case WARNING:
                return 3;
            default:
                return 2;
        }
    }

    static String emoji(Message m) {
        if (!m.raised()) {
            return "white_check_mark";
        }
        return m.severity() == Message.Severity.CRITICAL ? "rotating_light"
                : m.severity() == Message.Severity.WARNING ? "warning" : "information_source";
    }

    @Override
    protected Outcome deliver(Message m, Duration timeout) {
        StringBuilder tagList = new StringBuilder(emoji(m)).append(",mediawatch,").append(m.kind());
        tags.forEach(t -> tagList.append(',').append(t));
        HttpRequest.Builder b = HttpCalls.request(endpoint, timeout)
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("Title", Texts.header(m.title()))
                .header("Priority", Integer.toString(priority(m)))
                .header("Tags", Texts.header(tagList.toString()));
        if (m.link() != null) {
            b.header("Click", Texts.header(m.link()));
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        String body = Texts.truncateUtf8(m.text(), MAX_BYTES);
        return HttpCalls.send(http, b.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }
}
