package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The activity sources' secrets ({@link ActivityKeys}): the variable, else the file {@code <NAME>_FILE} names. */
class ActivityWatchKeysTest {

    @TempDir
    Path dir;

    @Test
    void theVariable_winsOverTheFile_andIsStripped() throws Exception {
        Path file = dir.resolve("key");
        Files.writeString(file, "from-file");
        ActivityKeys keys = ActivityKeys.of(Map.of(ActivityKeys.SABNZBD_API_KEY, "  from-env\n",
                ActivityKeys.SABNZBD_API_KEY + "_FILE", file.toString()));
        assertThat(keys.get(ActivityKeys.SABNZBD_API_KEY)).contains("from-env");
    }

    @Test
    void theFile_isRead_withoutItsTrailingNewline() throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "s3cret pass\n");
        ActivityKeys keys = ActivityKeys.of(Map.of(ActivityKeys.QBITTORRENT_PASSWORD + "_FILE", file.toString()));
        assertThat(keys.get(ActivityKeys.QBITTORRENT_PASSWORD)).contains("s3cret pass");
    }

    @Test
    void neither_aBlankValue_anEmptyFile_orAMissingFile_isASecret() throws Exception {
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "\n");
        ActivityKeys keys = ActivityKeys.of(Map.of(
                ActivityKeys.JELLYFIN_API_KEY, " ",
                ActivityKeys.NAVIDROME_USER + "_FILE", empty.toString(),
                ActivityKeys.NAVIDROME_PASSWORD + "_FILE", dir.resolve("missing").toString()));
        assertThat(keys.get(ActivityKeys.JELLYFIN_API_KEY)).isEmpty();
        assertThat(keys.get(ActivityKeys.NAVIDROME_USER)).isEmpty();
        assertThat(keys.get(ActivityKeys.NAVIDROME_PASSWORD)).isEmpty();
        assertThat(keys.get(ActivityKeys.QBITTORRENT_USER)).isEmpty();
    }
}
