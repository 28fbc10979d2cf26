package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.TestHttp;
import dev.mediawatch.agent.config.AgentConfig;
import dev.mediawatch.agent.config.TestConfig;
import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ExpectedState;
import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerIo;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.PostProcessor;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.ThrottleState;
import dev.mediawatch.testing.MutableClock;

/**
 * The activity loop's parts in plain Java: one collection ({@link ActivityCollector}) over SABnzbd's recorded
 * answers ({@link SabnzbdFake}; SABnzbd cannot run here) with the engine snapshot and host I/O given, the
 * {@code source.state} events, and where a source's URL comes from ({@link ActivityWatch#url}).
 */
class ActivityWatchCollectorTest {

    private static final HostId HOST = HostId.of("download-stack");
    private static final String KEY = "c0ffee00c0ffee00c0ffee00c0ffee00";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T21:03:00Z"));
    private final List<HostEvent> events = new ArrayList<>();
    private final SabnzbdFake sab = new SabnzbdFake(KEY);
    private final AtomicReference<HostState> engine = new AtomicReference<>();
    private final AtomicReference<HostIo> io = new AtomicReference<>();

    @AfterEach
    void stop() {
        sab.close();
    }

    private static ContainerState container(String name, ContainerStatus status, String service) {
        return new ContainerState(name.substring(0, Math.min(12, name.length())), name, "img", status,
                ContainerHealth.NONE, null, null, null, Instant.EPOCH, Instant.EPOCH, false, 0, false, service, null, null,
                List.of());
    }

    private ActivityCollector collector(SabnzbdClient client) {
        return new ActivityCollector(HOST, clock, new ActivityCollector.Clients(null, null, client, null),
                List.of("unpackerr", "tdarr", "tdarr-node"), engine::get, io::get, () -> ThrottleState.INACTIVE,
                events::add, PlaybackTracker.Settings.DEFAULTS);
    }

    @Test
    void postProcessors_areTheConfiguredContainersTheEngineHas_withTheirIo() {
        engine.set(HostState.of(HOST, "download", "test", clock.instant(),
                new EngineState(true, "20.10", "1.41", null, clock.instant()),
                List.of(container("unpackerr", ContainerStatus.RUNNING, null),
                        container("tdarr-server", ContainerStatus.PAUSED, "tdarr"),
                        container("sabnzbd", ContainerStatus.RUNNING, "sabnzbd"))));
        io.set(HostIo.of(HOST, clock.instant(), 5, null, List.of(),
                List.of(new ContainerIo("unpackerr", null, 1_000, 40_000_000, "proc", null),
                        new ContainerIo("sabnzbd", "sabnzbd", 0, 90_000_000, "proc", null)),
                List.of("sabnzbd", "unpackerr")));

        HostActivity a = collector(null).collect();

        // tdarr-node is configured but not there; the catalogue service name matches tdarr-server.
        assertThat(a.postProcessing()).containsExactly(
                new PostProcessor("unpackerr", true, false, 1_000, 40_000_000),
                new PostProcessor("tdarr-server", false, true, 0, 0));
        assertThat(a.sources()).isEmpty();
        assertThat(a.sabnzbd()).isNull();
        assertThat(a.throttle()).isEqualTo(ThrottleState.INACTIVE);
        assertThat(a.timestamp()).isEqualTo(clock.instant());
    }

    @Test
    void beforeTheFirstEngineSnapshot_thereAreNoPostProcessors() {
        assertThat(collector(null).collect().postProcessing()).isEmpty();
    }

