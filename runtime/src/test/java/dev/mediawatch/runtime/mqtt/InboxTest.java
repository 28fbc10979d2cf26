package dev.mediawatch.runtime.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The inbox under floods: latest wins per topic, queues bounded per source, turns taken fairly, everything shed
 * counted by kind, host and reason, and a worker that dies or hangs noticed.
 */
class InboxTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean holdFirst = new AtomicBoolean(true);
    private final AtomicBoolean fatal = new AtomicBoolean();
    private final Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private Inbox inbox;

    @AfterEach
    void close() {
        release.countDown();
        if (inbox != null) {
            inbox.close();
        }
    }

    private Inbox inbox(Inbox.Limits limits) {
        inbox = new Inbox("test", topic -> topic.split("/")[1], known::contains, limits, meters, () -> fatal.set(true));
        return inbox;
    }

    /** Records each message; the first one holds the worker until {@link #release} (so the rest pile up). */
    private void record(String topic, byte[] payload) {
        if (holdFirst.getAndSet(false)) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        handled.add(topic + "=" + new String(payload, StandardCharsets.UTF_8));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private double shed(String kind, String host, String reason) {
        Counter c = meters.find("mediawatch_inbox_shed_total").tag("kind", kind).tag("host", host).tag("reason", reason)
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aFloodOnOneTopic_costsOneSlot_theNewestIsHandled_everyOtherCountedAsSuperseded() {
        Inbox in = inbox(Inbox.Limits.defaults());
        Inbox.Lane state = in.lane("state", Inbox.Mode.LATEST, 1, this::record);
        in.start();
        state.offer("mw/blocker/state", b("first"));
        await().until(() -> in.health().pendingSlots() == 0); // the worker holds the first message
        for (int i = 0; i < 20_000; i++) {
            state.offer("mw/junk-host/state", b("junk " + i));
        }
        state.offer("mw/download-stack/state", b("real"));
        assertThat(in.health().pendingSlots()).isEqualTo(2);
        release.countDown();
        await().until(() -> handled.size() == 3);
        assertThat(handled).containsExactly("mw/blocker/state=first", "mw/junk-host/state=junk 19999",
                "mw/download-stack/state=real");
        assertThat(shed("state", "junk-host", Inbox.SUPERSEDED)).isEqualTo(19_999);
        assertThat(shed("state", "download-stack", Inbox.SUPERSEDED)).isZero();
        assertThat(meters.find("mediawatch_inbox_delivered_total").tag("kind", "state").counter().count())
                .isEqualTo(20_002);
        assertThat(meters.find("mediawatch_inbox_handled_total").tag("kind", "state").counter().count()).isEqualTo(3);
    }

    @Test
    void aQueueLane_keepsOrderPerSource_shedsTheOldestBeyondItsLimit_andTakesSourcesInTurn() {
        Inbox in = inbox(Inbox.Limits.defaults());
        Inbox.Lane events = in.lane("events", Inbox.Mode.QUEUE, 100, this::record);
        in.start();
        events.offer("mw/blocker/events", b("first"));
        await().until(() -> in.health().pendingSlots() == 0);
        for (int i = 0; i < 1000; i++) {
            events.offer("mw/noisy/events", b("n" + i));
        }
        events.offer("mw/quiet/events", b("q0"));
        events.offer("mw/quiet/events", b("q1"));
        release.countDown();
        await().until(() -> handled.size() == 1 + 100 + 2);
        // the quiet host's two events come within the first few turns, not after the noisy host's hundred
        assertThat(handled.subList(0, 5)).containsExactly("mw/blocker/events=first", "mw/noisy/events=n900",
                "mw/quiet/events=q0", "mw/noisy/events=n901", "mw/quiet/events=q1");
        assertThat(handled.get(handled.size() - 1)).isEqualTo("mw/noisy/events=n999");
        assertThat(shed("events", "noisy", Inbox.QUEUE_FULL)).isEqualTo(900);
        assertThat(shed("events", "quiet", Inbox.QUEUE_FULL)).isZero();
    }

    @Test
    void madeUpHosts_canFillOnlyTheirShare_aKnownHostIsNeverShed_andIsServedAlternately() {
        known.add("download-stack");
        Inbox in = inbox(new Inbox.Limits(100, 10, 1 << 20, Duration.ofSeconds(60)));
        Inbox.Lane state = in.lane("state", Inbox.Mode.LATEST, 1, this::record);
        in.start();
        state.offer("mw/download-stack/warmup", b("first"));
        await().until(() -> in.health().pendingSlots() == 0);
        for (int i = 0; i < 500; i++) {
            state.offer("mw/spoof-" + i + "/state", b("x"));
        }
        state.offer("mw/download-stack/state", b("real"));
        assertThat(in.health().pendingSlots()).isEqualTo(11);
        release.countDown();
        await().until(() -> handled.size() == 12);
        // the lines take turns: the known host waits behind one made-up host at most, not behind all ten
        assertThat(handled.subList(1, 3)).contains("mw/download-stack/state=real");
        double limited = 0;
        for (int i = 0; i < 500; i++) {
            limited += shed("state", "spoof-" + i, Inbox.LIMIT);
        }
        limited += shed("state", Inbox.OTHER, Inbox.LIMIT);
        assertThat(limited).isEqualTo(490);
        // host labels stay bounded: a hundred made-up names at most, the rest as "other"
        assertThat(meters.find("mediawatch_inbox_shed_total").counters().stream()
                .map(c -> c.getId().getTag("host")).distinct().count()).isLessThanOrEqualTo(Inbox.MAX_HOST_LABELS + 1);
        assertThat(shed("state", Inbox.OTHER, Inbox.LIMIT)).isPositive();
    }

    @Test
    void aHandlerThatThrows_costsThatMessageOnly() {
        Inbox in = inbox(Inbox.Limits.defaults());
        holdFirst.set(false);
        Inbox.Lane lane = in.lane("state", Inbox.Mode.QUEUE, 10, (t, p) -> {
            if (new String(p, StandardCharsets.UTF_8).equals("bad")) {
                throw new IllegalStateException("a bug");
            }
            record(t, p);
        });
        in.start();
        lane.offer("mw/h/state", b("bad"));
        lane.offer("mw/h/state", b("good"));
        await().until(() -> handled.size() == 1);
        assertThat(handled).containsExactly("mw/h/state=good");
        assertThat(meters.find("mediawatch_inbox_handler_failures_total").counter().count()).isEqualTo(1);
        assertThat(in.health().alive()).isTrue();
    }

    @Test
    void aWorkerKilledByAnError_isStartedAgain_andGoesOn_untilItDiesTooOften() {
        Inbox in = inbox(Inbox.Limits.defaults());
        holdFirst.set(false);
        AtomicInteger errors = new AtomicInteger();
        Inbox.Lane lane = in.lane("state", Inbox.Mode.QUEUE, 10, (t, p) -> {
            if (new String(p, StandardCharsets.UTF_8).startsWith("die")) {
                errors.incrementAndGet();
                throw new StackOverflowError("deep");
            }
            record(t, p);
        });
        in.start();
        lane.offer("mw/h/state", b("die"));
        lane.offer("mw/h/state", b("after"));
        await().until(() -> handled.contains("mw/h/state=after"));
        assertThat(in.health().alive()).isTrue();
        assertThat(fatal).isFalse();
        for (int i = 0; i < 3; i++) {
            lane.offer("mw/h/state", b("die again"));
        }
        await().until(fatal::get);
        assertThat(errors).hasValue(4);
        assertThat(meters.find("mediawatch_inbox_worker_restarts_total").counter().count()).isEqualTo(4);
    }

    @Test
    void aHandlerThatNeverReturns_isNoticed_andTheAppToldToRestart() {
        AtomicLong now = new AtomicLong();
        inbox = new Inbox("test", topic -> "h", s -> true, new Inbox.Limits(10, 10, 1 << 20, Duration.ofSeconds(60)),
                meters, () -> fatal.set(true), now::get);
        Inbox.Lane lane = inbox.lane("state", Inbox.Mode.QUEUE, 10, this::record); // the first message hangs
        inbox.start();
        lane.offer("mw/h/state", b("hangs"));
        lane.offer("mw/h/state", b("waits"));
        await().until(() -> inbox.health().pendingSlots() == 1 && handled.isEmpty());
        inbox.check();
        assertThat(fatal).isFalse();
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        assertThat(inbox.health().stuck()).isTrue();
        inbox.check();
        assertThat(fatal).isTrue();
    }
}
