package dev.mediawatch.agent.activity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.BrokerAndEngine;
import dev.mediawatch.agent.BrokerAndEngine.InjectBroker;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.ThrottleState;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A streaming host with no activity source and no throttle left by an earlier start (no state file): the activity
 * feature is off. No thread is started for it and nothing is published on the activity topic, while the rest of the
 * agent runs. No engine is needed: the address points nowhere.
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerAndEngine.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = BrokerAndEngine.DOCKER_HOST_ARG, value = "unix:///nonexistent/mediawatch-test/docker.sock"),
        @ResourceArg(name = "mediawatch.role", value = "streaming"),
        @ResourceArg(name = "mediawatch.throttle.state-file", value = "target/activity-off/never-written.json") })
class ActivityOffTest {

    @InjectBroker
    TestBroker broker;

    @Inject
    ActivityWatch activity;

    private final Topics topics = Topics.defaults();
    private final HostId host = HostId.of(BrokerAndEngine.HOST);

    @Test
    void noSourceAndNoThrottle_startsNoActivityThread_andPublishesNoActivity() {
        // The agent is up: its state is on the broker.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(broker.last(topics.state(host)))
                .isNotNull());
        given().get("/q/health/ready").then().statusCode(200);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .doesNotContain("mediawatch-activity");
        assertThat(activity.current()).isNull();
        assertThat(activity.throttleState()).isEqualTo(ThrottleState.INACTIVE);
        assertThat(activity.throttleAllowed()).isFalse();
        // The refresh command finds nothing to run and does not start anything either.
        activity.refresh();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .doesNotContain("mediawatch-activity");
        assertThat(broker.messages(topics.activity(host))).isEmpty();
    }
}
