package dev.mediawatch.aggregator.stutter;

import static dev.mediawatch.aggregator.stutter.Decision.Change.CLEARED;
import static dev.mediawatch.aggregator.stutter.Decision.Change.RAISED;
import static dev.mediawatch.contract.AlertState.STREAMING_DEGRADED;
import static dev.mediawatch.contract.AlertState.STUTTER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.mediawatch.aggregator.baseline.BaselineConfig;
import dev.mediawatch.aggregator.baseline.Baselines;
import dev.mediawatch.contract.SignalBaseline;

/**
 * The detector with thresholds learned from calm, on generated traces (the trace's clock; NFS and Jellyfin cannot run
 * here): a fast NAS whose contention today's fixed thresholds never see, a slow NAS they alarm on every evening, a NAS
 * drifting slower over five days, an evening of contention that must not become "normal", and playback stalls seen
 * directly, with and without downloads.
 */
class LearningScenarioTest {

    private static final Duration CALM_HOUR_AND_A_BIT = Duration.ofMinutes(75);
    private final Random random = new Random(20261201);

    private static Baselines baselines(DetectorConfig config) {
        return new Baselines(BaselineConfig.defaults(), config, Set.of(), 100);
    }

    /** Runs {@code d} of windows, setting the hosts' values before each with {@code each}. */
    private static void run(Trace t, Duration d, Runnable each) {
        long n = d.toMillis() / t.config.window().toMillis();
        for (long i = 0; i < n; i++) {
            each.run();
            t.windows(1);
        }
    }

    private double jitter(double low, double high) {
        return low + random.nextDouble() * (high - low);
    }

    /** Streaming values around the given centre (NFS READ round trip, ms), the rest in proportion. */
    private void nas(Trace.Host st, double rttMs) {
        st.readRttMs = rttMs * jitter(0.8, 1.2);
        st.readExeMs = rttMs * 1.7 * jitter(0.8, 1.2);
        st.readAwaitMs = rttMs * 0.35 * jitter(0.8, 1.2);
        st.psi = Math.min(90, rttMs * 0.1 * jitter(0.6, 1.4) + 0.5);
    }

    private SignalBaseline view(Baselines b, String side, String signal) {
        return b.views(Map.of(Trace.ST, Signals.STREAMING, Trace.DL, Signals.DOWNLOAD)).stream()
                .filter(v -> v.side().equals(side) && v.signal().equals(signal)).findFirst().orElseThrow();
    }

    @Test
    void fastNas_contentionTheDefaultsNeverSee_isRaisedOnceThresholdsAreLearned() {
        DetectorConfig config = DetectorConfig.defaults();
        Baselines learned = baselines(config);
        Trace learning = new Trace(config, learned);
        Trace fixed = new Trace(config);
        for (Trace t : List.of(learning, fixed)) {
            random.setSeed(1);
            run(t, CALM_HOUR_AND_A_BIT, () -> nas(t.st, 1.0)); // calm: READ about 1 ms
        }
        assertThat(view(learned, Signals.STREAMING, Signals.NFS_READ_RTT).origin()).isEqualTo(SignalBaseline.LEARNED);
        assertThat(learned.rule(Trace.ST, Signals.STREAMING, Signals.NFS_READ_RTT).raise()).isEqualTo(5.0); // the floor
        Instant downloadsStart = learning.now;
        for (Trace t : List.of(learning, fixed)) {
            random.setSeed(2);
            t.dl.downloading();
            run(t, Duration.ofMinutes(2), () -> nas(t.st, 8.0)); // contention: READ about 8 ms
        }
        assertThat(fixed.transitions(STUTTER, RAISED)).as("today's fixed thresholds (READ 50 ms) never cross").isEmpty();
        assertThat(learning.first(STUTTER, RAISED)).hasValueSatisfying(at -> assertThat(at)
                .isBetween(downloadsStart, downloadsStart.plus(config.raiseAfter()).plus(config.window().multipliedBy(2))));
    }

