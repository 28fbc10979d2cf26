package dev.mediawatch.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.PortBinding;

/**
 * Mapping of Engine API responses recorded from a real dockerd 20.10.24 (API 1.41), read as JSON trees as the
 * agent's engine client reads them (fixtures/docker-api-1.41, see the note in events.jsonl).
 */
class ContainerMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HostId HOST = HostId.of("download-stack");

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = ContainerMapperTest.class.getResourceAsStream("/fixtures/docker-api-1.41/" + name)) {
            return JSON.readTree(in);
        }
    }

    /** A container's row in a recorded list. */
    private static JsonNode row(String list, String name) throws IOException {
        for (JsonNode row : fixture(list)) {
            if (row.path("Names").path(0).asText().equals("/" + name)) {
                return row;
            }
        }
        throw new AssertionError("no " + name + " in " + list);
    }

    private static JsonNode row(String name) throws IOException {
        return row("containers-list.json", name);
    }

    @Test
    void runningHealthyComposeContainer() throws IOException {
        ContainerState c = ContainerMapper.map(row("sabnzbd"), fixture("inspect-running-healthy.json"));
        assertThat(c.name()).isEqualTo("sabnzbd");
        assertThat(c.id()).hasSize(12).isHexadecimal();
        assertThat(c.image()).isEqualTo("mediawatch-test/busybox:1");
        assertThat(c.state()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(c.health()).isEqualTo(ContainerHealth.HEALTHY);
        assertThat(c.exitCode()).isNull();
        assertThat(c.composeProject()).isEqualTo("download");
        assertThat(c.composeService()).isEqualTo("sabnzbd");
        assertThat(c.createdAt()).isAfter(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void exitedContainer_carriesItsExitCode_andNoHealthcheckIsNone() throws IOException {
        ContainerState c = ContainerMapper.map(row("tdarr"), fixture("inspect-exited.json"));
        assertThat(c.state()).isEqualTo(ContainerStatus.EXITED);
        assertThat(c.exitCode()).isEqualTo(3);
        assertThat(c.health()).isEqualTo(ContainerHealth.NONE);
        assertThat(c.composeProject()).isNull();
    }

    /**
     * Published ports on responses recorded for this test (fixtures/docker-api-1.41/ports-*, see the README
     * there): {@code web} on a user bridge with {@code -p 127.0.0.1:18083:80 -p 18084:80/udp -p 80} (a random
     * port), {@code offline} on network none with {@code -p 127.0.0.1:18085:80 -p 18086:80/udp} (configured,
     * never bound), {@code publishall} with {@code --expose 8080 -P}; each running, then web and publishall
     * stopped.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            web        | running | 127.0.0.1:18083/tcp->80, 18084/udp->80, 32769/tcp->80
            web        | exited  | 127.0.0.1:18083/tcp->80, 18084/udp->80
            offline    | running | 127.0.0.1:18085/tcp->80, 18086/udp->80
            publishall | running | 32770/tcp->8080
            publishall | exited  | ''
            """)
    void publishedPorts_fromTheConfiguredBindings_withTheRowsPortsWhereTheEnginePicked(String name, String state,
            String expected) throws IOException {
        String list = state.equals("running") ? "ports-containers-list-running.json" : "ports-containers-list-stopped.json";
        JsonNode row = row(list, name);
        JsonNode inspect = fixture("ports-inspect-" + name + "-" + state + ".json");
        ContainerState c = ContainerMapper.map(row, inspect);
        assertThat(c.state().wire()).isEqualTo(state);
        assertThat(c.ports()).extracting(p -> p.label() + "->" + p.containerPort())
                .containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of(expected.split(", ")));
    }

    @Test
    void ports_everyAddressListedTwice_isOneBinding_andTheListIsSorted() throws IOException {
        // The running web row lists 32769/tcp and 18084/udp on 0.0.0.0 and on ::.
        JsonNode row = row("ports-containers-list-running.json", "web");
        assertThat(row.path("Ports")).hasSize(5);
        JsonNode none = fixture("inspect-running-healthy.json");
        // Bindings from the row alone (an inspect without any, as for -P): 5 rows, 3 bindings.
        List<PortBinding> ports = ContainerMapper.ports(row, none, ContainerStatus.RUNNING);
        assertThat(ports).extracting(PortBinding::label).containsExactly("127.0.0.1:18083/tcp", "18084/udp", "32769/tcp");
        assertThat(ports).isSorted();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", textBlock = """
            8080,      8080
            1,         1
            65535,     65535
            '',        null
            null,      null
            0,         null
            65536,     null
            8000-8010, null
            -1,        null
            123456,    null
            """)
    void fixedPort_onlyForOneRealPort(String spec, Integer expected) {
        assertThat(ContainerMapper.fixedPort(spec)).isEqualTo(expected);
    }

    @Test
    void noContainerWithoutPorts_getsAny() throws IOException {
        ContainerState c = ContainerMapper.map(row("sabnzbd"), fixture("inspect-running-healthy.json"));
        assertThat(c.ports()).isEmpty();
    }

    @Test
    void recordedEventStream_mapsStateActions_andSkipsExecNoise() throws IOException {
        List<JsonNode> events = new java.util.ArrayList<>();
        for (String line : new String(ContainerMapperTest.class.getResourceAsStream("/fixtures/docker-api-1.41/events.jsonl")
                .readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                events.add(JSON.readTree(line));
            }
        }
        Map<String, ContainerState> known = new HashMap<>();
        known.put("sabnzbd", new ContainerState("x", "sabnzbd", "i", ContainerStatus.RUNNING, ContainerHealth.STARTING,
                null, null, null, null));
        List<HostEvent> mapped = events.stream().map(e -> ContainerMapper.event(HOST, e, known::get))
                .flatMap(Optional::stream).toList();

        assertThat(mapped).extracting(HostEvent::type).doesNotContain("container.exec_create")
                .contains(EventTypes.CONTAINER_CREATE, EventTypes.CONTAINER_START, EventTypes.CONTAINER_DIE,
                        EventTypes.CONTAINER_KILL, EventTypes.CONTAINER_STOP, EventTypes.CONTAINER_DESTROY,
                        EventTypes.CONTAINER_HEALTH);
        assertThat(mapped).allSatisfy(e -> {
            assertThat(e.host()).isEqualTo(HOST);
            assertThat(e.timestamp()).isAfter(Instant.parse("2026-01-01T00:00:00Z"));
        });
        HostEvent tdarrDied = mapped.stream().filter(e -> e.type().equals(EventTypes.CONTAINER_DIE)
                && e.subject().equals("tdarr")).findFirst().orElseThrow();
        assertThat(tdarrDied.detail()).containsEntry("exitCode", "3").containsKey("id");
        assertThat(tdarrDied.to()).isEqualTo("exited");

        HostEvent healthy = mapped.stream().filter(e -> e.type().equals(EventTypes.CONTAINER_HEALTH)
                && e.subject().equals("sabnzbd")).findFirst().orElseThrow();
        assertThat(healthy.from()).isEqualTo("starting");
        assertThat(healthy.to()).isEqualTo("healthy");

        HostEvent sabKilled = mapped.stream().filter(e -> e.type().equals(EventTypes.CONTAINER_KILL)
                && e.subject().equals("sabnzbd")).findFirst().orElseThrow();
        assertThat(sabKilled.detail()).containsEntry("signal", "15").containsEntry("composeService", "sabnzbd");
        assertThat(sabKilled.from()).isEqualTo("running");
    }

    @Test
    void engineErrors_loseCredentialsAndLines() {
        String line = EngineError.describe(new RuntimeException("wrap", new IllegalStateException(
                "cannot reach tcp://admin:hunter2@nas:2375\nsecond line")));
        assertThat(line).doesNotContain("hunter2").doesNotContain("admin").doesNotContain("\n")
                .startsWith("IllegalStateException: cannot reach tcp://nas:2375");
    }
}
