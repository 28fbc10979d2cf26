package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Slack, by incoming webhook or by bot token.
 *
 * <ul>
 * <li>Webhook: {@code slack://[botname@]A/B/C} or {@code slack://hook:A-B-C@webhook} posts JSON {@code {text}}
 * to {@code https://hooks.slack.com/services/A/B/C}; Slack answers 200 {@code ok} or a 4xx/5xx status.
 * <li>Bot (or user) token: {@code slack://xoxb:<rest of the token>@<channel id>} posts JSON {@code {channel, text}}
 * to {@code https://slack.com/api/chat.postMessage} with {@code Authorization: Bearer xoxb-<rest>}; Slack answers
 * 200 even on errors, so {@code "ok": false} is a failure, worth a retry only for Slack's transient errors.
 * </ul>
 * The text is plain with {@code &}, {@code <} and {@code >} escaped as Slack requires, cut at 4000 characters
 * (Slack's advice for {@code text}). {@code ?botname=} (or {@code username}) names the sender.
 */
final class SlackTarget extends ServiceTarget {

    static final String HOOKS_HOST = "hooks.slack.com";
    static final String API_HOST = "slack.com";
    static final int MAX_TEXT = 4000;

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");
    /** chat.postMessage errors that another attempt can get past. */
    private static final Set<String> TRANSIENT = Set.of("ratelimited", "internal_error", "fatal_error",
            "service_unavailable", "request_timeout", "team_added_to_org");

    private final HttpClient http;
    private final URI endpoint;
    /** {@code Bearer xox?-...} for the API; null for a webhook. */
    private final String authorization;
    private final String channel;
    private final String botname;

    private SlackTarget(ServiceUrl url, HttpClient http, URI base, URI endpoint, String authorization, String channel,
            String botname) {
        super(url, hostOf(base));
        this.http = http;
        this.endpoint = endpoint;
        this.authorization = authorization;
        this.channel = channel;
        this.botname = botname;
    }

    static SlackTarget of(ServiceUrl url, HttpClient http, URI hooksBase, URI apiBase) {
        url.allowOnly("botname", "username");
        String botname = url.param("botname", "username");
        if (url.path.size() >= 2) {
            // slack://[botname@]A/B/C: the webhook URL's three parts
            if (url.path.size() != 2 || url.password != null) {
                throw url.error("a webhook is slack://[botname@]<A>/<B>/<C>");
            }
            String[] parts = { url.host, url.path.get(0), url.path.get(1) };
            if (botname == null && url.user != null && !url.user.isEmpty()) {
                botname = url.user;
            }
            return webhook(url, http, hooksBase, parts, botname);
        }
        if (!url.path.isEmpty()) {
            throw url.error("a path after the channel (slack://xoxb:<token>@<channel> or slack://hook:<A-B-C>@webhook)");
        }
        String type = url.user == null ? "" : url.user.toLowerCase(Locale.ROOT);
        if (url.password == null || url.password.isEmpty()) {
            throw url.error("no token (slack://xoxb:<token>@<channel>, slack://hook:<A-B-C>@webhook or"
                    + " slack://<A>/<B>/<C>)");
        }
        if (type.equals("hook")) {
            String[] parts = url.password.split("[-/,]", -1);
            if (parts.length != 3) {
                throw url.error("a webhook token is three parts, A-B-C");
            }
            return webhook(url, http, hooksBase, parts, botname);
        }
        if (!type.matches("xox[a-z]")) {
            throw url.error("the token type before the colon must be hook, xoxb or xoxp");
        }
        if (url.host.isEmpty()) {
            throw url.error("no channel (slack://" + type + ":<token>@<channel id>)");
        }
        if (!url.password.matches("[A-Za-z0-9-]{8,255}")) {
            throw url.error("the token has characters a Slack token never has");
        }
        return new SlackTarget(url, http, apiBase, Texts.resolve(apiBase, "/api/chat.postMessage"),
                "Bearer " + type + "-" + url.password, url.host, botname);
    }

    private static SlackTarget webhook(ServiceUrl url, HttpClient http, URI base, String[] parts, String botname) {
        for (String p : parts) {
            if (!PART.matcher(p).matches()) {
                throw url.error("a webhook token part is empty or has characters other than letters and digits");
            }
        }
        URI endpoint = Texts.resolve(base, "/services/" + parts[0] + "/" + parts[1] + "/" + parts[2]);
        return new SlackTarget(url, http, base, endpoint, null, null, botname);
    }

    /** Slack's three control characters, escaped as its formatting rules ask. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String text(Message m) {
        return Texts.truncate(escape(m.title() + "\n" + m.textWithLink()), MAX_TEXT);
    }

    @Override
    protected Outcome deliver(Message m, Duration timeout) {
        ObjectNode body = Texts.object();
        if (channel != null) {
            body.put("channel", channel);
        }
        body.put("text", text(m));
        if (botname != null && !botname.isBlank()) {
            body.put("username", botname);
        }
        if (authorization == null) {
            return HttpCalls.send(http, HttpCalls.request(endpoint, timeout)
                    .header("Content-Type", "application/json")
                    .POST(Texts.json(body))
                    .build());
        }
        HttpCalls.Result r = HttpCalls.exchange(http, HttpCalls.request(endpoint, timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Authorization", authorization)
                .POST(Texts.json(body))
                .build(), true);
        if (!r.outcome().delivered()) {
            return r.outcome();
        }
        JsonNode answer = Texts.read(r.body());
        if (answer != null && answer.path("ok").asBoolean(false)) {
            return r.outcome();
        }
        String error = answer == null ? "" : answer.path("error").asText("");
        if (!ERROR_CODE.matcher(error).matches()) {
            return Outcome.fail("HTTP " + r.status() + ", not ok");
        }
        return new Outcome(false, TRANSIENT.contains(error), "HTTP " + r.status() + ", Slack error " + error, null);
    }
}
