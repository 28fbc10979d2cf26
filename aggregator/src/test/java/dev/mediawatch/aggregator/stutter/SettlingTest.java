package dev.mediawatch.aggregator.stutter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.mediawatch.aggregator.baseline.BaselineConfig;
import dev.mediawatch.aggregator.baseline.Baselines;
import dev.mediawatch.aggregator.contention.DetectorRun;
import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.SignalBaseline;

/**
 * A host online for less than {@link DetectorRun#SETTLE} is not learned from: an agent's first samples carry its own
 * start (a JVM reading its classes), and one such sample in a short calm's p99 would set a threshold that contention
 * never crosses. The detector still decides on them. Generated trace, as in {@link StutterDetectorTest}; the registry's
 * records built from it.
 */
class SettlingTest {

    private static HostRecord record(Trace.Host h, Instant onlineSince, Instant now) {
        HostSample s = h.sample(now);
        HostState state = HostState.of(s.host(), s.role(), "0.1.0", now, new EngineState(true, "27.0", "1.47", null, now),
                List.of());
        return new HostRecord(s.host(), Availability.ONLINE, onlineSince, state, now, now, s.mounts(), s.io(), s.activity());
    }

    private static long samples(DetectorRun run, String signal) {
        return run.baselines().views(java.util.Map.of(Trace.ST, Signals.STREAMING)).stream()
                .filter(b -> b.signal().equals(signal)).mapToLong(SignalBaseline::calmSamples).sum();
    }

    @Test
    void aHostsFirstMinuteOnline_isDecidedOn_butNotLearnedFrom() {
        DetectorConfig config = DetectorConfig.defaults();
        DetectorRun run = new DetectorRun(config, new Baselines(BaselineConfig.defaults(), config, Set.of(), 100));
        Trace t = new Trace(config);
        Instant online = t.now;
        // The agent's own start: its disk reads slow for the first windows.
        t.st.readAwaitMs = 13.0;
        Instant at = online;
        for (int i = 0; i < 11; i++) {
            at = at.plus(config.window());
            Decision d = run.step(at, List.of(record(t.dl, online, at), record(t.st, online, at)));
            assertThat(d.contention().evidence().signals()).anyMatch(v -> v.name().equals(Signals.DISK_READ_AWAIT));
        }
        assertThat(samples(run, Signals.DISK_READ_AWAIT)).as("within the first minute").isZero();

        t.st.readAwaitMs = 0.3;
        for (int i = 0; i < 4; i++) {
            at = at.plus(config.window());
            run.step(at, List.of(record(t.dl, online, at), record(t.st, online, at)));
        }
        assertThat(Duration.between(online, at)).isGreaterThanOrEqualTo(DetectorRun.SETTLE);
        assertThat(samples(run, Signals.DISK_READ_AWAIT)).as("from the first minute on").isEqualTo(4);
        assertThat(run.baselines().views(java.util.Map.of(Trace.ST, Signals.STREAMING)))
                .filteredOn(b -> b.signal().equals(Signals.DISK_READ_AWAIT))
                .singleElement().satisfies(b -> assertThat(b.p99()).isLessThan(1.0));
    }
}
