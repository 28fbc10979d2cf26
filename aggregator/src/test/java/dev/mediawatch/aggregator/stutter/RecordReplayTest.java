package dev.mediawatch.aggregator.stutter;

import static dev.mediawatch.contract.AlertState.STUTTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.aggregator.baseline.BaselineConfig;
import dev.mediawatch.aggregator.baseline.Baselines;
import dev.mediawatch.aggregator.replay.Recorder;
import dev.mediawatch.aggregator.replay.Replay;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.SignalBaseline;
import dev.mediawatch.contract.Topics;

/**
 * A recording made of what two hosts report (as the live ingest would have recorded it) replays to the raises and
 * clears the detector made live on the same data, at the same times within a window; the recording is jq-readable
 * JSON lines; rotation bounds it; the replay's options are the stutter configuration's keys.
 */
class RecordReplayTest {

    @TempDir
    Path dir;

    /** The recorder's clock, moved by the trace. */
    static final class TestClock extends Clock {
        Instant now = Trace.T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Records what both hosts of the trace report, a second before each of the trace's windows. */
    private static void record(Trace t, Recorder r, TestClock clock, Topics topics, Duration d, Runnable each) {
        long n = d.toMillis() / t.config.window().toMillis();
        for (long i = 0; i < n; i++) {
            each.run();
            clock.now = t.now.plus(t.config.window()).minusSeconds(1);
            report(t, r, clock, topics);
            t.windows(1);
        }
    }

    /** What both hosts of the trace report, recorded at the clock's time. */
    private static void report(Trace t, Recorder r, TestClock clock, Topics topics) {
        for (Trace.Host h : List.of(t.dl, t.st)) {
            HostSample s = h.sample(clock.now);
            r.record(topics.availability(h.id), Topics.Kind.AVAILABILITY, Availability.ONLINE.payload());
            r.record(topics.state(h.id), Topics.Kind.STATE, ContractJson.write(HostState.of(h.id, h.role, "0.1.0",
                    clock.now, new EngineState(true, "20.10", "1.41", null, Trace.T0), List.of())));
            r.record(topics.io(h.id), Topics.Kind.IO, ContractJson.write(s.io()));
            r.record(topics.mounts(h.id), Topics.Kind.MOUNTS, ContractJson.write(s.mounts()));
            r.record(topics.activity(h.id), Topics.Kind.ACTIVITY, ContractJson.write(s.activity()));
        }
    }

    @Test
    void aRecordedEvening_replays_toTheSameRaisesAndClears_withinAWindow() throws IOException {
        Path file = dir.resolve("recording.jsonl");
        TestClock clock = new TestClock();
        Topics topics = Topics.defaults();
        DetectorConfig config = DetectorConfig.defaults();
        Trace live = new Trace(config, new Baselines(BaselineConfig.defaults(), config, Set.of(), 100));
        try (Recorder r = new Recorder(file, 64L * 1024 * 1024, 2, clock)) {
            record(live, r, clock, topics, Duration.ofMinutes(3), () -> { });
            live.dl.downloading();
            live.st.degraded();
            record(live, r, clock, topics, Duration.ofMinutes(2), () -> { });
            live.dl.calmDownload();
            live.st.calmStreaming();
            record(live, r, clock, topics, Duration.ofMinutes(3), () -> { });
        }
        assertThat(live.transitions()).extracting(x -> x.t().alertId() + " " + x.t().change())
                .containsExactly("stutter RAISED", "stutter CLEARED");

        Replay.Result replayed = Replay.run(List.of(file), Map.of());
        assertThat(replayed.messages()).isEqualTo(96L * 10);
        assertThat(replayed.transitions()).extracting(x -> x.alert() + " " + x.change())
                .containsExactly("stutter raised", "stutter cleared");
        for (int i = 0; i < 2; i++) {
            Instant liveAt = live.transitions().get(i).at();
            assertThat(replayed.transitions().get(i).at()).isBetween(liveAt.minus(config.window()), liveAt.plus(config.window()));
        }
        assertThat(replayed.transitions().get(0).message()).startsWith("streaming stutter during downloads (used: ")
                .contains("nfs-read-rtt@streaming-stack 90 ms >= 25 (crossed)"); // crossed before: its clear level
        assertThat(replayed.maxScoreByMinute().values()).contains(100).contains(0);
        assertThat(replayed.baselines()).extracting(SignalBaseline::host).contains(Trace.DL, Trace.ST);
        // Learning shortened by an option: the three calm minutes before are enough to learn from.
        Replay.Result quick = Replay.run(List.of(file), Map.of("learn-after", "2m"));
        assertThat(quick.baselines()).filteredOn(b -> b.signal().equals(Signals.NFS_READ_RTT)).singleElement()
                .satisfies(b -> assertThat(b.origin()).isEqualTo(SignalBaseline.LEARNED));
        assertThat(quick.thresholds()).isEqualTo("learned from calm for all 7 learnable signals");
    }

