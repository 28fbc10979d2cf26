package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.contract.DownloadLimits;
import dev.mediawatch.contract.ThrottleState;

/** The throttle's state file: written whole, read back, and an unusable one is no throttle rather than a crash. */
class ThrottleStoreTest {

    @TempDir
    Path dir;

    private static ThrottleState active() {
        Instant since = Instant.parse("2026-11-21T21:03:00Z");
        return new ThrottleState(true, "r1", since, since.plusSeconds(90), new DownloadLimits(1_048_576L, 524_288L),
                new DownloadLimits(0L, 3_145_728L), List.of("unpackerr"), null, null, null);
    }

    @Test
    void savedState_readsBackTheSame_andLeavesNoTemporaryFile() throws Exception {
        ThrottleStore store = new ThrottleStore(dir.resolve("a/b/throttle.json"));
        store.save(active());

        assertThat(store.load()).contains(active());
        try (var files = Files.list(dir.resolve("a/b"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("throttle.json");
        }
        // A second write replaces the first.
        ThrottleState renewed = new ThrottleState(true, "r2", active().since(), active().expiresAt().plusSeconds(30),
                active().applied(), active().previous(), List.of(), null, null, null);
        store.save(renewed);
        assertThat(store.load()).contains(renewed);
    }

    @Test
    void clear_removesTheRecord() throws Exception {
        ThrottleStore store = new ThrottleStore(dir.resolve("throttle.json"));
        store.save(active());
        store.clear();
        assertThat(store.load()).isEmpty();
        assertThat(dir.resolve("throttle.json")).doesNotExist();
        store.clear(); // nothing there: still fine
    }

    @Test
    void noFile_isNoThrottle() {
        assertThat(new ThrottleStore(dir.resolve("missing.json")).load()).isEmpty();
    }

    @Test
    void aCorruptOrForeignFile_isNoThrottle_notACrash() throws Exception {
        Path file = dir.resolve("throttle.json");
        ThrottleStore store = new ThrottleStore(file);

        Files.writeString(file, "{\"active\": true, \"requestId\": \"r1\", \"prev");
        assertThat(store.load()).isEmpty();

        // Active without an expiry is not a record this agent wrote.
        Files.writeString(file, "{\"active\": true, \"requestId\": \"r1\"}");
        assertThat(store.load()).isEmpty();

        Files.writeString(file, "[1, 2, 3]");
        assertThat(store.load()).isEmpty();

        Files.write(file, new byte[100 * 1024]);
        assertThat(store.load()).isEmpty();

        // An inactive record (never written, but harmless) has nothing to restore.
        Files.writeString(file, "{\"active\": false}");
        assertThat(store.load()).isEmpty();
    }
}
