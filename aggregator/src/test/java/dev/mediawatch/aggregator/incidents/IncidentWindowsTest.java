package dev.mediawatch.aggregator.incidents;

import static dev.mediawatch.aggregator.incidents.IncidentStoreChild.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.ContentionWindow;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.SignalValue;
import dev.mediawatch.testing.MutableClock;

/** An incident's detector windows kept beside the journal, on real files, with a clock moved by hand. */
class IncidentWindowsTest {

    static final HostId DL = HostId.of("download-stack");
    static final HostId ST = HostId.of("streaming-stack");

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(1)));
    final List<IncidentStore> stores = new ArrayList<>();

    @AfterEach
    void closeAll() {
        stores.forEach(IncidentStore::close);
    }

    IncidentStore store(Path journal, int maxIncidents) {
        IncidentStore s = new IncidentStore(journal, clock, Duration.ofDays(30), maxIncidents, 1 << 24);
        stores.add(s);
        s.open();
        return s;
    }

    IncidentStore store() {
        return store(journal(), IncidentStore.DEFAULT_MAX_INCIDENTS);
    }

    Path journal() {
        return dir.resolve("incidents.journal");
    }

    Path windowsDir() {
        return dir.resolve("incidents.journal.windows");
    }

    static ContentionWindow window(Instant at, int score) {
        return new ContentionWindow(at, score, Math.min(100, 2 * score), Math.max(0, 2 * score - 100),
                score >= 50 ? Contention.CONTENTION : Contention.CALM, true, score >= 60, false, List.of(
                        new SignalValue("nfs-read-rtt", SignalValue.STREAMING, ST, 84.19999694824219 + score, "ms", 50,
                                score >= 50),
                        new SignalValue("nfs-write", SignalValue.DOWNLOAD, DL, 6.291456E7, "B/s", 2.0E7, true)));
    }

    /** Windows every 5 s from {@code from}, {@code n} of them, scores from {@code score}. */
    static List<ContentionWindow> windows(Instant from, int n, int score) {
        List<ContentionWindow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(window(from.plusSeconds(5L * i), Math.min(100, score + i % 3)));
        }
        return out;
    }

    static Incident incident(String id, Instant raised, Instant cleared) {
        return new Incident(id, "stutter", AlertSeverity.CRITICAL, "stutter " + id, raised, cleared, 60, null, null,
                List.of());
    }

    static String id(int n) {
        return String.format("stutter-20261121T%06dZ", n);
    }

    @Test
    void anIncidentsWindows_fromBeforeTheRaiseToTheClear_surviveACloseAndReopen() {
        IncidentStore s = store();
        Instant raised = T0.plusSeconds(300);
        s.upsert(incident(id(1), raised, null));
        List<ContentionWindow> before = windows(T0, 61, 40); // 5 minutes before, and the raise's own
        s.windowsStart(id(1), before);
        List<ContentionWindow> during = windows(raised.plusSeconds(5), 30, 70);
        during.forEach(w -> s.windowsAdd(id(1), w));
        s.windowsAdd(id(1), during.get(3)); // not newer: ignored
        List<ContentionWindow> all = new ArrayList<>(before);
        all.addAll(during);
        assertThat(s.windows(id(1))).get().satisfies(w -> {
            assertThat(w.windows()).isEqualTo(all);
            assertThat(w.stride()).isEqualTo(1);
        });
        s.windowsEnd(id(1));
        s.windowsAdd(id(1), window(raised.plusSeconds(600), 90)); // after the clear: not taken
        s.upsert(incident(id(1), raised, raised.plusSeconds(150)));
        assertThat(s.windows(id(1))).get().extracting(IncidentStore.Windows::windows).isEqualTo(all);
        assertThat(s.windowsHealth()).isEqualTo("ok");
        s.close();

        IncidentStore again = store();
        assertThat(again.windows(id(1))).get().extracting(IncidentStore.Windows::windows).isEqualTo(all);
        assertThat(again.windows("stutter-20991231T000000Z")).isEmpty();
        assertThat(again.windows("../incidents.journal")).isEmpty();
        assertThat(again.windowsHealth()).isEqualTo("ok");
    }

    @Test
    void anOpenIncident_isWrittenAtTheRaise_thenEveryMinute_soACrashLosesAtMostAMinute() throws IOException {
        IncidentStore s = store();
        Instant raised = T0.plusSeconds(300);
        s.upsert(incident(id(1), raised, null));
        s.windowsStart(id(1), windows(raised, 1, 60));
        Path file = windowsDir().resolve(id(1) + ".json");
        byte[] atRaise = Files.readAllBytes(file);
        List<ContentionWindow> during = windows(raised.plusSeconds(5), 24, 70); // up to raise + 120 s
        for (int i = 0; i < 11; i++) { // up to raise + 55 s: not written yet
            s.windowsAdd(id(1), during.get(i));
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(atRaise);
        s.windowsAdd(id(1), during.get(11)); // raise + 60 s
        byte[] atMinute = Files.readAllBytes(file);
        assertThat(atMinute).isNotEqualTo(atRaise);
        for (int i = 12; i < 20; i++) {
            s.windowsAdd(id(1), during.get(i));
        }

        // A crash now (no close, no clear): what is on disk is what a new store reads.
        Path copy = Files.createDirectories(dir.resolve("after-crash"));
        Files.copy(journal(), copy.resolve("incidents.journal"));
        Files.createDirectories(copy.resolve("incidents.journal.windows"));
        Files.copy(file, copy.resolve("incidents.journal.windows").resolve(file.getFileName()));
        IncidentStore crashed = store(copy.resolve("incidents.journal"), IncidentStore.DEFAULT_MAX_INCIDENTS);
        assertThat(crashed.windows(id(1))).get().extracting(w -> w.windows().get(w.windows().size() - 1).at())
                .isEqualTo(raised.plusSeconds(60));
        assertThat(crashed.windows(id(1)).orElseThrow().windows()).hasSize(13);
    }

    @Test
    void aLongIncident_isThinnedTo720_keepingEachPairsHigherScore() {
        IncidentStore s = store();
        Instant raised = T0;
        s.upsert(incident(id(1), raised, null));
        s.windowsStart(id(1), List.of(window(raised, 50)));
        List<ContentionWindow> all = new ArrayList<>();
        all.add(window(raised, 50));
        for (int i = 1; i < 1000; i++) {
            // A slow wave, and one lone spike that must survive the thinning.
            int score = i == 777 ? 100 : 50 + (int) Math.round(20 * Math.sin(i / 50.0));
            ContentionWindow w = window(raised.plusSeconds(5L * i), score);
            all.add(w);
            s.windowsAdd(id(1), w);
        }
        IncidentStore.Windows kept = s.windows(id(1)).orElseThrow();
        assertThat(kept.stride()).isEqualTo(2);
        assertThat(kept.windows()).hasSize(500); // 720 halved to 360, then 280 more in pairs
        assertThat(kept.windows()).extracting(ContentionWindow::at).isSorted();
        for (int i = 0; i < 500; i++) {
            ContentionWindow a = all.get(2 * i);
            ContentionWindow b = all.get(2 * i + 1);
            assertThat(kept.windows().get(i)).isEqualTo(b.score() > a.score() ? b : a);
        }
        assertThat(kept.windows()).extracting(ContentionWindow::score).contains(100);
        s.windowsEnd(id(1));
        s.close();
        IncidentStore.Windows reread = store().windows(id(1)).orElseThrow();
        assertThat(reread).isEqualTo(kept);
    }

    @Test
    void thinned_neverHoldsMoreThanItsMax_andShowsTheGroupInProgress() {
        IncidentWindows.Thinned t = new IncidentWindows.Thinned(8);
        for (int i = 0; i < 8; i++) {
            t.add(window(T0.plusSeconds(i), i));
        }
        assertThat(t.windows()).hasSize(8);
        assertThat(t.stride()).isEqualTo(1);
        t.add(window(T0.plusSeconds(8), 8)); // full: halved, and this one starts a pair
        assertThat(t.stride()).isEqualTo(2);
        assertThat(t.windows()).extracting(ContentionWindow::score).containsExactly(1, 3, 5, 7, 8);
        t.add(window(T0.plusSeconds(9), 0));
        assertThat(t.windows()).extracting(ContentionWindow::score).containsExactly(1, 3, 5, 7, 8);
        for (int i = 10; i < 100; i++) {
            t.add(window(T0.plusSeconds(i), i % 101));
            assertThat(t.windows().size()).isLessThanOrEqualTo(8);
        }
        assertThat(t.stride()).isEqualTo(16);
    }

    @Test
    void onlyTheNewest100IncidentsKeepWindows_olderOnesKeepTheirRecord() throws IOException {
        IncidentStore s = store();
        for (int n = 1; n <= 105; n++) {
            Instant raised = T0.plusSeconds(3600L * n);
            s.upsert(incident(id(n), raised, null));
            s.windowsStart(id(n), windows(raised.minusSeconds(10), 3, 60));
            s.upsert(incident(id(n), raised, raised.plusSeconds(60)));
            s.windowsEnd(id(n));
        }
        for (int n = 1; n <= 5; n++) {
            assertThat(s.windows(id(n))).as(id(n)).isEmpty();
            assertThat(s.get(id(n))).as(id(n)).isPresent();
        }
        assertThat(s.windows(id(6))).isPresent();
        assertThat(s.windows(id(105))).isPresent();
        assertThat(files()).hasSize(100).doesNotContain(id(1) + ".json");
        s.close();
        IncidentStore again = store();
        assertThat(again.windows(id(5))).isEmpty();
        assertThat(again.windows(id(6))).isPresent();
    }

    @Test
    void windowsGoWithTheirIncident_prunedByCountOrRetention() throws IOException {
        IncidentStore s = store(journal(), 3);
        for (int n = 1; n <= 4; n++) {
            Instant raised = clock.instant().minus(Duration.ofDays(20)).plusSeconds(3600L * n);
            s.upsert(incident(id(n), raised, null));
            s.windowsStart(id(n), windows(raised, 2, 60));
            s.upsert(incident(id(n), raised, n == 4 ? null : raised.plusSeconds(60)));
            s.windowsEnd(id(n));
        }
        // Four incidents, three kept: the oldest cleared one went, with its windows.
        assertThat(s.get(id(1))).isEmpty();
        assertThat(s.windows(id(1))).isEmpty();
        assertThat(files()).containsExactlyInAnyOrder(id(2) + ".json", id(3) + ".json", id(4) + ".json");

        clock.advance(Duration.ofDays(11)); // ids 2 and 3 cleared 30+ days ago; 4 is still open
        assertThat(s.since(Instant.EPOCH, 10)).extracting(Incident::id).containsExactly(id(4));
        assertThat(files()).containsExactly(id(4) + ".json");
    }

    @Test
    void atOpen_filesOfIncidentsTheJournalNoLongerHolds_andLeftoverTmpFiles_areRemoved() throws IOException {
        IncidentStore s = store();
        s.upsert(incident(id(1), T0, T0.plusSeconds(60)));
        s.windowsStart(id(1), windows(T0, 2, 60));
        s.windowsEnd(id(1));
        s.close();
        Files.writeString(windowsDir().resolve(id(2) + ".json"), "left behind");
        Files.writeString(windowsDir().resolve(id(1) + ".json.tmp"), "half");
        Files.writeString(windowsDir().resolve("notes.txt"), "not ours");
        IncidentStore again = store();
        assertThat(files()).containsExactlyInAnyOrder(id(1) + ".json", "notes.txt");
        assertThat(again.windows(id(1))).isPresent();
        assertThat(again.windowsHealth()).isEqualTo("ok");
    }

    @Test
    void aDamagedWindowsFile_isReportedAndSkipped_neverAStartupFailure() throws IOException {
        IncidentStore s = store();
        for (int n = 1; n <= 4; n++) {
            Instant raised = T0.plusSeconds(3600L * n);
            s.upsert(incident(id(n), raised, raised.plusSeconds(60)));
            s.windowsStart(id(n), windows(raised, 5, 60));
            s.windowsEnd(id(n));
        }
        s.close();
        // A flipped byte inside the JSON (CRC), a torn file, and a whole frame that holds something else.
        Path flipped = windowsDir().resolve(id(1) + ".json");
        byte[] b = Files.readAllBytes(flipped);
        b[b.length / 2] ^= 0x01;
        Files.write(flipped, b);
        Path torn = windowsDir().resolve(id(2) + ".json");
        byte[] t = Files.readAllBytes(torn);
        Files.write(torn, java.util.Arrays.copyOf(t, t.length / 2));
        Files.write(windowsDir().resolve(id(3) + ".json"),
                JournalCodec.line("{\"schema\":\"something-else\",\"version\":1}".getBytes(StandardCharsets.UTF_8)));

        IncidentStore again = store();
        assertThat(again.health()).isEqualTo("ok");
        assertThat(again.windowsHealth()).contains("2 files unreadable, skipped").contains(flipped.toString())
                .contains("CRC mismatch");
        assertThat(again.windows(id(1))).isEmpty();
        assertThat(again.windows(id(2))).isEmpty();
        assertThat(again.windows(id(3))).isEmpty(); // found when read
        assertThat(again.windowsHealth()).contains("3 files unreadable");
        assertThat(again.windows(id(4))).get().extracting(w -> w.windows().size()).isEqualTo(5);
        assertThat(again.get(id(1))).isPresent();
        // A new incident's windows are kept as usual.
        Instant raised = T0.plusSeconds(3600L * 10);
        again.upsert(incident(id(10), raised, null));
        again.windowsStart(id(10), windows(raised, 3, 60));
        assertThat(again.windows(id(10))).isPresent();
    }

    @Test
    void aWindowsDirectoryThatCannotBeWritten_isReported_theOpenIncidentsWindowsStayInMemory() throws IOException {
        IncidentStore s = store();
        Files.writeString(windowsDir(), "a regular file where the directory should be");
        s.upsert(incident(id(1), T0, null));
        s.windowsStart(id(1), windows(T0, 3, 60));
        assertThat(s.windowsHealth()).startsWith("incident windows " + windowsDir()).contains("cannot write");
        assertThat(s.health()).isEqualTo("ok"); // the journal is not affected
        assertThat(s.windows(id(1))).get().extracting(w -> w.windows().size()).isEqualTo(3);

        Files.delete(windowsDir());
        s.windowsAdd(id(1), window(T0.plusSeconds(75), 70)); // a minute after the failed write: tried again
        assertThat(s.windowsHealth()).isEqualTo("ok");
        assertThat(files()).containsExactly(id(1) + ".json");
    }

    /** The size stated in IncidentWindows' javadoc and decision 0008, with values of full double precision. */
    @Test
    void theLargestIncidentsFile_staysUnderHalfAMegabyte() throws IOException {
        IncidentStore s = store();
        s.upsert(incident(id(1), T0, null));
        List<ContentionWindow> full = new ArrayList<>();
        String[] names = { "nfs-write", "disk-write", "io-psi", "downloaders", "nfs-read-rtt", "nfs-read-exe",
            "disk-read-await", "transcode-behind" };
        for (int i = 0; i < IncidentWindows.MAX_WINDOWS; i++) {
            List<SignalValue> signals = new ArrayList<>();
            for (int j = 0; j < ContentionWindow.MAX_SIGNALS; j++) {
                HostId host = HostId.of((j < 8 ? "download-stack-" : "streaming-stack-") + (j % 2));
                signals.add(new SignalValue(names[j % 8], j < 8 ? SignalValue.DOWNLOAD : SignalValue.STREAMING, host,
                        Math.PI * 1e6 * (i + 1) / (j + 3), "B/s", j * 2.5e6, j % 3 == 0));
            }
            full.add(new ContentionWindow(T0.plusSeconds(5L * i), 88, 81, 95, Contention.CONTENTION, true, true, false,
                    signals));
        }
        s.windowsStart(id(1), full);
        long bytes = Files.size(windowsDir().resolve(id(1) + ".json"));
        assertThat(bytes).isLessThan(512 * 1024);
        assertThat(bytes / IncidentWindows.MAX_WINDOWS).isLessThan(700);
        assertThat(s.windows(id(1)).orElseThrow().windows()).isEqualTo(full);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "whole            | ok",
        "empty            | empty",
        "torn             | torn write",
        "trailing bytes   | its length does not end the file",
        "flipped bit      | CRC mismatch",
        "bad header       | corrupt header",
    })
    void unframe_acceptsExactlyOneWholeLine(String damage, String expected) {
        byte[] json = "{\"schema\":\"mediawatch.incident-windows\"}".getBytes(StandardCharsets.UTF_8);
        byte[] line = JournalCodec.line(json);
        byte[] file = switch (damage) {
            case "whole" -> line;
            case "empty" -> new byte[0];
            case "torn" -> java.util.Arrays.copyOf(line, line.length - 5);
            case "trailing bytes" -> java.util.Arrays.copyOf(line, line.length + 3);
            case "flipped bit" -> {
                byte[] b = line.clone();
                b[line.length - 4] ^= 0x02;
                yield b;
            }
            default -> {
                byte[] b = line.clone();
                b[2] = 'x';
                yield b;
            }
        };
        if (expected.equals("ok")) {
            assertThat(JournalCodec.unframe(file)).isEqualTo(json);
        } else {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalCodec.unframe(file))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(expected);
        }
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(windowsDir())) {
            return s.map(p -> p.getFileName().toString()).sorted(Comparator.naturalOrder()).toList();
        }
    }
}
