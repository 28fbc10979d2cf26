package dev.mediawatch.agent.containers;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import dev.mediawatch.contract.ContainerState;

/**
 * The Docker Engine API, through docker-java: the only class that talks to the engine. Every call blocks,
 * so it is only ever called from the collector's own thread or the events thread, never from MQTT, HTTP or
 * scheduler threads.
 *
 * <p>Two HTTP clients: one for request/response calls with a response timeout (a stuck engine must make
 * the engine "unreachable", not hang the collector) and one for the events stream, which is a response
 * that never ends by design.
 */
public class DockerEngine implements Closeable {

    /**
     * What one look at the engine saw.
     *
     * @param pids the main process id of each running container, by container name (host PID namespace)
     */
    public record Snapshot(String version, String apiVersion, List<ContainerState> containers, Map<String, Long> pids) {
    }

    private final DockerClient requests;
    private final DockerClient events;

    public DockerEngine(String dockerHost, Duration timeout) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .build();
        this.requests = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(4)
                .connectionTimeout(timeout)
                .responseTimeout(timeout)
                .build());
        this.events = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(1)
                .connectionTimeout(timeout)
                .build());
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
    public Snapshot snapshot() {
        if (version == null) {
            Version v = requests.versionCmd().exec();
            version = v.getVersion();
            apiVersion = v.getApiVersion();
        }
        List<Container> rows;
        try {
            rows = requests.listContainersCmd().withShowAll(true).exec();
        } catch (RuntimeException e) {
            version = null; // ask again after an outage: the engine may have been upgraded
            inspected.clear();
            throw e;
        }
        List<ContainerState> containers = new ArrayList<>(rows.size());
        Map<String, Inspected> seen = new HashMap<>();
        Map<String, Long> pids = new HashMap<>();
        for (Container row : rows) {
            String key = row.getId() + "|" + row.getState() + "|" + row.getStatus();
            Inspected cached = inspected.get(row.getId());
            if (cached == null || !cached.rowKey().equals(key)) {
                try {
                    inspections++;
                    InspectContainerResponse inspect = requests.inspectContainerCmd(row.getId()).exec();
                    Long pid = inspect.getState() == null ? null : inspect.getState().getPidLong();
                    cached = new Inspected(key, ContainerMapper.map(row, inspect), pid == null ? 0 : pid);
                } catch (NotFoundException removedMeanwhile) {
                    // Gone between list and inspect: the destroy event and the next collect account for it.
                    continue;
                }
            }
            seen.put(row.getId(), cached);
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
     * Follows the engine's container events until the returned handle is closed or the stream ends; the
     * callback's methods run on docker-java's stream thread.
     */
    public Closeable followContainerEvents(ResultCallback<Event> callback) {
        return events.eventsCmd().withEventTypeFilter(EventType.CONTAINER).exec(callback);
    }

    @Override
    public void close() throws IOException {
        try {
            requests.close();
        } finally {
            events.close();
        }
    }
}
