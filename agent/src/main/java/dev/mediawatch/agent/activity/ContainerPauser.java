package dev.mediawatch.agent.activity;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.agent.engine.EngineClient;
import dev.mediawatch.agent.engine.EngineException;
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

    /**
     * The Docker Engine API at {@code dockerHost} ({@code unix://...} or {@code tcp://...}), through the agent's
     * own client, on the caller's thread.
     */
    static ContainerPauser docker(String dockerHost, Duration timeout) {
        EngineClient client = new EngineClient(dockerHost, timeout);
        return new ContainerPauser() {
            @Override
            public boolean running(String container) throws Failure {
                try {
                    return client.inspect(container).map(ContainerPauser::runningUnpaused).orElse(false);
                } catch (IOException e) {
                    throw failure("inspect", container, e);
                }
            }

            @Override
            public void pause(String container) throws Failure {
                try {
                    client.pause(container);
                } catch (IOException e) {
                    throw failure("pause", container, e);
                }
            }

            @Override
            public void unpause(String container) throws Failure {
                try {
                    client.unpause(container);
                } catch (IOException e) {
                    if (e instanceof EngineException refused && (refused.status() == 404 || refused.status() == 409)) {
                        // Gone, or not paused (unpaused by hand, restarted): nothing left to undo.
                        return;
                    }
                    // dockerd 20.10 answers 500 "... is not paused" rather than 409: ask what the container is.
                    try {
                        Optional<JsonNode> inspect = client.inspect(container);
                        if (inspect.isEmpty() || !inspect.get().path("State").path("Paused").asBoolean(false)) {
                            return;
                        }
                    } catch (IOException inspectFailed) {
                        // Fall through: report the unpause failure itself.
                    }
                    throw failure("unpause", container, e);
                }
            }
        };
    }

    /** An inspect answer's {@code State}: running and not paused. */
    private static boolean runningUnpaused(JsonNode inspect) {
        JsonNode s = inspect.path("State");
        return s.path("Running").asBoolean(false) && !s.path("Paused").asBoolean(false);
    }

    private static Failure failure(String what, String container, IOException e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        return new Failure(Text.printable(what + " " + container + " failed: " + e.getClass().getSimpleName() + message, 200));
    }
}
