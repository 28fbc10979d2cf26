package dev.mediawatch.aggregator.notify;

import static dev.mediawatch.aggregator.notify.LocalService.HTTP;
import static dev.mediawatch.aggregator.notify.LocalService.TIMEOUT;
import static dev.mediawatch.aggregator.notify.Samples.CANARY;
import static dev.mediawatch.aggregator.notify.Samples.LINK;
import static dev.mediawatch.aggregator.notify.Samples.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.aggregator.notify.LocalService.Reply;
import dev.mediawatch.aggregator.notify.LocalService.Seen;

/**
 * Targets whose server is the user's own (ntfy, Gotify, generic webhook, Apprise API, Matrix), each pointed at a
 * local server through the URL's own host, port and plain-HTTP switch; each request is checked as the service's
 * API documents it.
 */
class SelfHostedTargetsTest {

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
        return ServiceUrls.parse(1, url, HTTP);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    // ---- ntfy

    @Test
    void ntfy_postsTheTextToTheTopicWithTitlePriorityTagsAndClickHeaders() {
        Target t = target("ntfy://mw:pw" + CANARY + "@" + service.hostPort() + "/alerts" + CANARY
                + "?scheme=http&tags=media");
        Outcome o = t.send(Samples.critical(), TIMEOUT);

        assertThat(o).isEqualTo(Outcome.delivered("HTTP 200"));
        Seen s = service.only();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/alerts" + CANARY);
        assertThat(s.query()).isNull();
        assertThat(s.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(s.header("Authorization")).isEqualTo(basic("mw", "pw" + CANARY));
        assertThat(s.header("Title")).isEqualTo("Streaming stutter during downloads");
        assertThat(s.header("Priority")).isEqualTo("5");
        assertThat(s.header("Tags")).isEqualTo("rotating_light,mediawatch,stutter,media");
        assertThat(s.header("Click")).isEqualTo(LINK);
        assertThat(s.body()).isEqualTo(TEXT);
        Samples.assertNoSecret(t, o);
    }

    @Test
    void ntfy_mapsSeverityOntoPriority_warning3_clear2_test2() {
        Target t = target("ntfy://" + service.hostPort() + "/alerts?scheme=http");
        t.send(Samples.warning(), TIMEOUT);
        t.send(Samples.cleared(), TIMEOUT);
        t.send(Samples.test(), TIMEOUT);

        assertThat(service.seen).extracting(s -> s.header("Priority")).containsExactly("3", "2", "2");
        assertThat(service.seen).extracting(s -> s.header("Tags")).containsExactly("warning,mediawatch,host",
                "white_check_mark,mediawatch,stutter", "white_check_mark,mediawatch,test");
        assertThat(service.seen.get(0).header("Click")).as("no link, no Click").isNull();
        assertThat(service.seen.get(0).header("Authorization")).isNull();
    }

    @Test
    void ntfy_accessTokenGoesAsBearer_nonAsciiTitleAsRfc2047_longTextCutAt4096Bytes() {
        Target t = target("ntfy://:tk_" + CANARY + "@" + service.hostPort() + "/alerts?scheme=http");
        Message m = new Message("k", "Stutter — ü", "é".repeat(3000), Message.Severity.CRITICAL, true, "stutter",
                null);
        t.send(m, TIMEOUT);

        Seen s = service.only();
        assertThat(s.header("Authorization")).isEqualTo("Bearer tk_" + CANARY);
        assertThat(s.header("Title")).isEqualTo("=?UTF-8?B?"
                + Base64.getEncoder().encodeToString("Stutter — ü".getBytes(StandardCharsets.UTF_8)) + "?=");
        assertThat(s.body().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(4096);
        assertThat(s.body()).endsWith("é…").hasSize(2047);
    }

    // ---- Gotify

    @Test
    void gotify_postsJsonToMessageUnderTheSubpath_tokenInTheHeaderNotTheUrl() {
        Target t = target("gotify://" + service.hostPort() + "/push/gotify/A" + CANARY + "?disabletls=yes");
        Outcome o = t.send(Samples.critical(), TIMEOUT);

        assertThat(o.delivered()).isTrue();
        Seen s = service.only();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/push/gotify/message");
        assertThat(s.query()).isNull();
        assertThat(s.header("X-Gotify-Key")).isEqualTo("A" + CANARY);
        assertThat(s.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = s.json();
        assertThat(body.path("title").asText()).isEqualTo("Streaming stutter during downloads");
        assertThat(body.path("message").asText()).isEqualTo(TEXT);
        assertThat(body.path("priority").asInt()).isEqualTo(8);
        assertThat(body.path("extras").path("client::display").path("contentType").asText()).isEqualTo("text/plain");
        assertThat(body.path("extras").path("client::notification").path("click").path("url").asText())
                .isEqualTo(LINK);
        Samples.assertNoSecret(t, o);
    }

    @Test
    void gotify_priority_warning5_clear2() {
        Target t = target("gotify://" + service.hostPort() + "/A?disabletls=yes");
        t.send(Samples.warning(), TIMEOUT);
        t.send(Samples.cleared(), TIMEOUT);
        assertThat(service.seen).extracting(s -> s.json().path("priority").asInt()).containsExactly(5, 2);
        assertThat(service.seen.get(0).path()).isEqualTo("/message");
        assertThat(service.seen.get(0).json().path("extras").has("client::notification")).isFalse();
    }

    // ---- generic

    @Test
    void generic_postsTitleAndMessageJson_withHeadersFieldsRenamedKeysAndForwardedQuery() {
        Target t = target("generic://" + service.hostPort() + "/hooks/" + CANARY + "?disabletls=yes&template=json"
                + "&@xApiKey=k" + CANARY + "&$source=mediawatch&titlekey=subject&messagekey=content"
                + "&channel=ops&_template=raw");
        Outcome o = t.send(Samples.critical(), TIMEOUT);

        assertThat(o.delivered()).isTrue();
        Seen s = service.only();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/hooks/" + CANARY);
        assertThat(s.query()).isEqualTo("channel=ops&template=raw");
        assertThat(s.header("Content-Type")).isEqualTo("application/json");
        assertThat(s.header("X-Api-Key")).isEqualTo("k" + CANARY);
        assertThat(s.header(Notifier.DELIVERY_HEADER)).isEqualTo("stutter:raised:1763758980");
        JsonNode body = s.json();
        assertThat(body.size()).isEqualTo(3);
        assertThat(body.path("source").asText()).isEqualTo("mediawatch");
        assertThat(body.path("subject").asText()).isEqualTo("Streaming stutter during downloads");
        assertThat(body.path("content").asText()).isEqualTo(TEXT + "\n" + LINK);
        Samples.assertNoSecret(t, o);
    }

    @Test
    void genericPlusHttp_usesTheDefaultKeys_andPutWhenAsked() {
        Target t = target("generic+http://" + service.hostPort() + "/in?method=put&contenttype=application/json");
        t.send(Samples.warning(), TIMEOUT);

        Seen s = service.only();
        assertThat(s.method()).isEqualTo("PUT");
        assertThat(s.path()).isEqualTo("/in");
        assertThat(s.query()).isNull();
        assertThat(s.json().path("title").asText()).isEqualTo("media-1 is offline");
        assertThat(s.json().path("message").asText()).isEqualTo("media-1 last seen 21:03 UTC");
    }

    @Test
    void genericHeaderNames_followShoutrrr() {
        assertThat(GenericTarget.headerName("acceptLanguage")).isEqualTo("Accept-Language");
        assertThat(GenericTarget.headerName("x-api-key")).isEqualTo("X-Api-Key");
        assertThat(GenericTarget.headerName("Authorization")).isEqualTo("Authorization");
    }

    // ---- Apprise API

    @Test
    void apprise_postsTitleBodyTypeToNotifyKey() {
        Target t = target("apprise://" + service.hostPort() + "/apprise/K" + CANARY + "?tags=devops");
        Outcome o = t.send(Samples.critical(), TIMEOUT);

        assertThat(o.delivered()).isTrue();
        Seen s = service.only();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/apprise/notify/K" + CANARY);
        assertThat(s.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = s.json();
        assertThat(body.path("title").asText()).isEqualTo("Streaming stutter during downloads");
        assertThat(body.path("body").asText()).isEqualTo(TEXT + "\n" + LINK);
        assertThat(body.path("type").asText()).isEqualTo("failure");
        assertThat(body.path("format").asText()).isEqualTo("text");
        assertThat(body.path("tag").asText()).isEqualTo("devops");
        Samples.assertNoSecret(t, o);
    }

    @Test
    void apprise_type_warning_success_info() {
        Target t = target("apprise://u:p" + CANARY + "@" + service.hostPort() + "/KEY");
        t.send(Samples.warning(), TIMEOUT);
        t.send(Samples.cleared(), TIMEOUT);
        t.send(Samples.test(), TIMEOUT);
        assertThat(service.seen).extracting(s -> s.json().path("type").asText()).containsExactly("warning",
                "success", "info");
        assertThat(service.seen.get(0).header("Authorization")).isEqualTo(basic("u", "p" + CANARY));
        assertThat(service.seen.get(0).json().has("tag")).isFalse();
    }

    // ---- Matrix

    /** A homeserver: login hands out at1, at2, ...; a send with a token in {@code expired} answers 401. */
    final java.util.Set<String> expired = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final java.util.concurrent.atomic.AtomicInteger logins = new java.util.concurrent.atomic.AtomicInteger();

    void homeserver() {
        service.otherwise(s -> {
            if (s.path().equals("/_matrix/client/v3/login")) {
                return Reply.of(200, "{\"access_token\":\"at" + logins.incrementAndGet() + "\",\"device_id\":\"x\"}");
            }
            String token = String.valueOf(s.header("Authorization")).replace("Bearer ", "");
            if (expired.contains(token)) {
                return Reply.of(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}");
            }
            if (s.path().startsWith("/_matrix/client/v3/directory/room/")) {
                return Reply.of(200, "{\"room_id\":\"!ops:example.org\",\"servers\":[]}");
            }
            return Reply.of(200, "{\"event_id\":\"$e1\"}");
        });
    }

    @Test
    void matrix_logsInThenSendsToEachRoom_resolvingTheAlias() {
        homeserver();
        Target t = target("matrix://bot:pw" + CANARY + "@" + service.hostPort()
                + "/?rooms=!abc:example.org,%23ops:example.org&disableTLS=yes");
        Outcome o = t.send(Samples.critical(), TIMEOUT);

        assertThat(o).isEqualTo(Outcome.delivered("HTTP 200 (2 rooms)"));
        assertThat(service.seen).extracting(Seen::method).containsExactly("POST", "PUT", "GET", "PUT");
        Seen login = service.seen.get(0);
        assertThat(login.path()).isEqualTo("/_matrix/client/v3/login");
        JsonNode body = login.json();
        assertThat(body.path("type").asText()).isEqualTo("m.login.password");
        assertThat(body.path("identifier").path("type").asText()).isEqualTo("m.id.user");
        assertThat(body.path("identifier").path("user").asText()).isEqualTo("bot");
        assertThat(body.path("password").asText()).isEqualTo("pw" + CANARY);
        assertThat(body.path("device_id").asText()).isEqualTo("mediawatch");

        String txn1 = MatrixTarget.txnId("stutter:raised:1763758980", "!abc:example.org");
        Seen room1 = service.seen.get(1);
        assertThat(room1.path()).isEqualTo("/_matrix/client/v3/rooms/%21abc%3Aexample.org/send/m.room.message/" + txn1);
        assertThat(room1.header("Authorization")).isEqualTo("Bearer at1");
        assertThat(room1.json().path("msgtype").asText()).isEqualTo("m.text");
        assertThat(room1.json().path("body").asText())
                .isEqualTo("Streaming stutter during downloads\n" + TEXT + "\n" + LINK);
        assertThat(service.seen.get(2).path()).isEqualTo("/_matrix/client/v3/directory/room/%23ops%3Aexample.org");
        assertThat(service.seen.get(3).path()).startsWith("/_matrix/client/v3/rooms/%21ops%3Aexample.org/send/"
                + "m.room.message/mw").doesNotContain(txn1);
        Samples.assertNoSecret(t, o);

        t.send(Samples.cleared(), TIMEOUT);
        assertThat(service.seen).as("one login, one alias look-up").hasSize(6);
        assertThat(service.seen.get(4).json().path("msgtype").asText()).isEqualTo("m.notice");
    }

    @Test
    void matrix_logsInAgainWhenTheTokenIsRefused() {
        homeserver();
        Target t = target("matrix://bot:pw@" + service.hostPort() + "/?rooms=!abc:example.org&disabletls=yes");
        assertThat(t.send(Samples.warning(), TIMEOUT).delivered()).isTrue();
        expired.add("at1");

        Outcome o = t.send(Samples.critical(), TIMEOUT);

        assertThat(o.delivered()).isTrue();
        assertThat(service.seen).extracting(s -> s.method() + " " + s.path().replaceAll("/mw[0-9a-f]+$", "/txn")
                + " " + s.header("Authorization")).containsExactly(
                        "POST /_matrix/client/v3/login null",
                        "PUT /_matrix/client/v3/rooms/%21abc%3Aexample.org/send/m.room.message/txn Bearer at1",
                        "PUT /_matrix/client/v3/rooms/%21abc%3Aexample.org/send/m.room.message/txn Bearer at1",
                        "POST /_matrix/client/v3/login null",
                        "PUT /_matrix/client/v3/rooms/%21abc%3Aexample.org/send/m.room.message/txn Bearer at2");
        assertThat(service.seen.get(2).path()).as("the same transaction after the login")
                .isEqualTo(service.seen.get(4).path());
    }

    @Test
    void matrix_accessTokenIsUsedAsIs_andA401IsFinal() {
        homeserver();
        Target t = target("matrix://:tok" + CANARY + "@" + service.hostPort() + "/?rooms=!abc:example.org&disabletls=1");
        assertThat(t.send(Samples.critical(), TIMEOUT).delivered()).isTrue();
        expired.add("tok" + CANARY);
        Outcome o = t.send(Samples.warning(), TIMEOUT);

        assertThat(o).isEqualTo(Outcome.fail("HTTP 401"));
        assertThat(service.seen).extracting(Seen::method).containsExactly("PUT", "PUT");
        assertThat(service.seen.get(0).header("Authorization")).isEqualTo("Bearer tok" + CANARY);
        Samples.assertNoSecret(t, o);
    }

    @Test
    void matrix_aRetryGoesOnlyToTheRoomsStillOwedTheMessage_withTheSameTransaction() {
        Target t = target("matrix://:tok@" + service.hostPort()
                + "/?rooms=!one:example.org,!two:example.org&disabletls=yes");
        service.reply(200, "{\"event_id\":\"$1\"}").reply(502, "");

        Outcome first = t.send(Samples.critical(), TIMEOUT);
        Outcome second = t.send(Samples.critical(), TIMEOUT);

        assertThat(first).isEqualTo(Outcome.retry("room 2 of 2: HTTP 502"));
        assertThat(second).isEqualTo(Outcome.delivered("HTTP 200 (2 rooms)"));
        assertThat(service.seen).extracting(Seen::path).containsExactly(
                "/_matrix/client/v3/rooms/%21one%3Aexample.org/send/m.room.message/"
                        + MatrixTarget.txnId("stutter:raised:1763758980", "!one:example.org"),
                "/_matrix/client/v3/rooms/%21two%3Aexample.org/send/m.room.message/"
                        + MatrixTarget.txnId("stutter:raised:1763758980", "!two:example.org"),
                "/_matrix/client/v3/rooms/%21two%3Aexample.org/send/m.room.message/"
                        + MatrixTarget.txnId("stutter:raised:1763758980", "!two:example.org"));
    }
}
