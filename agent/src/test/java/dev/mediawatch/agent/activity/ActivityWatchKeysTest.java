package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.secrets.Secrets;

/**
 * The activity sources' secrets ({@link ActivityKeys}): the variable, or the file {@code <NAME>_FILE} names, read
 * as every secret file is; both set, or a file that cannot be used, is an error naming the variable and the file.
 */
class ActivityWatchKeysTest {

    private static final String SECRET = "s3cret-never-shown";

    @TempDir
    Path dir;

    @Test
    void theVariable_orTheFile_withoutItsTrailingNewline() throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, SECRET + " pass\n");
        ActivityKeys keys = ActivityKeys.of(Map.of(ActivityKeys.SABNZBD_API_KEY, SECRET,
                ActivityKeys.QBITTORRENT_PASSWORD + "_FILE", file.toString()));
        assertThat(keys.get(ActivityKeys.SABNZBD_API_KEY)).contains(SECRET);
        assertThat(keys.get(ActivityKeys.QBITTORRENT_PASSWORD)).contains(SECRET + " pass");
    }

    @Test
    void neitherSet_orBlank_isNoSecret() {
        ActivityKeys keys = ActivityKeys.of(Map.of(ActivityKeys.JELLYFIN_API_KEY, " ",
                ActivityKeys.NAVIDROME_USER + "_FILE", ""));
        assertThat(keys.get(ActivityKeys.JELLYFIN_API_KEY)).isEmpty();
        assertThat(keys.get(ActivityKeys.NAVIDROME_USER)).isEmpty();
        assertThat(keys.get(ActivityKeys.QBITTORRENT_USER)).isEmpty();
    }

    @Test
    void bothSet_isAnError() throws Exception {
        Path file = Files.writeString(dir.resolve("key"), SECRET);
        ActivityKeys keys = ActivityKeys.of(Map.of(ActivityKeys.SABNZBD_API_KEY, SECRET,
                ActivityKeys.SABNZBD_API_KEY + "_FILE", file.toString()));
        assertThatThrownBy(() -> keys.get(ActivityKeys.SABNZBD_API_KEY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MEDIAWATCH_SABNZBD_API_KEY and MEDIAWATCH_SABNZBD_API_KEY_FILE are both set: set only one"
                        + " of them");
    }

    @Test
    void aFileThatCannotBeUsed_isAnError_namingTheVariableAndTheFile_neverTheContent() throws Exception {
        Path missing = dir.resolve("missing");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Path twoLines = Files.writeString(dir.resolve("two-lines"), SECRET + "\n" + SECRET + "\n");
        Path tooLarge = Files.writeString(dir.resolve("too-large"), SECRET.repeat(Secrets.MAX_BYTES / SECRET.length() + 1));
        Path notUtf8 = Files.write(dir.resolve("not-utf8"), new byte[] { 's', (byte) 0xff, 'x' });
        for (Path file : new Path[] { missing, empty, twoLines, tooLarge, notUtf8 }) {
            ActivityKeys keys = ActivityKeys.of(Map.of(ActivityKeys.NAVIDROME_PASSWORD + "_FILE", file.toString()));
            assertThatThrownBy(() -> keys.get(ActivityKeys.NAVIDROME_PASSWORD)).as(file.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MEDIAWATCH_NAVIDROME_PASSWORD_FILE: ").hasMessageContaining(file.toString())
                    .hasMessageNotContaining(SECRET);
        }
    }
}
