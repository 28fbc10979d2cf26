package dev.mediawatch.aggregator.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.aggregator.stutter.Signals;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.SignalBaseline;

/**
 * {@code kill -9} in the middle of a save, for real: a child JVM ({@link BaselineStoreChild}) saves growing baselines
 * as fast as it can; the test kills it with SIGKILL at a different moment each round and reads the file: it must
 * read cleanly, with the generation last confirmed or the one after (never a mix, never nothing), and the next round
 * goes on from it.
 */
class BaselineStoreCrashTest {

    private static final Pattern SAVED = Pattern.compile("^saved (\\d+) \\.$");

    @TempDir
    Path dir;

    @Test
    void killedMidSave_fiveRounds_theFileIsAlwaysAWholeSave() throws Exception {
        Path file = dir.resolve("baselines.json");
        int generation = 1;
        for (int round = 0; round < 5; round++) {
            AtomicInteger confirmed = new AtomicInteger(-1);
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    BaselineStoreChild.class.getName(), file.toString(), Integer.toString(generation))
                    .redirectError(dir.resolve("child-" + round + ".err").toFile()).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        Matcher m = SAVED.matcher(line);
                        if (m.matches()) {
                            confirmed.set(Integer.parseInt(m.group(1)));
                        }
                    }
                } catch (IOException e) {
                    // the child was killed
                }
            });
            reader.start();
            int killAfter = generation + 2 + round;
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(2))
                    .until(() -> confirmed.get() >= killAfter || !child.isAlive());
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(30_000);
            assertThat(child.exitValue()).as("killed, not exited").isEqualTo(137);

            BaselineStore store = new BaselineStore(file);
            Baselines read = BaselineStoreTest.fresh();
            store.load(read);
            assertThat(store.health()).as("round %d", round).isEqualTo("ok");
            SignalBaseline v = read.views(Map.of(HostId.of("host-7"), Signals.STREAMING)).get(0);
            long readGeneration = v.calmSamples() / 100;
            assertThat(v.calmSamples() % 100).isZero();
            assertThat(readGeneration).as("round %d: confirmed %d", round, confirmed.get())
                    .isBetween((long) confirmed.get(), (long) confirmed.get() + 1);
            generation = (int) readGeneration + 1;
        }
    }
}
