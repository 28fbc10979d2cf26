package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
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
 * @param startedAt      when it last started (UTC); absent if it never did
 * @param oomKilled      the kernel's OOM killer ended its last run
 * @param restartCount   restarts by the engine's restart policy since it was created
 * @param restartLoop    restarting in a loop: at least N restarts within M minutes (agent configuration)
 * @param service        the catalogue service it runs; absent for a container the catalogue does not know
 * @param category       the catalogue service's category
 * @param expected       the catalogue service's expected state: running, parked or stopped
 * @param ports          the host ports it publishes (configured bindings, so a stopped container shows what it
 *                       would take), sorted
 */
@JsonPropertyOrder({ "id", "name", "image", "state", "health", "exitCode", "composeProject", "composeService",
        "createdAt", "startedAt", "oomKilled", "restartCount", "restartLoop", "service", "category", "expected", "ports" })
public record ContainerState(
        String id,
        String name,
        String image,
        ContainerStatus state,
        ContainerHealth health,
        Integer exitCode,
        String composeProject,
        String composeService,
        Instant createdAt,
        Instant startedAt,
        boolean oomKilled,
        int restartCount,
        boolean restartLoop,
        String service,
        String category,
        String expected,
        List<PortBinding> ports) {

    public ContainerState {
        ports = ports == null ? List.of() : List.copyOf(ports);
        if (restartCount < 0) {
            throw new IllegalArgumentException("restartCount must not be negative");
        }
        Objects.requireNonNull(name, "container name");
        state = state == null ? ContainerStatus.UNKNOWN : state;
        health = health == null ? ContainerHealth.NONE : health;
    }

    /** A container without published ports. */
    public ContainerState(String id, String name, String image, ContainerStatus state, ContainerHealth health,
            Integer exitCode, String composeProject, String composeService, Instant createdAt, Instant startedAt,
            boolean oomKilled, int restartCount, boolean restartLoop, String service, String category, String expected) {
        this(id, name, image, state, health, exitCode, composeProject, composeService, createdAt, startedAt, oomKilled,
                restartCount, restartLoop, service, category, expected, List.of());
    }

    /** A container as the engine alone describes it: no restart history, not joined to the catalogue. */
    public ContainerState(String id, String name, String image, ContainerStatus state, ContainerHealth health,
            Integer exitCode, String composeProject, String composeService, Instant createdAt) {
        this(id, name, image, state, health, exitCode, composeProject, composeService, createdAt, null, false, 0, false,
                null, null, null);
    }

    /** The same container joined to its catalogue service. */
    public ContainerState joined(String serviceName, String serviceCategory, String expectedState) {
        return new ContainerState(id, name, image, state, health, exitCode, composeProject, composeService, createdAt,
                startedAt, oomKilled, restartCount, restartLoop, serviceName, serviceCategory, expectedState, ports);
    }

    /** The same container with its restart-loop verdict. */
    public ContainerState withRestartLoop(boolean loop) {
        return new ContainerState(id, name, image, state, health, exitCode, composeProject, composeService, createdAt,
                startedAt, oomKilled, restartCount, loop, service, category, expected, ports);
    }

    /** The same container with the host ports it publishes. */
    public ContainerState withPorts(List<PortBinding> published) {
        return new ContainerState(id, name, image, state, health, exitCode, composeProject, composeService, createdAt,
                startedAt, oomKilled, restartCount, restartLoop, service, category, expected, published);
    }

    /** Known to the catalogue. */
    public boolean catalogued() {
        return service != null;
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
