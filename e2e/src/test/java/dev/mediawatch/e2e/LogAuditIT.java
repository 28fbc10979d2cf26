package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Reads every log the packaged apps wrote during the end-to-end tests (listed by {@link AppProcess} in
 * {@code app-logs.txt}) and fails on any ERROR line that is not on the short list below. An ERROR nobody expected
 * is a bug, even when every test passed: it is how "Attempt to exceed the limit of 10 inflight messages" and the
 * incoming channels' overflow went unnoticed through a whole series of green runs. Runs after every other
 * end-to-end test (its own failsafe execution).
 */
class LogAuditIT {

    /** An ERROR line expected in some log, and why. Keep this list short: each entry is a decision. */
    private record Allowed(boolean onlyWhereStartupFailureExpected, Pattern line, String why) {
    }

    private static final List<Allowed> ALLOWED = List.of(
            // Tests that start an app with a bad configuration on purpose (a broken catalogue, two passwords, an
            // unreadable secret file) expect it to stop with Quarkus' startup error naming the problem.
            new Allowed(true, Pattern.compile("ERROR \\[io\\.quarkus\\.runtime\\.(ApplicationLifecycleManager|Application)\\] "),
                    "the startup error of an app configured badly on purpose"),
            new Allowed(true, Pattern.compile("ERROR \\[i\\.q\\.r\\.(ApplicationLifecycleManager|Application)\\] "),
                    "the startup error of an app configured badly on purpose"));

    private static final Pattern ERROR = Pattern.compile("^\\S+ ERROR ");

    @Test
    void noPackagedAppLoggedAnUnexpectedError() throws IOException {
        Path manifest = AppProcess.LOGS_MANIFEST;
        assertThat(manifest).as("the list of app logs the end-to-end tests wrote").exists();
        Set<Path> logs = new HashSet<>();
        Set<Path> failureExpected = new HashSet<>();
        for (String line : Files.readAllLines(manifest)) {
            String[] kv = line.split(" ", 2);
            Path log = Path.of(kv[1]);
            logs.add(log);
            if (kv[0].equals("expected-failure")) {
                failureExpected.add(log);
            }
        }
        assertThat(logs).as("app logs listed").isNotEmpty();
        List<String> unexpected = new ArrayList<>();
        for (Path log : logs) {
            if (!Files.exists(log)) {
                continue; // an app whose work directory a test cleaned up
            }
            for (String line : Files.readAllLines(log)) {
                if (ERROR.matcher(line).find() && ALLOWED.stream().noneMatch(a -> (!a.onlyWhereStartupFailureExpected()
                        || failureExpected.contains(log)) && a.line().matcher(line).find())) {
                    unexpected.add(log.getFileName() + ": " + line);
                }
            }
        }
        assertThat(unexpected).as("ERROR lines in the packaged apps' logs that no test expected").isEmpty();
    }
}
