package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

/**
 * A Pushover user or group: {@code pushover://shoutrrr:<api token>@<user key>/?devices=phone,tablet} (the user name
 * is not read). {@code POST /1/messages.json}, form-encoded {@code token, user, message, title, priority} (1
 * critical, 0 warning, -1 info or a clear), {@code url} for the status link and {@code device} when devices are
 * named; message, title and url cut to Pushover's 1024, 250 and 512 characters.
 */
final class PushoverTarget extends ServiceTarget {

    static final String HOST = "api.pushover.net";
    static final int MAX_MESSAGE = 1024;
    static final int MAX_TITLE = 250;
    static final int MAX_URL = 512;

    private final HttpClient http;
    private final URI endpoint;
    private final String token;
    private final String userKey;
    private final List<String> devices;

    private PushoverTarget(ServiceUrl url, HttpClient http, URI base, String token, List<String> devices) {
        super(url, hostOf(base));
        this.http = http;
        this.endpoint = Texts.resolve(base, "/1/messages.json");
        this.token = token;
        this.userKey = url.host;
        this.devices = List.copyOf(devices);
    }

    static PushoverTarget of(ServiceUrl url, HttpClient http, URI base) {
        url.allowOnly("devices");
        if (url.password == null || url.password.isEmpty()) {
            throw url.error("no API token (pushover://shoutrrr:<api token>@<user key>/)");
        }
        if (url.host.isEmpty()) {
            throw url.error("no user key (pushover://shoutrrr:<api token>@<user key>/)");
        }
        if (!url.path.isEmpty()) {
            throw url.error("a path after the user key (devices go in ?devices=)");
        }
        return new PushoverTarget(url, http, base, url.password, url.list("devices"));
    }

    static int priority(Message m) {
        if (!m.raised()) {
            return -1;
        }
        switch (m.severity()) {
            case CRITICAL:
                return 1;
            case WARNING:
                return 0;
            default:
                return -1;
        }
    }

    @Override
    protected Outcome deliver(Message m, Duration timeout) {
        StringBuilder form = new StringBuilder()
                .append("token=").append(Texts.form(token))
                .append("&user=").append(Texts.form(userKey))
                .append("&message=").append(Texts.form(Texts.truncate(m.text(), MAX_MESSAGE)))
                .append("&title=").append(Texts.form(Texts.truncate(m.title(), MAX_TITLE)))
                .append("&priority=").append(priority(m));
        if (m.link() != null && m.link().length() <= MAX_URL) {
            form.append("&url=").append(Texts.form(m.link()));
        }
        if (!devices.isEmpty()) {
            form.append("&device=").append(Texts.form(String.join(",", devices)));
        }
        return HttpCalls.send(http, HttpCalls.request(endpoint, timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build());
    }
}
