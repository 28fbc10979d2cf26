package dev.mediawatch.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.BrokerAndEngine.InjectBroker;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The broker goes away and comes back empty (as Mosquitto without persistence does): the agent is not ready
 * while it is gone, and afterwards says online and republishes its state by itself.
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerAndEngine.class, restrictToAnnotatedClass = true)
class BrokerOutageTest {

    @InjectBroker
    TestBroker broker;

    private final Topics topics = Topics.defaults();
    private final HostId host = HostId.of(BrokerAndEngine.HOST);

    @Test
    void brokerRestartWithoutPersistence_isHealedWithinAPublishInterval() {
        await().atMost(Duration.ofSeconds(20)).until(() -> broker.last(topics.state(host)) != null
                && broker.last(topics.availability(host)) != null);
        given().get("/q/health/ready").then().statusCode(200);

        broker.stop();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503));
        // The agent is alive though: liveness does not depend on the broker.
        given().get("/q/health/live").then().statusCode(200);

        broker.clearRecorded();
        broker.restart();

        // Reconnect (1 s) plus one publish interval (2 s here), with room for a loaded machine.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(broker.last(topics.availability(host))).isNotNull()
                    .satisfies(m -> assertThat(m.text()).isEqualTo("online"));
            assertThat(broker.last(topics.state(host))).isNotNull();
            given().get("/q/health/ready").then().statusCode(200);
        });
    }
}
