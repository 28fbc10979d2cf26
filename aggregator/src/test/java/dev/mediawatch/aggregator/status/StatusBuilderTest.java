package dev.mediawatch.aggregator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.testing.MutableClock;

class StatusBuilderTest {

    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    static final HostId DL = HostId.of("download-stack");
    static final HostId ST = HostId.of("streaming-stack");

    final MutableClock clock = new MutableClock(T0);
    final HostRegistry registry = new HostRegistry(clock, 3, 5);
    final StatusBuilder builder = new StatusBuilder(new StatusRules(Duration.ofSeconds(90),
            Duration.ofMinutes(5), T0, ServiceCatalogue.EMPTY, Set.of(), List.of(), "mediawatch", "homeassistant"));

    static HostState state(HostId host, ContainerState... containers) {
        return HostState.of(host, "download", "0.1.0", T0, new EngineState(true, "20.10", "1.41", null, T0),
                List.of(containers));
    }

    static ContainerState c(String name, ContainerStatus s, ContainerHealth h) {
        return new ContainerState("0123456789ab", name, "img", s, h, s == ContainerStatus.EXITED ? 1 : null, null, null, T0);
    }

    HostStatus only() {
        StatusReport r = builder.build(registry.hosts(), List.of(), clock.instant());
        assertThat(r.hosts()).hasSize(1);
        return r.hosts().get(0);
    }

    @Test
    void onlineWithFreshState_isUp_withCounts() throws Exception {
        registry.availability(DL, Availability.ONLINE);
        registry.state(state(DL, c("a", ContainerStatus.RUNNING, ContainerHealth.HEALTHY),
                c("b", ContainerStatus.RUNNING, ContainerHealth.UNHEALTHY), c("c", ContainerStatus.EXITED, ContainerHealth.NONE),
                c("d", ContainerStatus.CREATED, ContainerHealth.NONE)));
        HostStatus h = only();
        assertThat(h.status()).isEqualTo(HostHealth.UP);
        assertThat(h.since()).isEqualTo(T0);
        assertThat(h.counts().total()).isEqualTo(4);
        assertThat(h.counts().running()).isEqualTo(2);
        assertThat(h.counts().exited()).isEqualTo(1);
        assertThat(h.counts().unhealthy()).isEqualTo(1);
    }

    @Test
    void onlineWithoutAFreshState_isStale_thenDownWhenSilent() throws Exception {
        registry.availability(DL, Availability.ONLINE);
        registry.state(state(DL));
        clock.advance(Duration.ofSeconds(89));
        assertThat(only().status()).isEqualTo(HostHealth.UP);
        clock.advance(Duration.ofSeconds(1));
        assertThat(only().status()).isEqualTo(HostHealth.STALE);
        assertThat(only().since()).isEqualTo(T0.plusSeconds(90));
        clock.advance(Duration.ofMinutes(5));
        assertThat(only().status()).isEqualTo(HostHealth.DOWN);
        assertThat(only().since()).isEqualTo(T0.plusSeconds(300));
    }

    @Test
    void offline_isDownAtOnce_andKeepsTheLastState() throws Exception {
        registry.availability(DL, Availability.ONLINE);
        registry.state(state(DL, c("a", ContainerStatus.RUNNING, ContainerHealth.NONE)));
        clock.advance(Duration.ofSeconds(5));
        registry.availability(DL, Availability.OFFLINE);
        HostStatus h = only();
        assertThat(h.status()).isEqualTo(HostHealth.DOWN);
        assertThat(h.since()).isEqualTo(T0.plusSeconds(5));
        assertThat(h.counts().running()).isEqualTo(1);
    }

    @Test
    void repeatedOnline_doesNotMoveSince() throws Exception {
        registry.availability(DL, Availability.ONLINE);
        registry.state(state(DL));
        clock.advance(Duration.ofSeconds(30));
        registry.availability(DL, Availability.ONLINE);
        registry.state(state(DL));
        assertThat(only().since()).isEqualTo(T0);
    }

    @Test
    void stateWithoutAvailability_isStale_notUp() throws Exception {
        registry.state(state(DL));
        assertThat(only().status()).isEqualTo(HostHealth.STALE);
    }

    @Test
    void hostsAreSortedAndTotalled_andTheTableIsBounded() throws Exception {
        registry.state(state(ST, c("j", ContainerStatus.RUNNING, ContainerHealth.NONE)));
        registry.state(state(DL, c("s", ContainerStatus.RUNNING, ContainerHealth.NONE)));
        registry.availability(HostId.of("third"), Availability.ONLINE);
        StatusReport r = builder.build(registry.hosts(), List.of(), clock.instant());
        assertThat(r.hosts()).extracting(h -> h.host().value()).containsExactly("download-stack", "streaming-stack", "third");
        assertThat(r.totals().running()).isEqualTo(2);
        assertThatThrownBy(() -> registry.availability(HostId.of("fourth"), Availability.ONLINE))
                .isInstanceOf(HostRegistry.Full.class);
        // A known host is still accepted when the table is full.
        registry.availability(DL, Availability.OFFLINE);
    }

    @Test
    void recentEvents_keepOnlyTheNewest() throws Exception {
        for (int i = 0; i < 8; i++) {
            registry.event(dev.mediawatch.contract.HostEvent.of(DL, "container.start", T0.plusSeconds(i), "c" + i, null,
                    "running", null));
        }
        assertThat(registry.recentEvents()).extracting(e -> e.subject()).containsExactly("c3", "c4", "c5", "c6", "c7");
    }
}
