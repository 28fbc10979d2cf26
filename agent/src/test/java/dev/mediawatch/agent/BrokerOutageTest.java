package dev.mediawatch.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.BrokerAndEngine.InjectBroker;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.RealServices;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The broker goes away and comes back empty (as Mosquitto without persistence does): the agent is not ready
 * while it is gone, keeps what happened meanwhile in its bounded outbox (drops counted), and afterwards says
 * online, sends the held events in order, then its state, by itself.
 *
 * <p>Needs the test dockerd ({@code scripts/services.sh start}).
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerAndEngine.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(
        name = "mediawatch.events.buffer-size", value = "3"))
@RealServices
class BrokerOutageTest {

    @InjectBroker
    TestBroker broker;

    private final Topics topics = Topics.defaults();
    private final HostId host = HostId.of(BrokerAndEngine.HOST);
    private final DockerCli docker = DockerCli.forTestEngine();

    @AfterEach
    void cleanUp() {
        docker.removeQuietly("mwo-blind");
    }

    @Test
    void brokerRestartWithoutPersistence_isHealedWithinAPublishInterval() {
        await().atMost(Duration.ofSeconds(20)).until(() -> broker.last(topics.state(host)) != null
                && broker.last(topics.availability(host)) != null);
        given().get("/q/health/ready").then().statusCode(200);

        broker.stop();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503));
        // The agent is alive though: liveness does not depend on the broker.
        given().get("/q/health/live").then().statusCode(200);

        // While the broker is gone the engine goes on: a container is created, started and stopped. That is
        // create, start, kill, die, stop: five events for an outbox of three.
        docker.runSleeper("mwo-blind");
        docker.run("stop", "-t", "1", "mwo-blind");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("mediawatch_agent_events_dropped_total 2.0"))
                .body(containsString("mediawatch_agent_events_buffered 3.0")));

        broker.clearRecorded();
        broker.restart();

        // Reconnect (1 s) plus at most 5 s of availability retry, with room for a loaded machine.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(broker.last(topics.availability(host))).isNotNull()
                    .satisfies(m -> assertThat(m.text()).isEqualTo("online"));
            assertThat(broker.last(topics.state(host))).isNotNull();
            given().get("/q/health/ready").then().statusCode(200);
        });
        // The three newest events arrived, in the order they happened, and the state came after them.
        List<TestBroker.Published> wire = broker.messages(m -> m.topic().equals(topics.events(host))
                || m.topic().equals(topics.state(host)));
        List<String> blindEvents = wire.stream().filter(m -> m.topic().equals(topics.events(host)))
                .map(m -> AgentWire.of(broker).event(m).type()).toList();
        assertThat(blindEvents).containsExactly(EventTypes.CONTAINER_KILL, EventTypes.CONTAINER_DIE, EventTypes.CONTAINER_STOP);
        int lastEvent = 0;
        for (int i = 0; i < wire.size(); i++) {
            if (wire.get(i).topic().equals(topics.events(host))) {
                lastEvent = i;
            }
        }
        assertThat(wire.subList(lastEvent, wire.size())).anySatisfy(m -> assertThat(m.topic()).isEqualTo(topics.state(host)));
    }
}
