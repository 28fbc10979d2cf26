package dev.mediawatch.aggregator.notify;

import static dev.mediawatch.aggregator.notify.LocalService.HTTP;
import static dev.mediawatch.aggregator.notify.LocalService.TIMEOUT;
import static dev.mediawatch.aggregator.notify.Samples.CANARY;
import static dev.mediawatch.aggregator.notify.Samples.LINK;
import static dev.mediawatch.aggregator.notify.Samples.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.aggregator.notify.LocalService.Seen;

/**
 * Targets of hosted services at fixed API hosts (Discord, Telegram, Pushover, Slack). The real services cannot be
 * reached from here, so each API host is mapped to a local server that checks the request as the service
 * documents it: method, path, content type, where the credentials go, the fields and the length limits.
 */
class HostedTargetsTest {

    LocalService service;

    @BeforeEach
    void start() throws Exception {
        service = new LocalService();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    Target target(String url) {
        return ServiceUrls.parse(1, url, HTTP, Map.of("discord.com", service.base(), "api.telegram.org",
                service.base(), "api.pushover.net", service.base(), "hooks.slack.com", service.base(), "slack.com",
                service.base()));
    }

    // ---- Discord

    /** Discord cannot be reached from here: a local server checks the webhook execution as Discord documents it. */
    @Test
    void discord_executesTheWebhookWithContentAndNoMentions() {
        Target t = target("discord://tok" + CANARY + "@1234" + CANARY + "?username=mediawatch");
        Outcome o = t.send(Samples.critical(), TIMEOUT);

        assertThat(o.delivered()).isTrue();
        Seen s = service.only();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/api/webhooks/1234" + CANARY + "/tok" + CANARY);
        assertThat(s.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = s.json();
        assertThat(body.path("content").asText())
                .isEqualTo("**Streaming stutter during downloads**\n" + TEXT + "\n" + LINK);
        assertThat(body.path("allowed_mentions").path("parse").isArray()).isTrue();
        assertThat(body.path("allowed_mentions").path("parse")).isEmpty();
        assertThat(body.path("username").asText()).isEqualTo("mediawatch");
        Samples.assertNoSecret(t, o);
    }

    /** Discord cannot be reached from here: a local server checks the 2000-character limit of content. */
    @Test
    void discord_contentStaysWithin2000Characters_keepingTheLink_andEscapesMarkdown() {
        Target t = target("discord://tok@1234");
        t.send(Samples.withText("*x*_y_ " + "z".repeat(3000)), TIMEOUT);

        String content = service.only().json().path("content").asText();
        assertThat(content).hasSize(2000).startsWith("**Streaming stutter during downloads**\n\\*x\\*\\_y\\_ zz")
                .endsWith("z…\n" + LINK);
    }

    // ---- Telegram

    /** Telegram cannot be reached from here: a local server checks one sendMessage per chat as the Bot API documents. */
    @Test
    void telegram_sendsOneMessagePerChat_plainText() {
        Target t = target("telegram://123456:AAH" + CANARY + "@telegram?chats=@mediawatch_alerts,-1001234567890:42"
                + "&notification=no&preview=no");
        Outcome o = t.send(Samples.critical(), TIMEOUT);

        assertThat(o).isEqualTo(Outcome.delivered("HTTP 200 (2 chats)"));
        assertThat(service.seen).hasSize(2);
        assertThat(service.seen).extracting(Seen::method).containsOnly("POST");
        assertThat(service.seen).extracting(Seen::path).containsOnly("/bot123456:AAH" + CANARY + "/sendMessage");
        assertThat(service.seen).extracting(s -> s.header("Content-Type")).containsOnly("application/json");
        JsonNode first = service.seen.get(0).json();
        JsonNode second = service.seen.get(1).json();
        assertThat(first.path("chat_id").asText()).isEqualTo("@mediawatch_alerts");
        assertThat(first.has("message_thread_id")).isFalse();
        assertThat(second.path("chat_id").isNumber()).isTrue();
        assertThat(second.path("chat_id").asLong()).isEqualTo(-1001234567890L);
        assertThat(second.path("message_thread_id").asLong()).isEqualTo(42);
        assertThat(first.path("text").asText()).isEqualTo("Streaming stutter during downloads\n" + TEXT + "\n" + LINK);
        assertThat(first.has("parse_mode")).isFalse();
        assertThat(first.path("disable_notification").asBoolean()).isTrue();
        assertThat(first.path("link_preview_options").path("is_disabled").asBoolean()).isTrue();
        Samples.assertNoSecret(t, o);
    }

    /** Telegram cannot be reached from here: a local server checks the 4096-character limit and the 429 wait. */
    @Test
    void telegram_cutsAt4096_readsRetryAfterFromTheAnswer_andRetriesOnlyTheChatStillOwed() {
        Target t = target("telegram://123456:AAH@telegram?chats=111,222");
        service.reply(200, "{\"ok\":true}").reply(429,
                "{\"ok\":false,\"error_code\":429,\"parameters\":{\"retry_after\":7}}");

        Outcome first = t.send(Samples.withText("w".repeat(5000)), TIMEOUT);
        Outcome second = t.send(Samples.withText("w".repeat(5000)), TIMEOUT);

        assertThat(first).isEqualTo(new Outcome(false, true, "chat 2 of 2: HTTP 429", Duration.ofSeconds(7)));
        assertThat(second.delivered()).isTrue();
        assertThat(service.seen).extracting(s -> s.json().path("chat_id").asLong()).containsExactly(111L, 222L, 222L);
        assertThat(service.seen.get(0).json().path("text").asText()).hasSize(4096).endsWith("w…");
    }

    /** Telegram cannot be reached from here: a local server answers a chat the bot is not in with 403. */
    @Test
    void telegram_aChatThatRefusesIsAFinalFailure() {
        Target t = target("telegram://123456:AAH@telegram?channels=111,222");
        service.reply(403, "{\"ok\":false}").reply(200, "{\"ok\":true}");
        assertThat(t.send(Samples.warning(), TIMEOUT)).isEqualTo(Outcome.fail("chat 1 of 2: HTTP 403"));
        assertThat(service.seen).hasSize(2);
    }

    // ---- Pushover

    /** Pushover cannot be reached from here: a local server checks the form fields as messages.json documents them. */
    @Test
    void pushover_postsTheFormWithTokenUserPriorityUrlAndDevices() {
        Target t = target("pushover://shoutrrr:api" + CANARY + "@user" + CANARY + "/?devices=phone,tablet");
        Outcome o = t.send(Samples.critical(), TIMEOUT);

        assertThat(o.delivered()).isTrue();
        Seen s = service.only();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/1/messages.json");
        assertThat(s.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(s.form()).containsExactly(Map.entry("token", "api" + CANARY), Map.entry("user", "user" + CANARY),
                Map.entry("message", TEXT), Map.entry("title", "Streaming stutter during downloads"),
                Map.entry("priority", "1"), Map.entry("url", LINK), Map.entry("device", "phone,tablet"));
        Samples.assertNoSecret(t, o);
    }

    /** Pushover cannot be reached from here: a local server checks the priorities and the 1024-character message. */
    @Test
    void pushover_priority_warning0_clearMinus1_andMessageCutAt1024() {
        Target t = target("pushover://shoutrrr:api@user/");
        t.send(Samples.warning(), TIMEOUT);
        t.send(Samples.cleared(), TIMEOUT);
        t.send(Samples.withText("m".repeat(2000)), TIMEOUT);

        assertThat(service.seen).extracting(s -> s.form().get("priority")).containsExactly("0", "-1", "1");
        assertThat(service.seen.get(0).form()).doesNotContainKeys("url", "device");
        assertThat(service.seen.get(2).form().get("message")).hasSize(1024).endsWith("m…");
    }

    // ---- Slack

    /** Slack cannot be reached from here: a local server checks the incoming-webhook post as Slack documents it. */
    @Test
    void slack_webhook_postsTextToTheServicesPath() {
        Target t = target("slack://mediawatch@T0000000A/B0000000B/X" + CANARY);
        Outcome o = t.send(Samples.withText("a < b && c > d"), TIMEOUT);

        assertThat(o.delivered()).isTrue();
        Seen s = service.only();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/services/T0000000A/B0000000B/X" + CANARY);
        assertThat(s.header("Content-Type")).isEqualTo("application/json");
        assertThat(s.header("Authorization")).isNull();
        assertThat(s.json().path("text").asText())
                .isEqualTo("Streaming stutter during downloads\na &lt; b &amp;&amp; c &gt; d\n" + LINK);
        assertThat(s.json().path("username").asText()).isEqualTo("mediawatch");
        assertThat(s.json().has("channel")).isFalse();
        Samples.assertNoSecret(t, o);
    }

    /** Slack cannot be reached from here: a local server checks the hook:A-B-C@webhook form. */
    @Test
    void slack_hookToken_isTheSameWebhook() {
        target("slack://hook:T0000000A-B0000000B-X" + CANARY + "@webhook").send(Samples.warning(), TIMEOUT);
        assertThat(service.only().path()).isEqualTo("/services/T0000000A/B0000000B/X" + CANARY);
    }

    /** Slack cannot be reached from here: a local server checks chat.postMessage with the bot token as bearer. */
    @Test
    void slack_botToken_postsToChatPostMessageWithBearer() {
        service.reply(200, "{\"ok\":true,\"channel\":\"C0123456789\",\"ts\":\"1.2\"}");
        Target t = target("slack://xoxb:1234-5678-abc" + CANARY + "@C0123456789");
        Outcome o = t.send(Samples.critical(), TIMEOUT);

        assertThat(o).isEqualTo(Outcome.delivered("HTTP 200"));
        Seen s = service.only();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/api/chat.postMessage");
        assertThat(s.header("Authorization")).isEqualTo("Bearer xoxb-1234-5678-abc" + CANARY);
        assertThat(s.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(s.json().path("channel").asText()).isEqualTo("C0123456789");
        assertThat(s.json().path("text").asText()).isEqualTo("Streaming stutter during downloads\n" + TEXT + "\n" + LINK);
        Samples.assertNoSecret(t, o);
    }

    /** Slack cannot be reached from here: a local server answers 200 with ok:false, as chat.postMessage does. */
    @Test
    void slack_okFalse_isNotDelivered_retriedOnlyForTransientErrors() {
        Target t = target("slack://xoxb:1234-5678-abc@C0123456789");
        service.reply(200, "{\"ok\":false,\"error\":\"channel_not_found\"}")
                .reply(200, "{\"ok\":false,\"error\":\"ratelimited\"}")
                .reply(200, "not json");

        assertThat(t.send(Samples.warning(), TIMEOUT))
                .isEqualTo(Outcome.fail("HTTP 200, Slack error channel_not_found"));
        assertThat(t.send(Samples.warning(), TIMEOUT))
                .isEqualTo(Outcome.retry("HTTP 200, Slack error ratelimited"));
        assertThat(t.send(Samples.warning(), TIMEOUT)).isEqualTo(Outcome.fail("HTTP 200, not ok"));
    }
}
