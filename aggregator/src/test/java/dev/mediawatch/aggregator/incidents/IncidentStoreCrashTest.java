package dev.mediawatch.aggregator.incidents;

import static dev.mediawatch.aggregator.incidents.IncidentStoreChild.incident;
import static dev.mediawatch.aggregator.incidents.IncidentStoreChild.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.contract.Incident;

/**
 * {@code kill -9} mid-write, for real: a child JVM ({@link IncidentStoreChild}) upserts incidents of ~50 KB as
 * fast as it can and prints each id once {@code upsert} returned; the test kills it with SIGKILL
 * ({@link Process#destroyForcibly()}), then reopens the journal: every confirmed id must be there, intact, the
 * file must parse (at most a torn last append, never a lost complete line), and a new upsert must work.
 */
class IncidentStoreCrashTest {

    private static final Pattern CONFIRMED = Pattern.compile("^(\\S+) (\\d+) \\.$");

    @TempDir
    Path dir;

    final List<Child> children = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Child c : children) {
            c.process.destroyForcibly();
            c.process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void killedMidAppend_fiveRounds_everyConfirmedIncidentSurvives() throws Exception {
        Path journal = dir.resolve("hot.journal");
        Map<String, Integer> confirmed = new ConcurrentHashMap<>();
        for (int round = 0; round < 5; round++) {
            Child child = start("hot", journal, round, IncidentStore.DEFAULT_MAX_FILE_BYTES);
            int killAt = 15 + round * 7;
            await("child confirms " + killAt + " upserts").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> child.lines.get() >= killAt || !child.process.isAlive());
            child.kill();
            assertThat(child.lines.get()).as("child output: %s / %s", child.other, child.stderr()).isGreaterThanOrEqualTo(killAt);
            child.confirmed.forEach((id, v) -> confirmed.merge(id, v, Math::max));
            long torn = verify(journal, confirmed);
            System.out.printf("kill round %d: %d upserts confirmed, torn last append %d bytes%n", round,
                    child.lines.get(), torn);
        }
        assertThat(confirmed).hasSizeGreaterThanOrEqualTo(15 + 22 + 29 + 36 + 43);
    }

    @Test
    void killedDuringCompaction_journalKeepsEveryConfirmedVersion() throws Exception {
        Path journal = dir.resolve("compact.journal");
        Path tmp = dir.resolve("compact.journal.tmp");
        Map<String, Integer> confirmed = new ConcurrentHashMap<>();
        int hits = 0;
        for (int round = 0; round < 12 && hits < 2; round++) {
            // 8 ids of ~50 KB upserted again and again: the journal is compacted every ~8 upserts.
            Child child = start("compact", journal, round, 256 * 1024);
            await("child is writing").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(5))
                    .until(() -> child.lines.get() >= 12 || !child.process.isAlive());
            // Kill the moment a compaction is under way: its .tmp exists from creation until the rename.
            await("a compaction starts").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1)).pollInSameThread()
                    .until(() -> {
                        if (Files.exists(tmp)) {
                            child.process.destroyForcibly();
                            return true;
                        }
                        return !child.process.isAlive();
                    });
            child.kill();
            boolean hit = Files.exists(tmp);
            if (hit) {
                hits++;
            }
            assertThat(child.lines.get()).as("child output: %s / %s", child.other, child.stderr()).isGreaterThanOrEqualTo(12);
            child.confirmed.forEach((id, v) -> confirmed.merge(id, v, Math::max));
            long torn = verify(journal, confirmed);
            System.out.printf("compaction kill round %d: %d upserts confirmed, .tmp left behind: %s, torn %d bytes%n",
                    round, child.lines.get(), hit, torn);
            assertThat(Files.exists(tmp)).as("reopening replaces the half-written .tmp").isFalse();
        }
        assertThat(hits).as("kills that landed while a compaction's .tmp existed").isGreaterThanOrEqualTo(1);
    }

    /**
     * The journal parses (a torn last append at most), holds every confirmed version intact, and takes a new
     * upsert. Returns the bytes of the torn append dropped.
     */
    long verify(Path journal, Map<String, Integer> confirmed) throws IOException {
        JournalCodec.Read read = JournalCodec.read(journal);
        long torn = read.droppedBytes();
        if (read.badReason() != null) {
            assertThat(read.badReason()).isEqualTo(JournalCodec.TORN);
            assertThat(read.tailLines()).as("only an unfinished last line may be dropped").isFalse();
        }
        try (IncidentStore store = new IncidentStore(journal, Clock.systemUTC(), Duration.ofDays(3650), 1_000_000,
                IncidentStore.DEFAULT_MAX_FILE_BYTES)) {
            store.open();
            assertThat(store.health()).isEqualTo("ok");
            for (Map.Entry<String, Integer> e : confirmed.entrySet()) {
                Incident kept = store.get(e.getKey()).orElse(null);
                assertThat(kept).as("confirmed %s v%s", e.getKey(), e.getValue()).isNotNull();
                assertThat(version(kept)).as("version of %s", e.getKey()).isGreaterThanOrEqualTo(e.getValue());
                assertThat(kept).isEqualTo(incident(kept.id(), version(kept), 200));
            }
            Incident fresh = incident("after-" + confirmed.size(), 1, 200);
            store.upsert(fresh);
            assertThat(store.health()).isEqualTo("ok");
            assertThat(store.get(fresh.id())).contains(fresh);
        }
        assertThat(JournalCodec.read(journal).badReason()).isNull();
        return torn;
    }

    Child start(String mode, Path journal, int round, long maxFileBytes) throws IOException {
        Path stderr = dir.resolve("child-" + mode + "-" + round + ".err");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                IncidentStoreChild.class.getName(), mode, journal.toString(), Integer.toString(round),
                Long.toString(maxFileBytes));
        pb.redirectError(stderr.toFile());
        Child child = new Child(pb.start(), stderr);
        children.add(child);
        return child;
    }

    static final class Child {
        final Process process;
        final Path stderrFile;
        final Map<String, Integer> confirmed = new ConcurrentHashMap<>();
        final List<String> other = new CopyOnWriteArrayList<>();
        final AtomicInteger lines = new AtomicInteger();
        final Thread reader;

        Child(Process process, Path stderrFile) {
            this.process = process;
            this.stderrFile = stderrFile;
            this.reader = new Thread(this::read, "child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = CONFIRMED.matcher(line);
                    if (m.matches()) {
                        confirmed.merge(m.group(1), Integer.parseInt(m.group(2)), Math::max);
                        lines.incrementAndGet();
                    } else if (other.size() < 20) {
                        other.add(line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** SIGKILL, then every line it printed before dying (they were confirmed too). */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("child died").isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(reader.isAlive()).as("child's stdout closed").isFalse();
            assertThat(process.exitValue()).as("killed, not exited: %s", stderr()).isEqualTo(137);
        }

        String stderr() {
            try {
                String s = Files.readString(stderrFile);
                return s.length() > 2000 ? s.substring(0, 2000) : s;
            } catch (IOException e) {
                return "(no stderr: " + e + ")";
            }
        }
    }
}
