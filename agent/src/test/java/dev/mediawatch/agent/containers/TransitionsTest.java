package dev.mediawatch.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;

class TransitionsTest {

    static final HostId HOST = HostId.of("download-stack");
    static final Instant T = Instant.parse("2026-11-21T12:00:00Z");
    final Transitions transitions = new Transitions(HOST);

    static ContainerState c(String name, ContainerStatus s, ContainerHealth h, Integer exit, int restarts) {
        return new ContainerState("id-" + name, name, "img", s, h, exit, null, null, T, null, false, restarts, false,
                null, null, null);
    }

    @Test
    void firstSnapshot_isTheBaseline_andSaysNothing() {
        transitions.resyncDue();
        assertThat(transitions.snapshot(List.of(c("a", ContainerStatus.RUNNING, ContainerHealth.NONE, null, 0)), T)).isEmpty();
    }

    @Test
    void withoutAGap_snapshotsSayNothing_theEventStreamDoes() {
        transitions.snapshot(List.of(c("a", ContainerStatus.RUNNING, ContainerHealth.NONE, null, 0)), T);
        assertThat(transitions.snapshot(List.of(c("a", ContainerStatus.EXITED, ContainerHealth.NONE, 1, 0)), T)).isEmpty();
    }

    @Test
    void afterAGap_everyMissedTransitionIsPublished_once() {
        transitions.snapshot(List.of(
                c("sabnzbd", ContainerStatus.RUNNING, ContainerHealth.HEALTHY, null, 0),
                c("radarr", ContainerStatus.RUNNING, ContainerHealth.NONE, null, 0),
                c("tdarr", ContainerStatus.EXITED, ContainerHealth.NONE, 0, 0),
                c("old", ContainerStatus.RUNNING, ContainerHealth.NONE, null, 0),
                c("flappy", ContainerStatus.RUNNING, ContainerHealth.NONE, null, 2)), T);

        transitions.resyncDue();
        List<HostEvent> missed = transitions.snapshot(List.of(
                c("sabnzbd", ContainerStatus.RUNNING, ContainerHealth.UNHEALTHY, null, 0),
                c("radarr", ContainerStatus.EXITED, ContainerHealth.NONE, 143, 0),
                c("tdarr", ContainerStatus.RUNNING, ContainerHealth.NONE, null, 0),
                c("flappy", ContainerStatus.RUNNING, ContainerHealth.NONE, null, 5),
                c("new", ContainerStatus.RUNNING, ContainerHealth.NONE, null, 0)), T.plusSeconds(30));

        assertThat(missed).allSatisfy(e -> assertThat(e.detail()).containsEntry("source", "resync"));
        assertThat(missed).extracting(HostEvent::subject, HostEvent::type, HostEvent::from, HostEvent::to)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("sabnzbd", EventTypes.CONTAINER_HEALTH, "healthy", "unhealthy"),
                        org.assertj.core.groups.Tuple.tuple("radarr", EventTypes.CONTAINER_DIE, "running", "exited"),
                        org.assertj.core.groups.Tuple.tuple("tdarr", EventTypes.CONTAINER_START, "exited", "running"),
                        org.assertj.core.groups.Tuple.tuple("flappy", EventTypes.CONTAINER_RESTART, "running", "running"),
                        org.assertj.core.groups.Tuple.tuple("new", EventTypes.CONTAINER_START, null, "running"),
                        org.assertj.core.groups.Tuple.tuple("old", EventTypes.CONTAINER_DESTROY, "running", "removed"));
        assertThat(missed).filteredOn(e -> e.subject().equals("radarr")).first()
                .satisfies(e -> assertThat(e.detail()).containsEntry("exitCode", "143"));
        assertThat(missed).filteredOn(e -> e.subject().equals("flappy")).first()
                .satisfies(e -> assertThat(e.detail()).containsEntry("restarts", "3"));

        // The gap is closed: the next snapshot says nothing more.
        assertThat(transitions.snapshot(List.of(c("radarr", ContainerStatus.EXITED, ContainerHealth.NONE, 143, 0)),
                T.plusSeconds(31))).isEmpty();
    }

    @Test
    void aContainerStartedAgainByARestartedEngine_isARestart_evenWithoutRestartCount() {
        ContainerState before = new ContainerState("id", "sonarr", "img", ContainerStatus.RUNNING, ContainerHealth.NONE,
                null, null, null, T, T, false, 0, false, null, null, null);
        ContainerState after = new ContainerState("id", "sonarr", "img", ContainerStatus.RUNNING, ContainerHealth.NONE,
                null, null, null, T, T.plusSeconds(40), false, 0, false, null, null, null);
        transitions.snapshot(List.of(before), T);
        transitions.resyncDue();
        assertThat(transitions.snapshot(List.of(after), T.plusSeconds(41)))
                .singleElement().satisfies(e -> {
                    assertThat(e.type()).isEqualTo(EventTypes.CONTAINER_RESTART);
                    assertThat(e.detail()).containsEntry("restarts", "1");
                });
    }

    @Test
    void anEngineEventRepeatingAResync_isDropped_butNewsIsNot() {
        transitions.snapshot(List.of(c("radarr", ContainerStatus.RUNNING, ContainerHealth.NONE, null, 0)), T);
        transitions.resyncDue();
        assertThat(transitions.snapshot(List.of(c("radarr", ContainerStatus.EXITED, ContainerHealth.NONE, 1, 0)), T)).hasSize(1);

        HostEvent echo = HostEvent.of(HOST, EventTypes.CONTAINER_DIE, T, "radarr", "running", "exited", Map.of());
        assertThat(transitions.engineEvent(echo, T.plusSeconds(1))).isFalse();
        HostEvent news = HostEvent.of(HOST, EventTypes.CONTAINER_START, T, "radarr", "exited", "running", Map.of());
        assertThat(transitions.engineEvent(news, T.plusSeconds(2))).isTrue();
    }
}
