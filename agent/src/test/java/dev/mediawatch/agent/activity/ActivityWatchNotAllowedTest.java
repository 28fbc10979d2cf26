package dev.mediawatch.agent.activity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.BrokerAndEngine;
import dev.mediawatch.agent.BrokerAndEngine.InjectBroker;
import dev.mediawatch.contract.Command;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.DownloadLimits;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.ThrottleRequest;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.RealServices;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An agent on a download host where throttling is switched off ({@code mediawatch.throttle.allowed=false}):
 * a throttle command is refused and counted, and no limit is touched. Services as in {@link ActivityWatchTest}
 * (a real qBittorrent, SABnzbd from recorded answers).
 *
 * <p>Needs the test dockerd and qbittorrent-nox ({@code scripts/services.sh start}).
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerAndEngine.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ActivityWatchResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "mediawatch.throttle.allowed", value = "false"))
@RealServices
class ActivityWatchNotAllowedTest {

    @InjectBroker
    TestBroker broker;

    @ActivityWatchResource.InjectServices
    ActivityWatchResource.Services services;

    /** The agent's own client: the test asks qBittorrent as the agent does. */
    @Inject
    HttpClient http;

    private final Topics topics = Topics.defaults();
    private final HostId host = HostId.of(BrokerAndEngine.HOST);

    @Test
    void aThrottleCommand_isRefusedAndCounted_andNoLimitIsTouched() throws Exception {
        QbittorrentClient qbt = new QbittorrentClient(http, services.qbittorrent().base(),
                Optional.of(ActivityWatchResource.QBT_USER), Optional.of(ActivityWatchResource.QBT_PASSWORD),
                Duration.ofSeconds(3));
        long sabBefore = services.sabnzbd().limit();
        long qbtBefore = qbt.downloadLimit();
        // The loop runs (the sources are configured), without a throttle in the snapshot.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            TestBroker.Published last = broker.last(topics.activity(host));
            assertThat(last).isNotNull();
            HostActivity a = ContractJson.readActivity(last.payload(), host, ContractJson.MAX_PAYLOAD_BYTES);
            assertThat(a.sabnzbd()).isNotNull();
            assertThat(a.throttle()).isNull();
        });

        broker.publish(topics.command(host, Command.THROTTLE), ContractJson.write(ThrottleRequest.apply("agg-1",
                Instant.now(), 60, new DownloadLimits(1024L, 1024L), true)), false);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("mediawatch_agent_commands_rejected_total{reason=\"not-allowed\"} 1.0"));
        assertThat(services.sabnzbd().limit()).isEqualTo(sabBefore);
        assertThat(qbt.downloadLimit()).isEqualTo(qbtBefore);
        assertThat(services.sabnzbd().queries()).noneMatch(q -> q.contains("name=speedlimit"));
        assertThat(services.stateFile()).doesNotExist();
    }
}
