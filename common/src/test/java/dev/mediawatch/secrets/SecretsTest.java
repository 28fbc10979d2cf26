package dev.mediawatch.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    static final String SECRET = "s3cr3t-value-never-shown";

    @TempDir
    Path dir;

    @Test
    void aValue_orAFile_withOneTrailingNewlineStripped() throws Exception {
        assertThat(Secrets.resolve("k", Optional.of(SECRET), Optional.empty())).contains(SECRET);
        assertThat(Secrets.resolve("k", Optional.of("  "), Optional.empty())).isEmpty();
        assertThat(Secrets.resolve("k", Optional.empty(), Optional.empty())).isEmpty();
        for (String ending : new String[] { "", "\n", "\r\n" }) {
            Path f = Files.writeString(dir.resolve("f" + ending.length()), SECRET + ending);
            assertThat(Secrets.resolve("k", Optional.empty(), Optional.of(f))).contains(SECRET);
        }
    }

    @Test
    void badFiles_andBothSet_areRefused_namingKeyAndFile_neverTheContent() throws Exception {
        Path two = Files.writeString(dir.resolve("two"), SECRET + "\nsecond\n");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Path big = Files.write(dir.resolve("big"), new byte[Secrets.MAX_BYTES + 10]);
        Path latin = Files.write(dir.resolve("latin"), new byte[] { (byte) 0xff, 'a' });
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> Secrets.resolve("mediawatch.api.token", Optional.of(SECRET), Optional.of(two)))
                .hasMessageContaining("mediawatch.api.token and mediawatch.api.token-file are both set")
                .hasMessageNotContaining(SECRET);
        for (Path p : new Path[] { two, empty, big, latin, missing }) {
            assertThatThrownBy(() -> Secrets.resolve("mediawatch.api.token", Optional.empty(), Optional.of(p)))
                    .as(p.toString()).hasMessageContaining("mediawatch.api.token-file").hasMessageContaining(p.toString())
                    .hasMessageNotContaining(SECRET).hasMessageNotContaining("second");
        }
        assertThat(new String(Files.readAllBytes(two), StandardCharsets.UTF_8)).contains(SECRET);
    }

    @Test
    void fromTheEnvironment_theVariable_orTheFileItsFileVariableNames() throws Exception {
        String v = "MEDIAWATCH_SABNZBD_API_KEY";
        Path f = Files.writeString(dir.resolve("key"), SECRET + "\n");
        assertThat(Secrets.fromEnvironment(Map.of(v, SECRET)::get, v)).contains(SECRET);
        assertThat(Secrets.fromEnvironment(Map.of(v + "_FILE", f.toString())::get, v)).contains(SECRET);
        // Blank counts as unset, for the value and the file variable alike.
        assertThat(Secrets.fromEnvironment(Map.of(v, " ", v + "_FILE", "")::get, v)).isEmpty();
        assertThat(Secrets.fromEnvironment(Map.<String, String>of()::get, v)).isEmpty();
        // A value is taken as it is: the file's one trailing newline is the only thing ever stripped.
        assertThat(Secrets.fromEnvironment(Map.of(v, " pass word ")::get, v)).contains(" pass word ");
        Path spaced = Files.writeString(dir.resolve("spaced"), " pass word \n");
        assertThat(Secrets.fromEnvironment(Map.of(v + "_FILE", spaced.toString())::get, v)).contains(" pass word ");
    }

    @Test
    void fromTheEnvironment_bothSet_orABadFile_isRefused_namingTheVariableAndTheFile_neverTheContent()
            throws Exception {
        String v = "MEDIAWATCH_PROBE_RADARR_API_KEY";
        Path good = Files.writeString(dir.resolve("good"), SECRET);
        assertThatThrownBy(() -> Secrets.fromEnvironment(Map.of(v, SECRET, v + "_FILE", good.toString())::get, v))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(v + " and " + v + "_FILE are both set: set only one of them");
        Path two = Files.writeString(dir.resolve("two"), SECRET + "\nsecond\n");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        byte[] large = new byte[Secrets.MAX_BYTES + 10];
        java.util.Arrays.fill(large, (byte) 'x');
        Path big = Files.write(dir.resolve("big"), large);
        Path latin = Files.write(dir.resolve("latin"), new byte[] { (byte) 0xff, 'a' });
        Path missing = dir.resolve("missing");
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        for (Path p : new Path[] { two, empty, big, latin, missing, directory }) {
            assertThatThrownBy(() -> Secrets.fromEnvironment(Map.of(v + "_FILE", p.toString())::get, v))
                    .as(p.toString()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(v + "_FILE: ").hasMessageContaining(p.toString())
                    .hasMessageNotContaining(SECRET).hasMessageNotContaining("second").hasMessageNotContaining("xxx");
        }
    }

    @Test
    void theSecret_isAtMostMaxBytes_itsLineEndingAside() throws Exception {
        byte[] most = new byte[Secrets.MAX_BYTES];
        java.util.Arrays.fill(most, (byte) 'k');
        Path atMost = Files.write(dir.resolve("at-most"), most);
        assertThat(Secrets.read("k", atMost)).hasSize(Secrets.MAX_BYTES);
        Path withCrLf = Files.write(dir.resolve("with-crlf"), (new String(most, StandardCharsets.US_ASCII) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(Secrets.read("k", withCrLf)).hasSize(Secrets.MAX_BYTES);
        for (int over : new int[] { 1, 2, 3, 100 }) {
            byte[] more = new byte[Secrets.MAX_BYTES + over];
            java.util.Arrays.fill(more, (byte) 'k');
            Path f = Files.write(dir.resolve("over-" + over), more);
            assertThatThrownBy(() -> Secrets.read("k", f)).as("%d bytes over", over)
                    .hasMessage("k: " + f + " is larger than " + Secrets.MAX_BYTES + " bytes");
        }
    }
}
