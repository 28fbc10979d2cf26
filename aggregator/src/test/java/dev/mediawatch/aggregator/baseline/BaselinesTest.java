package dev.mediawatch.aggregator.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.mediawatch.aggregator.stutter.DetectorConfig;
import dev.mediawatch.aggregator.stutter.DetectorConfig.Rule;
import dev.mediawatch.aggregator.stutter.Signals;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.SignalBaseline;
import dev.mediawatch.contract.SignalValue;

/** Learning thresholds from calm: when, how, for which signals, and within which bounds. */
class BaselinesTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final HostId ST = HostId.of("streaming-stack");
    static final HostId DL = HostId.of("download-stack");
    static final Duration W = Duration.ofSeconds(5);
    private final DetectorConfig defaults = DetectorConfig.defaults();

    private Baselines baselines(Set<String> configured, int maxEntries) {
        return new Baselines(BaselineConfig.defaults(), defaults, configured, maxEntries);
    }

    private static SignalValue rtt(double ms) {
        return new SignalValue(Signals.NFS_READ_RTT, Signals.STREAMING, ST, ms, Signals.MS, 50, false);
    }

    /** {@code n} windows from {@code from}, each with {@code value}; returns the time after the last. */
    private static Instant feed(Baselines b, Instant from, int n, double value, boolean calm) {
        Instant t = from;
        for (int i = 0; i < n; i++) {
            b.observe(t, W, List.of(rtt(value + (i % 10) * 0.1)), calm);
            t = t.plus(W);
        }
        return t;
    }

    @Test
    void theDefaultsApply_untilAnHourOfCalm_thenTheLargerOfFloorAndThreeTimesP99() {
        Baselines b = baselines(Set.of(), 100);
        Instant t = feed(b, T0, 719, 4.0, true); // 59 min 55 s of calm: not yet
        assertThat(b.rule(ST, Signals.STREAMING, Signals.NFS_READ_RTT)).isEqualTo(defaults.nfsReadRtt());
        feed(b, t, 1, 4.0, true);
        Rule learned = b.rule(ST, Signals.STREAMING, Signals.NFS_READ_RTT);
        assertThat(learned.raise()).isCloseTo(3 * 4.9, org.assertj.core.data.Offset.offset(0.2));
        // The clear level keeps the default's ratio to raise (25/50): hysteresis kept.
        assertThat(learned.clear()).isCloseTo(learned.raise() / 2, org.assertj.core.data.Offset.offset(1e-9));
        // Another host has learned nothing: its defaults stand.
        assertThat(b.rule(HostId.of("other"), Signals.STREAMING, Signals.NFS_READ_RTT)).isEqualTo(defaults.nfsReadRtt());
    }

    @Test
    void aVeryFastSignal_learnsTheFloor_notThreeTimesNoise() {
        Baselines b = baselines(Set.of(), 100);
        feed(b, T0, 800, 0.3, true);
        assertThat(b.rule(ST, Signals.STREAMING, Signals.NFS_READ_RTT).raise()).isEqualTo(5.0);
    }

    @Test
    void windowsThatAreNotCalm_teachNothing() {
        Baselines b = baselines(Set.of(), 100);
        feed(b, T0, 2000, 40.0, false);
        assertThat(b.rule(ST, Signals.STREAMING, Signals.NFS_READ_RTT)).isEqualTo(defaults.nfsReadRtt());
        assertThat(b.views(Map.of(ST, Signals.STREAMING)).get(0).calmSamples()).isZero();
    }

    @Test
    void aConfiguredThreshold_winsOverALearnedOne() {
        Baselines b = baselines(Set.of("streaming/nfs-read-rtt"), 100);
        feed(b, T0, 800, 4.0, true);
        assertThat(b.rule(ST, Signals.STREAMING, Signals.NFS_READ_RTT)).isEqualTo(defaults.nfsReadRtt());
        SignalBaseline v = b.views(Map.of(ST, Signals.STREAMING)).stream()
                .filter(x -> x.signal().equals(Signals.NFS_READ_RTT)).findFirst().orElseThrow();
        assertThat(v.origin()).isEqualTo(SignalBaseline.CONFIGURED);
        assertThat(v.calmSamples()).isEqualTo(800); // still learned, shown, not used
    }

    @Test
    void counts_areNeverLearned() {
        Baselines b = baselines(Set.of(), 100);
        Instant t = T0;
        for (int i = 0; i < 800; i++) {
            b.observe(t, W, List.of(new SignalValue(Signals.DOWNLOADERS, Signals.DOWNLOAD, DL, 0, Signals.COUNT, 1, false)),
                    true);
            t = t.plus(W);
        }
        assertThat(b.rule(DL, Signals.DOWNLOAD, Signals.DOWNLOADERS)).isEqualTo(defaults.downloaders());
        assertThat(b.views(Map.of(DL, Signals.DOWNLOAD))).filteredOn(v -> v.signal().equals(Signals.DOWNLOADERS))
                .singleElement().satisfies(v -> {
                    assertThat(v.learnable()).isFalse();
                    assertThat(v.origin()).isEqualTo(SignalBaseline.DEFAULT);
                });
    }

    @Test
    void daysOlderThanTheKeptOnes_areForgotten_andAnEmptyHistoryGoes() {
        Baselines b = baselines(Set.of(), 100);
        feed(b, T0, 800, 4.0, true);
        assertThat(b.views(Map.of(ST, Signals.STREAMING)).get(0).calmSamples()).isEqualTo(800);
        // A week later (7 days kept, the first one now outside) a single calm window: only it is left.
        feed(b, T0.plus(Duration.ofDays(7)), 1, 30.0, true);
        SignalBaseline v = b.views(Map.of(ST, Signals.STREAMING)).get(0);
        assertThat(v.calmSamples()).isEqualTo(1);
        assertThat(v.p99()).isEqualTo(30.0);
        assertThat(v.origin()).isEqualTo(SignalBaseline.DEFAULT);
        // Nothing at all for a week: the history is dropped.
        b.observe(T0.plus(Duration.ofDays(15)), W, List.of(), true);
        assertThat(b.entries()).isEmpty();
    }

    @Test
    void histories_areBounded() {
        Baselines b = baselines(Set.of(), 3);
        for (int h = 0; h < 10; h++) {
            b.observe(T0, W, List.of(new SignalValue(Signals.NFS_READ_RTT, Signals.STREAMING, HostId.of("h" + h), 1,
                    Signals.MS, 50, false)), true);
        }
        assertThat(b.entries()).hasSize(3);
    }

    @Test
    void progress_saysHowManyAreLearned_andHowLongTheLeastLearnedHasBeen() {
        Baselines b = baselines(Set.of(), 100);
        feed(b, T0, 240, 4.0, true); // 20 min of nfs-read-rtt only
        Baselines.Progress p = b.progress(Map.of(ST, Signals.STREAMING));
        assertThat(p.learnable()).isEqualTo(4); // rtt, exe, io-psi, disk-read-await
        assertThat(p.reported()).isEqualTo(1);
        assertThat(p.unreported()).isEqualTo(3);
        assertThat(p.learned()).isZero();
        assertThat(p.leastSeconds()).isEqualTo(1200);
        assertThat(p.neededSeconds()).isEqualTo(3600);
        assertThat(p.learning()).isTrue();
        assertThat(dev.mediawatch.aggregator.contention.ContentionService.thresholdsLine(p, Duration.ofMinutes(1))).isEqualTo("learning from calm, "
                + "0 of 1 learned; the least-learned has 20 min of 1 h (defaults until then); 3 never reported (defaults)");

        feed(b, T0.plusSeconds(1200), 600, 4.0, true); // to 70 min
        p = b.progress(Map.of(ST, Signals.STREAMING));
        assertThat(p.learning()).as("the signals never reported do not hold learning open").isFalse();
        assertThat(dev.mediawatch.aggregator.contention.ContentionService.thresholdsLine(p, Duration.ofMinutes(1)))
                .isEqualTo("learned from calm for the 1 signal reported; 3 never reported (defaults)");
    }

    @Test
    void beforeAnyHostReported_theLineSaysHowLongTheHostsMustBeOnline_asConfigured() {
        Baselines.Progress none = new Baselines.Progress(0, 0, 4, 0, 3600);
        assertThat(dev.mediawatch.aggregator.contention.ContentionService.thresholdsLine(none, Duration.ofMinutes(1)))
                .isEqualTo("defaults: learning from calm begins once the hosts have been online for 1m "
                        + "(mediawatch.stutter.settle)");
        assertThat(dev.mediawatch.aggregator.contention.ContentionService.thresholdsLine(none, Duration.ofSeconds(10)))
                .endsWith("online for 10s (mediawatch.stutter.settle)");
        assertThat(dev.mediawatch.aggregator.contention.ContentionService.thresholdsLine(none, Duration.ZERO))
                .isEqualTo("defaults: learning from calm begins with the hosts' first calm samples");
    }

    @Test
    void learningOverrides_areChecked_namingTheKeyAndEntry() {
        BaselineConfig c = BaselineConfig.of(Duration.ofMinutes(10), 3, List.of("streaming-nfs-read-rtt=2/4"));
        assertThat(c.learn(Signals.STREAMING, Signals.NFS_READ_RTT)).contains(new BaselineConfig.Learn(2, 4));
        assertThatThrownBy(() -> BaselineConfig.of(Duration.ofHours(1), 7, List.of("download-downloaders=1/2")))
                .hasMessageStartingWith("mediawatch.stutter.learning: 'download-downloaders=1/2': 'download-downloaders' "
                        + "is not a learnable signal");
        assertThatThrownBy(() -> BaselineConfig.of(Duration.ofHours(1), 7, List.of("streaming-io-psi=5/0.5")))
                .hasMessageContaining("factor >= 1");
        assertThatThrownBy(() -> BaselineConfig.of(Duration.ofHours(1), 7, List.of("streaming-io-psi=x")))
                .hasMessageContaining("expected <side>-<signal>=<floor>/<factor>");
    }
}
