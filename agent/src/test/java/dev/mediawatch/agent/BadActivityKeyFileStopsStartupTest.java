package dev.mediawatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * The whole agent with a configured activity source whose secret file holds two lines: it does not start, and
 * says which variable and which file, never what the file holds, before any part of it has started. No broker and
 * no engine are needed: startup stops before either matters.
 */
@QuarkusMainTest
@TestProfile(BadActivityKeyFileStopsStartupTest.TwoLineKeyFile.class)
class BadActivityKeyFileStopsStartupTest {

    static final String SECRET = "s3cret-never-shown";
    /** Under the build directory: the profile and the test see the same file whatever class loader runs them. */
    static final Path KEY_FILE = Path.of("target", "bad-activity-key-file", "sabnzbd-api-key").toAbsolutePath();

    public static class TwoLineKeyFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(KEY_FILE.getParent());
                Files.writeString(KEY_FILE, SECRET + "\n" + SECRET + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "mediawatch.host-id", "test-agent",
                    "mediawatch.role", "download",
                    "mediawatch.mqtt.host", "127.0.0.1",
                    "mediawatch.mqtt.port", "1",
                    "mediawatch.docker.host", "unix:///nonexistent/mediawatch-test/docker.sock",
                    "mediawatch.activity.sabnzbd.url", "http://127.0.0.1:1",
                    "MEDIAWATCH_SABNZBD_API_KEY_FILE", KEY_FILE.toString());
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void aTwoLineActivityKeyFile_stopsStartup_namingTheVariableAndTheFile_neverTheContent(LaunchResult result) {
        String output = result.getOutput() + "\n" + result.getErrorOutput();
        assertThat(output).contains("MEDIAWATCH_SABNZBD_API_KEY_FILE: " + KEY_FILE + " holds more than one line")
                .doesNotContain(SECRET)
                // Secrets are read before anything starts: the container watch never said it watches the engine.
                .doesNotContain("watching the container engine");
    }
}
