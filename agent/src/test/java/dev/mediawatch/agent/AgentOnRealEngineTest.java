package dev.mediawatch.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.BrokerAndEngine.InjectBroker;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.Command;
import dev.mediawatch.contract.CommandRequest;
import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.contract.PortBinding;
import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.contract.ContainerIo;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.testing.RealServices;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The agent against a real dockerd (started by scripts/test.sh) and an in-process broker. */
@QuarkusTest
@QuarkusTestResource(value = BrokerAndEngine.class, restrictToAnnotatedClass = true)
@RealServices
class AgentOnRealEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectBroker
    TestBroker broker;

    private final Topics topics = Topics.defaults();
    private final HostId host = HostId.of(BrokerAndEngine.HOST);
    private final DockerCli docker = DockerCli.forTestEngine();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void removeContainers() {
        docker.removeQuietly("web-" + suffix, "job-" + suffix, "writer-" + suffix, "tcp-" + suffix, "udp-" + suffix);
    }

    @Test
    void aContainerWriting_isNamedTheTopWriter_withItsCgroupsIoPressure() {
        String writer = "writer-" + suffix;
        String idle = "web-" + suffix;
        // Rewrites a 1-2 MiB file in a loop: each truncate-and-write dirties fresh page-cache pages, which the
        // kernel counts in the process's write_bytes.
        docker.run("run", "-d", "--init", "--network", "none", "--name", writer, dev.mediawatch.testing.TestServices.image(),
                "sh", "-c", "while true; do cat /bin/busybox > /f; done");
        docker.runSleeper(idle);
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HostIo io = ContractJson.readIo(broker.last(topics.io(host)).payload(), host);
            assertThat(io.topWriters()).first().isEqualTo(writer);
            ContainerIo w = io.containers().stream().filter(c -> c.container().equals(writer)).findFirst().orElseThrow();
            // This dockerd runs cgroups v1 with a v2 hierarchy beside: no io.stat, so the processes' own counters;
            // the v2 directory does have io.pressure.
            assertThat(w.source()).isEqualTo("proc");
            assertThat(w.writeBytesPerSec()).isGreaterThan(100_000);
            assertThat(w.ioPressure()).isNotNull();
            assertThat(w.ioPressure().some()).isNotNull();
            assertThat(io.containers()).anySatisfy(c -> {
                assertThat(c.container()).isEqualTo(idle);
                assertThat(c.writeBytesPerSec()).isLessThan(w.writeBytesPerSec() / 10);
            });
        });
    }

    @Test
    void announcesOnlineRetained_andIsReadyWhileTheBrokerIsUp() {
        await().atMost(WAIT).untilAsserted(() -> {
            TestBroker.Published last = broker.last(topics.availability(host));
            assertThat(last).isNotNull();
            assertThat(last.text()).isEqualTo("online");
            assertThat(last.retained()).isTrue();
        });
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void containerLifecycle_isPublishedAsEvents_andReflectedInTheRetainedState() {
        String web = "web-" + suffix;
        docker.runSleeper(web, "--label", "com.docker.compose.project=download",
                "--label", "com.docker.compose.service=web", "--health-cmd", "true", "--health-interval", "1s");

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(wire().events()).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventTypes.CONTAINER_START);
                assertThat(e.subject()).isEqualTo(web);
                assertThat(e.to()).isEqualTo("running");
                assertThat(e.detail()).containsEntry("composeService", "web");
            });
            HostState state = wire().state();
            assertThat(state.engine().reachable()).isTrue();
            assertThat(state.role()).isEqualTo("download");
            ContainerState c = AgentWire.container(state, web);
            assertThat(c.state()).isEqualTo(ContainerStatus.RUNNING);
            assertThat(c.health()).isEqualTo(ContainerHealth.HEALTHY);
            assertThat(c.composeProject()).isEqualTo("download");
            assertThat(c.id()).hasSize(12);
        });

        docker.run("stop", "-t", "1", web);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(wire().events()).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventTypes.CONTAINER_DIE);
                assertThat(e.subject()).isEqualTo(web);
                assertThat(e.from()).isEqualTo("running");
                assertThat(e.to()).isEqualTo("exited");
                assertThat(e.detail()).containsKey("exitCode");
            });
            assertThat(wire().events()).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventTypes.CONTAINER_STOP));
            ContainerState c = AgentWire.container(wire().state(), web);
            assertThat(c.state()).isEqualTo(ContainerStatus.EXITED);
            assertThat(c.exitCode()).isNotNull();
        });
        assertThat(broker.messages(topics.events(host))).allSatisfy(m -> assertThat(m.retained()).isFalse());
    }

    @Test
    void publishedPorts_areInTheState_alsoWhileTheContainerIsStopped() {
        String tcp = "tcp-" + suffix;
        String udp = "udp-" + suffix;
        int tcpPort = Ports.free();
        int udpPort = Ports.free();
        // Network none (the test engine has no bridge): the engine keeps the bindings in the container's
        // configuration without binding them, which is what the agent reports.
        docker.runSleeper(tcp, "-p", "127.0.0.1:" + tcpPort + ":80");
        docker.runSleeper(udp, "-p", udpPort + ":80/udp");
        await().atMost(WAIT).untilAsserted(() -> {
            HostState state = wire().state();
            assertThat(AgentWire.container(state, tcp).ports())
                    .containsExactly(new PortBinding(tcpPort, 80, "tcp", "127.0.0.1"));
            assertThat(AgentWire.container(state, udp).ports()).containsExactly(new PortBinding(udpPort, 80, "udp", null));
        });

        docker.run("stop", "-t", "1", tcp);
        await().atMost(WAIT).untilAsserted(() -> {
            ContainerState c = AgentWire.container(wire().state(), tcp);
            assertThat(c.state()).isEqualTo(ContainerStatus.EXITED);
            assertThat(c.ports()).extracting(PortBinding::label).containsExactly("127.0.0.1:" + tcpPort + "/tcp");
        });
        assertThat(broker.last(topics.state(host)).text()).contains("\"ports\":[{\"hostPort\":" + udpPort
                + ",\"containerPort\":80,\"protocol\":\"udp\"}]");
    }

    @Test
    void exitCode_ofAContainerThatFails_isInTheState() {
        String job = "job-" + suffix;
        docker.run("run", "-d", "--network", "none", "--name", job, dev.mediawatch.testing.TestServices.image(),
                "sh", "-c", "exit 3");
        await().atMost(WAIT).untilAsserted(() -> {
            ContainerState c = AgentWire.container(wire().state(), job);
            assertThat(c.state()).isEqualTo(ContainerStatus.EXITED);
            assertThat(c.exitCode()).isEqualTo(3);
        });
    }

    @Test
    void refreshCommand_republishesAtOnce_andABadCommandIsRefusedAndCounted() {
        await().atMost(WAIT).until(() -> broker.last(topics.state(host)) != null);
        int before = broker.messages(topics.state(host)).size();
        broker.publish(topics.command(host, Command.REFRESH),
                ContractJson.write(CommandRequest.of(Command.REFRESH, "r-" + suffix, java.time.Instant.now())), false);
        // The periodic republish is every 2 s here; the refresh must come well before two of them.
        await().atMost(Duration.ofMillis(1500)).until(() -> broker.messages(topics.state(host)).size() > before);
        // The state answering it carries its id; the ordinary publishes after it do not.
        await().atMost(Duration.ofMillis(1500)).until(() -> states(before).stream()
                .anyMatch(s -> ("r-" + suffix).equals(s.requestId())));
        int answered = broker.messages(topics.state(host)).size();
        await().atMost(WAIT).until(() -> broker.messages(topics.state(host)).size() >= answered + 2);
        assertThat(states(answered)).extracting(HostState::requestId).containsOnlyNulls();
        assertThat(states(before)).filteredOn(s -> s.requestId() != null).singleElement()
                .extracting(HostState::requestId).isEqualTo("r-" + suffix);

        // Two refreshes coalescing into one collection: the later id is the one answered.
        int beforePair = broker.messages(topics.state(host)).size();
        broker.publish(topics.command(host, Command.REFRESH),
                ContractJson.write(CommandRequest.of(Command.REFRESH, "first-" + suffix, java.time.Instant.now())), false);
        broker.publish(topics.command(host, Command.REFRESH),
                ContractJson.write(CommandRequest.of(Command.REFRESH, "second-" + suffix, java.time.Instant.now())), false);
        await().atMost(Duration.ofMillis(1500)).until(() -> states(beforePair).stream()
                .anyMatch(s -> ("second-" + suffix).equals(s.requestId())));

        broker.publish(topics.command(host, Command.REFRESH), "{not json", false);
        broker.publish("mediawatch/" + host + "/cmd/reboot", "", false);
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("mediawatch_agent_commands_rejected_total{reason=\"malformed\"} 1.0"))
                .body(containsString("mediawatch_agent_commands_rejected_total{reason=\"bad-topic\"} 1.0")));
    }

    @Test
    void anOfflineSeenWhileRunning_isAnsweredWithOnline() {
        await().atMost(WAIT).until(() -> broker.last(topics.availability(host)) != null);
        // What the broker does when an old connection of this agent dies after the new one came up.
        broker.publish(topics.availability(host), Availability.OFFLINE.payload(), true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(broker.last(topics.availability(host)).text())
                .isEqualTo("online"));
    }

    @Test
    void restState_servesWhatIsPublished() {
        await().atMost(WAIT).until(() -> broker.last(topics.state(host)) != null);
        given().get("/api/state").then().statusCode(200)
                .body(containsString("\"schema\":\"mediawatch.host-state\""))
                .body(containsString("\"host\":\"test-agent\""))
                .body(containsString("\"reachable\":true"));
    }

    @Test
    void everyStateCarriesTheHostsAddress_theFirstNonLoopbackIpv4ByDefault() throws Exception {
        await().atMost(WAIT).until(() -> broker.last(topics.state(host)) != null);
        String expected = dev.mediawatch.agent.config.HostAddress.detect().orElse(null);
        assertThat(expected).as("this machine has a non-loopback IPv4 address").isNotNull();
        assertThat(wire().state().address()).isEqualTo(expected);
    }

    /** The states published after the first {@code skip}, read through the contract. */
    private List<HostState> states(int skip) {
        return broker.messages(topics.state(host)).stream().skip(skip).map(m -> {
            try {
                return ContractJson.readState(m.payload(), host);
            } catch (dev.mediawatch.contract.PayloadRejected e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private AgentWire wire() {
        return AgentWire.of(broker);
    }
}
