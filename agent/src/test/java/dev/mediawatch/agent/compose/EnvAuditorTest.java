package dev.mediawatch.agent.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.agent.fs.HostFiles;
import dev.mediawatch.contract.EnvFile;

/**
 * The audit of one compose directory on real files, under a host root (a temp dir standing for {@code /host}):
 * reported paths are the host's, not the root-prefixed ones.
 */
class EnvAuditorTest {

    @TempDir
    Path root;

    private final String value = "s3cr3t-" + UUID.randomUUID();
    private EnvAuditor auditor;

    @BeforeEach
    void setUp() {
        auditor = new EnvAuditor(new HostFiles(root));
    }

    private void write(String hostPath, String text) throws IOException {
        Path p = root.resolve(hostPath.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void stacksLayout_ownEnvAndEachSubdirectorysEnv_namesOnly_atHostPaths() throws IOException {
        write("/opt/stacks/.env", "COMPOSE_PROJECT_NAME=media\nWATCHTOWER_TOKEN=" + value + "\n");
        write("/opt/stacks/download/.env", "PUID=1000\nSABNZBD_API_KEY=" + value + "\nexport DB_PASSWORD='" + value
                + "'\nRADARR_API_KEY=${RADARR_API_KEY_FROM_INFISICAL}\n");
        write("/opt/stacks/streaming/.env", "PUID=1000\nJELLYFIN_TOKEN=\n");
        write("/opt/stacks/streaming/nested/.env", "DEEP_TOKEN=" + value + "\n"); // not a direct subdirectory
        write("/opt/stacks/empty/compose.yaml", "services: {}\n");

        EnvAuditor.DirResult r = auditor.audit("/opt/stacks/", 1000);

        assertThat(r.files()).containsExactly(
                new EnvFile("/opt/stacks/.env", java.util.List.of("WATCHTOWER_TOKEN")),
                new EnvFile("/opt/stacks/download/.env", java.util.List.of("DB_PASSWORD", "SABNZBD_API_KEY")));
        assertThat(r.problems()).isEmpty();
        assertThat(r.filesRead()).isEqualTo(3);
        assertThat(r.toString()).doesNotContain(value).doesNotContain(root.toString());
    }

    @Test
    void oneDirectoryWithItsEnv() throws IOException {
        write("/srv/media/.env", "PLEX_TOKEN=\"" + value + "\"\n");
        assertThat(auditor.audit("/srv/media", 1000).files()).singleElement()
                .isEqualTo(new EnvFile("/srv/media/.env", java.util.List.of("PLEX_TOKEN")));
    }

    @Test
    void missingDirectory_andAFileConfiguredAsOne_areProblems_notExceptions() throws IOException {
        write("/srv/file", "x");
        assertThat(auditor.audit("/srv/nothing-here", 1000).problems()).containsExactly("/srv/nothing-here: does not exist");
        assertThat(auditor.audit("/srv/file", 1000).problems()).containsExactly("/srv/file: not a directory");
    }

    @Test
    void aFileOver256KiB_isNotRead_andSaysSo_whileOneOfExactly256KiBIs() throws IOException {
        String line = "PADDING=" + "x".repeat(1000) + "\n";
        String big = "BIG_TOKEN=" + value + "\n" + line.repeat(300);
        write("/s/big/.env", big);
        String exact = "EXACT_TOKEN=1\n";
        exact = exact + "#".repeat(256 * 1024 - exact.length() - 1) + "\n";
        write("/s/exact/.env", exact);
        assertThat(Files.size(root.resolve("s/exact/.env"))).isEqualTo(256 * 1024);

        EnvAuditor.DirResult r = auditor.audit("/s", 1000);

        assertThat(r.problems()).containsExactly("/s/big/.env: larger than 256 KiB, not read");
        assertThat(r.files()).extracting(EnvFile::path).containsExactly("/s/exact/.env");
    }

    @Test
    void atMostTheFilesLeftInThisAudit_areRead() throws IOException {
        for (int i = 0; i < 12; i++) {
            write(String.format("/many/s%02d/.env", i), "T" + i + "_TOKEN=" + value + "\n");
        }
        EnvAuditor.DirResult r = auditor.audit("/many", 10);
        assertThat(r.filesRead()).isEqualTo(10);
        assertThat(r.files()).hasSize(10).first().extracting(EnvFile::path).isEqualTo("/many/s00/.env");
        assertThat(r.problems()).containsExactly("/many: more than 1000 .env files in this audit; the rest were not read");
    }

    @Test
    void aThousandFiles_theBoundOfOneAudit() throws IOException {
        for (int i = 0; i < ComposeAudit.MAX_FILES + 5; i++) {
            write(String.format("/big/s%04d/.env", i), "PUID=1\n");
        }
        EnvAuditor.DirResult r = auditor.audit("/big", ComposeAudit.MAX_FILES);
        assertThat(r.filesRead()).isEqualTo(ComposeAudit.MAX_FILES);
        assertThat(r.problems()).hasSize(1);
    }

    @Test
    void aFifoNamedEnv_isNotOpened_andADirectoryNamedEnvIsSkipped() throws Exception {
        Files.createDirectories(root.resolve("f/pipe"));
        Process p = new ProcessBuilder("mkfifo", root.resolve("f/pipe/.env").toString()).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("mkfifo").isTrue();
        Files.createDirectories(root.resolve("f/dir/.env"));
        // Opening the FIFO would block until a writer came: the audit must not even try.
        EnvAuditor.DirResult r = auditor.audit("/f", 1000);
        assertThat(r.problems()).containsExactly("/f/pipe/.env: not a regular file, not read");
        assertThat(r.files()).isEmpty();
    }

    @Test
    void hostRootSlash_readsTheRealPaths() throws IOException {
        Path dir = Files.createDirectories(root.resolve("real"));
        Files.writeString(dir.resolve(".env"), "API_KEY=" + value + "\n");
        EnvAuditor.DirResult r = new EnvAuditor(new HostFiles(Path.of("/"))).audit(dir.toString(), 1000);
        assertThat(r.files()).containsExactly(new EnvFile(dir + "/.env", java.util.List.of("API_KEY")));
    }
}
