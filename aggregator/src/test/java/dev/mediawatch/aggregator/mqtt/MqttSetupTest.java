package dev.mediawatch.aggregator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.runtime.mqtt.MqttSettings;

/** The aggregator's MQTT session settings from {@code mediawatch.mqtt.*}, and the source labels of its inbox. */
class MqttSetupTest {

    @TempDir
    Path dir;

    @Test
    void defaults_embeddedBrokerOnLoopback_presenceIsTheAggregatorsAvailability() {
        Mqtt m = new Mqtt();
        m.host = Optional.empty();
        MqttSettings s = MqttSetup.settings(m, "mediawatch");
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.presenceTopic()).isEqualTo("mediawatch/aggregator/availability");
        assertThat(s.clientId()).isEqualTo("mediawatch-aggregator");
        assertThat(s.maxInFlight()).isEqualTo(32);
        assertThat(s.security().tls()).isFalse();
        assertThat(s.security().password()).isEmpty();
    }

    @Test
    void passwordFile_isTheSessionsPassword_withoutItsNewline() throws IOException {
        Mqtt m = new Mqtt();
        Path f = dir.resolve("mqtt-password");
        Files.writeString(f, "from-a-file\n");
        m.passwordFile = Optional.of(f);
        assertThat(MqttSetup.settings(m, "mediawatch").security().password()).contains("from-a-file");
        assertThat(MqttSetup.settings(m, "mediawatch").toString()).doesNotContain("from-a-file");
    }

    @Test
    void sourceOf_isTheHostLevel_orWhatElseTheTopicIs() {
        assertThat(MqttSetup.sourceOf("mediawatch/download-stack/state", "mediawatch/", "homeassistant/"))
                .isEqualTo("download-stack");
        assertThat(MqttSetup.sourceOf("mediawatch/aggregator/cmd/refresh", "mediawatch/", "homeassistant/"))
                .isEqualTo("aggregator");
        assertThat(MqttSetup.sourceOf("mediawatch/Not A Host!/state", "mediawatch/", "homeassistant/"))
                .isEqualTo("invalid");
        assertThat(MqttSetup.sourceOf("mediawatch/" + "x".repeat(5000) + "/state", "mediawatch/", "homeassistant/"))
                .isEqualTo("invalid");
        assertThat(MqttSetup.sourceOf("homeassistant/sensor/x/y/config", "mediawatch/", "homeassistant/"))
                .isEqualTo("homeassistant");
    }

    /** The {@code mediawatch.mqtt} group as a test sets it. */
    private static final class Mqtt implements AggregatorConfig.Mqtt {
        Optional<String> password = Optional.empty();
        Optional<Path> passwordFile = Optional.empty();
        boolean tls;
        Optional<Path> caFile = Optional.empty();
        Optional<String> host = Optional.of("broker.example");
        int maxInFlight = 32;

        @Override
        public Optional<String> host() {
            return host;
        }

        @Override
        public int port() {
            return 8883;
        }

        @Override
        public Optional<String> username() {
            return Optional.of("aggregator");
        }

        @Override
        public Optional<String> password() {
            return password;
        }

        @Override
        public Optional<Path> passwordFile() {
            return passwordFile;
        }

        @Override
        public boolean tls() {
            return tls;
        }

        @Override
        public Optional<Path> caFile() {
            return caFile;
        }

        @Override
        public String clientId() {
            return "mediawatch-aggregator";
        }

        @Override
        public int maxInFlight() {
            return maxInFlight;
        }

        @Override
        public int sendQueue() {
            return 50_000;
        }
    }
}
