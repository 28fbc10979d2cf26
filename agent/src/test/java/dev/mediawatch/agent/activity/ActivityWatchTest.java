package dev.mediawatch.agent.activity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.BrokerAndEngine;
import dev.mediawatch.agent.BrokerAndEngine.InjectBroker;
import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.Command;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.DownloadLimits;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.PayloadRejected;
import dev.mediawatch.contract.PostProcessor;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.ThrottleRequest;
import dev.mediawatch.contract.ThrottleState;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.RealServices;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The agent's activity loop end to end: the whole agent with an in-process broker and the real dockerd
 * ({@code BrokerAndEngine}), a real qBittorrent with a login, SABnzbd's and Radarr's APIs from recorded answers
 * (they cannot run here; formats in {@code fixtures/sabnzbd/README.md} and {@code fixtures/radarr/README.md}) and a
 * Jellyfin URL where nothing listens ({@link ActivityWatchResource}). Throttle commands go over MQTT like the aggregator's.
 *
 * <p>Needs the test dockerd and qbittorrent-nox ({@code scripts/services.sh start}).
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerAndEngine.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ActivityWatchResource.class, restrictToAnnotatedClass = true)
@RealServices
class ActivityWatchTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectBroker
    TestBroker broker;

    @ActivityWatchResource.InjectServices
    ActivityWatchResource.Services services;

    /** The agent's own client: the test asks qBittorrent as the agent does. */
    @Inject
    HttpClient http;

    private final Topics topics = Topics.defaults();
    private final HostId host = HostId.of(BrokerAndEngine.HOST);
    private final DockerCli docker = DockerCli.forTestEngine();

    @AfterEach
    void cleanUp() {
        docker.removeQuietly(ActivityWatchResource.POST_PROCESSOR);
    }

    private HostActivity activity() throws PayloadRejected {
        TestBroker.Published last = broker.last(topics.activity(host));
        assertThat(last).as("an activity snapshot was published").isNotNull();
        assertThat(last.retained()).as("retained").isTrue();
        return ContractJson.readActivity(last.payload(), host, ContractJson.MAX_PAYLOAD_BYTES);
    }

    private List<HostEvent> events(String type) {
        return broker.messages(topics.events(host)).stream().map(m -> {
            try {
                return ContractJson.readEvent(m.payload(), host);
            } catch (PayloadRejected e) {
                throw new AssertionError("invalid event " + m.text(), e);
            }
        }).filter(e -> e.type().equals(type)).toList();
    }

    private static ActivitySource source(HostActivity a, String name) {
        return a.sources().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not among " + a.sources()));
    }

    private QbittorrentClient qbittorrent() {
        return new QbittorrentClient(http, services.qbittorrent().base(), Optional.of(ActivityWatchResource.QBT_USER),
                Optional.of(ActivityWatchResource.QBT_PASSWORD), Duration.ofSeconds(3));
    }

    private void command(ThrottleRequest request) {
        broker.publish(topics.command(host, Command.THROTTLE), ContractJson.write(request), false);
    }

    @Test
    void publishesSabnzbdAndQbittorrent_andAnUnreachableJellyfin_withoutASecretInThePayload() throws Exception {
        long qbtLimit = qbittorrent().downloadLimit();
        await().atMost(WAIT).untilAsserted(() -> {
            HostActivity a = activity();
            assertThat(a.sources()).extracting(ActivitySource::name)
                    .containsExactly("jellyfin", "sabnzbd", "qbittorrent", "radarr");
            assertThat(source(a, "jellyfin").state()).isEqualTo(SourceState.UNREACHABLE);
            assertThat(source(a, "sabnzbd").state()).isEqualTo(SourceState.OK);
            assertThat(source(a, "qbittorrent").state()).isEqualTo(SourceState.OK);
            // The recorded SABnzbd queue, with the limit the fake holds.
            assertThat(a.sabnzbd().status()).isEqualTo("downloading");
            assertThat(a.sabnzbd().speedBytesPerSec()).isEqualTo(20480L * 1024);
            assertThat(a.sabnzbd().items()).isEqualTo(3);
            assertThat(a.sabnzbd().limitBytesPerSec()).isEqualTo(services.sabnzbd().limit());
            // The real qBittorrent.
            assertThat(a.qbittorrent().connection()).isIn("connected", "firewalled", "disconnected");
            assertThat(a.qbittorrent().limitBytesPerSec()).isEqualTo(qbtLimit);
            assertThat(a.sessions()).isEmpty();
            assertThat(a.throttle()).isNotNull();
            assertThat(a.throttle().active()).isFalse();
            assertThat(a.downloading()).isTrue();
        });
        for (TestBroker.Published m : broker.messages(topics.activity(host))) {
            assertThat(m.text()).doesNotContain(ActivityWatchResource.SAB_KEY, ActivityWatchResource.QBT_PASSWORD,
                    ActivityWatchResource.JELLYFIN_KEY, ActivityWatchResource.RADARR_KEY, "apikey");
        }
        // The source that is down is an event; ones that answered from the start are not.
        await().atMost(WAIT).untilAsserted(() -> assertThat(events(EventTypes.SOURCE_STATE)).anySatisfy(e -> {
            assertThat(e.subject()).isEqualTo("jellyfin");
            assertThat(e.to()).isEqualTo("unreachable");
            assertThat(e.detail().get("problem")).contains("127.0.0.1");
        }));
        assertThat(events(EventTypes.SOURCE_STATE)).noneMatch(e -> e.subject().equals("sabnzbd"));
        for (TestBroker.Published m : broker.messages(topics.events(host))) {
            assertThat(m.text()).doesNotContain(ActivityWatchResource.SAB_KEY, ActivityWatchResource.QBT_PASSWORD,
                    ActivityWatchResource.JELLYFIN_KEY);
        }
    }

    @Test
    void throttleCommand_setsTheLimits_pausesPostProcessing_andReleaseRestoresThem() throws Exception {
        docker.runSleeper(ActivityWatchResource.POST_PROCESSOR);
        QbittorrentClient qbt = qbittorrent();
        qbt.setDownloadLimit(3L * 1024 * 1024);
        long sabBefore = services.sabnzbd().limit();
        await().atMost(WAIT).untilAsserted(() -> assertThat(activity().postProcessing())
                .singleElement().satisfies(p -> {
                    assertThat(p.container()).isEqualTo(ActivityWatchResource.POST_PROCESSOR);
                    assertThat(p.running()).isTrue();
                    assertThat(p.paused()).isFalse();
                }));

        command(ThrottleRequest.apply("agg-1", Instant.now(), 60, new DownloadLimits(1024L * 1024, 512L * 1024), true));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(services.sabnzbd().limit()).isEqualTo(1024L * 1024);
            assertThat(qbt.downloadLimit()).isEqualTo(512L * 1024);
            HostActivity a = activity();
            ThrottleState t = a.throttle();
            assertThat(t.active()).isTrue();
            assertThat(t.requestId()).isEqualTo("agg-1");
            assertThat(t.previous()).isEqualTo(new DownloadLimits(sabBefore, 3L * 1024 * 1024));
            assertThat(t.pausedContainers()).containsExactly(ActivityWatchResource.POST_PROCESSOR);
            assertThat(a.sabnzbd().limitBytesPerSec()).isEqualTo(1024L * 1024);
            assertThat(a.qbittorrent().limitBytesPerSec()).isEqualTo(512L * 1024);
            assertThat(a.postProcessing()).extracting(PostProcessor::paused).containsExactly(true);
            assertThat(events(EventTypes.THROTTLE_APPLIED)).singleElement()
                    .satisfies(e -> assertThat(e.detail()).containsEntry("requestId", "agg-1"));
        });
        assertThat(services.stateFile()).exists();
        assertThat(docker.run("inspect", "-f", "{{.State.Status}}", ActivityWatchResource.POST_PROCESSOR))
                .isEqualTo("paused");

        command(ThrottleRequest.release("agg-2", Instant.now()));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(services.sabnzbd().limit()).isEqualTo(sabBefore);
            assertThat(qbt.downloadLimit()).isEqualTo(3L * 1024 * 1024);
            ThrottleState t = activity().throttle();
            assertThat(t.active()).isFalse();
            assertThat(t.lastRestoreReason()).isEqualTo(ThrottleState.RELEASED);
            assertThat(events(EventTypes.THROTTLE_RESTORED)).singleElement()
                    .satisfies(e -> assertThat(e.to()).isEqualTo(ThrottleState.RELEASED));
        });
        assertThat(services.stateFile()).doesNotExist();
        assertThat(docker.run("inspect", "-f", "{{.State.Status}}", ActivityWatchResource.POST_PROCESSOR))
                .isEqualTo("running");
    }

    @Test
    void theRefreshCommand_stillAnswersWithItsRequestId_besideTheActivity() {
        broker.publish(topics.command(host, Command.REFRESH), ContractJson.write(
                dev.mediawatch.contract.CommandRequest.of(Command.REFRESH, "refresh-activity", Instant.now())), false);
        await().atMost(WAIT).untilAsserted(() -> assertThat(broker.messages(topics.state(host))).anySatisfy(m -> assertThat(
                ContractJson.readState(m.payload(), host).requestId()).isEqualTo("refresh-activity")));
    }

    @Test
    void radarrsHistory_isAskedHourly_publishedAgainEverySecond_andAskedAgainOnRefresh() throws Exception {
        ArrFake radarr = services.radarr();
        await().atMost(WAIT).untilAsserted(() -> {
            HostActivity a = activity();
            assertThat(source(a, "radarr").state()).isEqualTo(SourceState.OK);
            assertThat(a.imports()).singleElement().satisfies(i -> {
                assertThat(i.app()).isEqualTo("radarr");
                assertThat(i.unit()).isEqualTo("movies");
                // The newest import of the recorded history, whatever day the test runs on.
                assertThat(i.lastImportAt()).isEqualTo(Instant.parse("2026-11-21T20:41:07Z"));
                assertThat(i.since()).isBeforeOrEqualTo(i.askedAt());
            });
        });
        int asked = radarr.requests().size();
        Instant askedAt = activity().imports().get(0).askedAt();
        int published = broker.messages(topics.activity(host)).size();

        // Three more snapshots, one a second: the same imports, and Radarr not asked again.
        await().atMost(WAIT).until(() -> broker.messages(topics.activity(host)).size() >= published + 3);
        assertThat(radarr.requests()).hasSize(asked);
        assertThat(activity().imports()).singleElement()
                .satisfies(i -> assertThat(i.askedAt()).isEqualTo(askedAt));

        broker.publish(topics.command(host, Command.REFRESH), ContractJson.write(
                dev.mediawatch.contract.CommandRequest.of(Command.REFRESH, "refresh-imports", Instant.now())), false);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(radarr.requests()).hasSize(asked + 1);
            assertThat(activity().imports()).singleElement()
                    .satisfies(i -> assertThat(i.askedAt()).isAfter(askedAt));
        });
        assertThat(radarr.requests()).allSatisfy(r -> {
            assertThat(r.apiKeyHeader()).isEqualTo(ActivityWatchResource.RADARR_KEY);
            assertThat(r.query()).doesNotContain(ActivityWatchResource.RADARR_KEY);
        });
    }

    @Test
    void aThrottleCommandThatIsNotOne_isRefusedAndCounted() {
        broker.publish(topics.command(host, Command.THROTTLE), "{\"schema\":\"mediawatch.command\",\"version\":1}", false);
        broker.publish(topics.command(host, Command.THROTTLE), "{\"schema\":\"mediawatch.throttle\",\"version\":1,"
                + "\"requestId\":\"x\",\"action\":\"apply\",\"leaseSeconds\":1}", false);
        await().atMost(WAIT).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).contains("mediawatch_agent_commands_rejected_total{reason=\"unknown-schema\"}");
            assertThat(metrics).contains("mediawatch_agent_commands_rejected_total{reason=\"invalid\"}");
        });
    }
}
