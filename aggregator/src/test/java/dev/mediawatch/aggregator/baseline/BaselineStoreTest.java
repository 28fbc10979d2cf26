package dev.mediawatch.aggregator.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.aggregator.stutter.DetectorConfig;
import dev.mediawatch.aggregator.stutter.Signals;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.SignalValue;

/** The baselines survive a restart; a broken file is reported and moved aside, never a crash. */
class BaselineStoreTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final HostId ST = HostId.of("streaming-stack");

    @TempDir
    Path dir;

    static Baselines fresh() {
        return new Baselines(BaselineConfig.defaults(), DetectorConfig.defaults(), Set.of(), 100);
    }

    static Baselines learnedFor(int windows) {
        Baselines b = fresh();
        Instant t = T0;
        for (int i = 0; i < windows; i++) {
            b.observe(t, Duration.ofSeconds(5), List.of(new SignalValue(Signals.NFS_READ_RTT, Signals.STREAMING, ST,
                    3 + (i % 7) * 0.25, Signals.MS, 50, false)), true);
            t = t.plusSeconds(5);
        }
        return b;
    }

    @Test
    void savedAndRead_theSameThresholdsAndViews() {
        Path file = dir.resolve("baselines.json");
        Baselines before = learnedFor(1000);
        BaselineStore store = new BaselineStore(file);
        store.save(before, T0);
        assertThat(store.health()).isEqualTo("ok");
        assertThat(dir.resolve("baselines.json.tmp")).doesNotExist();

        Baselines after = fresh();
        BaselineStore reopened = new BaselineStore(file);
        reopened.load(after);
        assertThat(reopened.health()).isEqualTo("ok");
        assertThat(after.rule(ST, Signals.STREAMING, Signals.NFS_READ_RTT))
                .isEqualTo(before.rule(ST, Signals.STREAMING, Signals.NFS_READ_RTT));
        assertThat(after.views(Map.of(ST, Signals.STREAMING))).isEqualTo(before.views(Map.of(ST, Signals.STREAMING)));
    }

    @Test
    void noFile_isAFirstStart() {
        BaselineStore store = new BaselineStore(dir.resolve("none.json"));
        Baselines b = fresh();
        store.load(b);
        assertThat(store.health()).isEqualTo("ok");
        assertThat(b.entries()).isEmpty();
    }

    @Test
    void aBrokenFile_isReported_movedAside_andLearningStartsAgain() throws IOException {
        for (String broken : List.of("{\"schema\":\"mediawatch.baselines-store\",\"version\":1,\"entries\":[{\"host\":",
                "not json at all", "")) {
            Path file = dir.resolve("b" + broken.length() + ".json");
            Files.writeString(file, broken);
            BaselineStore store = new BaselineStore(file);
            Baselines b = fresh();
            store.load(b);
            assertThat(store.health()).as(broken).contains(file + " is broken").endsWith("learning starts again");
            assertThat(b.entries()).isEmpty();
            assertThat(file).doesNotExist();
            try (var aside = Files.list(dir)) {
                assertThat(aside.map(p -> p.getFileName().toString()))
                        .anyMatch(n -> n.startsWith(file.getFileName() + ".broken-"));
            }
        }
    }

    @Test
    void aFlippedByte_failsTheChecksum_notTheLearning() throws IOException {
        Path file = dir.resolve("baselines.json");
        new BaselineStore(file).save(learnedFor(900), T0);
        String text = Files.readString(file);
        // Change one sample count: still valid JSON, no longer what was written.
        String tampered = text.replaceFirst("\"samples\":(\\d)", "\"samples\":9$1");
        assertThat(tampered).isNotEqualTo(text);
        Files.writeString(file, tampered);
        BaselineStore store = new BaselineStore(file);
        Baselines b = fresh();
        store.load(b);
        assertThat(store.health()).contains("checksum does not match");
        assertThat(b.entries()).isEmpty();
    }

    @Test
    void anUnwritablePlace_isReported_andTheBaselinesStayInMemory() throws IOException {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file where a directory should be");
        BaselineStore store = new BaselineStore(blocker.resolve("baselines.json"));
        Baselines b = learnedFor(100);
        store.save(b, T0);
        assertThat(store.health()).startsWith("cannot write " + blocker.resolve("baselines.json"));
        assertThat(b.entries()).hasSize(1);
        assertThat(new String(Files.readAllBytes(blocker), StandardCharsets.UTF_8)).startsWith("a file");
    }
}
