package dev.mediawatch.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Quarkus app ({@code target/quarkus-app/quarkus-run.jar}) run as its own process, configured by
 * environment variables as an operator would, with its output in a log file. Stopped by pid.
 */
final class AppProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final int httpPort;

    private AppProcess(String name, Process process, Path log, int httpPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** A packaged app's directory ({@code quarkus-app}), as the build hands it to the tests. */
    static Path app(String which) {
        return Path.of(System.getProperty("mediawatch." + which + ".app"));
    }

    /**
     * What every end-to-end agent needs: the test broker and engine, a topic prefix, its host id and role, and the
     * catalogue; mounts not watched. Mutable: a test adds its own.
     */
    static Map<String, String> agentEnv(String prefix, String host, String role, Path catalogue) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("MEDIAWATCH_MQTT_HOST", "127.0.0.1");
        env.put("MEDIAWATCH_MQTT_PORT", Integer.toString(dev.mediawatch.testing.TestServices.mosquittoPort()));
        env.put("MEDIAWATCH_TOPIC_PREFIX", prefix);
        env.put("MEDIAWATCH_HOST_ID", host);
        env.put("MEDIAWATCH_ROLE", role);
        env.put("MEDIAWATCH_CATALOGUE", catalogue.toString());
        env.put("MEDIAWATCH_DOCKER_HOST", dev.mediawatch.testing.TestServices.dockerHost());
        env.put("MEDIAWATCH_MOUNTS_WATCH", "none");
        return env;
    }

    static AppProcess start(String name, Path appDir, Path workDir, int httpPort, Map<String, String> env)
            throws IOException {
        return start(name, appDir, workDir, httpPort, env, List.of());
    }

    /**
     * @param wrapper a command the java command line is appended to (e.g. {@code unshare -m ... sh -c '...;
     *                exec "$@"' sh}); it must exec java, so the process is the app's
     */
    static AppProcess start(String name, Path appDir, Path workDir, int httpPort, Map<String, String> env,
            List<String> wrapper) throws IOException {
        Path jar = appDir.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the apps first (./mvnw verify does)");
        }
        Files.createDirectories(workDir);
        // A name started again in the same directory gets a log of its own: LogAuditIT reads every run's.
        Path log = workDir.resolve(name + ".log");
        for (int n = 2; Files.exists(log); n++) {
            log = workDir.resolve(name + "-" + n + ".log");
        }
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        // The aggregator's data files in the test's own directory, unless the test says otherwise: the defaults
        // (/var/lib/mediawatch) would be shared by every test's aggregator (and locked by the one running).
        pb.environment().put("MEDIAWATCH_INCIDENTS_FILE", workDir.resolve(name + "-incidents.journal").toString());
        pb.environment().put("MEDIAWATCH_STUTTER_BASELINES_FILE", workDir.resolve(name + "-baselines.json").toString());
        pb.environment().put("MEDIAWATCH_ACCEPTANCE_STATE_FILE", workDir.resolve(name + "-acceptance.json").toString());
        pb.environment().put("MEDIAWATCH_NOTIFY_STATE_FILE", workDir.resolve(name + "-notify-state.json").toString());
        // An MQTT client id of the test's own (its topic prefix; the same across a restart): the tests share one broker
        // and run side by side (Lanes), and two aggregators with the default id would push each other off it.
        if (appDir.equals(app("aggregator"))) {
            pb.environment().put("MEDIAWATCH_MQTT_CLIENT_ID",
                    "mediawatch-aggregator-" + env.getOrDefault("MEDIAWATCH_TOPIC_PREFIX", name));
        }
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        AppProcess app = new AppProcess(name, pb.start(), log, httpPort);
        record("app", log);
        return app;
    }

    /**
     * Every packaged app's log is listed in {@code <work>/app-logs.txt}, for {@link LogAuditIT}: "app PATH" when it
     * starts, "expected-failure PATH" when the test meant it to fail at startup (a bad configuration on purpose).
     */
    static final Path LOGS_MANIFEST = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).resolve("app-logs.txt");

    /** The first app of this run of the tests starts a new list: logs of earlier runs are not this run's business. */
    private static boolean listStarted;

    private static synchronized void record(String kind, Path log) throws IOException {
        Files.createDirectories(LOGS_MANIFEST.getParent());
        Files.writeString(LOGS_MANIFEST, kind + " " + log.toAbsolutePath() + "\n", java.nio.file.StandardOpenOption.CREATE,
                listStarted ? java.nio.file.StandardOpenOption.APPEND : java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                java.nio.file.StandardOpenOption.WRITE);
        listStarted = true;
    }

    /**
     * Waits for an app that is meant to stop at startup (a bad configuration on purpose) to exit; its exit code. Its
     * log's startup error is expected, not a bug ({@link LogAuditIT}).
     */
    int awaitStartupFailure(Duration timeout) throws InterruptedException, IOException {
        record("expected-failure", log);
        return awaitExit(timeout);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** GET a path of the app; the body, or throws with the status. */
    /** The HTTP port it listens on. */
    int port() {
        return httpPort;
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(name + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** POST an empty body to a path of the app, with optional headers (name, value, ...); the response. */
    HttpResponse<String> post(String path, Duration timeout, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    int status(String path) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notListeningYet) {
            return -1;
        }
    }

    /** SIGKILL: no goodbye, no clean MQTT disconnect. The broker must notice by itself. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits for the process to end by itself; its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not exit within " + timeout);
        }
        return process.exitValue();
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The name it was started with (its log is {@code <name>.log}). */
    @Override
    public String toString() {
        return name;
    }

    /** SIGTERM, then SIGKILL if it does not stop in 10 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
