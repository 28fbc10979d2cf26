package dev.mediawatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.BrokerAndEngine.InjectBroker;
import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.MissingService;
import dev.mediawatch.contract.ServiceProbe;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.RealServices;
import dev.mediawatch.testing.TestBroker;
import dev.mediawatch.testing.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A small stack on the real dockerd, named like the catalogue: a healthy service, one whose healthcheck
 * turns unhealthy, one killed, one in a restart loop, an unknown container, a missing and a parked service,
 * and probes against a real loopback HTTP server. What the agent publishes must match what the engine did.
 *
 * <p>Needs the test dockerd ({@code scripts/services.sh start}).
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerAndEngine.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(
        name = BrokerAndEngine.CATALOGUE_ARG, value = "/catalogue/test-stack.yaml"))
@RealServices
class CatalogueOnRealEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String[] CONTAINERS = { "mwt-sonarr", "mwt-radarr", "mwt-sabnzbd", "mwt-crashy", "mwt-stray" };

    @InjectBroker
    TestBroker broker;

    private final Topics topics = Topics.defaults();
    private final HostId host = HostId.of(BrokerAndEngine.HOST);
    private final DockerCli docker = DockerCli.forTestEngine();

    @AfterEach
    void cleanUp() {
        docker.removeQuietly(CONTAINERS);
    }

    @Test
    void theStackAsTheEngineRunsIt_joinedToTheCatalogue() {
        docker.removeQuietly(CONTAINERS);
        docker.runSleeper("mwt-sonarr", "--health-cmd", "true", "--health-interval", "1s");
        docker.runSleeper("mwt-radarr", "--health-cmd", "test ! -f /bad", "--health-interval", "1s",
                "--health-retries", "1");
        docker.runSleeper("mwt-sabnzbd");
        docker.runSleeper("mwt-stray");
        docker.run("run", "-d", "--network", "none", "--name", "mwt-crashy", "--restart", "always",
                TestServices.image(), "sh", "-c", "exit 1");

        await().atMost(WAIT).untilAsserted(() -> {
            HostState s = wire().state();
            ContainerState sonarr = AgentWire.container(s, "mwt-sonarr");
            assertThat(sonarr.service()).isEqualTo("sonarr");
            assertThat(sonarr.category()).isEqualTo("management");
            assertThat(sonarr.expected()).isEqualTo("running");
            assertThat(sonarr.health()).isEqualTo(ContainerHealth.HEALTHY);
            assertThat(sonarr.startedAt()).isNotNull();
            assertThat(AgentWire.container(s, "mwt-stray").service()).as("unknown containers are kept, without a service").isNull();
            assertThat(s.missing()).containsExactly(new MissingService("lidarr", "management"));
            assertThat(s.summary().missing()).isEqualTo(1);
            assertThat(s.summary().parked()).isEqualTo(1);
            assertThat(s.summary().unknown()).isGreaterThanOrEqualTo(1);
            assertThat(s.summary().byCategory()).containsEntry("management", 3).containsEntry("media-support", 2)
                    .doesNotContainKey("streaming");
            ContainerState crashy = AgentWire.container(s, "mwt-crashy");
            assertThat(crashy.restartLoop()).isTrue();
            assertThat(crashy.restartCount()).isGreaterThanOrEqualTo(3);
            assertThat(s.summary().restarting()).isEqualTo(1);
            assertThat(probe(s, "sonarr")).satisfies(p -> {
                assertThat(p.up()).isTrue();
                assertThat(p.httpStatus()).isEqualTo(200);
            });
            assertThat(probe(s, "radarr")).satisfies(p -> {
                assertThat(p.up()).isFalse();
                assertThat(p.httpStatus()).isEqualTo(500);
            });
        });
        // Events go out in order through the outbox, so the loop event may follow the state by a little.
        await().atMost(WAIT).untilAsserted(() -> assertThat(wire().events()).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.CONTAINER_RESTART_LOOP);
            assertThat(e.subject()).isEqualTo("mwt-crashy");
            assertThat(e.to()).isEqualTo("looping");
        }));

        docker.run("exec", "mwt-radarr", "sh", "-c", ": > /bad");
        docker.run("kill", "mwt-sabnzbd");

        await().atMost(WAIT).untilAsserted(() -> {
            HostState s = wire().state();
            assertThat(AgentWire.container(s, "mwt-radarr").health()).isEqualTo(ContainerHealth.UNHEALTHY);
            ContainerState sab = AgentWire.container(s, "mwt-sabnzbd");
            assertThat(sab.state()).isEqualTo(ContainerStatus.EXITED);
            assertThat(sab.exitCode()).isEqualTo(137);
            assertThat(s.summary().unhealthy()).isGreaterThanOrEqualTo(1);
            List<HostEvent> events = wire().events();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventTypes.CONTAINER_HEALTH);
                assertThat(e.subject()).isEqualTo("mwt-radarr");
                assertThat(e.to()).isEqualTo("unhealthy");
            });
            assertThat(events).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventTypes.CONTAINER_KILL);
                assertThat(e.subject()).isEqualTo("mwt-sabnzbd");
                assertThat(e.detail()).containsEntry("signal", "9");
            });
            assertThat(events).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventTypes.CONTAINER_DIE);
                assertThat(e.subject()).isEqualTo("mwt-sabnzbd");
                assertThat(e.detail()).containsEntry("exitCode", "137");
            });
        });
    }

    private static ServiceProbe probe(HostState s, String service) {
        return s.probes().stream().filter(p -> p.service().equals(service)).findFirst()
                .orElseThrow(() -> new AssertionError("no probe of " + service + " in " + s.probes()));
    }

    private AgentWire wire() {
        return AgentWire.of(broker);
    }
}
