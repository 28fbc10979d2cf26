package dev.mediawatch.aggregator.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.config.TestConfig;

/**
 * Where the aggregator's notification URLs come from (the list, then the file's lines, comments and blank lines
 * skipped) and how a mistake stops startup: naming the key or the file and line, the URL's position and scheme, never
 * its token.
 */
class NotificationUrlsTest {

    static final String CANARY = "cAnArY7tok";

    @TempDir
    Path dir;

    private static AggregatorConfig.Notify notify(Map<String, String> values) {
        return TestConfig.aggregator(values).notifications();
    }

    @Test
    void theListThenTheFile_inOrder_withWhereEachCameFrom() throws IOException {
        Path file = dir.resolve("urls");
        Files.writeString(file, "# phones\n\nntfy://:" + CANARY + "@ntfy.example.org/media#severity=critical\r\n"
                + "  gotify://gotify.lan/" + CANARY + "  \n");
        List<String[]> urls = Notifications.urls(notify(Map.of("mediawatch.notify.urls",
                "generic+https://hooks.lan/a  discord://" + CANARY + "@1234", "mediawatch.notify.urls-file", file.toString())));

        assertThat(urls).extracting(u -> u[0]).containsExactly("mediawatch.notify.urls, URL 1",
                "mediawatch.notify.urls, URL 2", "mediawatch.notify.urls-file " + file + ", line 3",
                "mediawatch.notify.urls-file " + file + ", line 4");
        List<Target> targets = Notifications.targets(urls, LocalService.HTTP);
        assertThat(targets).extracting(Target::display).containsExactly("generic+https://***@hooks.lan",
                "discord://***@discord.com", "ntfy://***@ntfy.example.org", "gotify://***@gotify.lan");
        assertThat(targets.get(2).filter().minSeverity()).isEqualTo(Message.Severity.CRITICAL);
    }

    @Test
    void aBadUrl_namesWhereItIsAndItsScheme_neverItsToken() throws IOException {
        Path file = dir.resolve("urls");
        Files.writeString(file, "ntfy://ntfy.sh/ok\nsignal://" + CANARY + "@nowhere\n");
        List<String[]> urls = Notifications.urls(notify(Map.of("mediawatch.notify.urls-file", file.toString())));

        assertThatThrownBy(() -> Notifications.targets(urls, LocalService.HTTP))
                .hasMessageStartingWith("mediawatch.notify.urls-file " + file + ", line 2: notification URL #2 (signal): "
                        + "unknown scheme")
                .message().doesNotContain(CANARY);
        assertThatThrownBy(() -> Notifications.targets(Notifications.urls(notify(Map.of("mediawatch.notify.urls",
                "gotify://" + CANARY + "@"))), LocalService.HTTP))
                .hasMessageStartingWith("mediawatch.notify.urls, URL 1: notification URL #1 (gotify): ")
                .message().doesNotContain(CANARY);
    }

    @Test
    void aMissingOrHugeFile_stopsStartupNamingIt() throws IOException {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> Notifications.urls(notify(Map.of("mediawatch.notify.urls-file", missing.toString()))))
                .hasMessage("mediawatch.notify.urls-file: cannot read " + missing + " (NoSuchFileException)");
        Path huge = dir.resolve("huge");
        Files.write(huge, new byte[Notifications.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> Notifications.urls(notify(Map.of("mediawatch.notify.urls-file", huge.toString()))))
                .hasMessage("mediawatch.notify.urls-file: " + huge + " is larger than 65536 bytes");
    }

    @Test
    void whatWasSent_survivesARestart_andABrokenFileIsStartedAfresh() throws IOException {
        Path state = dir.resolve("notify-state.json");
        assertThat(Notifications.load(state)).isEmpty();
        Files.writeString(state, "{\"version\":1,\"sent\":[{\"group\":\"host:dl\",\"kind\":\"host\",\"severity\":\"CRITICAL\","
                + "\"since\":\"2026-12-01T21:00:00Z\",\"title\":\"VM dl down\"}]}");
        assertThat(Notifications.load(state)).singleElement()
                .satisfies(s -> assertThat(s.title()).isEqualTo("VM dl down"));
        Files.writeString(state, "{\"version\":1,\"sent\":[{\"gro");
        assertThat(Notifications.load(state)).isEmpty();
    }
}
