package dev.mediawatch.aggregator.stutter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.mediawatch.aggregator.stutter.DetectorConfig.Rule;

/** The defaults are the ones docs/decisions/0007 justifies, and nonsense is refused with a clear message. */
class DetectorConfigTest {

    @Test
    void defaults_areTheDocumentedOnes() {
        DetectorConfig c = DetectorConfig.defaults();
        assertThat(c.window()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.raiseAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.stallRaiseAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.playbackStalled()).isEqualTo(new Rule(1, 1, 1));
        assertThat(c.clearAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.holdMissingFor()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.staleAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.maxGap()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.mediaPath()).isEqualTo("/mnt/media");
        assertThat(c.postProcessorWriteBytesPerSec()).isEqualTo(1_000_000);
        assertThat(c.heldPct()).isEqualTo(50);
        assertThat(c.nfsWrite()).isEqualTo(new Rule(20e6, 10e6, 1));
        assertThat(c.diskWrite()).isEqualTo(new Rule(20e6, 10e6, 1));
        assertThat(c.downloadIoPsi()).isEqualTo(new Rule(20, 10, 1));
        assertThat(c.downloaders()).isEqualTo(new Rule(1, 1, 1));
        assertThat(c.nfsReadRtt()).isEqualTo(new Rule(50, 25, 1));
        assertThat(c.nfsReadExe()).isEqualTo(new Rule(100, 50, 1));
        assertThat(c.streamingIoPsi()).isEqualTo(new Rule(20, 10, 1));
        assertThat(c.diskReadAwait()).isEqualTo(new Rule(20, 10, 1));
        assertThat(c.transcodeBehind()).isEqualTo(new Rule(1, 1, 1));
        assertThat(c.rule(Signals.DOWNLOAD, Signals.IO_PSI)).isSameAs(c.downloadIoPsi());
        assertThat(c.rule(Signals.STREAMING, Signals.IO_PSI)).isSameAs(c.streamingIoPsi());
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void rule_hysteresis() {
        Rule r = Rule.of(50, 25);
        assertThat(r.crossed(49.9, false)).isFalse();
        assertThat(r.crossed(50, false)).isTrue();
        assertThat(r.crossed(25, true)).isTrue();
        assertThat(r.crossed(24.9, true)).isFalse();
        assertThat(r.threshold(true)).isEqualTo(25);
        assertThat(r.threshold(false)).isEqualTo(50);
        Rule count = Rule.of(1, 1);
        assertThat(count.crossed(1, false)).isTrue();
        assertThat(count.crossed(0, true)).isFalse();
    }

    @Test
    void nonsense_isRefused() {
        assertThatThrownBy(() -> Rule.of(10, 20)).hasMessageContaining("clear <= raise");
        assertThatThrownBy(() -> Rule.of(Double.NaN, 0)).hasMessageContaining("finite");
        assertThatThrownBy(() -> new Rule(1, 1, 0)).hasMessageContaining("weight");
        DetectorConfig.Builder b = DetectorConfig.defaults().toBuilder();
        assertThatThrownBy(() -> b.raiseAfter(Duration.ZERO).build()).hasMessageContaining("raiseAfter must be positive");
        assertThatThrownBy(() -> DetectorConfig.defaults().toBuilder().heldPct(0).build())
                .hasMessageContaining("heldPct must be 1-100");
        assertThatThrownBy(() -> DetectorConfig.defaults().toBuilder().maxGap(Duration.ofSeconds(1)).build())
                .hasMessageContaining("every window would be a clock jump");
        assertThatThrownBy(() -> DetectorConfig.defaults().toBuilder().mediaPath(" ").build())
                .hasMessageContaining("mediaPath");
    }
}
