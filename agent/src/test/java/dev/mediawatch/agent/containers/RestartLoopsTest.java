package dev.mediawatch.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;

class RestartLoopsTest {

    static final Instant T = Instant.parse("2026-11-21T12:00:00Z");
    final RestartLoops loops = new RestartLoops(3, Duration.ofMinutes(5));

    static ContainerState c(int restarts) {
        return new ContainerState("abc", "crashy", "img", ContainerStatus.RUNNING, ContainerHealth.NONE, null, null, null,
                T, null, false, restarts, false, null, null, null);
    }

    List<RestartLoops.Change> at(int restarts, Instant now, List<ContainerState> out) {
        return loops.update(List.of(c(restarts)), now, out);
    }

    @Test
    void threeRestartsInFiveMinutes_isALoop_untilTheWindowPassesQuietly() {
        List<ContainerState> out = new ArrayList<>();
        assertThat(at(10, T, out)).isEmpty(); // the first sight is the baseline, whatever the count
        assertThat(at(11, T.plusSeconds(10), out)).isEmpty();
        assertThat(at(12, T.plusSeconds(20), out)).isEmpty();
        out.clear();
        assertThat(at(13, T.plusSeconds(30), out)).containsExactly(new RestartLoops.Change("crashy", true, 3));
        assertThat(out.get(0).restartLoop()).isTrue();
        assertThat(at(13, T.plusSeconds(200), out)).isEmpty();
        out.clear();
        assertThat(at(13, T.plusSeconds(311), out)).containsExactly(new RestartLoops.Change("crashy", false, 2));
        assertThat(out.get(0).restartLoop()).isFalse();
    }

    @Test
    void severalRestartsBetweenTwoSnapshots_countEach() {
        List<ContainerState> out = new ArrayList<>();
        at(0, T, out);
        assertThat(at(4, T.plusSeconds(5), out)).containsExactly(new RestartLoops.Change("crashy", true, 3));
    }

    @Test
    void slowRestarts_areNotALoop() {
        List<ContainerState> out = new ArrayList<>();
        at(0, T, out);
        for (int i = 1; i <= 10; i++) {
            assertThat(at(i, T.plus(Duration.ofMinutes(3L * i)), out)).isEmpty();
        }
    }
}
