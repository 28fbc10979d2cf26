package dev.mediawatch.aggregator.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery engine: retries what is worth retrying with backoff ({@code Retry-After} honoured), gives up on the
 * rest, sends a key to a target once, filters by severity and kind, bounds what waits, and never lets a target that
 * hangs hold up the others. The targets here are scripted in memory: each service's own request is tested in its
 * own test against a local server.
 */
class NotifierTest {

    /** A target answering from a script, recording what it was sent. */
    static final class Scripted implements Target {
        final String name;
        final Filter filter;
        final Queue<Outcome> script = new ArrayDeque<>();
        final List<Message> got = new CopyOnWriteArrayList<>();
        volatile CountDownLatch hold;

        Scripted(String name, Filter filter, Outcome... outcomes) {
            this.name = name;
            this.filter = filter;
            script.addAll(List.of(outcomes));
        }

        @Override
        public String scheme() {
            return "generic";
        }

        @Override
        public String display() {
            return "generic://***@" + name;
        }

        @Override
        public Filter filter() {
            return filter;
        }

        @Override
        public Outcome send(Message message, Duration timeout) {
            got.add(message);
            CountDownLatch h = hold;
            if (h != null) {
                try {
                    h.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (script) {
                Outcome o = script.poll();
                return o == null ? Outcome.delivered("HTTP 200") : o;
            }
        }
    }

    final List<Notifier.Delivered> outcomes = new CopyOnWriteArrayList<>();
    Notifier notifier;

    @AfterEach
    void close() {
        if (notifier != null) {
            notifier.close();
        }
    }

    static Message message(String key, Message.Severity severity, String kind) {
        return new Message(key, "sabnzbd exited on download-stack", "Sabnzbd on download-stack: exited (137).", severity,
                true, kind, null);
    }

    Notifier notifier(Target... targets) {
        notifier = new Notifier(List.of(targets), Duration.ofSeconds(5), 4, Duration.ofMillis(10), outcomes::add);
        return notifier;
    }

    @Test
    void unavailableTwiceThenTaken_deliveredOnce_afterThreeAttempts() {
        Scripted t = new Scripted("a", Target.Filter.ALL, Outcome.retry("HTTP 503"), Outcome.retry("connection refused"));
        notifier(t).send(message("k1", Message.Severity.CRITICAL, "service"), Message.Severity.CRITICAL);

        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 1);
        assertThat(outcomes.get(0).sent()).isTrue();
        assertThat(outcomes.get(0).detail()).isEqualTo("HTTP 200 after 3 attempts");
        assertThat(t.got).hasSize(3).extracting(Message::key).containsOnly("k1");
        assertThat(notifier.attempts()).isEqualTo(3);
        assertThat(notifier.sent()).isEqualTo(1);
    }

    @Test
    void retryAfter_isWaitedFor_andAFinalFailureIsNotRetried() {
        Scripted slow = new Scripted("a", Target.Filter.ALL,
                new Outcome(false, true, "HTTP 429", Duration.ofMillis(300)));
        Scripted bad = new Scripted("b", Target.Filter.ALL, Outcome.fail("HTTP 400"));
        long start = System.nanoTime();
        notifier(slow, bad).send(message("k1", Message.Severity.WARNING, "service"), Message.Severity.WARNING);

        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 2);
        assertThat(outcomes).filteredOn(o -> o.target() == bad).singleElement()
                .satisfies(o -> assertThat(o.detail()).isEqualTo("HTTP 400 after 1 attempt"));
        assertThat(outcomes).filteredOn(o -> o.target() == slow).singleElement()
                .satisfies(o -> assertThat(o.sent()).isTrue());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("waited its Retry-After")
                .isGreaterThanOrEqualTo(300);
        assertThat(bad.got).hasSize(1);
    }

