package dev.mediawatch.aggregator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.reactive.messaging.mqtt.session.MqttClientSessionOptions;
import io.vertx.core.net.PemTrustOptions;

/** The aggregator's MQTT session gets the password and TLS settings of {@code mediawatch.mqtt.*}. */
class MqttSessionOptionsTest {

    @TempDir
    Path dir;

    @Test
    void defaults_plainMqtt_noPassword() {
        MqttClientSessionOptions o = apply(new Mqtt());
        assertThat(o.isSsl()).isFalse();
        assertThat(o.getPassword()).isNull();
    }

    @Test
    void tlsWithCaFile_verifiesTheBrokerAndItsName_withTheBundlesCertificates() throws IOException {
        Mqtt m = new Mqtt();
        m.tls = true;
        m.caFile = Optional.of(bundle());
        MqttClientSessionOptions o = apply(m);
        assertThat(o.isSsl()).isTrue();
        assertThat(o.isTrustAll()).isFalse();
        assertThat(o.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(o.getTrustOptions()).isInstanceOfSatisfying(PemTrustOptions.class,
                t -> assertThat(t.getCertValues()).hasSize(2));
    }

    @Test
    void tlsWithoutCaFile_usesTheJvmTrustStore_stillVerifyingTheName() {
        Mqtt m = new Mqtt();
        m.tls = true;
        MqttClientSessionOptions o = apply(m);
        assertThat(o.isSsl()).isTrue();
        assertThat(o.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(o.getTrustOptions()).isNull();
    }

    @Test
    void passwordFile_isTheSessionsPassword_withoutItsNewline() throws IOException {
        Mqtt m = new Mqtt();
        Path f = dir.resolve("mqtt-password");
        Files.writeString(f, "from-a-file\n");
        m.passwordFile = Optional.of(f);
        assertThat(apply(m).getPassword()).isEqualTo("from-a-file");
    }

    @Test
    void passwordAndFile_stopStartup() throws IOException {
        Mqtt m = new Mqtt();
        Path f = dir.resolve("mqtt-password");
        Files.writeString(f, "from-a-file\n");
        m.password = Optional.of("configured");
        m.passwordFile = Optional.of(f);
        assertThatThrownBy(() -> apply(m))
                .hasMessageContaining("mediawatch.mqtt.password and mediawatch.mqtt.password-file are both set");
    }

    @Test
    void unreadablePasswordFile_stopsStartup_namingIt() {
        Mqtt m = new Mqtt();
        Path f = dir.resolve("missing");
        m.passwordFile = Optional.of(f);
        assertThatThrownBy(() -> apply(m))
                .hasMessage("mediawatch.mqtt.password-file: cannot read " + f + " (NoSuchFileException)");
    }

    @Test
    void tlsWithTheEmbeddedBroker_stopsStartup() {
        Mqtt m = new Mqtt();
        m.tls = true;
        m.host = Optional.empty();
        assertThatThrownBy(() -> apply(m)).hasMessageStartingWith(
                "mediawatch.mqtt.tls is true but mediawatch.mqtt.host is not set");
    }

    private static MqttClientSessionOptions apply(Mqtt m) {
        MqttClientSessionOptions o = new MqttClientSessionOptions();
        MqttSessionOptions.applySecurity(o, m);
        return o;
    }

    private Path bundle() throws IOException {
        Path f = dir.resolve("ca.pem");
        try (InputStream in = getClass().getResourceAsStream("/mqtt/ca-bundle.pem")) {
            Files.write(f, in.readAllBytes());
        }
        return f;
    }

    /** The {@code mediawatch.mqtt} group as a test sets it. */
    private static final class Mqtt implements AggregatorConfig.Mqtt {
        Optional<String> password = Optional.empty();
        Optional<Path> passwordFile = Optional.empty();
        boolean tls;
        Optional<Path> caFile = Optional.empty();

        Optional<String> host = Optional.of("broker.example");

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
    }
}
