package dev.mediawatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker command line against the test engine: tests drive the engine the way its owner would, so the
 * agent under test sees real engine events.
 */
public final class DockerCli {

    private final String host;

    public DockerCli(String host) {
        this.host = host;
    }

    public static DockerCli forTestEngine() {
        return new DockerCli(TestServices.dockerHost());
    }

    /** Runs {@code docker <args>} and returns its trimmed standard output; fails on a non-zero exit. */
    public String run(String... args) {
        TestTier.requireReal("the docker command line (DockerCli)");
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.add("-H");
        command.add(host);
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + p.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + " (is docker.io installed? scripts/test.sh does)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    /** Starts a detached container that sleeps, on no network, with an init so stop is quick. */
    public String runSleeper(String name, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--init", "--network", "none", "--name", name));
        args.addAll(List.of(extraArgs));
        args.add(TestServices.image());
        args.add("sleep");
        args.add("3600");
        return run(args.toArray(String[]::new));
    }

    /** Removes containers by name, ignoring ones that do not exist. */
    public void removeQuietly(String... names) {
        for (String name : names) {
            try {
                run("rm", "-f", name);
            } catch (IllegalStateException ignored) {
                // Already gone is the state we want.
            }
        }
    }
}
