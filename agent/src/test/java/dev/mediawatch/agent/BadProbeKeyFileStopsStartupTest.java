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
 * The whole agent with a catalogue service it probes whose API key file is empty: it does not start, and says
 * which variable and which file, before any part of it has started. No broker and no engine are needed: startup
 * stops before either matters.
 */
@QuarkusMainTest
@TestProfile(BadProbeKeyFileStopsStartupTest.EmptyProbeKeyFile.class)
class BadProbeKeyFileStopsStartupTest {

    /** Under the build directory: the profile and the test see the same files whatever class loader runs them. */
    static final Path DIR = Path.of("target", "bad-probe-key-file").toAbsolutePath();
    static final Path KEY_FILE = DIR.resolve("probe-radarr-api-key");

    public static class EmptyProbeKeyFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path catalogue = DIR.resolve("media.services.yaml");
            try {
                Files.createDirectories(DIR);
                Files.writeString(KEY_FILE, "");
                Files.writeString(catalogue, """
                        version: 1
                        hosts: [test-agent]
                        services:
                          - { name: radarr, host: test-agent, category: management, probe: { path: /ping, port: 1 } }
                        """);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "mediawatch.host-id", "test-agent",
                    "mediawatch.role", "download",
                    "mediawatch.mqtt.host", "127.0.0.1",
                    "mediawatch.mqtt.port", "1",
                    "mediawatch.docker.host", "unix:///nonexistent/mediawatch-test/docker.sock",
                    "mediawatch.catalogue", catalogue.toString(),
                    "MEDIAWATCH_PROBE_RADARR_API_KEY_FILE", KEY_FILE.toString());
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void anEmptyProbeKeyFile_stopsStartup_namingTheVariableAndTheFile(LaunchResult result) {
        String output = result.getOutput() + "\n" + result.getErrorOutput();
        assertThat(output).contains("MEDIAWATCH_PROBE_RADARR_API_KEY_FILE: " + KEY_FILE + " is empty")
                // Secrets are read before anything starts: the container watch never said it watches the engine.
                .doesNotContain("watching the container engine");
    }
}
