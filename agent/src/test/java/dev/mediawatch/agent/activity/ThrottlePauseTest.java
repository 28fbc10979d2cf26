package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.contract.DownloadLimits;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.ThrottleRequest;
import dev.mediawatch.contract.ThrottleState;
import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.MutableClock;
import dev.mediawatch.testing.RealServices;
import dev.mediawatch.testing.TestServices;

/**
 * The throttle pausing post-processing containers on the real dockerd that {@code scripts/services.sh start}
 * runs (the test fails when it is not there): only running ones are paused, each is unpaused on release, and
 * after a restart of the agent the ones the store names are unpaused at start.
 */
@RealServices
class ThrottlePauseTest {

    @TempDir
    Path dir;

    private final DockerCli docker = DockerCli.forTestEngine();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String unpackerr = "unpackerr-" + suffix;
    private final String tdarr = "tdarr-" + suffix;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T21:03:00Z"));
    private final List<HostEvent> events = new CopyOnWriteArrayList<>();
    private final ContainerPauser pauser = ContainerPauser.docker(TestServices.dockerHost(), Duration.ofSeconds(10));

    @AfterEach
    void removeContainers() throws Exception {
        docker.removeQuietly(unpackerr, tdarr);
        pauser.close();
    }

    private Throttle throttle() {
        // No downloader configured: only the containers are throttled.
        return new Throttle(ThrottleTest.HOST, null, null, pauser, List.of(unpackerr, tdarr, "tdarr-node-" + suffix),
                new ThrottleStore(dir.resolve("throttle.json")), clock, true, events::add);
    }

    private String paused(String container) {
        return docker.run("inspect", "-f", "{{.State.Status}}", container);
    }

    private static ThrottleRequest applyPausing(String id) {
        return ThrottleRequest.apply(id, Instant.now(), 60, DownloadLimits.NONE, true);
    }

    @Test
    void runningPostProcessors_arePaused_andUnpausedOnRelease() {
        docker.runSleeper(unpackerr);
        docker.run("create", "--network", "none", "--name", tdarr, TestServices.image(), "sleep", "3600");
        Throttle t = throttle();
        t.start();

        assertThat(t.handle(applyPausing("r1"))).isEqualTo(Throttle.Outcome.APPLIED);

        assertThat(paused(unpackerr)).isEqualTo("paused");
        // Created, never started: nothing to pause, and it is not recorded as paused by the throttle.
        assertThat(paused(tdarr)).isEqualTo("created");
        assertThat(t.state().pausedContainers()).containsExactly(unpackerr);
        assertThat(new ThrottleStore(dir.resolve("throttle.json")).load().orElseThrow().pausedContainers())
                .containsExactly(unpackerr);

        t.handle(ThrottleRequest.release("r2", Instant.now()));

        assertThat(paused(unpackerr)).isEqualTo("running");
        assertThat(t.state().active()).isFalse();
        assertThat(t.state().problem()).isNull();
    }

    @Test
    void afterARestart_theContainersTheStoreNames_areUnpausedAtStart() {
        docker.runSleeper(unpackerr);
        Throttle before = throttle();
        before.start();
        before.handle(applyPausing("r1"));
        assertThat(paused(unpackerr)).isEqualTo("paused");

        Throttle after = throttle();
        after.start();

        assertThat(paused(unpackerr)).isEqualTo("running");
        assertThat(after.state().lastRestoreReason()).isEqualTo(ThrottleState.AGENT_RESTART);
    }

    @Test
    void aContainerUnpausedOrRemovedMeanwhile_doesNotBlockTheRestore() {
        docker.runSleeper(unpackerr);
        docker.runSleeper(tdarr);
        Throttle t = throttle();
        t.start();
        t.handle(applyPausing("r1"));
        assertThat(t.state().pausedContainers()).containsExactlyInAnyOrder(unpackerr, tdarr);

        docker.run("unpause", unpackerr);
        docker.run("rm", "-f", tdarr);
        clock.advance(Duration.ofSeconds(60));
        t.tick();

        assertThat(t.state().active()).isFalse();
        assertThat(t.state().lastRestoreReason()).isEqualTo(ThrottleState.LEASE_EXPIRED);
        assertThat(paused(unpackerr)).isEqualTo("running");
    }
}
