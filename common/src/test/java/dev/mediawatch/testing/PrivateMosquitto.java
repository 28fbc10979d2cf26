package dev.mediawatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto of a test's own (Debian's {@code /usr/sbin/mosquitto}, which scripts/services.sh installs) on a free
 * loopback port, with configuration lines of the test's choosing (an ACL, a packet size limit), its log in the
 * test's directory. Fails loudly when Mosquitto is not installed. Restartable on the same port.
 */
public final class PrivateMosquitto implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path dir;
    private final int port;
    private final List<String> extra;
    private Process process;

    private PrivateMosquitto(Path dir, int port, List<String> extra) {
        this.dir = dir;
        this.port = port;
        this.extra = extra;
    }

    /** Starts one in {@code dir} (created), with {@code extraLines} appended to its configuration. */
    public static PrivateMosquitto start(Path dir, String... extraLines) {
        TestTier.requireReal("a Mosquitto of its own (PrivateMosquitto)");
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: this test needs Debian's mosquitto, which "
                    + "scripts/services.sh installs (run ./scripts/test.sh or `scripts/services.sh start`)");
        }
        PrivateMosquitto m = new PrivateMosquitto(dir, Ports.free(), List.of(extraLines));
        m.startProcess();
        return m;
    }

    private void startProcess() {
        try {
            Files.createDirectories(dir);
            List<String> lines = new ArrayList<>(List.of("listener " + port + " 127.0.0.1", "allow_anonymous true",
                    "persistence false", "log_dest file " + dir.resolve("mosquitto.log"),
                    // Started as root, Mosquitto would drop to its own user and could not write the test's directory.
                    "user root"));
            lines.addAll(extra);
            Path conf = dir.resolve("mosquitto.conf");
            Files.write(conf, lines);
            process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("mosquitto did not start on port " + port + ": "
                                + Files.readString(dir.resolve("mosquitto.out")));
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Stops it (SIGTERM) and starts it again on the same port with the same configuration. */
    public void restart() {
        stop();
        startProcess();
    }

    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