    @Test
    void slowNas_calmAt60ms_alarmsOnTheDefaults_butNotOnceLearned_evenWithDownloads() {
        DetectorConfig config = DetectorConfig.defaults();
        Baselines learned = baselines(config);
        Trace learning = new Trace(config, learned);
        Trace fixed = new Trace(config);
        for (Trace t : List.of(learning, fixed)) {
            random.setSeed(3);
            run(t, CALM_HOUR_AND_A_BIT, () -> nas(t.st, 60.0)); // nothing wrong: this NAS is just slow
        }
        Instant learnedAt = learning.now;
        assertThat(learned.rule(Trace.ST, Signals.STREAMING, Signals.NFS_READ_RTT).raise()).isGreaterThan(150);
        for (Trace t : List.of(learning, fixed)) {
            random.setSeed(4);
            t.dl.downloading(); // downloads that do not slow the NAS down: no stutter
            run(t, Duration.ofMinutes(10), () -> nas(t.st, 60.0));
        }
        assertThat(fixed.transitions(STREAMING_DEGRADED, RAISED)).as("the defaults call a slow NAS degraded").isNotEmpty();
        assertThat(fixed.transitions(STUTTER, RAISED)).as("and its downloads stutter").isNotEmpty();
        assertThat(learning.transitions(STUTTER, RAISED)).isEmpty();
        // Learning: degraded while the defaults still apply (the status says it is learning), then never again.
        assertThat(learning.transitions(STREAMING_DEGRADED, RAISED)).allMatch(x -> x.at().isBefore(learnedAt));
        assertThat(learning.last().degraded().raised()).isFalse();
    }

    @Test
    void aNasDriftingSlowerOverFiveDays_isFollowedByItsBaseline() {
        // Windows of a minute: five days of them in a test.
        DetectorConfig config = DetectorConfig.defaults().toBuilder().window(Duration.ofMinutes(1))
                .maxGap(Duration.ofMinutes(3)).staleAfter(Duration.ofMinutes(3)).build();
        Baselines learned = baselines(config);
        Trace t = new Trace(config, learned);
        double[] thresholdEndOfDay = new double[5];
        for (int day = 0; day < 5; day++) {
            double rtt = 2.0 + day * 1.5; // 2 ms on the first day, 8 ms on the fifth: four times slower
            run(t, Duration.ofDays(1), () -> nas(t.st, rtt));
            thresholdEndOfDay[day] = learned.rule(Trace.ST, Signals.STREAMING, Signals.NFS_READ_RTT).raise();
        }
        assertThat(thresholdEndOfDay[0]).isBetween(5.0, 9.0);
        for (int day = 1; day < 5; day++) {
            assertThat(thresholdEndOfDay[day]).as("day %d", day + 1).isGreaterThan(thresholdEndOfDay[day - 1]);
        }
        assertThat(thresholdEndOfDay[4]).isGreaterThan(3 * 8.0);
        // Nothing was ever raised: the NAS only got slower, nothing downloaded.
        assertThat(t.transitions()).isEmpty();
    }

    @Test
    void aThreeHourEveningOfContention_isNotLearned_theBaselineStaysAsItWas() {
        DetectorConfig config = DetectorConfig.defaults();
        Baselines learned = baselines(config);
        Trace t = new Trace(config, learned);
        run(t, CALM_HOUR_AND_A_BIT, () -> nas(t.st, 1.0));
        SignalBaseline before = view(learned, Signals.STREAMING, Signals.NFS_READ_RTT);
        double thresholdBefore = learned.rule(Trace.ST, Signals.STREAMING, Signals.NFS_READ_RTT).raise();
        t.dl.downloading();
        run(t, Duration.ofHours(3), () -> nas(t.st, 30.0));
        assertThat(t.transitions(STUTTER, RAISED)).hasSize(1);
        SignalBaseline after = view(learned, Signals.STREAMING, Signals.NFS_READ_RTT);
        assertThat(after.calmSamples()).isEqualTo(before.calmSamples());
        assertThat(after.p99()).isEqualTo(before.p99());
        assertThat(learned.rule(Trace.ST, Signals.STREAMING, Signals.NFS_READ_RTT).raise()).isEqualTo(thresholdBefore);
        // The evening ends; calm again, the alert clears and learning goes on.
        t.dl.calmDownload();
        run(t, Duration.ofMinutes(5), () -> nas(t.st, 1.0));
        assertThat(t.transitions(STUTTER, CLEARED)).hasSize(1);
        assertThat(view(learned, Signals.STREAMING, Signals.NFS_READ_RTT).calmSamples()).isGreaterThan(after.calmSamples());
    }

