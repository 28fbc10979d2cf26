package dev.mediawatch.contract;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One container on a host's engine.
 *
 * @param id             the engine's container id, first 12 hex digits (as {@code docker ps} shows)
 * @param name           the container name without Docker's leading {@code /}
 * @param image          the image reference the container was created from
 * @param state          the engine's state
 * @param health         the healthcheck verdict, {@code none} without a healthcheck
 * @param exitCode       the last exit code; present only for exited and dead containers
 * @param composeProject the {@code com.docker.compose.project} label, when compose made it
 * @param composeService the {@code com.docker.compose.service} label, when compose made it
 * @param createdAt      when the container was created (UTC)
 */
@JsonPropertyOrder({ "id", "name", "image", "state", "health", "exitCode", "composeProject", "composeService",
        "createdAt" })
public record ContainerState(
        String id,
        String name,
        String image,
        ContainerStatus state,
        ContainerHealth health,
        Integer exitCode,
        String composeProject,
        String composeService,
        Instant createdAt) {

    public ContainerState {
        Objects.requireNonNull(name, "container name");
        state = state == null ? ContainerStatus.UNKNOWN : state;
        health = health == null ? ContainerHealth.NONE : health;
    }

    public boolean running() {
        return state == ContainerStatus.RUNNING;
    }

    /** Stopped for good: exited, or dead (the engine failed to stop or remove it). */
    public boolean exited() {
        return state == ContainerStatus.EXITED || state == ContainerStatus.DEAD;
    }

    public boolean unhealthy() {
        return health == ContainerHealth.UNHEALTHY;
    }
}
