package dev.mediawatch.aggregator.contention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mediawatch.contract.DownloadLimits;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.ThrottleRequest;

class MitigationTest {

    private static final HostId DL = HostId.of("download-stack");
    private static final HostId DL2 = HostId.of("download-2");
    private static final Instant T0 = Instant.parse("2026-11-21T21:00:00Z");
    private final DownloadLimits limits = new DownloadLimits(10_485_760L, 5_242_880L);

    private Mitigation on() {
        return new Mitigation(true, limits, true, Duration.ofSeconds(90), Duration.ofSeconds(30));
    }

    @Test
    void off_sendsNothing_ever() {
        Mitigation m = new Mitigation(false, limits, false, Duration.ofSeconds(90), Duration.ofSeconds(30));
        assertThat(m.decide(T0, true, List.of(DL))).isEmpty();
        assertThat(m.decide(T0.plusSeconds(5), false, List.of(DL))).isEmpty();
    }

    @Test
    void applies_renewsOnSchedule_andReleasesWhenNoLongerWanted() {
        Mitigation m = on();
        List<Mitigation.Send> first = m.decide(T0, true, List.of(DL));
        assertThat(first).singleElement().satisfies(s -> {
            assertThat(s.host()).isEqualTo(DL);
            assertThat(s.request().action()).isEqualTo(ThrottleRequest.APPLY);
            assertThat(s.request().leaseSeconds()).isEqualTo(90);
            assertThat(s.request().limits()).isEqualTo(limits);
            assertThat(s.request().pausePostProcessing()).isTrue();
        });
        // Within the renew interval: nothing; at it: a renewal with a new request id.
        assertThat(m.decide(T0.plusSeconds(5), true, List.of(DL))).isEmpty();
        assertThat(m.decide(T0.plusSeconds(25), true, List.of(DL))).isEmpty();
        List<Mitigation.Send> renewal = m.decide(T0.plusSeconds(30), true, List.of(DL));
        assertThat(renewal).singleElement().satisfies(s -> assertThat(s.request().requestId())
                .isNotEqualTo(first.get(0).request().requestId()));
        assertThat(m.throttled()).containsExactly(DL);
        // No longer wanted (cleared, or nobody watching): one release, then silence.
        assertThat(m.decide(T0.plusSeconds(35), false, List.of(DL))).singleElement()
                .satisfies(s -> assertThat(s.request().action()).isEqualTo(ThrottleRequest.RELEASE));
        assertThat(m.throttled()).isEmpty();
        assertThat(m.decide(T0.plusSeconds(40), false, List.of(DL))).isEmpty();
    }

    @Test
    void aHostThatComesUpMidIncident_isThrottledAtOnce_andAClockJumpBackRenews() {
        Mitigation m = on();
        m.decide(T0, true, List.of(DL));
        assertThat(m.decide(T0.plusSeconds(5), true, List.of(DL, DL2))).singleElement()
                .satisfies(s -> assertThat(s.host()).isEqualTo(DL2));
        // The clock went back an hour: renew now rather than wait an hour and let the lease lapse.
        assertThat(m.decide(T0.minusSeconds(3600), true, List.of(DL, DL2))).hasSize(2);
    }
}
