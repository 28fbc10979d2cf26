package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher's class cache for the java the tests run on: {@code aot-train} records it (a dynamic AppCDS archive on
 * JDK 17-24, the AOT cache on 25+) with a stamp of that exact JDK; {@code run} uses it, and the agent starts with it
 * even when the JVM is told to fail rather than run without it ({@code -Xshare:on} / {@code -XX:AOTMode=on}), loading
 * its own classes from it; a cache stamped by another JDK is left alone and said so. On a copy of the packaged agent,
 * so the build's own directory keeps no cache.
 */
class ClassCacheIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).resolve("cache-" + RUN);
    private static final Path LAUNCHER = Path.of("..", "deploy", "agent", "mediawatch-agent.sh").toAbsolutePath().normalize();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final int MAJOR = Runtime.version().feature();
    private static final String CACHE = MAJOR >= 25 ? "app.aot" : "app-cds.jsa";
    private static final String USE_FLAG = MAJOR >= 25 ? "-XX:AOTCache=app.aot" : "-XX:SharedArchiveFile=app-cds.jsa";
    private static final String STRICT = MAJOR >= 25 ? "-XX:AOTMode=on" : "-Xshare:on";

    private static Path home;

    @BeforeAll
    static void copyTheAgent() throws IOException {
        home = WORK.resolve("release");
        Path from = AppProcess.app("agent");
        Path to = home.resolve("quarkus-app");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!f.getFileName().toString().startsWith("app.aot") && !f.getFileName().toString().startsWith("app-cds")) {
                    // Times kept: a class cache checks its jars' modification times.
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @Test
    void recordedForThisJdk_usedByRun_andTheAgentStartsOnIt() throws Exception {
        Result train = launcher(Map.of(), "aot-train");
        assertThat(train.exit).as(train.output).isZero();
        Path cache = home.resolve("quarkus-app").resolve(CACHE);
        assertThat(cache).isNotEmptyFile();
        assertThat(Files.readString(home.resolve("quarkus-app").resolve(CACHE + ".jdk")).strip()).isEqualTo(runtimeVersion());

        Result command = launcher(Map.of(), "command");
        assertThat(command.exit).as(command.output).isZero();
        assertThat(command.output.lines()).contains(USE_FLAG);

        // Strict: the JVM refuses to start at all when the cache cannot be used.
        Path classes = WORK.resolve("classes.txt");
        Path log = WORK.resolve("agent.log");
        Process agent = start(Map.of("MEDIAWATCH_JAVA_OPTS", STRICT + " -Xlog:class+load=info:file=" + classes), log);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains(" started in ")
                    || !agent.isAlive());
            assertThat(agent.isAlive()).as(Files.readString(log)).isTrue();
        } finally {
            agent.destroy();
            agent.waitFor(20, TimeUnit.SECONDS);
        }
        List<String> fromCache = Files.readAllLines(classes).stream()
                .filter(l -> l.contains(" dev.mediawatch.agent.") && l.contains("shared objects file")).toList();
        assertThat(fromCache).as("agent classes loaded from the cache").hasSizeGreaterThan(20);
    }

    @Test
    void aCacheStampedByAnotherJdk_isLeftAlone() throws Exception {
        Path other = WORK.resolve("other");
        Path app = other.resolve("quarkus-app");
        Files.createDirectories(app);
        Files.copy(home.resolve("quarkus-app").resolve("quarkus-run.jar"), app.resolve("quarkus-run.jar"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(app.resolve(CACHE), "not a cache");
        Files.writeString(app.resolve(CACHE + ".jdk"), "11.0.1+13\n");
        Result command = launcher(Map.of("MEDIAWATCH_AGENT_HOME", other.toString()), "command");
        assertThat(command.exit).as(command.output).isZero();
        assertThat(command.output).doesNotContain(USE_FLAG)
                .contains(CACHE + " was recorded by JDK 11.0.1+13, this is " + runtimeVersion() + ": running without it");
    }

    private static String runtimeVersion() throws IOException {
        for (String line : Files.readAllLines(Path.of(System.getProperty("java.home"), "release"))) {
            if (line.startsWith("JAVA_RUNTIME_VERSION=")) {
                return line.substring(line.indexOf('=') + 1).replace("\"", "");
            }
        }
        throw new IllegalStateException("no JAVA_RUNTIME_VERSION in the JDK's release file");
    }

    private record Result(int exit, String output) {
    }

    private static Result launcher(Map<String, String> extra, String... args) throws Exception {
        Path out = WORK.resolve("launcher-" + String.join("-", args) + "-" + UUID.randomUUID() + ".log");
        Process p = start(extra, out, args);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("launcher " + String.join(" ", args) + " within 120 s").isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** The launcher in a clean environment: this java, the copy as its home, no broker, no engine, no mounts. */
    private static Process start(Map<String, String> extra, Path out, String... args) throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HOME", WORK.toString(), "MEDIAWATCH_JAVA", JAVA.toString(),
                "MEDIAWATCH_AGENT_HOME", home.toString(), "MEDIAWATCH_HOST_ID", "cache-" + RUN,
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1", "MEDIAWATCH_MQTT_PORT", Integer.toString(closed),
                "MEDIAWATCH_DOCKER_HOST", "unix://" + WORK.resolve("none.sock"), "MEDIAWATCH_MOUNTS_WATCH", "none",
                "MEDIAWATCH_THROTTLE_STATE_FILE", WORK.resolve("throttle.json").toString())));
        env.put("QUARKUS_HTTP_PORT", "0");
        env.putAll(extra);
        return pb.start();
    }
}
