package dev.mediawatch.agent.activity;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.TestTier;

/**
 * A real qBittorrent ({@code qbittorrent-nox}, Debian's 4.5, WebUI API v2) started by a test as a child
 * process on a private profile and a free loopback port, and killed at the end. Either it lets clients on
 * localhost in without a login ({@code WebUI\LocalHostAuth=false}, the bypass) or it wants a user and
 * password, whose hash is written into the profile the way qBittorrent stores it: {@code WebUI\Password_PBKDF2}
 * = {@code @ByteArray(<base64 salt>:<base64 key>)}, PBKDF2-HMAC-SHA512, 100,000 iterations, a 16-byte salt and
 * a 64-byte key (qBittorrent's {@code Utils::Password::PBKDF2}). DHT, LSD, PeX and UPnP are off: it must not
 * go looking for peers.
 *
 * <p>When the program is missing or does not come up, this fails with what to do; it never skips.
 */
final class QbittorrentNox implements AutoCloseable {

    static final String BINARY = "/usr/bin/qbittorrent-nox";
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Path profile;
    private final int port;
    private Process process;

    private QbittorrentNox(Path profile, int port) {
        this.profile = profile;
        this.port = port;
    }

    /** Clients on localhost need no login. */
    static QbittorrentNox bypass() {
        return start(null, null);
    }

    /** Every client logs in as {@code user} with {@code password}. */
    static QbittorrentNox withLogin(String user, String password) {
        return start(user, password);
    }

    private static QbittorrentNox start(String user, String password) {
        TestTier.requireReal("qbittorrent-nox (QbittorrentNox)");
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is not installed: this test needs a real qBittorrent. Run "
                    + "`scripts/services.sh start` (installs Debian's qbittorrent-nox) or "
                    + "`sudo apt-get install -y qbittorrent-nox`.");
        }
        try {
            Path profile = Files.createTempDirectory("mw-qbt-");
            QbittorrentNox q = new QbittorrentNox(profile, Ports.free());
            Path config = profile.resolve("qBittorrent/config");
            Files.createDirectories(config);
            StringBuilder conf = new StringBuilder()
                    .append("[LegalNotice]\nAccepted=true\n\n")
                    .append("[BitTorrent]\nSession\\DHTEnabled=false\nSession\\LSDEnabled=false\nSession\\PeXEnabled=false\n")
                    .append("Session\\Port=").append(Ports.free()).append('\n')
                    .append("Session\\DefaultSavePath=").append(profile.resolve("downloads")).append("\n\n")
                    .append("[Preferences]\nConnection\\UPnP=false\n")
                    .append("WebUI\\Address=127.0.0.1\n")
                    .append("WebUI\\Port=").append(q.port).append('\n');
            if (user == null) {
                conf.append("WebUI\\LocalHostAuth=false\n");
            } else {
                conf.append("WebUI\\LocalHostAuth=true\n")
                        .append("WebUI\\Username=").append(user).append('\n')
                        .append("WebUI\\Password_PBKDF2=\"").append(passwordHash(password)).append("\"\n");
            }
            Files.writeString(config.resolve("qBittorrent.conf"), conf, StandardCharsets.UTF_8);
            q.launch();
            return q;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a qBittorrent profile", e);
        }
    }

    /** qBittorrent's stored form of a WebUI password. */
    static String passwordHash(String password) {
        try {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, 100_000, 64 * 8);
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
            Base64.Encoder b64 = Base64.getEncoder();
            return "@ByteArray(" + b64.encodeToString(salt) + ":" + b64.encodeToString(key) + ")";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(BINARY, "--profile=" + profile, "--webui-port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("qbittorrent.log").toFile())
                .start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        try {
            // Any HTTP answer (403 without a session) means the WebUI is up.
            await("qbittorrent-nox WebUI on port " + port).atMost(STARTUP).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("qbittorrent-nox exited with " + process.exitValue() + ": " + log());
                        }
                        return http.send(HttpRequest.newBuilder(base().resolve("/api/v2/app/webapiVersion"))
                                .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() > 0;
                    });
        } catch (RuntimeException e) {
            String log = log();
            stopProcess();
            throw new IllegalStateException("qbittorrent-nox did not serve its WebUI within " + STARTUP + "; its log: " + log, e);
        }
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Stops it and starts it again on the same profile and port (its sessions are gone after). */
    void restart() {
        stopProcess();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a torrent by magnet link: with no peers it stays "downloading" (fetching metadata) for good. */
    void addMagnet(String infoHash, HttpClient http) throws IOException, InterruptedException {
        String form = "urls=" + java.net.URLEncoder.encode("magnet:?xt=urn:btih:" + infoHash + "&dn=mediawatch-test",
                StandardCharsets.UTF_8) + "&savepath=" + java.net.URLEncoder.encode(profile.resolve("downloads").toString(),
                StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base().resolve("/api/v2/torrents/add"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().startsWith("Ok")) {
            throw new IllegalStateException("torrents/add answered " + r.statusCode() + " " + r.body());
        }
    }

    private String log() {
        try {
            List<String> lines = Files.readAllLines(profile.resolve("qbittorrent.log"));
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stopProcess();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
    }
}