    /**
     * Live, the agents' samples land a few milliseconds after the windows' times, read by the window all the same;
     * the window lines put them where the window read them, and the replay decides on them in the same window.
     */
    @Test
    void windowLines_replayEachWindowOnWhatTheLiveWindowRead_samplesJustAfterItsTimeIncluded() throws IOException {
        Path file = dir.resolve("recording.jsonl");
        TestClock clock = new TestClock();
        Topics topics = Topics.defaults();
        DetectorConfig config = DetectorConfig.defaults();
        Trace live = new Trace(config, new Baselines(BaselineConfig.defaults(), config, Set.of(), 100));
        try (Recorder r = new Recorder(file, 64L * 1024 * 1024, 2, clock)) {
            for (int i = 0; i < 24 * 8; i++) {
                if (i == 24 * 3) {
                    live.dl.downloading();
                    live.st.degraded();
                } else if (i == 24 * 5) {
                    live.dl.calmDownload();
                    live.st.calmStreaming();
                }
                live.now = live.now.plus(config.window());
                clock.now = live.now.plusMillis(2);
                report(live, r, clock, topics);
                clock.now = live.now.plusMillis(3);
                r.window(live.now);
                live.window();
            }
        }
        assertThat(Files.readAllLines(file)).filteredOn(l -> l.contains("\"window\":")).first()
                .isEqualTo("{\"at\":\"" + Trace.T0.plusSeconds(5).plusMillis(3) + "\",\"window\":\"" + Trace.T0.plusSeconds(5) + "\"}");
        List<Instant> liveAt = live.transitions().stream().map(Trace.Transition::at).toList();
        assertThat(live.transitions()).extracting(x -> x.t().alertId() + " " + x.t().change())
                .containsExactly("stutter RAISED", "stutter CLEARED");

        Replay.Result marked = Replay.run(List.of(file), Map.of());
        assertThat(marked.transitions()).extracting(Replay.Transition::at).containsExactlyElementsOf(liveAt);

        // The same recording without its window lines: each sample falls after its window, one window late.
        Path unmarked = dir.resolve("unmarked.jsonl");
        Files.write(unmarked, Files.readAllLines(file).stream().filter(l -> !l.contains("\"window\":")).toList());
        Replay.Result late = Replay.run(List.of(unmarked), Map.of());
        assertThat(late.transitions()).extracting(Replay.Transition::at)
                .containsExactlyElementsOf(liveAt.stream().map(a -> a.plus(config.window())).toList());
    }

    @Test
    void theRecording_isOneJsonObjectPerLine_withTimeTopicAndThePayloadAsReceived() throws IOException {
        Path file = dir.resolve("r.jsonl");
        TestClock clock = new TestClock();
        byte[] io = "{\"schema\":\"mediawatch.host-io\",\n\"version\":1}".getBytes(StandardCharsets.UTF_8);
        try (Recorder r = new Recorder(file, 1 << 20, 1, clock)) {
            r.record("mediawatch/h/availability", Topics.Kind.AVAILABILITY, "online".getBytes(StandardCharsets.UTF_8));
            r.record("mediawatch/h/io", Topics.Kind.IO, io);
            r.record("mediawatch/h/state", Topics.Kind.STATE, new byte[0]);
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        JsonNode first = ContractJson.mapper().readTree(lines.get(0));
        assertThat(first.path("at").asText()).isEqualTo(Trace.T0.toString());
        assertThat(first.path("topic").asText()).isEqualTo("mediawatch/h/availability");
        assertThat(first.path("payload").asText()).isEqualTo("online");
        assertThat(ContractJson.mapper().readTree(lines.get(1)).path("payload").path("schema").asText())
                .isEqualTo("mediawatch.host-io");
        assertThat(ContractJson.mapper().readTree(lines.get(2)).path("payload").isNull()).isTrue();
    }

    @Test
    void theRecording_isRotated_atItsSize_keepingTheConfiguredNumberOfFiles() throws IOException {
        Path file = dir.resolve("r.jsonl");
        byte[] payload = ("{\"pad\":\"" + "x".repeat(1000) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (Recorder r = new Recorder(file, 8192, 2, new TestClock())) {
            for (int i = 0; i < 40; i++) {
                r.record("mediawatch/h/io", Topics.Kind.IO, payload);
            }
        }
        assertThat(Files.size(file)).isLessThanOrEqualTo(8192);
        assertThat(dir.resolve("r.jsonl.1")).exists();
        assertThat(dir.resolve("r.jsonl.2")).exists();
        assertThat(dir.resolve("r.jsonl.3")).doesNotExist();
        assertThat(Files.size(dir.resolve("r.jsonl.1"))).isLessThanOrEqualTo(8192);
    }

    @Test
    void badLinesAndOptions_areNamed() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"at\":\"2026-12-01T00:00:00Z\",\"topic\":\"mediawatch/h/io\",\"payload\":{}}\nnot json\n");
        assertThatThrownBy(() -> Replay.run(List.of(file), Map.of())).hasMessageStartingWith(file + ", line 2: not a recording line");
        assertThatThrownBy(() -> Replay.run(List.of(file), Map.of("raise-afterr", "10s")))
                .hasMessageStartingWith("unknown option 'raise-afterr'");
        assertThatThrownBy(() -> Replay.run(List.of(file), Map.of("thresholds", "streaming-nope=1/1")))
                .hasMessageContaining("mediawatch.stutter.thresholds: 'streaming-nope=1/1'");
        assertThat(STUTTER).isEqualTo("stutter");
    }
}
