package dev.mediawatch.aggregator.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.HostSummary;
import dev.mediawatch.contract.ServiceProbe;
import dev.mediawatch.contract.ServiceStatus;
import dev.mediawatch.contract.StatusReport;

/** The page's words from a status: services joined with restarts and probe latency, times in the zone, bounds. */
class PageModelTest {

    private static final Instant NOW = Instant.parse("2026-11-30T21:03:12Z");
    private static final HostId DL = HostId.of("download-stack");
    private final PageModel model = new PageModel(ZoneId.of("Europe/Berlin"));

    private static HostStatus host(HostId id, HostHealth health, Instant lastSeen, ServiceStatus... services) {
        return new HostStatus(id, "download", health, NOW.minusSeconds(600), null, lastSeen, NOW, NOW, "0.1.0", "10.0.0.9",
                new EngineState(true, "24.0.7", "1.43", null, NOW), HostSummary.ZERO, List.of(services), List.of());
    }

    private static HostRecord record(HostId id, List<ContainerState> containers, List<ServiceProbe> probes) {
        HostState s = new HostState("mediawatch.host-state", 1, id, "download", "0.1.0", NOW,
                new EngineState(true, "24.0.7", "1.43", null, NOW), containers, List.of(), null, probes, null, null, null);
        return new HostRecord(id, Availability.ONLINE, NOW, s, NOW, NOW, null, null, null);
    }

    @Test
    void aServiceRow_joinsTheStatusWithRestartsAndProbeLatency() {
        ContainerState sab = new ContainerState("abc", "sabnzbd", "img", ContainerStatus.RUNNING, ContainerHealth.HEALTHY, null,
                null, null, NOW, NOW, false, 3, false, "sabnzbd", "downloaders", "running");
        StatusReport report = StatusReport.of(NOW, List.of(host(DL, HostHealth.UP, NOW,
                new ServiceStatus("sabnzbd", "sabnzbd", "downloaders", "running", "running", ContainerHealth.HEALTHY, null),
                new ServiceStatus("tdarr", null, "post-processing", "running", "missing", null, "no container"))),
                List.of(), List.of(), List.of(), List.of());
        PageView view = model.view(report, List.of(record(DL, List.of(sab),
                List.of(new ServiceProbe("sabnzbd", "http://sab:8080", true, 200, 12L, null, NOW)))), List.of(), List.of(), List.of());

        PageView.Vm vm = view.vms().get(0);
        assertThat(vm.host()).isEqualTo("download-stack");
        assertThat(vm.key()).isEqualTo("vm-download-stack");
        assertThat(vm.ok()).isTrue();
        assertThat(vm.detail()).contains("10.0.0.9").contains("agent 0.1.0").doesNotContain("last seen");
        assertThat(vm.categories()).extracting(PageView.Category::name).containsExactly("downloaders", "post-processing");
        PageView.Service s = vm.categories().get(0).services().get(0);
        assertThat(s).isEqualTo(new PageView.Service("sabnzbd", "sabnzbd", "running", "healthy", "3", "12 ms", "", false, true));
        PageView.Service missing = vm.categories().get(1).services().get(0);
        assertThat(missing.ok()).isFalse();
        assertThat(missing.restarts()).isEmpty();
        assertThat(missing.problem()).isEqualTo("no container");
    }

    @Test
    void aHostNotUp_saysWhenItWasLastSeen_inThePagesZone() {
        StatusReport report = StatusReport.of(NOW, List.of(host(DL, HostHealth.DOWN, NOW.minusSeconds(300))), List.of(),
                List.of(), List.of(), List.of());
        PageView.Vm vm = model.view(report, List.of(), List.of(), List.of(), List.of()).vms().get(0);
        assertThat(vm.ok()).isFalse();
        assertThat(vm.state()).isEqualTo("down");
        assertThat(vm.detail()).contains("last seen 21:58:12"); // 20:58:12Z in Berlin, the same day
        assertThat(model.when(NOW.minusSeconds(86_400), NOW)).isEqualTo("Nov 29 22:03:12");
    }

    @Test
    void events_newestFirst_andBounded() {
        List<HostEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(HostEvent.of(DL, "container.die", NOW.minusSeconds(100 - i), "c" + i, "running", "exited",
                    Map.of("exitCode", "1")));
        }
        StatusReport report = StatusReport.of(NOW, List.of(), List.of(), List.of(), List.of(), List.of());
        List<PageView.EventLine> lines = model.view(report, List.of(), events, List.of(), List.of()).events();
        assertThat(lines).hasSize(PageModel.EVENTS);
        assertThat(lines.get(0).subject()).isEqualTo("c49");
        assertThat(lines.get(0).change()).isEqualTo("running → exited");
        assertThat(lines.get(0).detail()).isEqualTo("exitCode=1");
    }

    @Test
    void amounts_readAsPeopleSayThem() {
        assertThat(PageModel.amount(12_500_000, "B/s")).isEqualTo("12.5 MB/s");
        assertThat(PageModel.amount(3.24, "ms")).isEqualTo("3.2 ms");
        assertThat(PageModel.amount(18.25, "%")).isEqualTo("18.3 %");
        assertThat(PageModel.amount(2, "count")).isEqualTo("2");
        assertThat(PageModel.amount(Double.NaN, "ms")).isEqualTo("-");
        assertThat(PageModel.bytes(999)).isEqualTo("999 B");
        assertThat(PageModel.bytes(1_234_000_000L)).isEqualTo("1.2 GB");
        assertThat(PageModel.href("stutter-20261130T210312Z")).isEqualTo("/incidents/stutter-20261130T210312Z");
    }
}
