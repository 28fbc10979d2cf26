package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.BrokerAndEngine;
import dev.mediawatch.agent.BrokerAndEngine.InjectBroker;
import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The whole agent with SABnzbd's API key in a file, as systemd credentials and Docker secrets hand it over
 * ({@code MEDIAWATCH_SABNZBD_API_KEY_FILE}): read at startup, its trailing newline stripped, and SABnzbd (from
 * recorded answers, {@link SabnzbdFake}, which refuses a wrong key) answers. No engine is needed.
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerAndEngine.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(
        name = BrokerAndEngine.DOCKER_HOST_ARG, value = "unix:///nonexistent/mediawatch-test/docker.sock"))
@QuarkusTestResource(value = ActivityKeyFileTest.SabnzbdWithKeyFile.class, restrictToAnnotatedClass = true)
class ActivityKeyFileTest {

    static final String KEY = "5ab0key0from0a0file0for0the0test";

    /** SABnzbd from recorded answers, its key in a file of a temporary directory. */
    public static class SabnzbdWithKeyFile implements QuarkusTestResourceLifecycleManager {
        private SabnzbdFake sabnzbd;
        private Path dir;

        @Override
        public Map<String, String> start() {
            sabnzbd = new SabnzbdFake(KEY);
            try {
                dir = Files.createTempDirectory("mw-activity-key-file-");
                Path key = Files.writeString(dir.resolve("sabnzbd-api-key"), KEY + "\n");
                return Map.of(
                        "mediawatch.activity.sabnzbd.url", sabnzbd.base().toString(),
                        "mediawatch.activity.interval", "1s",
                        "mediawatch.activity.timeout", "500ms",
                        "mediawatch.throttle.allowed", "false",
                        "mediawatch.throttle.state-file", dir.resolve("throttle.json").toString(),
                        ActivityKeys.SABNZBD_API_KEY + "_FILE", key.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            if (sabnzbd != null) {
                sabnzbd.close();
            }
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // A temp directory left behind is harmless.
                }
            }
        }
    }

    @InjectBroker
    TestBroker broker;

    @Test
    void theKeyFromTheFile_isTheOneSabnzbdGets() {
        Topics topics = Topics.defaults();
        HostId host = HostId.of(BrokerAndEngine.HOST);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            TestBroker.Published last = broker.last(topics.activity(host));
            assertThat(last).as("an activity snapshot was published").isNotNull();
            HostActivity a = ContractJson.readActivity(last.payload(), host, ContractJson.MAX_PAYLOAD_BYTES);
            assertThat(a.sources()).extracting(ActivitySource::name).containsExactly("sabnzbd");
            assertThat(a.sources().get(0).state()).as("%s", a.sources().get(0)).isEqualTo(SourceState.OK);
        });
    }
}
