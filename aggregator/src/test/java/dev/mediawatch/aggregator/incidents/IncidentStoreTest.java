package dev.mediawatch.aggregator.incidents;

import static dev.mediawatch.aggregator.incidents.IncidentStoreChild.T0;
import static dev.mediawatch.aggregator.incidents.IncidentStoreChild.incident;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.IncidentAction;
import dev.mediawatch.testing.MutableClock;

/** The incident journal on real files in a temporary directory, with a clock moved by hand. */
class IncidentStoreTest {

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(1)));
    final List<IncidentStore> stores = new ArrayList<>();

    @AfterEach
    void closeAll() {
        stores.forEach(IncidentStore::close);
    }

    IncidentStore store(Path file) {
        return store(file, IncidentStore.DEFAULT_MAX_INCIDENTS, IncidentStore.DEFAULT_MAX_FILE_BYTES);
    }

    IncidentStore store(Path file, int maxIncidents, long maxFileBytes) {
        IncidentStore s = new IncidentStore(file, clock, Duration.ofDays(30), maxIncidents, maxFileBytes);
        stores.add(s);
        s.open();
        return s;
    }

    Path journal() {
        return dir.resolve("incidents.journal");
    }

    static Incident simple(String id, Instant raised, Instant cleared) {
        return new Incident(id, "stutter", AlertSeverity.CRITICAL, "stutter " + id, raised, cleared, 60, null, null,
                List.of());
    }

    /** The journal read by the codec alone: every line must be whole. */
    static List<Incident> parseAll(Path file) throws IOException {
        JournalCodec.Read read = JournalCodec.read(file);
        assertThat(read.badReason()).as("journal %s parses to its end", file).isNull();
        return read.incidents();
    }

    @Test
    void roundTrip_upsertReplaces_sinceIsNewestFirst() throws IOException {
        IncidentStore s = store(journal());
        assertThat(s.health()).isEqualTo("ok");
        Incident a1 = incident("a", 1, 20);
        Incident b = simple("b", a1.raisedAt().plusSeconds(60), null);
        Incident c = simple("c", a1.raisedAt().minusSeconds(3600), a1.raisedAt().minusSeconds(3000));
        s.upsert(a1);
        s.upsert(b);
        s.upsert(c);
        assertThat(s.get("a")).contains(a1);

        Incident a3 = incident("a", 3, 20); // cleared, with actions
        s.upsert(a3);
        assertThat(s.get("a")).contains(a3);
        assertThat(s.get("nope")).isEmpty();
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.since(Instant.EPOCH, 10)).containsExactly(b, a3, c);
        assertThat(s.since(Instant.EPOCH, 2)).containsExactly(b, a3);
        assertThat(s.since(a1.raisedAt(), 10)).containsExactly(b, a3);
        assertThat(s.since(Instant.EPOCH, 0)).isEmpty();
        assertThat(parseAll(journal())).containsExactly(a1, b, c, a3); // four appends, last one wins
        assertThat(s.health()).isEqualTo("ok");
    }

    @Test
    void since_stillOpenIncidentsRaisedEarlierAreIncluded() {
        IncidentStore s = store(journal());
        Incident oldOpen = simple("old-open", T0, null);
        Incident oldCleared = simple("old-cleared", T0.plusSeconds(1), T0.plusSeconds(100));
        Incident recent = simple("recent", T0.plusSeconds(7200), null);
        s.upsert(oldOpen);
        s.upsert(oldCleared);
        s.upsert(recent);
        assertThat(s.since(T0.plusSeconds(3600), 10)).containsExactly(recent, oldOpen);
    }

    @Test
    void badArguments_clearErrors() {
        IncidentStore s = store(journal());
        assertThatThrownBy(() -> s.since(null, 1)).isInstanceOf(NullPointerException.class).hasMessage("since");
        assertThatThrownBy(() -> s.since(T0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> new IncidentStore(journal(), clock, Duration.ZERO, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> new IncidentStore(journal(), clock, Duration.ofDays(1), 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIncidents");
        s.upsert(null); // logged, ignored
        assertThat(s.size()).isZero();
        assertThat(s.health()).isEqualTo("ok");
    }

    @Test
    void reopen_keepsEverything_lastVersionWins() throws IOException {
        IncidentStore s = store(journal());
        List<Incident> last = new ArrayList<>();
        for (int n = 0; n < 30; n++) {
            for (int v = 1; v <= (n % 3) + 1; v++) {
                s.upsert(incident("r-" + n, v, 10));
            }
            last.add(incident("r-" + n, (n % 3) + 1, 10));
        }
        List<Incident> before = s.since(Instant.EPOCH, 1000);
        assertThat(before).hasSize(30).containsExactlyInAnyOrderElementsOf(last);
        s.close();

        IncidentStore again = store(journal());
        assertThat(again.health()).isEqualTo("ok");
        assertThat(again.since(Instant.EPOCH, 1000)).isEqualTo(before);
        assertThat(again.droppedBytes()).isZero();
        assertThat(parseAll(journal())).hasSize(30); // compacted on open: one line per incident
        again.upsert(incident("r-new", 1, 10));
        assertThat(again.get("r-new")).isPresent();
    }

    @Test
    void retention_dropsClearedLongAgo_keepsOpenOnes_alsoAfterReopen() {
        IncidentStore s = store(journal());
        Instant now = clock.instant();
        Incident oldCleared = simple("old-cleared", now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(35)));
        Incident oldOpen = simple("old-open", now.minus(Duration.ofDays(45)), null);
        Incident recentCleared = simple("recent-cleared", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(9)));
        Incident aging = simple("aging", now.minus(Duration.ofDays(29)), now.minus(Duration.ofDays(28)));
        s.upsert(oldCleared); // already past retention: not kept
        s.upsert(oldOpen);
        s.upsert(recentCleared);
        s.upsert(aging);
        assertThat(s.since(Instant.EPOCH, 10)).containsExactly(recentCleared, aging, oldOpen);

        clock.advance(Duration.ofDays(3)); // "aging" was cleared 31 days ago now
        assertThat(s.since(Instant.EPOCH, 10)).containsExactly(recentCleared, oldOpen);
        assertThat(s.get("aging")).isEmpty();
        s.close();

        IncidentStore again = store(journal());
        assertThat(again.since(Instant.EPOCH, 10)).containsExactly(recentCleared, oldOpen);
    }

    @Test
    void maxIncidents_dropsOldestClearedFirst_neverTheNewest() {
        IncidentStore s = store(journal(), 3, IncidentStore.DEFAULT_MAX_FILE_BYTES);
        Incident openOldest = simple("open-oldest", T0, null);
        s.upsert(openOldest);
        List<Incident> cleared = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            Incident i = simple("c" + n, T0.plusSeconds(n * 100), T0.plusSeconds(n * 100 + 50));
            cleared.add(i);
            s.upsert(i);
        }
        assertThat(s.since(Instant.EPOCH, 10)).containsExactly(cleared.get(3), cleared.get(2), openOldest);
        s.close();
        IncidentStore again = store(journal(), 3, IncidentStore.DEFAULT_MAX_FILE_BYTES);
        assertThat(again.since(Instant.EPOCH, 10)).containsExactly(cleared.get(3), cleared.get(2), openOldest);
    }

    @Test
    void actions_cappedKeepingFirstAndLast() {
        IncidentStore s = store(journal());
        List<IncidentAction> actions = new ArrayList<>();
        for (int n = 0; n < 250; n++) {
            actions.add(new IncidentAction(T0.plusSeconds(n), "throttle.applied", "n=" + n));
        }
        s.upsert(new Incident("many", "stutter", AlertSeverity.CRITICAL, "m", T0, null, 50, null, null, actions));
        List<IncidentAction> kept = s.get("many").orElseThrow().actions();
        assertThat(kept).hasSize(IncidentStore.MAX_ACTIONS);
        assertThat(kept.subList(0, 50)).isEqualTo(actions.subList(0, 50));
        assertThat(kept.subList(50, 100)).isEqualTo(actions.subList(200, 250));
    }

    @Test
    void oversizedRecord_keptWithoutEvidence() throws IOException {
        IncidentStore s = store(journal());
        Incident huge = incident("huge", 1, 12_000); // ~1.4 MB of evidence, over the 1 MiB record bound
        s.upsert(huge);
        Incident kept = s.get("huge").orElseThrow();
        assertThat(kept.atRaise()).isNull();
        assertThat(kept.atPeak()).isNull();
        assertThat(kept.raisedAt()).isEqualTo(huge.raisedAt());
        assertThat(Files.size(journal())).isLessThan(JournalCodec.MAX_RECORD_BYTES);
        assertThat(parseAll(journal())).containsExactly(kept);
    }

    @Test
    void compactionOnOpen_keepsContent_shrinksFile() throws IOException {
        IncidentStore s = store(journal());
        for (int v = 1; v <= 6; v++) {
            for (int n = 0; n < 10; n++) {
                s.upsert(incident("k-" + n, v, 50));
            }
        }
        List<Incident> content = s.since(Instant.EPOCH, 100);
        long grown = Files.size(journal());
        assertThat(parseAll(journal())).hasSize(60);
        s.close();

        IncidentStore again = store(journal());
        assertThat(again.since(Instant.EPOCH, 100)).isEqualTo(content);
        assertThat(parseAll(journal())).hasSize(10);
        assertThat(Files.size(journal())).isLessThan(grown / 5);
        assertThat(Files.exists(dir.resolve("incidents.journal.tmp"))).isFalse();
    }

    @Test
    void compactionBySize_keepsTheJournalBounded() throws IOException {
        long max = 64 * 1024;
        IncidentStore s = store(journal(), 100, max);
        long recordBytes = JournalCodec.line(JournalCodec.json(incident("z-0", 299, 25))).length;
        long largest = 0;
        for (int v = 1; v <= 300; v++) {
            s.upsert(incident("z-" + (v % 4), v, 25));
            largest = Math.max(largest, Files.size(journal()));
        }
        assertThat(s.compactions()).isGreaterThan(10);
        assertThat(largest).isLessThanOrEqualTo(max + recordBytes);
        List<Incident> content = s.since(Instant.EPOCH, 100);
        assertThat(content).hasSize(4);
        s.close();
        assertThat(store(journal(), 100, max).since(Instant.EPOCH, 100)).isEqualTo(content);
    }

    @Test
    void tornLastLine_validRecordsRead_tailTruncated_storeWritable() throws IOException {
        IncidentStore s = store(journal());
        for (int n = 0; n < 3; n++) {
            s.upsert(incident("t-" + n, 1, 30));
        }
        s.close();
        long whole = Files.size(journal());
        byte[] line = JournalCodec.line(JournalCodec.json(incident("t-3", 1, 30)));
        int half = line.length / 2;
        Files.write(journal(), java.util.Arrays.copyOf(line, half), StandardOpenOption.APPEND);

        IncidentStore again = store(journal());
        assertThat(again.health()).isEqualTo("ok");
        assertThat(again.size()).isEqualTo(3);
        assertThat(again.get("t-3")).isEmpty();
        assertThat(again.droppedBytes()).isEqualTo(half);
        assertThat(Files.size(journal())).isEqualTo(whole);
        assertThat(corruptCopies()).as("a torn append is not worth keeping").isEmpty();

        again.upsert(incident("t-3", 1, 30));
        again.close();
        IncidentStore third = store(journal());
        assertThat(third.size()).isEqualTo(4);
        assertThat(third.get("t-3")).contains(incident("t-3", 1, 30));
        assertThat(parseAll(journal())).hasSize(4);
    }

    @Test
    void corruptCrcInTheMiddle_recordsBeforeRead_tailSavedAside_storeWritable() throws IOException {
        IncidentStore s = store(journal());
        for (int n = 0; n < 5; n++) {
            s.upsert(incident("m-" + n, 1, 30));
        }
        s.close();
        byte[] bytes = Files.readAllBytes(journal());
        List<Integer> lineStarts = new ArrayList<>(List.of(0));
        for (int i = 0; i < bytes.length - 1; i++) {
            if (bytes[i] == '\n') {
                lineStarts.add(i + 1);
            }
        }
        int third = lineStarts.get(2);
        bytes[third] = (byte) (bytes[third] == '0' ? '1' : '0'); // the CRC of the third record no longer matches
        Files.write(journal(), bytes);

        IncidentStore again = store(journal());
        assertThat(again.health()).isEqualTo("ok");
        assertThat(again.since(Instant.EPOCH, 10)).extracting(Incident::id).containsExactlyInAnyOrder("m-0", "m-1");
        assertThat(again.droppedBytes()).isEqualTo(bytes.length - third);
        assertThat(Files.size(journal())).isEqualTo(third);
        List<Path> saved = corruptCopies();
        assertThat(saved).hasSize(1);
        byte[] tail = Files.readAllBytes(saved.get(0));
        assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(bytes, third, bytes.length));
        assertThat(new String(tail, StandardCharsets.UTF_8)).contains("\"m-2\"", "\"m-3\"", "\"m-4\"");

        again.upsert(incident("m-5", 1, 30));
        again.close();
        assertThat(store(journal()).since(Instant.EPOCH, 10)).extracting(Incident::id)
                .containsExactlyInAnyOrder("m-0", "m-1", "m-5");
    }

    @Test
    void garbageFile_readAsEmpty_savedAside_neverThrows() throws IOException {
        Files.writeString(journal(), "this is not\na journal\n");
        IncidentStore s = store(journal());
        assertThat(s.health()).isEqualTo("ok");
        assertThat(s.size()).isZero();
        assertThat(corruptCopies()).hasSize(1);
        s.upsert(incident("g", 1, 5));
        assertThat(parseAll(journal())).hasSize(1);
    }

    @Test
    void pathUnderARegularFile_healthNamesIt_memoryWorks_recoversWhenFixed() throws IOException {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a regular file where a directory should be");
        Path file = blocker.resolve("incidents.journal");
        IncidentStore s = store(file);
        assertThat(s.health()).startsWith("incident store " + file + ": cannot open: ")
                .contains(blocker.toString()).contains("in memory only").doesNotContain("\n").doesNotContain("at java.");
        for (int n = 0; n < 3; n++) {
            s.upsert(incident("u-" + n, 1, 10)); // no exception
        }
        assertThat(s.since(Instant.EPOCH, 10)).hasSize(3);
        assertThat(s.get("u-1")).contains(incident("u-1", 1, 10));

        Files.delete(blocker); // fixed: the directory can be made now
        s.upsert(incident("u-3", 1, 10));
        assertThat(s.health()).as("not retried before the interval").isNotEqualTo("ok");
        clock.advance(IncidentStore.RETRY_INTERVAL);
        s.upsert(incident("u-4", 1, 10));
        assertThat(s.health()).isEqualTo("ok");
        assertThat(parseAll(file)).extracting(Incident::id).containsExactlyInAnyOrder("u-0", "u-1", "u-2", "u-3", "u-4");
        s.close();
        assertThat(store(file).size()).isEqualTo(5);
    }

    @Test
    void journalIsADirectory_reported() throws IOException {
        Files.createDirectories(journal());
        IncidentStore s = store(journal());
        assertThat(s.health()).contains(journal().toString()).contains("not a regular file");
        s.upsert(incident("d", 1, 5));
        assertThat(s.get("d")).isPresent();
    }

    @Test
    void secondStoreOnTheSameFile_refused_firstKeepsWorking() throws IOException {
        IncidentStore first = store(journal());
        first.upsert(incident("x", 1, 5));
        IncidentStore second = store(journal());
        assertThat(second.health()).contains("in use by another incident store");
        second.upsert(incident("y", 1, 5));
        first.upsert(incident("z", 1, 5));
        assertThat(first.health()).isEqualTo("ok");
        assertThat(parseAll(journal())).extracting(Incident::id).containsExactly("x", "z");
    }

    @Test
    void upsertBeforeOpen_mergedOnOpen_memoryWins() throws IOException {
        IncidentStore s = store(journal());
        s.upsert(incident("p", 1, 5));
        s.close();
        IncidentStore late = new IncidentStore(journal(), clock, Duration.ofDays(30), 100, 1 << 20);
        stores.add(late);
        assertThat(late.health()).contains("not opened");
        late.upsert(incident("p", 2, 5));
        late.open();
        assertThat(late.get("p")).contains(incident("p", 2, 5));
        late.close();
        assertThat(late.health()).contains("closed");
        assertThat(parseAll(journal())).containsExactly(incident("p", 2, 5));
    }

    @Test
    void health_answersWhileTheStoreIsBusy() throws Exception {
        IncidentStore s = store(journal());
        s.upsert(incident("busy", 1, 5));
        java.util.concurrent.CompletableFuture<String> health;
        synchronized (s) { // what an upsert or a compaction under way holds
            health = java.util.concurrent.CompletableFuture.supplyAsync(() -> s.health() + " " + s.size());
            assertThat(health.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ok 1");
        }
    }

    List<Path> corruptCopies() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("incidents.journal.corrupt-")).toList();
        }
    }
}
