package dev.mediawatch.agent.activity;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import dev.mediawatch.contract.Text;

/**
 * Pauses and unpauses post-processing containers for the throttle ({@code docker pause}: the cgroup freezer,
 * so an unpack or transcode stops where it is and goes on after, unlike a stop). Blocking engine calls with a
 * timeout, from the activity thread only.
 */
public interface ContainerPauser extends Closeable {

    /** The engine refused or did not answer; the message is one line. */
    final class Failure extends Exception {
        public Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** Running (not paused, not stopped) now; false when there is no such container. */
    boolean running(String container) throws Failure;

    /** Pauses a running container. */
    void pause(String container) throws Failure;

    /** Unpauses a container; one that is gone or no longer paused is already what was wanted. */
    void unpause(String container) throws Failure;

    @Override
    default void close() throws IOException {
    }

    /** For hosts without a container engine: nothing runs, so nothing is paused. */
    ContainerPauser NONE = new ContainerPauser() {
        @Override
        public boolean running(String container) {
            return false;
        }

        @Override
        public void pause(String container) throws Failure {
            throw new Failure("no container engine");
        }

        @Override
        public void unpause(String container) {
        }
    };

    /** The Docker Engine API at {@code dockerHost} ({@code unix://...} or {@code tcp://...}), through docker-java. */
    static ContainerPauser docker(String dockerHost, Duration timeout) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost)
                .build();
        DockerClient client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(2)
                .connectionTimeout(timeout)
                .responseTimeout(timeout)
                .build());
        return new ContainerPauser() {
            @Override
            public boolean running(String container) throws Failure {
                try {
                    InspectContainerResponse.ContainerState s = client.inspectContainerCmd(container).exec().getState();
                    return s != null && Boolean.TRUE.equals(s.getRunning()) && !Boolean.TRUE.equals(s.getPaused());
                } catch (NotFoundException e) {
                    return false;
                } catch (RuntimeException e) {
                    throw failure("inspect", container, e);
                }
            }

            @Override
            public void pause(String container) throws Failure {
                try {
                    client.pauseContainerCmd(container).exec();
                } catch (RuntimeException e) {
                    throw failure("pause", container, e);
                }
            }

            @Override
            public void unpause(String container) throws Failure {
                try {
                    client.unpauseContainerCmd(container).exec();
                } catch (NotFoundException | ConflictException alreadyThere) {
                    // Gone, or not paused (unpaused by hand, restarted): nothing left to undo.
                } catch (RuntimeException e) {
                    // dockerd 20.10 answers 500 "... is not paused" rather than 409: ask what the container is.
                    try {
                        InspectContainerResponse.ContainerState s = client.inspectContainerCmd(container).exec().getState();
                        if (s == null || !Boolean.TRUE.equals(s.getPaused())) {
                            return;
                        }
                    } catch (NotFoundException gone) {
                        return;
                    } catch (RuntimeException inspectFailed) {
                        // Fall through: report the unpause failure itself.
                    }
                    throw failure("unpause", container, e);
                }
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }

    private static Failure failure(String what, String container, RuntimeException e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        return new Failure(Text.printable(what + " " + container + " failed: " + e.getClass().getSimpleName() + message, 200));
    }
}
