package dev.mediawatch.agent.containers;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.github.dockerjava.api.DockerClient;
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

    /** What one look at the engine saw. */
    public record Snapshot(String version, String apiVersion, List<ContainerState> containers) {
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

    /**
     * Lists every container (running or not) and inspects each for what the list does not carry exactly
     * (health verdict, exit code). A container removed between list and inspect is left out.
     */
    public Snapshot snapshot() {
        Version version = requests.versionCmd().exec();
        List<Container> rows = requests.listContainersCmd().withShowAll(true).exec();
        List<ContainerState> containers = new ArrayList<>(rows.size());
        for (Container row : rows) {
            try {
                containers.add(ContainerMapper.map(row, requests.inspectContainerCmd(row.getId()).exec()));
            } catch (NotFoundException removedMeanwhile) {
                // Gone between list and inspect: the destroy event and the next collect account for it.
                continue;
            }
        }
        containers.sort(Comparator.comparing(ContainerState::name));
        return new Snapshot(version.getVersion(), version.getApiVersion(), List.copyOf(containers));
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
