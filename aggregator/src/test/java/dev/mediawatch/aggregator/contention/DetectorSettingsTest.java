package dev.mediawatch.aggregator.contention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.stutter.DetectorConfig;
import dev.mediawatch.aggregator.stutter.Signals;

class DetectorSettingsTest {

    private static AggregatorConfig.Stutter stutter(String... thresholds) {
        return new AggregatorConfig.Stutter() {
            public Duration settle() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Duration window() {
                return Duration.ofSeconds(5);
            }

            public Duration raiseAfter() {
                return Duration.ofSeconds(40);
            }

            public Duration clearAfter() {
                return Duration.ofSeconds(90);
            }

            public Duration holdMissingFor() {
                return Duration.ofMinutes(5);
            }

            public String mediaPath() {
                return "/srv/media";
            }

            public Optional<List<String>> thresholds() {
                return thresholds.length == 0 ? Optional.empty() : Optional.of(List.of(thresholds));
            }

            public Duration stallRaiseAfter() {
                return Duration.ofSeconds(8);
            }

            public double holdShare() {
                return 0.6;
            }

            public Duration learnAfter() {
                return Duration.ofHours(1);
            }

            public int learnDays() {
                return 7;
            }

            public Optional<List<String>> learning() {
                return Optional.empty();
            }

            public java.nio.file.Path baselinesFile() {
                return java.nio.file.Path.of("target/test-baselines.json");
            }
        };
    }

    @Test
    void timesAndPath_areTaken_andUnsetThresholdsKeepTheirDefaults() {
        DetectorConfig c = DetectorSettings.of(stutter("streaming-nfs-read-rtt=80/40", " download-disk-write = 4e7/2e7 "));
        assertThat(c.raiseAfter()).isEqualTo(Duration.ofSeconds(40));
        assertThat(c.stallRaiseAfter()).isEqualTo(Duration.ofSeconds(8));
        assertThat(c.holdShare()).isEqualTo(0.6);
        assertThat(c.clearAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.mediaPath()).isEqualTo("/srv/media");
        assertThat(c.nfsReadRtt().raise()).isEqualTo(80);
        assertThat(c.nfsReadRtt().clear()).isEqualTo(40);
        assertThat(c.diskWrite().raise()).isEqualTo(4e7);
        assertThat(c.nfsWrite()).isEqualTo(DetectorConfig.defaults().nfsWrite());
    }

    @Test
    void everySignal_canBeSet_byItsSideAndName() {
        for (String key : DetectorSettings.SIGNALS) {
            DetectorConfig c = DetectorSettings.of(stutter(key + "=7/3"));
            String side = key.startsWith("download-") ? Signals.DOWNLOAD : Signals.STREAMING;
            String name = key.substring(side.length() + 1);
            assertThat(c.rule(side, name).raise()).as(key).isEqualTo(7);
            assertThat(c.rule(side, name).clear()).as(key).isEqualTo(3);
        }
        // io-psi is two settings: one per side.
        DetectorConfig c = DetectorSettings.of(stutter("download-io-psi=30/15"));
        assertThat(c.rule(Signals.DOWNLOAD, Signals.IO_PSI).raise()).isEqualTo(30);
        assertThat(c.rule(Signals.STREAMING, Signals.IO_PSI)).isEqualTo(DetectorConfig.defaults().streamingIoPsi());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "nfs-read-rtt=80/40|unknown signal 'nfs-read-rtt'",
            "streaming-nfs-read-rt=80/40|unknown signal",
            "streaming-nfs-read-rtt=40/80|clear (80.0) above raise (40.0)",
            "streaming-nfs-read-rtt=80|expected <side>-<signal>=<raise>/<clear>",
            "streaming-nfs-read-rtt=eighty/40|must be numbers",
            "streaming-nfs-read-rtt=-1/-2|finite and >= 0",
            "streaming-nfs-read-rtt=NaN/1|finite and >= 0" })
    void mistakes_stopStartup_namingTheEntry(String entry, String problem) {
        assertThatThrownBy(() -> DetectorSettings.of(stutter(entry))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mediawatch.stutter.thresholds: '" + entry + "'").hasMessageContaining(problem);
    }

    @Test
    void windowsFallOnTheClocksMultiplesOfTheWindow_soAReplayDecidesOnTheSameInstants() {
        java.time.Duration w = java.time.Duration.ofSeconds(5);
        assertThat(ContentionService.nextWindow(java.time.Instant.parse("2026-11-21T21:04:33.271Z"), w))
                .isEqualTo(java.time.Instant.parse("2026-11-21T21:04:35Z"));
        assertThat(ContentionService.nextWindow(java.time.Instant.parse("2026-11-21T21:04:35Z"), w))
                .as("on a window: the next one").isEqualTo(java.time.Instant.parse("2026-11-21T21:04:40Z"));
        assertThat(ContentionService.untilNextWindow(1_000_000_001L, 5_000)).isEqualTo(4_999);
    }
}
