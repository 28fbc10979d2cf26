package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Gotify application: {@code gotify://host[:port][/path]/token}, HTTPS unless {@code ?disabletls=yes}. POSTs
 * {@code <base>/message} with the application token in {@code X-Gotify-Key} (kept out of the URL, so out of
 * proxy logs) and JSON {@code {title, message, priority}}: 8 critical, 5 warning, 2 info or a clear. The status
 * link rides in the {@code client::notification} click extra, and the text is marked plain.
 */
final class GotifyTarget extends ServiceTarget {

    private final HttpClient http;
    private final URI endpoint;
    private final String token;

    private GotifyTarget(ServiceUrl url, HttpClient http, URI endpoint, String token) {
        super(url, url.host);
        this.http = http;
        this.endpoint = endpoint;
        this.token = token;
    }

    static GotifyTarget of(ServiceUrl url, HttpClient http) {
        url.allowOnly("disabletls");
        if (url.host.isEmpty()) {
            throw url.error("no host (gotify://host[:port][/path]/<token>)");
        }
        if (url.path.isEmpty()) {
            throw url.error("no application token (gotify://host[:port][/path]/<token>)");
        }
        String token = url.path.get(url.path.size() - 1);
        URI base = Texts.base(!url.flag("disabletls", false), url.host, url.port,
                url.path.subList(0, url.path.size() - 1));
        return new GotifyTarget(url, http, Texts.resolve(base, "message"), token);
    }

    static int priority(Message m) {
        if (!m.raised()) {
            return 2;
        }
        switch (m.severity()) {
            case CRITICAL:
                return 8;
            case WARNING:
                return 5;
            default:
                return 2;
        }
    }

    @Override
    protected Outcome deliver(Message m, Duration timeout) {
        ObjectNode body = Texts.object();
        body.put("title", m.title());
        body.put("message", m.text());
        body.put("priority", priority(m));
        ObjectNode extras = body.putObject("extras");
        extras.putObject("client::display").put("contentType", "text/plain");
        if (m.link() != null) {
            extras.putObject("client::notification").putObject("click").put("url", m.link());
        }
        return HttpCalls.send(http, HttpCalls.request(endpoint, timeout)
                .header("Content-Type", "application/json")
                .header("X-Gotify-Key", Texts.ascii(token))
                .POST(Texts.json(body))
                .build());
    }
}
