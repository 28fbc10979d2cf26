package dev.mediawatch.agent.activity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.mediawatch.agent.TestHttp;
import dev.mediawatch.contract.DownloadLimits;
import dev.mediawatch.contract.ThrottleRequest;

/**
 * A throttle in a JVM of its own, for the kill -9 test: {@link #main} applies a throttle (through the real
 * clients and store), prints {@code APPLIED} and then waits for ever; the test kills it with SIGKILL, so no
 * shutdown hook and no {@code stop()} run, exactly like a crashed agent.
 */
public final class ThrottleCrashChild {

    private ThrottleCrashChild() {
    }

    /** Arguments: state file, SABnzbd URL, SABnzbd key, qBittorrent URL, SABnzbd limit, qBittorrent limit. */
    public static void main(String[] args) throws Exception {
        SabnzbdClient sab = new SabnzbdClient(TestHttp.CLIENT, URI.create(args[1]), Optional.of(args[2]),
                Duration.ofSeconds(5));
        QbittorrentClient qbt = new QbittorrentClient(TestHttp.CLIENT, URI.create(args[3]), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(5));
        Throttle t = new Throttle(ThrottleTest.HOST, Throttle.limiter(sab), Throttle.limiter(qbt), ContainerPauser.NONE,
                List.of(), new ThrottleStore(Path.of(args[0])), Clock.systemUTC(), true, e -> {
                });
        t.start();
        Throttle.Outcome outcome = t.handle(ThrottleRequest.apply("crash-1", Instant.now(), 600,
                new DownloadLimits(Long.parseLong(args[4]), Long.parseLong(args[5])), false));
        System.out.println(outcome == Throttle.Outcome.APPLIED && t.state().problem() == null ? "APPLIED"
                : "NOT APPLIED " + outcome + " " + t.state().problem());
        System.out.flush();
        // Wait to be killed (stdin stays open: the parent never closes it before the kill).
        System.in.read();
    }

    /** The running child. */
    static final class Handle implements AutoCloseable {
        private final Process process;

        private Handle(Process process) {
            this.process = process;
        }

        /** Waits for the child's report; fails with it when the throttle was not applied. */
        void awaitApplied(Duration within) throws Exception {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                            StandardCharsets.UTF_8));
                    StringBuilder seen = new StringBuilder();
                    for (String l; (l = out.readLine()) != null;) {
                        if (l.startsWith("APPLIED") || l.startsWith("NOT APPLIED")) {
                            return l;
                        }
                        seen.append(l).append(" | ");
                    }
                    return "EXITED: " + seen;
                } catch (IOException e) {
                    return "EXITED: " + e;
                }
            });
            String report = line.get(within.toMillis(), TimeUnit.MILLISECONDS);
            if (!report.equals("APPLIED")) {
                throw new AssertionError("the child did not apply the throttle: " + report);
            }
        }

        /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux), then waits for it to be gone. */
        void kill9() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the child survived SIGKILL");
            }
            // 128 + 9: killed by SIGKILL, not exited.
            if (process.exitValue() != 137) {
                throw new AssertionError("the child ended with " + process.exitValue() + ", not by SIGKILL");
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    static Handle launch(Path stateFile, URI sab, String key, URI qbt, DownloadLimits limits) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                ThrottleCrashChild.class.getName(), stateFile.toString(), sab.toString(), key, qbt.toString(),
                Long.toString(limits.sabnzbdBytesPerSec()), Long.toString(limits.qbittorrentBytesPerSec()))
                .redirectErrorStream(true).start();
        return new Handle(p);
    }
}