    @Test
    void aSourceStateChange_isAnEvent_andAnUnchangedOneIsNot() {
        ActivityCollector c = collector(new SabnzbdClient(TestHttp.CLIENT, sab.base(), Optional.of(KEY),
                Duration.ofSeconds(2)));

        HostActivity first = c.collect();
        assertThat(first.sources()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(SourceState.OK));
        assertThat(first.sabnzbd().status()).isEqualTo("downloading");
        assertThat(events).as("ok from the start is no news").isEmpty();

        sab.failWith(500);
        clock.advance(Duration.ofSeconds(5));
        HostActivity down = c.collect();
        assertThat(down.sabnzbd()).isNull();
        assertThat(down.sources()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(SourceState.ERROR);
            assertThat(s.problem()).contains("HTTP 500").doesNotContain(KEY);
        });
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.SOURCE_STATE);
            assertThat(e.subject()).isEqualTo("sabnzbd");
            assertThat(e.from()).isEqualTo("ok");
            assertThat(e.to()).isEqualTo("error");
            assertThat(e.detail().get("problem")).contains("HTTP 500");
            assertThat(e.timestamp()).isEqualTo(clock.instant());
        });

        c.collect();
        assertThat(events).hasSize(1);

        sab.failWith(0);
        c.collect();
        assertThat(events).hasSize(2);
        assertThat(events.get(1).to()).isEqualTo("ok");
    }

    @Test
    void aSourceBrokenFromTheStart_isAnEvent() {
        ActivityCollector c = collector(new SabnzbdClient(TestHttp.CLIENT, sab.base(), Optional.empty(),
                Duration.ofSeconds(2)));
        assertThat(c.collect().sources()).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(SourceState.NOT_CONFIGURED));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.from()).isNull();
            assertThat(e.to()).isEqualTo("not-configured");
        });
    }

    private static CatalogueService service(String name, List<Integer> ports) {
        return new CatalogueService(name, HOST, "download", ExpectedState.RUNNING, name, null, ports, null, 1);
    }

    @Test
    void url_isTheConfiguredOne_elseTheCatalogues_elseNone() {
        List<CatalogueService> catalogue = List.of(service("sabnzbd", List.of(8080, 8081)), service("qbittorrent", List.of()));

        assertThat(ActivityWatch.url("sabnzbd", Optional.of(" http://10.0.0.5:9090/sab "), catalogue, "127.0.0.1"))
                .contains(URI.create("http://10.0.0.5:9090/sab"));
        assertThat(ActivityWatch.url("sabnzbd", Optional.empty(), catalogue, "127.0.0.1"))
                .contains(URI.create("http://127.0.0.1:8080"));
        assertThat(ActivityWatch.url("sabnzbd", Optional.empty(), catalogue, "::1"))
                .contains(URI.create("http://[::1]:8080"));
        // Listed without a port, or not listed: not configured.
        assertThat(ActivityWatch.url("qbittorrent", Optional.empty(), catalogue, "127.0.0.1")).isEmpty();
        assertThat(ActivityWatch.url("jellyfin", Optional.empty(), catalogue, "127.0.0.1")).isEmpty();
    }

    @Test
    void aUrlWithCredentialsOrNotHttp_stopsStartupNamingTheKey() {
        assertThatThrownBy(() -> ActivityWatch.checkUrl("sabnzbd", "http://127.0.0.1:8080/api?apikey=s3cr3tval"))
                .hasMessageContaining("mediawatch.activity.sabnzbd.url").hasMessageNotContaining("s3cr3tval");
        assertThatThrownBy(() -> ActivityWatch.checkUrl("qbittorrent", "http://admin:hunter2@127.0.0.1:8080"))
                .hasMessageContaining("mediawatch.activity.qbittorrent.url").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ActivityWatch.checkUrl("jellyfin", "ftp://127.0.0.1"))
                .hasMessageContaining("mediawatch.activity.jellyfin.url");
        assertThatThrownBy(() -> ActivityWatch.checkUrl("jellyfin", "http://bad host"))
                .hasMessageContaining("mediawatch.activity.jellyfin.url");
    }

    @Test
    void stallSettings_theConfigurationDefaults_areTheTrackersDefaults() {
        AgentConfig.Stall s = TestConfig.agent(java.util.Map.of()).activity().stall();
        assertThat(new PlaybackTracker.Settings(s.span(), s.minAdvance(), s.silentAfter()))
                .isEqualTo(PlaybackTracker.Settings.DEFAULTS);
    }
}
