package dev.mediawatch.aggregator;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.Ports;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;

/**
 * With no external broker configured, the aggregator runs its own and connects to it: one machine, nothing
 * else installed. An independent MQTT client (Vert.x) plays the agent.
 */
@QuarkusTest
@TestProfile(EmbeddedBrokerTest.NoExternalBroker.class)
class EmbeddedBrokerTest {

    public static class NoExternalBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mediawatch.mqtt.port", Integer.toString(Ports.free()));
        }
    }

    @Inject
    Vertx vertx;

    /** Read back from the app: the profile and the test method may see different class loaders' statics. */
    @ConfigProperty(name = "mediawatch.mqtt.port")
    int port;

    @Test
    void aggregatorConnectsToItsEmbeddedBroker_andAgentsCanPublishToIt() throws Exception {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));

        MqttClient agent = MqttClient.create(vertx);
        agent.connect(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            agent.publish(Topics.defaults().availability(dev.mediawatch.contract.HostId.of("lonely-vm")),
                    Buffer.buffer(Availability.ONLINE.payload()), MqttQoS.AT_LEAST_ONCE, false, true)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            agent.disconnect();
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/api/status").then()
                .body("hosts.find { it.host == 'lonely-vm' }.availability", equalTo("online")));
    }
}
