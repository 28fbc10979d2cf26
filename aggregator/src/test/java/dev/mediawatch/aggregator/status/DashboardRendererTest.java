package dev.mediawatch.aggregator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mediawatch.aggregator.hosts.ServiceView;
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

class DashboardRendererTest {

    static final Instant T = Instant.parse("2026-11-21T12:00:00Z");
    final DashboardRenderer renderer = new DashboardRenderer();

    static HostStatus host(String id, HostHealth health, EngineState engine, List<ContainerState> containers) {
        HostState state = HostState.of(HostId.of(id), "download", "0.1.0", T, engine, containers);
        ServiceView.Result view = ServiceView.of(HostId.of(id), state, dev.mediawatch.catalogue.ServiceCatalogue.EMPTY);
        return new HostStatus(HostId.of(id), "download", health, T, Availability.ONLINE, T, T, T, "0.1.0", null, engine,
                view.counts(), view.services(), List.of());
    }

    static ContainerState c(String name, ContainerStatus s, ContainerHealth h, Integer exit) {
        return new ContainerState("0123456789ab", name, "img", s, h, exit, null, null, T);
    }

    static StatusReport report(List<HostStatus> hosts) {
        return StatusReport.of(T, hosts, List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void rendersTheMediaStatusSections_withMarksAndCounts_inClosedBoxes() {
        List<ContainerState> many = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            many.add(c("service-number-" + i, ContainerStatus.RUNNING, ContainerHealth.NONE, null));
        }
        many.add(c("tdarr", ContainerStatus.EXITED, ContainerHealth.NONE, 137));
        many.add(c("sabnzbd", ContainerStatus.RUNNING, ContainerHealth.UNHEALTHY, null));
        StatusReport report = report(List.of(
                host("download-stack", HostHealth.UP, new EngineState(true, "20.10", "1.41", null, T), many),
                host("streaming-stack", HostHealth.DOWN, EngineState.unreachable("connection refused", T), List.of())));

        String text = renderer.render(report);

        assertThat(text).contains("┌─ VM STATUS ", "┌─ SERVICES ");
        assertThat(text).contains("download-stack  ✓ UP", "streaming-stack ✗ DOWN");
        assertThat(text).contains("download-stack: 26 total | 25 running | 1 exited | 1 unhealthy | 0 missing");
        assertThat(text).contains("not in catalogue: 26", "sabnzbd ✗unhealthy", "tdarr (exited)",
                "✗ engine unreachable since 2026-11-21 12:00:00Z: connection refused");
        assertThat(text).contains("service-number-23");
        // Every box line is exactly as wide as the box.
        text.lines().filter(l -> l.startsWith("│") || l.startsWith("┌") || l.startsWith("└"))
                .forEach(l -> assertThat(l).hasSize(DashboardRenderer.WIDTH + 2).as(l));
    }

    @Test
    void saysSoWhenNoAgentReported() {
        String text = renderer.render(report(List.of()));
        assertThat(text).contains("no agent has reported yet").contains("0/0 hosts up");
    }

    @Test
    void sizes_areWrittenLikeDf() {
        assertThat(DashboardRenderer.bytes(512)).isEqualTo("512B");
        assertThat(DashboardRenderer.bytes(8_400_000_000_000L)).isEqualTo("7.6T");
        assertThat(DashboardRenderer.bytes(12L << 40)).isEqualTo("12T");
        assertThat(DashboardRenderer.bytes(1536L << 20)).isEqualTo("1.5G");
    }
}
