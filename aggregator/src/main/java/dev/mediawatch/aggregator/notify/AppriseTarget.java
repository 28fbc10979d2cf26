package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An Apprise API server's saved configuration: {@code apprise://[user:password@]host[:port][/path]/<KEY>} over
 * HTTP, {@code apprises://...} over HTTPS, {@code ?tags=devops} to notify only the URLs with that tag. POSTs
 * {@code <base>/notify/<KEY>} with JSON {@code {title, body, type}}: {@code failure} for a critical raise,
 * {@code warning} for a warning raise, {@code success} for a clear, {@code info} for a test.
 */
final class AppriseTarget extends ServiceTarget {

    private final HttpClient http;
    private final URI endpoint;
    private final String authorization;
    private final String tags;

    private AppriseTarget(ServiceUrl url, HttpClient http, URI endpoint, String authorization, String tags) {
        super(url, url.host);
        this.http = http;
        this.endpoint = endpoint;
        this.authorization = authorization;
        this.tags = tags;
    }

    static AppriseTarget of(ServiceUrl url, HttpClient http) {
        url.allowOnly("tags", "tag");
        if (url.host.isEmpty()) {
            throw url.error("no host (" + url.scheme + "://host[:port][/path]/<KEY>)");
        }
        if (url.path.isEmpty()) {
            throw url.error("no configuration key (" + url.scheme + "://host[:port][/path]/<KEY>)");
        }
        String key = url.path.get(url.path.size() - 1);
        if (!key.matches("[A-Za-z0-9_-]{1,128}")) {
            throw url.error("the configuration key has characters other than letters, digits, _ and -");
        }
        String authorization = null;
        if (url.user != null && !url.user.isEmpty()) {
            String pass = url.password == null ? "" : url.password;
            authorization = "Basic " + Base64.getEncoder()
                    .encodeToString((url.user + ":" + pass).getBytes(StandardCharsets.UTF_8));
        }
        boolean tls = url.scheme.toLowerCase(Locale.ROOT).equals("apprises");
        URI base = Texts.base(tls, url.host, url.port, url.path.subList(0, url.path.size() - 1));
        String tags = url.param("tags", "tag");
        return new AppriseTarget(url, http, Texts.resolve(base, "/notify/" + key), authorization,
                tags == null || tags.isBlank() ? null : tags.strip());
    }

    static String type(Message m) {
        if ("test".equals(m.kind())) {
            return "info";
        }
        if (!m.raised()) {
            return "success";
        }
        switch (m.severity()) {
            case CRITICAL:
                return "failure";
            case WARNING:
                return "warning";
            default:
                return "success";
        }
    }

    @Override
    protected Outcome deliver(Message m, Duration timeout) {
        ObjectNode body = Texts.object();
        body.put("title", m.title());
        body.put("body", m.textWithLink());
        body.put("type", type(m));
        body.put("format", "text");
        if (tags != null) {
            body.put("tag", tags);
        }
        var b = HttpCalls.request(endpoint, timeout).header("Content-Type", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpCalls.send(http, b.POST(Texts.json(body)).build());
    }
}
