package dev.mediawatch.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttConnectionSecurityTest {

    private static final String KEYS = "mediawatch.mqtt";
    private static final String SECRET = "s3cr3t-Pässword";

    @TempDir
    Path dir;

    @Test
    void plainPassword_noTls() {
        MqttConnectionSecurity s = MqttConnectionSecurity.resolve(KEYS, Optional.of(SECRET), Optional.empty(), false,
                Optional.empty());
        assertThat(s.password()).contains(SECRET);
        assertThat(s.tls()).isFalse();
        assertThat(s.caCertificates()).isEmpty();
        assertThat(s.toString()).doesNotContain(SECRET).contains("password=set");
    }

    @Test
    void nothingSet_noPassword() {
        MqttConnectionSecurity s = MqttConnectionSecurity.resolve(KEYS, Optional.empty(), Optional.empty(), false,
                Optional.empty());
        assertThat(s.password()).isEmpty();
    }

    @Test
    void passwordFile_oneTrailingNewlineStripped() throws IOException {
        assertThat(fromFile(SECRET + "\n")).isEqualTo(SECRET);
        assertThat(fromFile(SECRET + "\r\n")).isEqualTo(SECRET);
        assertThat(fromFile(SECRET)).isEqualTo(SECRET);
        // Only the one newline: spaces are part of a password.
        assertThat(fromFile(" " + SECRET + " \n")).isEqualTo(" " + SECRET + " ");
    }

    @Test
    void passwordFile_withMoreThanOneLine_stopsStartup_withoutItsContent() throws IOException {
        Path f = write("two-lines", SECRET + "\n\n");
        assertThatThrownBy(() -> resolveFile(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mediawatch.mqtt.password-file").hasMessageContaining(f.toString())
                .hasMessageContaining("more than one line").message().doesNotContain(SECRET);
        Path g = write("second-line", SECRET + "\nsecond-secret-line\n");
        assertThatThrownBy(() -> resolveFile(g)).message().contains("more than one line").doesNotContain(SECRET)
                .doesNotContain("second-secret-line");
    }

    @Test
    void bothPasswordAndFile_stopStartup_namingBothKeys() throws IOException {
        Path f = write("pw", SECRET + "\n");
        assertThatThrownBy(() -> MqttConnectionSecurity.resolve(KEYS, Optional.of("other"), Optional.of(f), false,
                Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mediawatch.mqtt.password and mediawatch.mqtt.password-file are both set")
                .message().doesNotContain(SECRET).doesNotContain("other");
    }

    @Test
    void missingPasswordFile_stopsStartup_namingFileAndProblem() {
        Path missing = dir.resolve("no-such-password");
        assertThatThrownBy(() -> resolveFile(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mediawatch.mqtt.password-file: cannot read " + missing + " (NoSuchFileException)");
    }

    @Test
    void directoryAsPasswordFile_stopsStartup() {
        assertThatThrownBy(() -> resolveFile(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mediawatch.mqtt.password-file: cannot read " + dir);
    }

    @Test
    void emptyPasswordFile_stopsStartup() throws IOException {
        for (String content : new String[] { "", "\n", "\r\n" }) {
            Path f = write("empty", content);
            assertThatThrownBy(() -> resolveFile(f)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("mediawatch.mqtt.password-file: " + f + " is empty");
        }
    }

    @Test
    void hugePasswordFile_isRefused_notReadWhole() throws IOException {
        Path f = dir.resolve("huge");
        Files.write(f, new byte[200_000]);
        assertThatThrownBy(() -> resolveFile(f)).hasMessageContaining("mediawatch.mqtt.password-file: " + f + " is larger than");
        Path max = dir.resolve("max");
        Files.writeString(max, "x".repeat(MqttConnectionSecurity.MAX_PASSWORD_BYTES) + "\n");
        assertThat(resolveFile(max).password().orElseThrow()).hasSize(MqttConnectionSecurity.MAX_PASSWORD_BYTES);
        // One byte more fits the secret reader's limit but not MQTT's two-byte length.
        Path over = dir.resolve("over");
        Files.writeString(over, "x".repeat(MqttConnectionSecurity.MAX_PASSWORD_BYTES + 1) + "\n");
        assertThatThrownBy(() -> resolveFile(over)).hasMessage("mediawatch.mqtt.password-file: " + over
                + " is longer than 65535 bytes, the most an MQTT password can be");
    }

    @Test
    void nonUtf8PasswordFile_isRefused() throws IOException {
        Path f = dir.resolve("latin1");
        Files.write(f, new byte[] { 'p', (byte) 0xe4, 's', 's', '\n' });
        assertThatThrownBy(() -> resolveFile(f)).hasMessage("mediawatch.mqtt.password-file: " + f + " is not UTF-8 text");
    }

    @Test
    void caBundle_withComments_givesEveryCertificate_reencoded() throws Exception {
        Path bundle = fixtureBundle();
        MqttConnectionSecurity s = MqttConnectionSecurity.resolve(KEYS, Optional.empty(), Optional.empty(), true,
                Optional.of(bundle));
        assertThat(s.tls()).isTrue();
        assertThat(s.caCertificates()).hasSize(2);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        assertThat(s.caCertificates()).allSatisfy(pem -> assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n")
                .endsWith("-----END CERTIFICATE-----\n").doesNotContain("#"));
        X509Certificate second = (X509Certificate) cf.generateCertificate(
                new ByteArrayInputStream(s.caCertificates().get(1).getBytes(StandardCharsets.US_ASCII)));
        assertThat(second.getSubjectX500Principal().getName()).isEqualTo("CN=mediawatch test fixture CA 2");
    }

    @Test
    void tlsWithoutCaFile_usesTheJvmTrustStore() {
        MqttConnectionSecurity s = MqttConnectionSecurity.resolve(KEYS, Optional.empty(), Optional.empty(), true,
                Optional.empty());
        assertThat(s.tls()).isTrue();
        assertThat(s.caCertificates()).isEmpty();
        assertThat(s.toString()).contains("jvm-trust-store");
    }

    @Test
    void caFileWithoutTls_stopsStartup_ratherThanSilentlyPlain() throws Exception {
        Path bundle = fixtureBundle();
        assertThatThrownBy(() -> MqttConnectionSecurity.resolve(KEYS, Optional.empty(), Optional.empty(), false,
                Optional.of(bundle)))
                .hasMessageStartingWith("mediawatch.mqtt.ca-file is set but mediawatch.mqtt.tls is false");
    }

    @Test
    void badCaFiles_stopStartup_namingFileAndProblem() throws IOException {
        Path missing = dir.resolve("no-ca.pem");
        assertThatThrownBy(() -> resolveCa(missing))
                .hasMessage("mediawatch.mqtt.ca-file: cannot read " + missing + ": no such file");
        Path notPem = write("not.pem", "hello\n");
        assertThatThrownBy(() -> resolveCa(notPem)).hasMessageContaining("mediawatch.mqtt.ca-file: " + notPem
                + " holds no PEM certificate");
        Path broken = write("broken.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> resolveCa(broken)).hasMessageContaining("mediawatch.mqtt.ca-file: " + broken
                + " is not a readable PEM certificate bundle");
    }

    private MqttConnectionSecurity resolveCa(Path ca) {
        return MqttConnectionSecurity.resolve(KEYS, Optional.empty(), Optional.empty(), true, Optional.of(ca));
    }

    private Path fixtureBundle() throws IOException {
        Path bundle = dir.resolve("bundle.pem");
        try (InputStream in = getClass().getResourceAsStream("/mqtt/ca-bundle.pem")) {
            Files.write(bundle, in.readAllBytes());
        }
        return bundle;
    }

    private String fromFile(String content) throws IOException {
        return resolveFile(write("pw", content)).password().orElseThrow();
    }

    private MqttConnectionSecurity resolveFile(Path f) {
        return MqttConnectionSecurity.resolve(KEYS, Optional.empty(), Optional.of(f), false, Optional.empty());
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }
}
