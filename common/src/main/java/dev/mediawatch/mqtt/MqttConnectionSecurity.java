package dev.mediawatch.mqtt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.mediawatch.contract.Text;
import dev.mediawatch.secrets.Secrets;

/**
 * How an app authenticates to its MQTT broker and protects the connection, beyond host and port: the password
 * (configured, or read from a file for systemd credentials and Docker secrets) and TLS (verified with a CA bundle
 * of one's own, or the JVM's trust store). Resolved once from the configuration: a mistake stops startup with the
 * keys' names and the problem, never with a password or a line of a password file. Plain Java, shared by agent
 * and aggregator; each applies it to its MQTT session options.
 */
public final class MqttConnectionSecurity {

    /** The most an MQTT 3.1.1 password can be (a two-byte length, section 3.1.3.5). */
    public static final int MAX_PASSWORD_BYTES = 65_535;

    /** Larger CA files are refused: Debian's whole ca-certificates bundle is about 220 KiB. */
    public static final int MAX_CA_FILE_BYTES = 4 * 1024 * 1024;

    private static final String PEM_BEGIN = "-----BEGIN CERTIFICATE-----";

    private final String password;
    private final boolean tls;
    private final List<String> caCertificates;

    private MqttConnectionSecurity(String password, boolean tls, List<String> caCertificates) {
        this.password = password;
        this.tls = tls;
        this.caCertificates = caCertificates;
    }

    /**
     * @param keyPrefix    the configuration group the keys live in, e.g. {@code mediawatch.mqtt}, named in errors
     * @param password     {@code <prefix>.password}
     * @param passwordFile {@code <prefix>.password-file}: the password is the file's one line, read by {@link Secrets}
     *                     (one trailing newline stripped)
     * @param tls          {@code <prefix>.tls}
     * @param caFile       {@code <prefix>.ca-file}: a PEM bundle of the CA certificates that verify the broker;
     *                     absent: the JVM's trust store
     * @throws IllegalArgumentException naming the key(s) and the problem
     */
    public static MqttConnectionSecurity resolve(String keyPrefix, Optional<String> password, Optional<Path> passwordFile,
            boolean tls, Optional<Path> caFile) {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        // The shared reader of secret files: both set, or a file that cannot be used, stops startup naming the keys
        // and the file, never the content.
        String resolved = Secrets.resolve(keyPrefix + ".password", password, passwordFile).orElse(null);
        if (resolved != null && resolved.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException((passwordFile.isPresent()
                    ? keyPrefix + ".password-file: " + passwordFile.get()
                    : keyPrefix + ".password") + " is longer than " + MAX_PASSWORD_BYTES
                    + " bytes, the most an MQTT password can be");
        }
        List<String> cas = List.of();
        if (caFile.isPresent()) {
            if (!tls) {
                throw new IllegalArgumentException(keyPrefix + ".ca-file is set but " + keyPrefix + ".tls is false: "
                        + "the CA only verifies a TLS connection; set " + keyPrefix + ".tls=true (and the broker's TLS port)");
            }
            cas = readCaBundle(keyPrefix + ".ca-file", caFile.get());
        }
        return new MqttConnectionSecurity(resolved, tls, cas);
    }

    /** The password to log in with, if any. Never log it. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** Connect over TLS, verifying the broker's certificate and that it names the host connected to. */
    public boolean tls() {
        return tls;
    }

    /**
     * The CA certificates that verify the broker, each one PEM block as re-encoded from the parsed certificate (so
     * comments and other text in the operator's file never reach the TLS library). Empty: the JVM's trust store.
     */
    public List<String> caCertificates() {
        return caCertificates;
    }

    @Override
    public String toString() {
        return "MqttConnectionSecurity[password=" + (password == null ? "none" : "set") + ", tls=" + tls
                + ", ca=" + (caCertificates.isEmpty() ? "jvm-trust-store" : caCertificates.size() + " certificate(s)") + "]";
    }

    private static List<String> readCaBundle(String key, Path file) {
        byte[] bytes = read(key, file, MAX_CA_FILE_BYTES);
        if (bytes.length > MAX_CA_FILE_BYTES) {
            throw new IllegalArgumentException(key + ": " + file + " is larger than " + MAX_CA_FILE_BYTES
                    + " bytes; a CA bundle is far smaller");
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (!text.contains(PEM_BEGIN)) {
            throw new IllegalArgumentException(key + ": " + file + " holds no PEM certificate (no '" + PEM_BEGIN
                    + "' line); give the CA certificate(s) in PEM form");
        }
        Collection<? extends Certificate> parsed;
        try {
            parsed = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        } catch (CertificateException e) {
            throw new IllegalArgumentException(key + ": " + file + " is not a readable PEM certificate bundle: "
                    + Text.printable(String.valueOf(e.getMessage()), 160));
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException(key + ": " + file + " holds no certificate");
        }
        List<String> pems = new ArrayList<>(parsed.size());
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] { '\n' });
        for (Certificate c : parsed) {
            try {
                pems.add(PEM_BEGIN + "\n" + base64.encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException(key + ": " + file + ": a certificate cannot be encoded: " + e.getMessage());
            }
        }
        return List.copyOf(pems);
    }

    /** At most {@code limit + 1} bytes of the file (so the caller can tell it is too large). */
    private static byte[] read(String key, Path file, long limit) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(key + ": cannot read " + file + ": it is a directory");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(key + ": cannot read " + file + ": " + problem(e));
        }
    }

    /** Why a file could not be read, in words; never anything read from it. */
    private static String problem(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException || e instanceof SecurityException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return Text.printable(f.getReason(), 120);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + Text.printable(e.getMessage(), 120);
    }
}
