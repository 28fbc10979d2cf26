package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Telegram chats through a bot: {@code telegram://<bot token>@telegram?chats=@channel,12345,-100123:7} (a chat
 * id, an {@code @channel} name, or {@code chat:thread} for a forum topic; {@code channels} is the older name of
 * the parameter). One {@code POST /bot<token>/sendMessage} per chat with JSON {@code {chat_id, text}}: plain text
 * (no {@code parse_mode}, so nothing needs escaping) within Telegram's 4096 characters. {@code notification=no}
 * sends silently, {@code preview=no} drops the link preview. A retry goes only to the chats that did not take the
 * message.
 */
final class TelegramTarget extends ServiceTarget {

    static final String HOST = "api.telegram.org";
    static final int MAX_TEXT = 4096;

    private static final Pattern CHAT = Pattern.compile("(@[A-Za-z0-9_]{1,64}|-?\\d{1,20})(:\\d{1,20})?");

    private final HttpClient http;
    private final URI endpoint;
    private final List<String> chats;
    private final List<Long> threads;
    private final boolean notification;
    private final boolean preview;
    private final Fanout fanout = new Fanout("chat");

    private TelegramTarget(ServiceUrl url, HttpClient http, URI base, URI endpoint, List<String> chats,
            List<Long> threads) {
        super(url, hostOf(base));
        this.http = http;
        this.endpoint = endpoint;
        this.chats = List.copyOf(chats);
        this.threads = threads;
        this.notification = url.flag("notification", true);
        this.preview = url.flag("preview", true);
    }

    static TelegramTarget of(ServiceUrl url, HttpClient http, URI base) {
        url.allowOnly("chats", "channels", "notification", "preview");
        if (url.user == null || url.user.isEmpty() || url.password == null || url.password.isEmpty()) {
            throw url.error("no bot token (telegram://<bot id>:<secret>@telegram?chats=...)");
        }
        if (!url.user.matches("\\d{1,20}") || !url.password.matches("[A-Za-z0-9_-]{1,128}")) {
            throw url.error("the bot token is not <digits>:<letters, digits, _ and ->, as BotFather gives it");
        }
        List<String> items = url.list("chats", "channels");
        if (items.isEmpty()) {
            throw url.error("no chats (?chats=@channel,12345)");
        }
        List<String> chats = new ArrayList<>();
        List<Long> threads = new ArrayList<>();
        for (String item : items) {
            if (!CHAT.matcher(item).matches()) {
                throw url.error("chat " + (chats.size() + 1) + " is neither a chat id nor an @channel name");
            }
            int colon = item.indexOf(':');
            chats.add(colon < 0 ? item : item.substring(0, colon));
            threads.add(colon < 0 ? null : Long.parseLong(item.substring(colon + 1)));
        }
        URI endpoint = Texts.resolve(base, "/bot" + url.user + ":" + url.password + "/sendMessage");
        return new TelegramTarget(url, http, base, endpoint, chats, java.util.Collections.unmodifiableList(threads));
    }

    @Override
    protected Outcome deliver(Message m, Duration timeout) {
        String text = Texts.truncate(m.title() + "\n" + m.textWithLink(), MAX_TEXT);
        return fanout.run(m.key(), chats.size(), i -> sendTo(i, text, timeout));
    }

    private Outcome sendTo(int i, String text, Duration timeout) {
        ObjectNode body = Texts.object();
        String chat = chats.get(i);
        if (chat.startsWith("@")) {
            body.put("chat_id", chat);
        } else {
            body.put("chat_id", Long.parseLong(chat));
        }
        if (threads.get(i) != null) {
            body.put("message_thread_id", threads.get(i));
        }
        body.put("text", text);
        if (!notification) {
            body.put("disable_notification", true);
        }
        if (!preview) {
            body.putObject("link_preview_options").put("is_disabled", true);
        }
        HttpCalls.Result r = HttpCalls.exchange(http, HttpCalls.request(endpoint, timeout)
                .header("Content-Type", "application/json")
                .POST(Texts.json(body))
                .build(), true);
        Outcome o = r.outcome();
        if (r.status() == 429 && o.retryAfter() == null) {
            // Telegram says how long to wait in the answer's parameters.retry_after (seconds).
            JsonNode answer = Texts.read(r.body());
            JsonNode after = answer == null ? null : answer.path("parameters").path("retry_after");
            if (after != null && after.canConvertToLong() && after.asLong() > 0) {
                return new Outcome(false, true, o.what(), Duration.ofSeconds(after.asLong()));
            }
        }
        return o;
    }
}
