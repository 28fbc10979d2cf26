package dev.mediawatch.aggregator.notify;

import static dev.mediawatch.aggregator.notify.Samples.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.mediawatch.aggregator.notify.Message.Severity;

/** What a service URL becomes (scheme, display, filter) and how a wrong one is refused without echoing a secret. */
class ServiceUrlsTest {

    static Target parse(int position, String url) {
        return ServiceUrls.parse(position, url, LocalService.HTTP);
    }

    /** The exception's message, checked for the canary. */
    static String refusal(int position, String url) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> parse(position, url));
        assertThat(t).isInstanceOf(IllegalArgumentException.class);
        assertThat(t.getMessage()).doesNotContain(CANARY);
        return t.getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ntfy://mw:pw" + CANARY + "@ntfy.example.org/alerts" + CANARY + "|ntfy|ntfy://***@ntfy.example.org",
            "gotify://push.example.org:8443/gotify/A" + CANARY + "|gotify|gotify://***@push.example.org",
            "discord://tok" + CANARY + "@1234" + CANARY + "|discord|discord://***@discord.com",
            "telegram://123456:AAH" + CANARY + "@telegram?chats=@mw|telegram|telegram://***@api.telegram.org",
            "pushover://shoutrrr:api" + CANARY + "@user" + CANARY + "/|pushover|pushover://***@api.pushover.net",
            "slack://bot@T0000" + CANARY + "/B0000/X" + CANARY + "|slack|slack://***@hooks.slack.com",
            "slack://xoxb:1234-5678-abc" + CANARY + "@C0123|slack|slack://***@slack.com",
            "matrix://bot:pw" + CANARY + "@matrix.example.org/?rooms=!a:b|matrix|matrix://***@matrix.example.org",
            "generic://hooks.example.org/in/" + CANARY + "?k=" + CANARY + "|generic|generic://***@hooks.example.org",
            "Generic+HTTPS://hooks.example.org/in/" + CANARY + "|Generic+HTTPS|Generic+HTTPS://***@hooks.example.org",
            "apprises://apprise.example.org/K" + CANARY + "|apprises|apprises://***@apprise.example.org" })
    void eachScheme_showsItselfAsSchemeAndHostOnly(String url, String scheme, String display) {
        Target t = parse(1, url);
        assertThat(t.scheme()).isEqualTo(scheme);
        assertThat(t.display()).isEqualTo(display);
        assertThat(t.filter()).isEqualTo(Target.Filter.ALL);
        Samples.assertNoSecret(t);
    }

    @Test
    void fragment_setsTheFilterAndIsNeverPartOfTheRequest() {
        Target t = parse(1, "ntfy://ntfy.example.org/alerts#severity=critical&kinds=host,Service");
        assertThat(t.filter()).isEqualTo(new Target.Filter(Severity.CRITICAL, Set.of("host", "service")));
        assertThat(t.filter().wants(Severity.CRITICAL, "host")).isTrue();
        assertThat(t.filter().wants(Severity.WARNING, "host")).isFalse();
        assertThat(t.filter().wants(Severity.CRITICAL, "stutter")).isFalse();
        assertThat(t.filter().wants(Severity.INFO, "test")).isTrue();

        assertThat(parse(1, "ntfy://ntfy.example.org/alerts#severity=warning").filter())
                .isEqualTo(new Target.Filter(Severity.WARNING, Set.of()));
        assertThat(parse(1, "ntfy://ntfy.example.org/alerts#kinds=").filter()).isEqualTo(Target.Filter.ALL);
    }

    @Test
    void fragment_refusesUnknownOptionsAndValues() {
        assertThat(refusal(4, "ntfy://u:" + CANARY + "@ntfy.example.org/t#severty=critical"))
                .isEqualTo("notification URL #4 (ntfy): the fragment takes severity and kinds only, not 'severty'"
                        + " (a # inside the URL starts the fragment: write it as %23)");
        assertThat(refusal(4, "matrix://u:p@m.example.org/?rooms=!a:b,#" + CANARY + ":m.example.org"))
                .startsWith("notification URL #4 (matrix): the fragment takes severity and kinds only (a # inside");
        assertThat(refusal(4, "ntfy://ntfy.example.org/t#severity=urgent"))
                .isEqualTo("notification URL #4 (ntfy): the fragment's severity must be critical or warning");
        assertThat(refusal(4, "ntfy://ntfy.example.org/t#kinds=host,!" + CANARY))
                .isEqualTo("notification URL #4 (ntfy): the fragment's kinds must be alert kinds such as host,service");
    }

    @Test
    void notAUrl_isRefusedWithoutEchoingIt() {
        assertThat(refusal(3, "tok" + CANARY + " at ntfy")).isEqualTo(
                "notification URL #3: not a URL (it does not start with a scheme and ://)");
        assertThat(refusal(3, "   ")).isEqualTo("notification URL #3: not a URL (empty)");
        assertThat(refusal(3, "://" + CANARY)).startsWith("notification URL #3: not a URL (");
    }

    @Test
    void malformedUrl_namesThePlaceNotTheText() {
        assertThat(refusal(2, "ntfy://u:p@ntfy.example.org/top ic" + CANARY))
                .startsWith("notification URL #2 (ntfy): malformed URL (Illegal character in path at character ");
        assertThat(refusal(2, "gotify://push.example.org/A%zz" + CANARY))
                .isEqualTo("notification URL #2 (gotify): malformed URL (Malformed escape pair at character 28)");
        assertThat(refusal(2, "ntfy://ntfy.example.org:99999/t" + CANARY))
                .isEqualTo("notification URL #2 (ntfy): the port is not a number from 0 to 65535");
    }

    @Test
    void unknownScheme_listsTheKnownOnes() {
        assertThat(refusal(5, "pushbullet://" + CANARY + "@x")).isEqualTo("notification URL #5 (pushbullet): unknown"
                + " scheme (known: ntfy, gotify, discord, telegram, pushover, slack, matrix, smtp, generic,"
                + " generic+http, generic+https, apprise, apprises)");
    }

    @Test
    void unknownQueryParameter_isRefused_aTypoIsNeverIgnored() {
        assertThat(refusal(1, "ntfy://ntfy.example.org/t?prio=5&x=" + CANARY)).isEqualTo("notification URL #1 (ntfy):"
                + " the query has 'prio' this service does not take (it takes scheme, tags)");
        assertThat(refusal(1, "gotify://g.example.org/A?" + CANARY + "%20x=1")).isEqualTo("notification URL #1"
                + " (gotify): the query has a parameter this service does not take (it takes disabletls)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ntfy://u:p" + CANARY + "@/t|no host",
            "ntfy://u:p" + CANARY + "@ntfy.example.org|no topic",
            "ntfy://u" + CANARY + "@ntfy.example.org/t|a user without a password",
            "ntfy://ntfy.example.org/t?scheme=ftp|the query parameter scheme must be http or https",
            "gotify://g.example.org|no application token",
            "gotify://g.example.org/A" + CANARY + "?disabletls=maybe|the query parameter disabletls must be yes or no",
            "discord://1234" + CANARY + "|no webhook token",
            "discord://tok" + CANARY + "@|no webhook id",
            "telegram://123:AAH" + CANARY + "@telegram|no chats",
            "telegram://telegram?chats=@mw|no bot token",
            "telegram://12a:AAH" + CANARY + "@telegram?chats=@mw|the bot token is not",
            "telegram://123:AAH" + CANARY + "@telegram?chats=@mw,abc" + CANARY + "|chat 2 is neither",
            "pushover://shoutrrr@user" + CANARY + "|no API token",
            "pushover://shoutrrr:api" + CANARY + "@|no user key",
            "slack://T0" + CANARY + "|no token",
            "slack://abcd:abc" + CANARY + "@C1|the token type before the colon must be hook, xoxb or xoxp",
            "slack://hook:T0-B0" + CANARY + "@webhook|a webhook token is three parts",
            "slack://xoxb:1234-5678-abc" + CANARY + "@|no channel",
            "matrix://bot:pw" + CANARY + "@m.example.org/|no rooms",
            "matrix://bot@m.example.org/?rooms=!a:b|no password or access token",
            "matrix://bot:pw" + CANARY + "@m.example.org/?rooms=" + CANARY + "|room 1 is neither",
            "generic://:8080/in/" + CANARY + "|no host",
            "generic://h.example.org/in/" + CANARY + "?template=raw|mediawatch posts JSON",
            "generic://h.example.org/in?@Host=" + CANARY + "|a header parameter (@name) names no header",
            "generic+https://h.example.org/in?disabletls=yes|disabletls goes with generic://",
            "generic://h.example.org/in?method=GET|method must be POST or PUT",
            "apprise://a.example.org|no configuration key",
            "apprise://a.example.org/K" + CANARY + "!|the configuration key has characters" })
    void missingOrWrongParts_areNamedWithoutTheirValues(String url, String problem) {
        String scheme = url.substring(0, url.indexOf(':'));
        assertThat(refusal(7, url)).startsWith("notification URL #7 (" + scheme + "): " + problem);
    }

    @Test
    void smtp_isHandedToTheEmailSender() {
        Target t = parse(6, "smtp://u:p" + CANARY + "@mail.example.org:587/?from=mw@example.org&to=me@example.org"
                + "#severity=critical");
        assertThat(t).isInstanceOf(SmtpTarget.class);
        assertThat(t.display()).isEqualTo("smtp://***@mail.example.org");
        assertThat(t.filter().minSeverity()).isEqualTo(Message.Severity.CRITICAL);
        assertThatThrownBy(() -> parse(6, "smtp://u:p" + CANARY + "@mail.example.org:587/?to=me@example.org"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("notification URL #6 (smtp): ")
                .message().doesNotContain(CANARY);
    }

    @Test
    void hostedServices_canBePointedElsewhereByTheirApiHost() {
        Target t = ServiceUrls.parse(1, "discord://tok@1234", LocalService.HTTP,
                Map.of("discord.com", java.net.URI.create("http://127.0.0.1:9")));
        assertThat(t.display()).isEqualTo("discord://***@127.0.0.1");
    }
}
