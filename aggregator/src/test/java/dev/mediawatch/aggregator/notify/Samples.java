package dev.mediawatch.aggregator.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediawatch.aggregator.notify.Message.Severity;

/** Messages as the aggregator renders them, and the canary every secret in a test URL carries. */
final class Samples {

    /** Part of every token, password, key and path in the tests' URLs: it must never surface. */
    static final String CANARY = "Cn4ry5ecret";
    static final String LINK = "https://mw.example/status";
    static final String TEXT = "Transcodes stalled on media-1 since 21:03 UTC\nread p99 840 ms\nqueue depth 31";

    private Samples() {
    }

    static Message critical() {
        return new Message("stutter:raised:1763758980", "Streaming stutter during downloads", TEXT, Severity.CRITICAL,
                true, "stutter", LINK);
    }

    static Message warning() {
        return new Message("host:media-1:raised:1763758990", "media-1 is offline", "media-1 last seen 21:03 UTC",
                Severity.WARNING, true, "host", null);
    }

    static Message cleared() {
        return new Message("stutter:cleared:1763758980", "Cleared: Streaming stutter during downloads",
                "Streaming is smooth again", Severity.CRITICAL, false, "stutter", LINK);
    }

    static Message test() {
        return new Message("test:1763759000", "mediawatch test", "A test notification", Severity.INFO, false, "test",
                null);
    }

    static Message withText(String text) {
        return new Message("stutter:raised:1763758980", "Streaming stutter during downloads", text, Severity.CRITICAL,
                true, "stutter", LINK);
    }

    /** Neither what the target shows nor what an attempt says carries a secret from its URL. */
    static void assertNoSecret(Target target, Outcome... outcomes) {
        assertThat(target.display()).doesNotContain(CANARY);
        assertThat(target.toString()).doesNotContain(CANARY);
        for (Outcome o : outcomes) {
            assertThat(o.what()).doesNotContain(CANARY);
            assertThat(String.valueOf(o)).doesNotContain(CANARY);
        }
    }
}