    @Test
    void retriesEnd_atMaxAttempts() {
        Scripted t = new Scripted("a", Target.Filter.ALL, Outcome.retry("timed out"), Outcome.retry("timed out"),
                Outcome.retry("timed out"), Outcome.retry("timed out"), Outcome.retry("timed out"));
        notifier(t).send(message("k1", Message.Severity.CRITICAL, "host"), Message.Severity.CRITICAL);

        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 1);
        assertThat(outcomes.get(0).sent()).isFalse();
        assertThat(outcomes.get(0).detail()).isEqualTo("timed out after 4 attempts");
        assertThat(notifier.failed()).isEqualTo(1);
    }

    @Test
    void aKeyGoesToATargetOnce() {
        Scripted t = new Scripted("a", Target.Filter.ALL);
        notifier(t);
        notifier.send(message("k1", Message.Severity.CRITICAL, "host"), Message.Severity.CRITICAL);
        notifier.send(message("k1", Message.Severity.CRITICAL, "host"), Message.Severity.CRITICAL);
        notifier.send(message("k2", Message.Severity.CRITICAL, "host"), Message.Severity.CRITICAL);

        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 2);
        assertThat(t.got).extracting(Message::key).containsExactlyInAnyOrder("k1", "k2");
        assertThat(notifier.duplicates()).isEqualTo(1);
    }

    @Test
    void targetsTakeOnlyTheSeverityAndKindsTheyAskFor() {
        Scripted all = new Scripted("all", Target.Filter.ALL);
        Scripted critical = new Scripted("critical", new Target.Filter(Message.Severity.CRITICAL, Set.of()));
        Scripted stutter = new Scripted("stutter", new Target.Filter(Message.Severity.WARNING, Set.of("stutter")));
        notifier(all, critical, stutter);
        notifier.send(message("w", Message.Severity.WARNING, "service"), Message.Severity.WARNING);
        notifier.send(message("c", Message.Severity.CRITICAL, "stutter"), Message.Severity.CRITICAL);

        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 4);
        assertThat(all.got).extracting(Message::key).containsExactlyInAnyOrder("w", "c");
        assertThat(critical.got).extracting(Message::key).containsExactly("c");
        assertThat(stutter.got).extracting(Message::key).containsExactly("c");
    }

    @Test
    void aTargetThatHangs_neverDelaysTheOthers() {
        Scripted hung = new Scripted("hung", Target.Filter.ALL);
        hung.hold = new CountDownLatch(1);
        Scripted ok = new Scripted("ok", Target.Filter.ALL);
        notifier(hung, ok);
        for (int i = 0; i < 5; i++) {
            notifier.send(message("k" + i, Message.Severity.CRITICAL, "host"), Message.Severity.CRITICAL);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> ok.got.size() == 5);
        assertThat(outcomes).filteredOn(o -> o.target() == ok).hasSize(5);
        hung.hold.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 10);
    }

    @Test
    void aFullQueue_dropsTheOldestWaiting_andSaysSo() {
        Scripted hung = new Scripted("hung", Target.Filter.ALL);
        hung.hold = new CountDownLatch(1);
        notifier(hung);
        for (int i = 0; i < Notifier.MAX_PENDING + 5; i++) {
            notifier.send(message("k" + i, Message.Severity.CRITICAL, "host"), Message.Severity.CRITICAL);
        }

        assertThat(notifier.pending()).isEqualTo(Notifier.MAX_PENDING);
        assertThat(notifier.dropped()).isEqualTo(5);
        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() >= 5);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.detail()).startsWith("dropped, queue full"));
        hung.hold.countDown();
    }

    @Test
    void theTest_goesToEveryTargetOnce_withoutRetry_andAnswersEach() {
        Scripted ok = new Scripted("ok", new Target.Filter(Message.Severity.CRITICAL, Set.of("stutter")));
        Scripted down = new Scripted("down", Target.Filter.ALL, Outcome.retry("connection refused"));
        notifier(ok, down);
        Message test = new Message("test:1", "mediawatch test notification", "A test.", Message.Severity.INFO, false,
                "test", null);

        List<Notifier.Delivered> answer = notifier.test(test).join();
        assertThat(answer).extracting(d -> d.target().display() + " " + d.sent() + " " + d.detail())
                .containsExactly("generic://***@ok true HTTP 200", "generic://***@down false connection refused");
        assertThat(down.got).hasSize(1);
    }

    @Test
    void close_reportsWhatWaits_andLaterMessagesAreIgnored() {
        Scripted hung = new Scripted("hung", Target.Filter.ALL);
        hung.hold = new CountDownLatch(1);
        notifier(hung);
        notifier.send(message("k1", Message.Severity.CRITICAL, "host"), Message.Severity.CRITICAL);
        notifier.send(message("k2", Message.Severity.CRITICAL, "host"), Message.Severity.CRITICAL);
        await().atMost(Duration.ofSeconds(5)).until(() -> hung.got.size() == 1);
        notifier.close();
        notifier.send(message("k3", Message.Severity.CRITICAL, "host"), Message.Severity.CRITICAL);
        hung.hold.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.stream().anyMatch(o -> o.message().key().equals("k2")));
        assertThat(outcomes).filteredOn(o -> o.message().key().equals("k2")).singleElement()
                .satisfies(o -> assertThat(o.detail()).startsWith("not sent, notifier closed"));
        assertThat(hung.got).extracting(Message::key).doesNotContain("k3");
    }

    @Test
    void badSettings_clearErrors() {
        assertThatThrownBy(() -> new Notifier(List.of(), Duration.ZERO, 1, Duration.ZERO, d -> { }))
                .hasMessage("timeout must be positive, was PT0S");
        assertThatThrownBy(() -> new Notifier(List.of(), Duration.ofSeconds(1), 0, Duration.ZERO, d -> { }))
                .hasMessage("maxAttempts must be at least 1, was 0");
    }

    @Test
    void aLongTitle_isCutForALockScreen() {
        Message m = new Message("k", "x".repeat(100), "", Message.Severity.WARNING, true, "service", null);
        assertThat(m.title()).hasSize(Message.MAX_TITLE).endsWith("…");
        assertThat(m.text()).isEqualTo(m.title());
    }
}
