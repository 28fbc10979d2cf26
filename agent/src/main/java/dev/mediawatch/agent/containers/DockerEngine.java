package dev.mediawatch.agent.containers;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.agent.engine.EngineClient;
import dev.mediawatch.contract.ContainerState;

/**
 * The Docker Engine API, through the agent's own {@link EngineClient}: the only class of the container watch
 * that talks to the engine. Every call blocks, so it is only ever called from the collector's own thread or the
 * events thread, never from MQTT, HTTP or scheduler threads. Request/response calls have a timeout (a stuck
 * engine must make the engine "unreachable", not hang the collector); the events stream, a response that never
 * ends by design, has none once open.
 */
public class DockerEngine {

    /**
     * What one look at the engine saw.
     *
     * @param pids the main process id of each running container, by container name (host PID namespace)
     */
    public record Snapshot(String version, String apiVersion, List<ContainerState> containers, Map<String, Long> pids) {
    }

    private final EngineClient client;

    /** @throws IllegalArgumentException for an address that is neither {@code unix://} nor {@code tcp://} */
    public DockerEngine(String dockerHost, Duration timeout) {
        this.client = new EngineClient(dockerHost, timeout);
    }

    /** An inspected container, valid while its list row says the same. */
    private record Inspected(String rowKey, ContainerState state, long pid) {
    }

    /** Touched by the collector thread only. */
    private final Map<String, Inspected> inspected = new HashMap<>();
    private String version;
    private String apiVersion;
    private long inspections;

    /**
     * Lists every container (running or not) and inspects those whose list row changed since they were last
     * inspected, for what the list does not carry exactly (health verdict, exit code, restart count,
     * OOM-killed, started-at). The list row's {@code State} and {@code Status} text change with every
     * state, health or restart change ({@code Status} also every minute of uptime), so an unchanged row means
     * an unchanged container: one list call per snapshot instead of one call per container. A container
     * removed between list and inspect is left out. Called from the collector thread only.
     */
    public Snapshot snapshot() throws IOException {
        if (version == null) {
            JsonNode v = client.version();
            version = ContainerMapper.text(v, "Version");
            apiVersion = ContainerMapper.text(v, "ApiVersion");
        }
        JsonNode rows;
        try {
            rows = client.containers();
            if (!rows.isArray()) {
                throw new IOException("the engine's container list is not a list");
            }
        } catch (IOException | RuntimeException e) {
            version = null; // ask again after an outage: the engine may have been upgraded
            inspected.clear();
            throw e;
        }
        List<ContainerState> containers = new ArrayList<>(rows.size());
        Map<String, Inspected> seen = new HashMap<>();
        Map<String, Long> pids = new HashMap<>();
        for (JsonNode row : rows) {
            String id = ContainerMapper.text(row, "Id");
            if (id == null) {
                continue;
            }
            String key = id + "|" + ContainerMapper.text(row, "State") + "|" + ContainerMapper.text(row, "Status");
            Inspected cached = inspected.get(id);
            if (cached == null || !cached.rowKey().equals(key)) {
                inspections++;
                Optional<JsonNode> inspect = client.inspect(id);
                if (inspect.isEmpty()) {
                    // Gone between list and inspect: the destroy event and the next collect account for it.
                    continue;
                }
                Long pid = ContainerMapper.number(inspect.get().path("State"), "Pid");
                cached = new Inspected(key, ContainerMapper.map(row, inspect.get()), pid == null ? 0 : pid);
            }
            seen.put(id, cached);
            containers.add(cached.state());
            if (cached.pid() > 0) {
                pids.put(cached.state().name(), cached.pid());
            }
        }
        inspected.clear();
        inspected.putAll(seen);
        containers.sort(Comparator.comparing(ContainerState::name));
        return new Snapshot(version, apiVersion, List.copyOf(containers), Map.copyOf(pids));
    }

    /** Inspect calls made so far (a metric: the load this agent puts on the engine). */
    public long inspections() {
        return inspections;
    }

    /**
     * The engine's container events, open: read them with {@link EngineClient.EventStream#next()} on the thread
     * that follows them, end them with {@link EngineClient.EventStream#close()} from any.
     */
    public EngineClient.EventStream containerEvents() throws IOException {
        return client.containerEvents();
    }
}
