package dev.mediawatch.agent.engine;

import java.io.IOException;

/**
 * The engine answered, with an HTTP error: its status and the engine's own message ({@code {"message": "..."}}),
 * as in "Status 404: No such container: tdarr".
 */
public final class EngineException extends IOException {

    private final int status;

    EngineException(int status, String engineMessage) {
        super("Status " + status + (engineMessage == null || engineMessage.isEmpty() ? "" : ": " + engineMessage));
        this.status = status;
    }

    /** The HTTP status: 404 for no such container, 409 for a container already in the state asked for. */
    public int status() {
        return status;
    }
}
