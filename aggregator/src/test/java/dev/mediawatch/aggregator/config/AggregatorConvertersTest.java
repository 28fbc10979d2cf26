package dev.mediawatch.aggregator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The aggregator's own converters: what each takes and what it refuses, with the message. */
class AggregatorConvertersTest {

    @Test
    void bounds_takeTheirBoundsThemselves_andRefuseBeyond() {
        assertThat(new Bounds.MaxInFlight().convert("1")).isEqualTo(1);
        assertThat(new Bounds.MaxInFlight().convert("65535")).isEqualTo(65_535);
        assertThatThrownBy(() -> new Bounds.MaxInFlight().convert("65536")).hasMessage("65536 is out of range; use 1 to 65535");
        assertThat(new Bounds.PendingTopics().convert("8")).isEqualTo(8);
        assertThatThrownBy(() -> new Bounds.PendingTopics().convert("7")).hasMessage("7 is too small; use at least 8");
        assertThat(new Bounds.PendingBytes().convert("1048576")).isEqualTo(1_048_576L);
        assertThatThrownBy(() -> new Bounds.PendingBytes().convert("1000000"))
                .hasMessage("1000000 is too small; use at least 1048576");
        assertThat(new Bounds.RecordingBytes().convert("4096")).isEqualTo(4096L);
        assertThatThrownBy(() -> new Bounds.RecordingBytes().convert("4095")).hasMessage("4095 is too small; use at least 4096");
        assertThat(new Bounds.LearnDays().convert("1")).isEqualTo(1);
        assertThat(new Bounds.LearnDays().convert("90")).isEqualTo(90);
        assertThatThrownBy(() -> new Bounds.LearnDays().convert("0")).hasMessage("0 is out of range; use 1 to 90");
        assertThat(new Bounds.ExpireAfter().convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> new Bounds.ExpireAfter().convert("29s")).hasMessage("29s is too short; use at least 30s");
        assertThat(new Bounds.Soak().convert("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(new Bounds.Soak().convert("72h")).isEqualTo(Duration.ofHours(72));
        assertThatThrownBy(() -> new Bounds.Soak().convert("59s")).hasMessage("59s is too short; use at least 1m");
        assertThat(new Bounds.Lease().convert("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(new Bounds.Lease().convert("3600s")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> new Bounds.Lease().convert("3601s")).hasMessage("3601s is too long; use 5s to 1h");
    }
}
