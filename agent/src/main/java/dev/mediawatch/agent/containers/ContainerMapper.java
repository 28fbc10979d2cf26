package dev.mediawatch.agent.containers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.PortBinding;

/**
 * Docker Engine API answers, as JSON trees, to contract records. Pure functions, tested on responses recorded
 * from a real engine (API 1.41). A field the engine leaves out or sends as {@code null} is absent, as it is in
 * the answers of older engines.
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
    static ContainerState map(JsonNode row, JsonNode inspect) {
        JsonNode s = object(inspect, "State");
        String wireState = s == null ? null : text(s, "Status");
        ContainerStatus status = ContainerStatus.fromWire(wireState != null ? wireState : text(row, "State"));
        JsonNode health = s == null ? null : object(s, "Health");
        Long exit = s == null ? null : number(s, "ExitCode");
        Integer exitCode = s != null && (status == ContainerStatus.EXITED || status == ContainerStatus.DEAD)
                ? exit == null ? null : exit.intValue()
                : null;
        Map<String, String> labels = strings(row, "Labels");
        Long created = number(row, "Created");
        Long restarts = number(inspect, "RestartCount");
        return new ContainerState(
                shortId(text(row, "Id")),
                name(names(row), text(inspect, "Name")),
                text(row, "Image"),
                status,
                health == null ? ContainerHealth.NONE : ContainerHealth.fromWire(text(health, "Status")),
                exitCode,
                labels.get(COMPOSE_PROJECT),
                labels.get(COMPOSE_SERVICE),
                created == null ? null : Instant.ofEpochSecond(created),
                s == null ? null : engineTime(text(s, "StartedAt")),
                s != null && flag(s, "OOMKilled"),
                restarts == null ? 0 : restarts.intValue(),
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
    static List<PortBinding> ports(JsonNode row, JsonNode inspect, ContainerStatus status) {
        Map<String, List<JsonNode>> configured = configuredBindings(inspect);
        JsonNode published = row.path("Ports").isArray() ? row.path("Ports") : null;
        Set<PortBinding> out = new TreeSet<>();
        if (configured.isEmpty()) {
            if (published != null) {
                for (JsonNode p : published) {
                    binding(p).ifPresent(out::add);
                }
            }
            return List.copyOf(out);
        }
        for (Map.Entry<String, List<JsonNode>> e : configured.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            // "80/tcp"; Docker takes a port without a protocol as tcp.
            String key = e.getKey();
            int slash = key.indexOf('/');
            int containerPort;
            try {
                containerPort = Integer.parseInt(slash < 0 ? key : key.substring(0, slash));
            } catch (NumberFormatException notAPort) {
                continue;
            }
            String protocol = protocol(slash < 0 ? null : key.substring(slash + 1));
            boolean unresolved = false;
            for (JsonNode b : e.getValue()) {
                Integer hostPort = fixedPort(text(b, "HostPort"));
                if (hostPort == null) {
                    unresolved = true;
                } else {
                    out.add(new PortBinding(hostPort, containerPort, protocol, text(b, "HostIp")));
                }
            }
            if (unresolved && status == ContainerStatus.RUNNING && published != null) {
                for (JsonNode p : published) {
                    Long privatePort = number(p, "PrivatePort");
                    if (privatePort != null && privatePort == containerPort && protocol.equals(protocol(text(p, "Type")))) {
                        binding(p).ifPresent(out::add);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * {@code HostConfig.PortBindings}: each container port ({@code "80/tcp"}) with its bindings. A port whose
     * bindings are {@code null} is kept with none (it counts as configured, binds nothing); one whose array holds
     * no binding is left out.
     */
    private static Map<String, List<JsonNode>> configuredBindings(JsonNode inspect) {
        JsonNode hostConfig = object(inspect, "HostConfig");
        JsonNode bindings = hostConfig == null ? null : object(hostConfig, "PortBindings");
        if (bindings == null) {
            return Map.of();
        }
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = bindings.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> port = it.next();
            if (port.getValue().isNull()) {
                out.put(port.getKey(), null);
            } else if (port.getValue().isArray()) {
                List<JsonNode> list = new ArrayList<>();
                for (JsonNode b : port.getValue()) {
                    if (b.isObject()) {
                        list.add(b);
                    }
                }
                if (!list.isEmpty()) {
                    out.put(port.getKey(), list);
                }
            }
        }
        return out;
    }

    /** A list row's port, when it is published on the host. */
    private static Optional<PortBinding> binding(JsonNode p) {
        Long publicPort = number(p, "PublicPort");
        Long privatePort = number(p, "PrivatePort");
        if (publicPort == null || publicPort < 1 || publicPort > 65535 || privatePort == null) {
            return Optional.empty();
        }
        return Optional.of(new PortBinding(publicPort.intValue(), privatePort.intValue(), protocol(text(p, "Type")),
                text(p, "IP")));
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
    static Optional<HostEvent> event(HostId host, JsonNode e, Function<String, ContainerState> lastKnown) {
        String action = text(e, "Action") != null ? text(e, "Action") : text(e, "status");
        if (action == null) {
            return Optional.empty();
        }
        JsonNode actor = object(e, "Actor");
        Map<String, String> attributes = actor == null ? Map.of() : strings(actor, "Attributes");
        String id = text(e, "id");
        String name = attributes.getOrDefault("name", id == null ? "?" : shortId(id));
        ContainerState before = lastKnown.apply(name);
        String fromState = before == null ? null : before.state().wire();
        Map<String, String> detail = new HashMap<>();
        if (id != null) {
            detail.put("id", shortId(id));
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
        Long timeNano = number(e, "timeNano");
        Long time = number(e, "time");
        Instant at = timeNano != null && timeNano > 0
                ? Instant.ofEpochSecond(0, timeNano)
                : Instant.ofEpochSecond(time == null ? 0 : time);
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
    static String name(List<String> names, String inspectName) {
        String raw = !names.isEmpty() ? names.get(0) : inspectName;
        if (raw == null) {
            return "?";
        }
        return raw.startsWith("/") ? raw.substring(1) : raw;
    }

    // Reading the engine's JSON. A missing field and a JSON null are both absent.

    private static List<String> names(JsonNode row) {
        JsonNode names = row.path("Names");
        if (!names.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(names.size());
        for (JsonNode n : names) {
            out.add(n.isValueNode() && !n.isNull() ? n.asText() : null);
        }
        return out;
    }

    /** A field's text; numbers and booleans as written. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    /** A field's whole number; a number written as text counts. */
    static Long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.longValue();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.textValue().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean flag(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && (v.isBoolean() ? v.booleanValue() : v.isTextual() && v.textValue().equalsIgnoreCase("true"));
    }

    private static JsonNode object(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isObject() ? v : null;
    }

    /** A field's object of strings ({@code Labels}, an event actor's {@code Attributes}); empty when absent. */
    private static Map<String, String> strings(JsonNode node, String field) {
        JsonNode o = object(node, field);
        if (o == null) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isValueNode() && !v.isNull()) {
                out.put(e.getKey(), v.asText());
            }
        }
        return out;
    }
}
