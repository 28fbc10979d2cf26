package dev.mediawatch.agent.containers;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;

import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.PortBinding;

/**
 * Docker Engine API models to contract records. Pure functions, tested on responses recorded from a real
 * engine (API 1.41).
 */
final class ContainerMapper {

    static final String COMPOSE_PROJECT = "com.docker.compose.project";
    static final String COMPOSE_SERVICE = "com.docker.compose.service";

    private ContainerMapper() {
    }

    /**
     * One container from its {@code GET /containers/json} row and {@code GET /containers/{id}/json}.
     * The list row's {@code Status} text ("Up 5 minutes (healthy)") is for humans; state, health and exit
     * code come from the inspect response's {@code State}.
     */
    static ContainerState map(Container row, InspectContainerResponse inspect) {
        InspectContainerResponse.ContainerState s = inspect.getState();
        ContainerStatus status = ContainerStatus.fromWire(s != null && s.getStatus() != null ? s.getStatus() : row.getState());
        HealthState health = s == null ? null : s.getHealth();
        Integer exitCode = s != null && (status == ContainerStatus.EXITED || status == ContainerStatus.DEAD)
                ? s.getExitCodeLong() == null ? null : s.getExitCodeLong().intValue()
                : null;
        Map<String, String> labels = row.getLabels() == null ? Map.of() : row.getLabels();
        return new ContainerState(
                shortId(row.getId()),
                name(row.getNames(), inspect.getName()),
                row.getImage(),
                status,
                health == null ? ContainerHealth.NONE : ContainerHealth.fromWire(health.getStatus()),
                exitCode,
                labels.get(COMPOSE_PROJECT),
                labels.get(COMPOSE_SERVICE),
                row.getCreated() == null ? null : Instant.ofEpochSecond(row.getCreated()),
                s == null ? null : engineTime(s.getStartedAt()),
                s != null && Boolean.TRUE.equals(s.getOOMKilled()),
                inspect.getRestartCount() == null ? 0 : inspect.getRestartCount(),
                false, null, null, null, ports(row, inspect, status));
    }

