package dev.mediawatch.aggregator.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.testing.RealServices;

/**
 * A disk that fills up, for real: the child JVM ({@link IncidentStoreChild}, mode {@code full}) runs in a private
 * mount namespace with its journal on a 1 MiB tmpfs ({@code unshare -m}, as root, which these machines and CI
 * are; see shared/ENVIRONMENT.md). Tests run as root, so {@code chmod 000} would not stop them: ENOSPC is the
 * write failure the kernel really gives here. The store must say so in {@code health()}, never throw, keep every
 * incident in memory, leave no partial line behind, and read back every incident written before the disk filled.
 */
@RealServices
class IncidentStoreDiskFullTest {

    @TempDir
    Path dir;

    @Test
    void diskFull_reported_memoryKeepsAll_journalStaysClean() throws Exception {
        Path mount = Files.createDirectory(dir.resolve("small"));
        Path journal = mount.resolve("incidents.journal");
        Path stderr = dir.resolve("child.err");
        Path stdout = dir.resolve("child.out");
        ProcessBuilder pb = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs -o size=1m mwtest-full \"$1\" && shift && exec \"$@\"", "sh", mount.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                IncidentStoreChild.class.getName(), "full", journal.toString(), "0",
                Long.toString(IncidentStore.DEFAULT_MAX_FILE_BYTES));
        pb.redirectError(stderr.toFile()).redirectOutput(stdout.toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("child exit; stdout:%n%s%nstderr:%n%s", out, err).isZero();

        Map<String, String> said = new HashMap<>();
        for (String line : out.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                said.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        assertThat(said.get("open")).as(out).isEqualTo("ok 0");
        int failedAt = Integer.parseInt(said.get("failedAt"));
        // ~50 KB a record on 1 MiB: the disk fills after a dozen or more, never at once.
        assertThat(failedAt).as(out).isBetween(5, 40);
        assertThat(said.get("health")).as(out)
                .startsWith("incident store " + journal + ": cannot write: ")
                .contains("No space left on device").contains("in memory only").doesNotContain("\tat ");
        int total = failedAt + 4;
        assertThat(said.get("memory")).as("all still served from memory").isEqualTo(total + " " + total + " of " + total);
        // Reopened on the still-full disk: every record appended before it filled, intact, no torn line left.
        assertThat(said.get("reopened")).as(out).isEqualTo(failedAt + " " + failedAt + " dropped 0");
        assertThat(said.get("reopenedHealth")).as(out).contains("No space left on device");
        assertThat(List.of(err.split("\n"))).as("one warning per distinct problem, not one per upsert")
                .filteredOn(l -> l.contains("No space left on device")).hasSizeBetween(1, 3);
    }
}