    /**
     * Writes no downloader API counts (an import copying files, a transcode, fio in the benchmark) slowing the NAS
     * while nobody watches: no alert, and still not calm. Learning it would make the contention the normal.
     */
    @Test
    void contentionWithoutAnAlert_writersTheApisDoNotCount_nobodyWatching_isNotLearned() {
        DetectorConfig config = DetectorConfig.defaults();
        Baselines learned = baselines(config);
        Trace t = new Trace(config, learned);
        run(t, CALM_HOUR_AND_A_BIT, () -> nas(t.st, 1.0));
        SignalBaseline before = view(learned, Signals.STREAMING, Signals.NFS_READ_RTT);
        t.dl.downloading();
        t.dl.sabActive = false;
        t.dl.qbtActive = false;
        t.st.sessions = List.of(Trace.session("s1", true, false)); // paused: nobody watching
        run(t, Duration.ofHours(1), () -> nas(t.st, 30.0));
        assertThat(t.transitions()).isEmpty();
        assertThat(t.last().contention().state()).isEqualTo(dev.mediawatch.contract.Contention.CONTENTION);
        SignalBaseline after = view(learned, Signals.STREAMING, Signals.NFS_READ_RTT);
        assertThat(after.calmSamples()).isEqualTo(before.calmSamples());
        assertThat(after.p99()).isEqualTo(before.p99());
    }

    @Test
    void aStalledStream_withDownloads_raisesStutterAfterTheShortHold_namingTheStream() {
        Trace t = new Trace(DetectorConfig.defaults(), baselines(DetectorConfig.defaults()));
        t.windows(3);
        t.dl.downloading();
        Instant stallSeen = t.now;
        t.st.sessions = List.of(Trace.stalled("s1"), Trace.session("s2", true, false));
        t.run(Duration.ofSeconds(30)); // the streaming proxies stay calm: only the symptom shows
        assertThat(t.first(STUTTER, RAISED)).hasValueSatisfying(at -> assertThat(at)
                .isBetween(stallSeen.plusSeconds(10), stallSeen.plusSeconds(15)));
        var raised = t.transitions(STUTTER, RAISED).get(0).t().alert().state();
        assertThat(raised.message()).startsWith("streaming stutter during downloads: anna's \"Film s1\" stalled on "
                + "Jellyfin Web (Firefox), direct-play (used: ");
        assertThat(raised.evidence().sessions().get(0).id()).isEqualTo("s1");
        assertThat(raised.evidence().signals()).filteredOn(v -> v.name().equals(Signals.PLAYBACK_STALLED)).singleElement()
                .satisfies(v -> assertThat(v.crossed()).isTrue());
    }

    @Test
    void aStalledStream_withoutDownloads_isStreamingDegraded_notStutter() {
        Trace t = new Trace(DetectorConfig.defaults(), baselines(DetectorConfig.defaults()));
        t.windows(3);
        Instant stallSeen = t.now;
        t.st.sessions = List.of(Trace.stalled("s1"));
        t.run(Duration.ofSeconds(30));
        assertThat(t.transitions(STUTTER, RAISED)).isEmpty();
        assertThat(t.first(STREAMING_DEGRADED, RAISED)).hasValueSatisfying(at -> assertThat(at)
                .isBetween(stallSeen.plusSeconds(10), stallSeen.plusSeconds(15)));
        assertThat(t.last().degraded().state().message()).contains("anna's \"Film s1\" stalled");
        // The stream plays again: degraded clears after the clear time.
        t.st.sessions = List.of(Trace.session("s1", false, false).judged(false, false, 1.0));
        t.run(Duration.ofSeconds(70));
        assertThat(t.transitions(STREAMING_DEGRADED, CLEARED)).hasSize(1);
    }

    @Test
    void pausedSeekingOrNewItems_areNotStalls_nothingIsRaised() {
        Trace t = new Trace(DetectorConfig.defaults(), baselines(DetectorConfig.defaults()));
        t.dl.downloading();
        // What the agent publishes for a pause, a seek and a new item: not judged (no stalled flag) or judged playing.
        t.st.sessions = List.of(Trace.session("paused", true, false),
                Trace.session("seeked", false, false),
                Trace.session("new-item", false, false).judged(null, false, null),
                Trace.session("playing", false, false).judged(false, false, 0.98));
        t.run(Duration.ofMinutes(5));
        assertThat(t.transitions()).isEmpty();
    }
}
