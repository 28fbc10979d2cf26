package dev.mediawatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.BrokerAndEngine.InjectBroker;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.ConfigKeys;
import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.RealServices;
import dev.mediawatch.testing.TestBroker;
import dev.mediawatch.testing.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The real dockerd is stopped under the agent (its containers stop with it) and started again (the one with
 * {@code --restart always} comes back). The agent must say the engine was unreachable, and within 10 s of the
 * engine's return publish the truth and the transitions it could not see.
 *
 * <p>Needs the test dockerd of {@code scripts/services.sh start}, and root to stop and start it.
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerAndEngine.class, restrictToAnnotatedClass = true)
@RealServices
class EngineRestartTest {

    private static final String ALWAYS = "mwr-always";
    private static final String ONCE = "mwr-once";

    @InjectBroker
    TestBroker broker;

    private final Topics topics = Topics.defaults();
    private final HostId host = HostId.of(BrokerAndEngine.HOST);
    private final DockerCli docker = DockerCli.forTestEngine();

    @AfterEach
    void engineBackAndClean() throws Exception {
        services("dockerd-start");
        docker.removeQuietly(ALWAYS, ONCE);
    }

    @Test
    void engineRestart_isReportedAndConvergedWithin10s_withTheMissedTransitions() throws Exception {
        docker.removeQuietly(ALWAYS, ONCE);
        docker.run("run", "-d", "--init", "--network", "none", "--name", ALWAYS, "--restart", "always",
                TestServices.image(), "sleep", "3600");
        docker.runSleeper(ONCE);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HostState s = wire().state();
            assertThat(AgentWire.container(s, ALWAYS).state()).isEqualTo(ContainerStatus.RUNNING);
            assertThat(AgentWire.container(s, ONCE).state()).isEqualTo(ContainerStatus.RUNNING);
        });
        Instant alwaysStarted = AgentWire.container(wire().state(), ALWAYS).startedAt();

        services("dockerd-stop");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(wire().state().engine().reachable()).isFalse();
            assertThat(wire().events()).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventTypes.ENGINE_UNREACHABLE));
        });

        services("dockerd-start");
        // The bar: the truth within 10 s of the engine's return.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HostState s = wire().state();
            assertThat(s.engine().reachable()).isTrue();
            ContainerState always = AgentWire.container(s, ALWAYS);
            assertThat(always.state()).isEqualTo(ContainerStatus.RUNNING);
            assertThat(always.startedAt()).isAfter(alwaysStarted);
            ContainerState once = AgentWire.container(s, ONCE);
            assertThat(once.state()).isEqualTo(ContainerStatus.EXITED);
            List<HostEvent> events = wire().events();
            assertThat(events).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventTypes.ENGINE_REACHABLE));
            // dockerd stops its containers before it exits, while the event stream still runs: those deaths
            // are seen live. The restart policy starts ALWAYS again while dockerd starts, before any client
            // can listen: that start is only known from the resync.
            assertThat(events).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventTypes.CONTAINER_DIE);
                assertThat(e.subject()).isEqualTo(ONCE);
                assertThat(e.detail()).containsKey("exitCode");
            });
            assertThat(events).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventTypes.CONTAINER_START);
                assertThat(e.subject()).isEqualTo(ALWAYS);
                assertThat(e.from()).isEqualTo("exited");
                assertThat(e.detail()).containsEntry("source", "resync");
            });
        });
        // Each transition is told once: not again by the resync, nor by later snapshots.
        assertThat(wire().events()).filteredOn(e -> e.subject().equals(ONCE) && e.type().equals(EventTypes.CONTAINER_DIE)).hasSize(1);
        assertThat(wire().events()).filteredOn(e -> e.subject().equals(ALWAYS) && e.type().equals(EventTypes.CONTAINER_START)
                && "resync".equals(e.detail().get("source"))).hasSize(1);
    }

    private static void services(String command) throws IOException, InterruptedException {
        Path script = ConfigKeys.repo().resolve("scripts/services.sh");
        Process p = new ProcessBuilder("bash", script.toString(), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("services.sh %s finished", command).isTrue();
        assertThat(p.exitValue()).as("services.sh %s: %s", command, out).isZero();
    }

    private AgentWire wire() {
        return AgentWire.of(broker);
    }
}
