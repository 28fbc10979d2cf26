package dev.mediawatch.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.BrokerAndEngine.InjectBroker;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * No engine at the configured address: the agent stays online and ready, and says the engine is
 * unreachable (a state of its own, not the agent being offline).
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerAndEngine.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(
        name = BrokerAndEngine.DOCKER_HOST_ARG, value = "unix:///nonexistent/mediawatch-test/docker.sock"))
class EngineUnreachableTest {

    @InjectBroker
    TestBroker broker;

    private final Topics topics = Topics.defaults();
    private final HostId host = HostId.of(BrokerAndEngine.HOST);

    @Test
    void missingEngine_isReportedAsUnreachable_whileTheAgentStaysOnlineAndReady() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            TestBroker.Published last = broker.last(topics.state(host));
            assertThat(last).isNotNull();
            HostState state = ContractJson.readState(last.payload(), host);
            assertThat(state.engine().reachable()).isFalse();
            assertThat(state.engine().error()).isNotBlank().doesNotContain("\n");
            assertThat(state.engine().since()).isNotNull();
            assertThat(state.containers()).isEmpty();
            assertThat(broker.messages(topics.events(host))).anySatisfy(m -> assertThat(
                    ContractJson.readEvent(m.payload(), host).type()).isEqualTo(EventTypes.ENGINE_UNREACHABLE));
            assertThat(broker.last(topics.availability(host)).text()).isEqualTo("online");
        });
        given().get("/q/health/ready").then().statusCode(200);
    }
}