    /**
     * The host ports a container publishes, from its configuration ({@code HostConfig.PortBindings}), so a
     * stopped container shows what it would take. A binding without a fixed host port ({@code HostPort} empty:
     * the engine picks one, or a range) is known only while the container runs: then the list row's public
     * port for that container port is the real one, else it is left out. Without configured bindings (none,
     * or {@code -P}, publish every exposed port at random) the row's public ports are all there is. Docker
     * lists a binding on every address twice (0.0.0.0 and ::), which {@link PortBinding} both reads as "every
     * address": one entry each, sorted.
     */
    static List<PortBinding> ports(Container row, InspectContainerResponse inspect, ContainerStatus status) {
        Map<ExposedPort, Ports.Binding[]> configured = inspect.getHostConfig() == null
                || inspect.getHostConfig().getPortBindings() == null ? Map.of()
                : inspect.getHostConfig().getPortBindings().getBindings();
        ContainerPort[] published = row.getPorts() == null ? new ContainerPort[0] : row.getPorts();
        Set<PortBinding> out = new TreeSet<>();
        if (configured.isEmpty()) {
            for (ContainerPort p : published) {
                binding(p).ifPresent(out::add);
            }
            return List.copyOf(out);
        }
        for (Map.Entry<ExposedPort, Ports.Binding[]> e : configured.entrySet()) {
            ExposedPort port = e.getKey();
            if (port == null || e.getValue() == null) {
                continue;
            }
            String protocol = protocol(port.getProtocol() == null ? null : port.getProtocol().toString());
            boolean unresolved = false;
            for (Ports.Binding b : e.getValue()) {
                Integer hostPort = b == null ? null : fixedPort(b.getHostPortSpec());
                if (hostPort == null) {
                    unresolved = true;
                } else {
                    out.add(new PortBinding(hostPort, port.getPort(), protocol, b.getHostIp()));
                }
            }
            if (unresolved && status == ContainerStatus.RUNNING) {
                for (ContainerPort p : published) {
                    if (p.getPrivatePort() != null && p.getPrivatePort() == port.getPort()
                            && protocol.equals(protocol(p.getType()))) {
                        binding(p).ifPresent(out::add);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** A list row's port, when it is published on the host. */
    private static Optional<PortBinding> binding(ContainerPort p) {
        if (p.getPublicPort() == null || p.getPublicPort() < 1 || p.getPublicPort() > 65535 || p.getPrivatePort() == null) {
            return Optional.empty();
        }
        return Optional.of(new PortBinding(p.getPublicPort(), p.getPrivatePort(), protocol(p.getType()), p.getIp()));
    }

    /** A configured {@code HostPort} that names one port; null for "any" (empty) and ranges ({@code 8000-8010}). */
    static Integer fixedPort(String spec) {
        if (spec == null || spec.isEmpty() || spec.length() > 5) {
            return null;
        }
        for (int i = 0; i < spec.length(); i++) {
            if (spec.charAt(i) < '0' || spec.charAt(i) > '9') {
                return null;
            }
        }
        int port = Integer.parseInt(spec);
        return port >= 1 && port <= 65535 ? port : null;
    }

    private static String protocol(String wire) {
        return wire == null || wire.isEmpty() ? "tcp" : wire.toLowerCase(Locale.ROOT);
    }

    /** The engine writes times as RFC 3339 with nanoseconds, and "0001-01-01T00:00:00Z" for "never". */
    static Instant engineTime(String text) {
        if (text == null || text.isEmpty() || text.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * A Docker container event ({@code GET /events}, type {@code container}) as a contract event; empty for
     * actions that say nothing about the container's state ({@code exec_*}, {@code attach}, {@code top}, ...).
     *
     * @param lastKnown the container's state in the agent's last snapshot, by name, for {@code from}
     */
    static Optional<HostEvent> event(HostId host, Event e, Function<String, ContainerState> lastKnown) {
        String action = e.getAction() != null ? e.getAction() : e.getStatus();
        if (action == null) {
            return Optional.empty();
        }
        Map<String, String> attributes = e.getActor() == null || e.getActor().getAttributes() == null
                ? Map.of() : e.getActor().getAttributes();
        String name = attributes.getOrDefault("name", e.getId() == null ? "?" : shortId(e.getId()));
        ContainerState before = lastKnown.apply(name);
        String fromState = before == null ? null : before.state().wire();
        Map<String, String> detail = new HashMap<>();
        if (e.getId() != null) {
            detail.put("id", shortId(e.getId()));
        }
        if (attributes.get("image") != null) {
            detail.put("image", attributes.get("image"));
        }
        String type;
        String to;
        String from = fromState;
        // Health actions carry the verdict after a colon: "health_status: healthy".
        if (action.startsWith("health_status")) {
            type = EventTypes.CONTAINER_HEALTH;
            from = before == null ? null : before.health().wire();
            to = action.contains(":") ? action.substring(action.indexOf(':') + 1).strip().toLowerCase(Locale.ROOT) : null;
        } else {
            switch (action) {
                case "create" -> { type = EventTypes.CONTAINER_CREATE; to = "created"; }
                case "start" -> { type = EventTypes.CONTAINER_START; to = "running"; }
                case "restart" -> { type = EventTypes.CONTAINER_RESTART; to = "running"; }
                case "stop" -> { type = EventTypes.CONTAINER_STOP; to = "exited"; }
                case "die" -> {
                    type = EventTypes.CONTAINER_DIE;
                    to = "exited";
                    putIfPresent(detail, "exitCode", attributes.get("exitCode"));
                }
                case "kill" -> {
                    type = EventTypes.CONTAINER_KILL;
                    to = null;
                    putIfPresent(detail, "signal", attributes.get("signal"));
                }
                case "oom" -> { type = EventTypes.CONTAINER_OOM; to = null; }
                case "destroy" -> { type = EventTypes.CONTAINER_DESTROY; to = "removed"; }
                default -> {
                    return Optional.empty();
                }
            }
        }
        putIfPresent(detail, "composeProject", attributes.get(COMPOSE_PROJECT));
        putIfPresent(detail, "composeService", attributes.get(COMPOSE_SERVICE));
        Instant at = e.getTimeNano() != null && e.getTimeNano() > 0
                ? Instant.ofEpochSecond(0, e.getTimeNano())
                : Instant.ofEpochSecond(e.getTime() == null ? 0 : e.getTime());
        return Optional.of(HostEvent.of(host, type, at, name, from, to, detail));
    }

    private static void putIfPresent(Map<String, String> detail, String key, String value) {
        if (value != null && !value.isEmpty()) {
            detail.put(key, value);
        }
    }

    static String shortId(String id) {
        return id == null ? null : id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** Docker keeps names with a leading "/" (a legacy of container links). */
    static String name(String[] names, String inspectName) {
        String raw = names != null && names.length > 0 ? names[0] : inspectName;
        if (raw == null) {
            return "?";
        }
        return raw.startsWith("/") ? raw.substring(1) : raw;
    }
}
