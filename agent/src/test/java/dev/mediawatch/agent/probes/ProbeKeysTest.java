package dev.mediawatch.agent.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.secrets.Secrets;

/**
 * The probes' API keys ({@link ProbeKeys}): {@code MEDIAWATCH_PROBE_<SERVICE>_API_KEY} or the file its
 * {@code _FILE} names, read once for the probed services; a key that cannot be used is an error naming the
 * variable and the file, never the content.
 */
class ProbeKeysTest {

    private static final String SECRET = "s3cret-never-shown";

    @TempDir
    Path dir;

    @Test
    void theVariable_isNamedAfterTheService() {
        assertThat(ProbeKeys.variable("radarr")).isEqualTo("MEDIAWATCH_PROBE_RADARR_API_KEY");
        assertThat(ProbeKeys.variable("jellyfin-vue")).isEqualTo("MEDIAWATCH_PROBE_JELLYFIN_VUE_API_KEY");
    }

    @Test
    void eachProbedService_getsItsKey_fromTheVariableOrTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("sonarr"), "from-file\n");
        Map<String, String> env = Map.of("MEDIAWATCH_PROBE_RADARR_API_KEY", SECRET,
                "MEDIAWATCH_PROBE_SONARR_API_KEY_FILE", file.toString(),
                "MEDIAWATCH_PROBE_LIDARR_API_KEY", "not probed here");
        assertThat(ProbeKeys.resolve(env::get, List.of("radarr", "sonarr", "jellyfin")))
                .isEqualTo(Map.of("radarr", SECRET, "sonarr", "from-file"));
    }

    @Test
    void bothSet_isAnError() throws Exception {
        Path file = Files.writeString(dir.resolve("key"), SECRET);
        Map<String, String> env = Map.of("MEDIAWATCH_PROBE_RADARR_API_KEY", SECRET,
                "MEDIAWATCH_PROBE_RADARR_API_KEY_FILE", file.toString());
        assertThatThrownBy(() -> ProbeKeys.resolve(env::get, List.of("radarr")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MEDIAWATCH_PROBE_RADARR_API_KEY and MEDIAWATCH_PROBE_RADARR_API_KEY_FILE are both set: set"
                        + " only one of them");
    }

    @Test
    void aFileThatCannotBeUsed_isAnError_namingTheVariableAndTheFile_neverTheContent() throws Exception {
        Path missing = dir.resolve("missing");
        Path empty = Files.writeString(dir.resolve("empty"), "");
        Path twoLines = Files.writeString(dir.resolve("two-lines"), SECRET + "\r\n" + SECRET);
        Path tooLarge = Files.writeString(dir.resolve("too-large"), SECRET.repeat(Secrets.MAX_BYTES / SECRET.length() + 1));
        Path notUtf8 = Files.write(dir.resolve("not-utf8"), new byte[] { (byte) 0xc3, 'x' });
        for (Path file : new Path[] { missing, empty, twoLines, tooLarge, notUtf8 }) {
            Map<String, String> env = Map.of("MEDIAWATCH_PROBE_RADARR_API_KEY_FILE", file.toString());
            assertThatThrownBy(() -> ProbeKeys.resolve(env::get, List.of("radarr"))).as(file.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MEDIAWATCH_PROBE_RADARR_API_KEY_FILE: ").hasMessageContaining(file.toString())
                    .hasMessageNotContaining(SECRET);
        }
    }
}
