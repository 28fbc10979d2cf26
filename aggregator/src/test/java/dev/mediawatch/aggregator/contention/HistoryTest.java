package dev.mediawatch.aggregator.contention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.ContentionWindow;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.SignalValue;

/** The 24-hour ring of detector windows: its bounds, what a window keeps, and reads while the detector writes. */
class HistoryTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final HostId DL = HostId.of("download-stack");
    static final HostId ST = HostId.of("streaming-stack");

    static SignalValue dl(String name, double value, double threshold, boolean crossed) {
        return new SignalValue(name, SignalValue.DOWNLOAD, DL, value, "B/s", threshold, crossed);
    }

    static SignalValue st(String name, double value, double threshold, boolean crossed) {
        return new SignalValue(name, SignalValue.STREAMING, ST, value, "ms", threshold, crossed);
    }

    static ContentionWindow window(Instant at, int score, List<SignalValue> signals) {
        return new ContentionWindow(at, score, Math.min(100, score * 2), Math.max(0, score * 2 - 100),
                score >= 50 ? Contention.CONTENTION : Contention.CALM, score > 10, score >= 80, false, signals);
    }

    static ContentionWindow window(Instant at, int score) {
        return window(at, score, List.of(st("nfs-read-rtt", 84.2, 50, true), dl("nfs-write", 6.291456E7, 2.0E7, false)));
    }

    static List<Instant> times(List<ContentionWindow> ws) {
        return ws.stream().map(ContentionWindow::at).toList();
    }

    @Test
    void capacity_isADayOfWindows_atMost86400() {
        assertThat(History.capacity(Duration.ofSeconds(5))).isEqualTo(17_280);
        assertThat(History.capacity(Duration.ofSeconds(1))).isEqualTo(86_400);
        assertThat(History.capacity(Duration.ofMillis(100))).isEqualTo(History.MAX_CAPACITY);
        assertThat(History.capacity(Duration.ofSeconds(7))).isEqualTo(12_343); // rounded up
        assertThat(History.capacity(Duration.ofDays(2))).isEqualTo(1);
        assertThatThrownBy(() -> new History(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFullRing_dropsTheOldestFirst() {
        History h = new History(Duration.ofHours(1)); // 24 windows
        for (int i = 0; i < 30; i++) {
            h.add(window(T0.plusSeconds(60L * i), i));
        }
        assertThat(h.size()).isEqualTo(24);
        List<ContentionWindow> all = h.since(Instant.EPOCH);
        assertThat(all).hasSize(24);
        assertThat(all.get(0).at()).isEqualTo(T0.plusSeconds(60L * 6));
        assertThat(all.get(23).at()).isEqualTo(T0.plusSeconds(60L * 29));
        assertThat(all).extracting(ContentionWindow::score).isSorted();
    }

    @Test
    void windowsMoreThan24HoursOlderThanTheNewest_areDropped_evenWhenThereIsRoom() {
        History h = new History(Duration.ofSeconds(5));
        h.add(window(T0, 10));
        h.add(window(T0.plus(Duration.ofHours(1)), 20));
        h.add(window(T0.plus(Duration.ofHours(24)), 30)); // T0 is exactly 24 h older: kept
        assertThat(h.size()).isEqualTo(3);
        h.add(window(T0.plus(Duration.ofHours(24)).plusSeconds(5), 40));
        assertThat(times(h.since(Instant.EPOCH))).containsExactly(T0.plus(Duration.ofHours(1)),
                T0.plus(Duration.ofHours(24)), T0.plus(Duration.ofHours(24)).plusSeconds(5));
        // After a pause of more than a day, only the new window is left.
        h.add(window(T0.plus(Duration.ofDays(3)), 50));
        assertThat(h.since(Instant.EPOCH)).extracting(ContentionWindow::score).containsExactly(50);
    }

    @Test
    void aWindow_readsBackAsAdded_valuesToSevenDigits() {
        History h = new History(Duration.ofSeconds(5));
        ContentionWindow w = new ContentionWindow(T0, 88, 81, 95, Contention.CONTENTION, true, true, false, List.of(
                st("nfs-read-rtt", 84.2, 50, true), st("io-psi", 14.8, 20.0, false),
                dl("nfs-write", 6.291456E7, 2.0E7, true), dl("downloaders", 3, 1, true)));
        h.add(w);
        // A window's time reads back to the nanosecond, as the detector's clock gave it (an incident's raise is one).
        ContentionWindow degraded = new ContentionWindow(T0.plusSeconds(5).plusNanos(9_292_753), 50, 0, 100,
                Contention.DEGRADED, false, false, true, List.of());
        h.add(degraded);
        assertThat(h.since(T0)).containsExactly(w, degraded);
        assertThat(History.widen(84.2f)).isEqualTo(84.2);
        assertThat(History.widen(0.1f)).isEqualTo(0.1);
        assertThat(History.widen(-3.3f)).isEqualTo(-3.3);
        assertThat(History.widen(1.2345678e9f)).isEqualTo(1.234568e9);
        assertThat(History.widen(0f)).isZero();
        assertThat(History.widen(Float.NaN)).isNaN();
        assertThat(History.widen(Float.POSITIVE_INFINITY)).isInfinite();
    }

    @Test
    void aWindowKeeps16Signals_crossedFirst_thenByRatio_bothSides() {
        History h = new History(Duration.ofSeconds(5));
        List<SignalValue> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // Download signals, every fourth crossed, ratios rising with i.
            many.add(new SignalValue("nfs-write", SignalValue.DOWNLOAD, HostId.of("dl-" + i), i, "B/s", 100, i % 4 == 0));
        }
        many.add(new SignalValue("io-psi", SignalValue.STREAMING, ST, 1, "%", 20, false));
        h.add(window(T0, 50, many));
        List<SignalValue> kept = h.since(T0).get(0).signals();
        assertThat(kept).hasSize(ContentionWindow.MAX_SIGNALS);
        assertThat(kept).filteredOn(s -> s.side().equals(SignalValue.STREAMING)).hasSize(1);
        // The 10 crossed (0, 4, ..., 36), then the 5 highest of the others (35, 37, 38, 39 and 34), in their order.
        assertThat(kept.subList(0, 15)).extracting(s -> s.host().value()).containsExactly("dl-0", "dl-4", "dl-8",
                "dl-12", "dl-16", "dl-20", "dl-24", "dl-28", "dl-32", "dl-34", "dl-35", "dl-36", "dl-37", "dl-38", "dl-39");
        assertThat(h.trimmedSignals()).isEqualTo(41 - 16);
        assertThat(h.droppedSignals()).isZero();
    }

    @Test
    void theDictionaryIsBounded_signalsBeyondItAreDroppedAndCounted() {
        History h = new History(Duration.ofSeconds(5));
        Instant t = T0;
        int windows = History.MAX_KEYS / ContentionWindow.MAX_SIGNALS;
        for (int w = 0; w < windows; w++, t = t.plusSeconds(5)) {
            h.add(window(t, 1, distinct("h" + w)));
        }
        assertThat(h.keys()).isEqualTo(History.MAX_KEYS);
        assertThat(h.droppedSignals()).isZero();
        h.add(window(t, 2, distinct("new")));
        h.add(window(t.plusSeconds(5), 3, distinct("newer")));
        assertThat(h.keys()).isEqualTo(History.MAX_KEYS);
        assertThat(h.droppedSignals()).isEqualTo(2L * ContentionWindow.MAX_SIGNALS);
        // The windows themselves are kept, without the signals that found no room.
        List<ContentionWindow> last = h.since(t);
        assertThat(last).extracting(ContentionWindow::score).containsExactly(2, 3);
        assertThat(last).allSatisfy(w -> assertThat(w.signals()).isEmpty());
        // Known keys still go in.
        h.add(window(t.plusSeconds(10), 4, distinct("h0")));
        assertThat(h.since(t.plusSeconds(10)).get(0).signals()).hasSize(ContentionWindow.MAX_SIGNALS);
    }

    @Test
    void keysNoWindowUsesAnyMore_areFreed_whenTheDictionaryIsFull() {
        History h = new History(Duration.ofHours(1)); // 24 windows: the keys of older ones fall out of use
        Instant t = T0;
        int windows = History.MAX_KEYS / ContentionWindow.MAX_SIGNALS;
        for (int w = 0; w < windows; w++, t = t.plusSeconds(60)) {
            h.add(window(t, 1, distinct("h" + w)));
        }
        assertThat(h.keys()).isEqualTo(History.MAX_KEYS);
        h.add(window(t, 2, distinct("new")));
        assertThat(h.droppedSignals()).isZero();
        assertThat(h.keys()).isEqualTo(24 * ContentionWindow.MAX_SIGNALS);
        List<ContentionWindow> all = h.since(Instant.EPOCH);
        assertThat(all).hasSize(24);
        assertThat(all.get(23).signals()).extracting(s -> s.host().value()).containsOnly("new-0", "new-1", "new-2",
                "new-3", "new-4", "new-5", "new-6", "new-7", "new-8", "new-9", "new-10", "new-11", "new-12", "new-13",
                "new-14", "new-15");
        // Every kept window still reads its own hosts: no freed key was reused under it.
        for (int i = 0; i < 23; i++) {
            String host = "h" + (windows - 23 + i);
            assertThat(all.get(i).signals()).allSatisfy(s -> assertThat(s.host().value()).startsWith(host + "-"));
        }
    }

    /** 16 signals of 16 distinct hosts {@code <prefix>-<n>}. */
    static List<SignalValue> distinct(String prefix) {
        List<SignalValue> out = new ArrayList<>();
        for (int i = 0; i < ContentionWindow.MAX_SIGNALS; i++) {
            out.add(new SignalValue("io-psi", i % 2 == 0 ? SignalValue.DOWNLOAD : SignalValue.STREAMING,
                    HostId.of(prefix + "-" + i), i, "%", 20, false));
        }
        return out;
    }

    @Test
    void sinceAndBetween_includeTheirBounds_oldestFirst() {
        History h = new History(Duration.ofSeconds(5));
        for (int i = 0; i < 10; i++) {
            h.add(window(T0.plusSeconds(5L * i), i));
        }
        assertThat(h.since(T0.plusSeconds(35))).extracting(ContentionWindow::score).containsExactly(7, 8, 9);
        assertThat(h.since(T0.plusSeconds(36))).extracting(ContentionWindow::score).containsExactly(8, 9);
        assertThat(h.since(T0.plusSeconds(100))).isEmpty();
        assertThat(h.between(T0.plusSeconds(10), T0.plusSeconds(20))).extracting(ContentionWindow::score)
                .containsExactly(2, 3, 4);
        assertThat(h.between(T0.plusSeconds(11), T0.plusSeconds(14))).isEmpty();
        assertThat(h.between(T0.plusSeconds(20), T0.plusSeconds(10))).isEmpty();
        assertThat(new History(Duration.ofSeconds(5)).since(Instant.EPOCH)).isEmpty();
        assertThat(h.since(Instant.MIN)).hasSize(10); // beyond a long's millis: no overflow
        assertThat(h.between(Instant.MIN, Instant.MAX)).hasSize(10);
    }

    @Test
    void theArraysGrow_keepingTheOrder_alsoAfterWindowsAgedOut() {
        History h = new History(Duration.ofSeconds(5));
        Instant t = T0;
        for (int i = 0; i < 1500; i++, t = t.plusSeconds(5)) {
            h.add(window(t, i % 100));
        }
        t = t.plus(Duration.ofHours(23)); // the first ~700 age out one by one from here: the ring's head moves
        for (int i = 0; i < 3000; i++, t = t.plusSeconds(5)) {
            h.add(window(t, i % 100));
        }
        List<ContentionWindow> all = h.since(Instant.EPOCH);
        assertThat(all).hasSize(h.size());
        assertThat(times(all)).isSorted().doesNotHaveDuplicates();
        assertThat(all.get(all.size() - 1).at()).isEqualTo(t.minusSeconds(5));
        assertThat(all.get(0).at()).isAfterOrEqualTo(t.minusSeconds(5).minus(History.KEEP));
    }

    /** The size stated in History's javadoc: 176 bytes a window, 3.0 MB at 5 s, 15.2 MB at worst. */
    @Test
    void bytesPerWindow_andTheFullRing() {
        assertThat(History.BYTES_PER_WINDOW).isEqualTo(176);
        History five = new History(Duration.ofSeconds(5));
        History one = new History(Duration.ofSeconds(1));
        Instant t = T0;
        List<SignalValue> signals = distinct("h");
        for (int i = 0; i < History.MAX_CAPACITY + 10; i++, t = t.plusSeconds(1)) {
            ContentionWindow next = new ContentionWindow(t, 50, 50, 50, Contention.CONTENTION, true, false, false, signals);
            if (i % 5 == 0) {
                five.add(next);
            }
            one.add(next);
        }
        assertThat(five.size()).isEqualTo(17_280);
        assertThat(five.bytes()).isEqualTo(17_280L * 176).isLessThan(3_100_000);
        assertThat(one.size()).isEqualTo(86_400);
        assertThat(one.bytes()).isEqualTo(86_400L * 176).isLessThan(15_300_000);
    }

    @Test
    void readersWhileTheDetectorWrites_seeWholeWindowsInOrder() throws Exception {
        History h = new History(Duration.ofSeconds(1));
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<Integer> writer = pool.submit(() -> {
                Instant t = T0;
                started.countDown();
                for (int i = 0; i < 600_000; i++, t = t.plusSeconds(1)) {
                    int score = i % 101;
                    // Each window's signal values say which window they belong to.
                    h.add(new ContentionWindow(t, score, 0, 0, Contention.CALM, false, false, false,
                            List.of(dl("nfs-write", score, 100, false), st("io-psi", score, 100, false))));
                }
                done.set(true);
                return 600_000;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    started.await();
                    int reads = 0;
                    while (!done.get() || reads == 0) {
                        List<ContentionWindow> all = h.since(Instant.EPOCH);
                        assertThat(all.size()).isLessThanOrEqualTo(History.MAX_CAPACITY);
                        Instant previous = Instant.MIN;
                        for (ContentionWindow w : all) {
                            assertThat(w.at()).isAfter(previous);
                            previous = w.at();
                            assertThat(w.signals()).extracting(SignalValue::value)
                                    .containsExactly((double) w.score(), (double) w.score());
                        }
                        reads++;
                    }
                    return reads;
                }));
            }
            assertThat(writer.get(60, TimeUnit.SECONDS)).isEqualTo(600_000);
            for (Future<Integer> r : readers) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isPositive();
            }
            assertThat(h.size()).isEqualTo(History.MAX_CAPACITY);
        } finally {
            pool.shutdownNow();
        }
    }
}
