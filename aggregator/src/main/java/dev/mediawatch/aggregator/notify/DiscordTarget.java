package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Discord channel webhook: {@code discord://token@webhookid}, optionally {@code ?username=...&avatar=...}.
 * Executes {@code POST /api/webhooks/<id>/<token>} with JSON {@code content} (the bold title, the text with
 * Markdown escaped, the link) within Discord's 2000 characters, and {@code allowed_mentions} empty so an alert
 * never pings anyone.
 */
final class DiscordTarget extends ServiceTarget {

    static final String HOST = "discord.com";
    static final int MAX_CONTENT = 2000;

    private final HttpClient http;
    private final URI endpoint;
    private final String username;
    private final String avatar;

    private DiscordTarget(ServiceUrl url, HttpClient http, URI base, URI endpoint) {
        super(url, hostOf(base));
        this.http = http;
        this.endpoint = endpoint;
        this.username = url.param("username");
        this.avatar = url.param("avatar", "avatarurl");
    }

    static DiscordTarget of(ServiceUrl url, HttpClient http, URI base) {
        url.allowOnly("username", "avatar", "avatarurl");
        if (url.host.isEmpty()) {
            throw url.error("no webhook id (discord://<token>@<webhook id>)");
        }
        if (url.user == null || url.user.isEmpty() || url.password != null) {
            throw url.error("no webhook token (discord://<token>@<webhook id>)");
        }
        if (!url.path.isEmpty()) {
            throw url.error("a path after the webhook id (discord://<token>@<webhook id>)");
        }
        URI endpoint = Texts.resolve(base, "/api/webhooks/" + Texts.segment(url.host) + "/" + Texts.segment(url.user));
        return new DiscordTarget(url, http, base, endpoint);
    }

    /** Discord Markdown's special characters, escaped with a backslash so they show as written. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("\\*_~`|>".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    static String content(Message m) {
        String head = "**" + escape(m.title()) + "**\n";
        String tail = m.link() == null ? "" : "\n" + m.link();
        int room = MAX_CONTENT - head.length() - tail.length();
        if (room < 1) {
            return Texts.truncate(head + escape(m.text()), MAX_CONTENT);
        }
        return head + Texts.truncate(escape(m.text()), room) + tail;
    }

    @Override
    protected Outcome deliver(Message m, Duration timeout) {
        ObjectNode body = Texts.object();
        body.put("content", content(m));
        body.putObject("allowed_mentions").putArray("parse");
        if (username != null && !username.isBlank()) {
            body.put("username", username);
        }
        if (avatar != null && !avatar.isBlank()) {
            body.put("avatar_url", avatar);
        }
        return HttpCalls.send(http, HttpCalls.request(endpoint, timeout)
                .header("Content-Type", "application/json")
                .POST(Texts.json(body))
                .build());
    }
}
