package dev.mediawatch.aggregator.status;

import static dev.mediawatch.aggregator.status.StackFixture.DL;
import static dev.mediawatch.aggregator.status.StackFixture.ST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mediawatch.aggregator.drift.DiscoveryConfigs;
import dev.mediawatch.aggregator.drift.MountLock;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.EnvAudit;
import dev.mediawatch.contract.EnvFile;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.PortBinding;
import dev.mediawatch.contract.ServiceProbe;
import dev.mediawatch.contract.ServiceStatus;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.testing.MutableClock;

/**
 * The unified status of the owner's two-VM stack, judged by the shipped catalogue: all green when everything is
 * where the split plan wants it, and each drift gate and criterion failing with evidence that names host and
 * service when one thing is broken.
 */
class UnifiedStatusTest {

    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final HostRegistry registry = new HostRegistry(clock, 16, 50);
    final DiscoveryConfigs discovery = new DiscoveryConfigs("homeassistant", 100, 64 * 1024);
    ServiceCatalogue cat;
    StatusBuilder builder;

    @BeforeEach
    void healthyStack() throws Exception {
        cat = StackFixture.catalogue();
        builder = new StatusBuilder(new StatusRules(Duration.ofSeconds(90), Duration.ofMinutes(5), T0, cat,
                Set.of(HostId.of("media-stack")),
                List.of(MountLock.parse("download:/mnt/media:rw"), MountLock.parse("streaming:/mnt/media:ro")),
                "mediawatch", "homeassistant"));
        for (HostId h : List.of(DL, ST)) {
            registry.availability(h, Availability.ONLINE);
            registry.state(StackFixture.healthyState(cat, h, T0));
            registry.mounts(StackFixture.healthyMounts(h, T0));
        }
    }

    StatusReport build() {
        return builder.build(registry.hosts(), discovery.all(), clock.instant());
    }

    static Check check(List<Check> checks, String id) {
        return checks.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    HostStatus host(StatusReport r, HostId id) {
        return r.host(id).orElseThrow();
    }

    void replaceContainers(HostId host, java.util.function.UnaryOperator<List<ContainerState>> change) throws Exception {
        var s = registry.host(host).state();
        registry.state(StackFixture.state(cat, host, s.role(), s.timestamp(), change.apply(new ArrayList<>(s.containers())),
                s.probes(), s.envAudit()));
    }

    @Test
    void theSplitAsPlanned_isAllGreen() {
        StatusReport r = build();
        assertThat(r.hosts()).extracting(HostStatus::status).containsOnly(HostHealth.UP);
        assertThat(r.drift()).extracting(Check::id).containsExactly("D106", "D107", "D108", "D109", "D110");
        assertThat(r.drift()).allSatisfy(c -> assertThat(c.pass()).as(c.id() + " " + c.evidence()).isTrue());
        assertThat(r.checklist()).allSatisfy(c -> assertThat(c.pass()).as(c.id() + " " + c.evidence()).isTrue());
        assertThat(r.alerts()).isEmpty();
        HostStatus dl = host(r, DL);
        assertThat(dl.address()).isEqualTo("192.168.1.209");
        assertThat(dl.counts().missing()).isZero();
        assertThat(dl.counts().parked()).isEqualTo(2); // tdarr and huntarr, until evaluated
        assertThat(dl.services()).filteredOn(ServiceStatus::parkedOrStopped).extracting(ServiceStatus::service)
                .contains("tdarr", "huntarr");
        assertThat(dl.services()).allSatisfy(s -> assertThat(s.problem()).as(s.service()).isNull());
        assertThat(dl.counts().byCategory()).containsKeys("download", "management");
        // pve:/media is one share however many VMs mount it.
        assertThat(r.storage()).filteredOn(s -> s.source().equals("pve:/media")).singleElement().satisfies(s -> {
            assertThat(s.mountedBy()).containsExactly("download-stack:/mnt/media", "streaming-stack:/mnt/media");
            assertThat(s.totalBytes()).isEqualTo(12 * StackFixture.TIB);
            assertThat(s.usedPct()).isEqualTo(66.7);
        });
        assertThat(check(r.checklist(), "vms-reachable").evidence()).singleElement().asString()
                .contains("download-stack", "streaming-stack");
    }

    @Test
    void d106_twoContainersOnOnePort_failsNamingBoth() throws Exception {
        replaceContainers(DL, cs -> {
            cs.add(StackFixture.container("test-nginx", ContainerStatus.RUNNING, T0, new PortBinding(8080, 80, "tcp", null)));
            return cs;
        });
        Check d106 = check(build().drift(), "D106");
        assertThat(d106.pass()).isFalse();
        assertThat(d106.evidence()).containsExactly("download-stack: port 8080/tcp published by sabnzbd and test-nginx");
    }

    @Test
    void d106_samePortOtherProtocolOrAddress_isNoCollision() throws Exception {
        replaceContainers(DL, cs -> {
            cs.add(StackFixture.container("dns", ContainerStatus.RUNNING, T0, new PortBinding(8080, 53, "udp", null)));
            return cs;
        });
        assertThat(check(build().drift(), "D106").pass()).isTrue();
        PortBinding a = new PortBinding(9000, 80, "tcp", "127.0.0.1");
        assertThat(a.collidesWith(new PortBinding(9000, 80, "tcp", "192.168.1.209"))).isFalse();
        assertThat(a.collidesWith(new PortBinding(9000, 81, "tcp", "0.0.0.0"))).isTrue();
    }

    @Test
    void d107_streamingMountedReadWrite_failsTheLockAndTheCriterion() throws Exception {
        registry.mounts(HostMounts.of(ST, T0, List.of(StackFixture.nfs("/mnt/media", "rw", null, T0))));
        StatusReport r = build();
        Check d107 = check(r.drift(), "D107");
        assertThat(d107.pass()).isFalse();
        assertThat(d107.evidence()).containsExactly("streaming-stack: /mnt/media is mounted rw, must be ro");
        assertThat(check(r.checklist(), "nfs-modes").pass()).isFalse();

        registry.mounts(HostMounts.of(ST, T0, List.of()));
        assertThat(check(build().drift(), "D107").evidence())
                .containsExactly("streaming-stack: /mnt/media is not watched by its agent (mediawatch.mounts.watch), must be ro");
    }

    @Test
    void d108_aProbeThatDoesNotAnswer_fails() throws Exception {
        var s = registry.host(DL).state();
        List<ServiceProbe> probes = new ArrayList<>(s.probes());
        probes.replaceAll(p -> p.service().equals("radarr")
                ? new ServiceProbe("radarr", p.url(), false, null, null, "connection refused", T0) : p);
        registry.state(StackFixture.state(cat, DL, "download", T0, s.containers(), probes, s.envAudit()));
        StatusReport r = build();
        assertThat(check(r.drift(), "D108").evidence())
                .containsExactly("radarr (download-stack): http://127.0.0.1:7878/ping connection refused");
        assertThat(host(r, DL).services()).filteredOn(x -> x.service().equals("radarr")).singleElement()
                .extracting(ServiceStatus::problem).isEqualTo("probe: connection refused");
        assertThat(r.alerts()).filteredOn(a -> a.id().equals("service:download-stack:radarr")).singleElement()
                .satisfies(a -> assertThat(a.severity()).isEqualTo(AlertSeverity.WARNING));
    }

    @Test
    void d109_unlistedWrongVmMissingAndPortDrift_areEachNamed() throws Exception {
        replaceContainers(DL, cs -> {
            cs.removeIf(c -> c.name().equals("radarr"));
            cs.replaceAll(c -> c.name().equals("sonarr") ? c.withPorts(List.of(new PortBinding(8990, 8989, "tcp", null))) : c);
            cs.add(StackFixture.container("test-nginx", ContainerStatus.RUNNING, T0));
            cs.add(StackFixture.container("jellyfin", ContainerStatus.RUNNING, T0));
            return cs;
        });
        StatusReport r = build();
        Check d109 = check(r.drift(), "D109");
        assertThat(d109.pass()).isFalse();
        assertThat(d109.evidence()).containsExactlyInAnyOrder(
                "jellyfin runs on download-stack; the catalogue places it on streaming-stack",
                "test-nginx runs on download-stack but the catalogue does not list it",
                "sonarr (download-stack) publishes [8990], the catalogue says [8989]",
                "radarr (download-stack) is expected to run and has no container");
        Check placed = check(r.checklist(), "services-placed");
        assertThat(placed.pass()).isFalse();
        assertThat(placed.evidence()).contains("radarr is not running on download-stack",
                "jellyfin runs on download-stack; the catalogue places it on streaming-stack");
        assertThat(r.alerts()).filteredOn(a -> a.id().equals("service:download-stack:radarr")).singleElement()
                .satisfies(a -> {
                    assertThat(a.severity()).isEqualTo(AlertSeverity.CRITICAL);
                    assertThat(a.message()).isEqualTo("radarr on download-stack: missing");
                });
        assertThat(host(r, DL).counts().missing()).isEqualTo(1);
        assertThat(host(r, DL).counts().unknown()).isEqualTo(2);
        assertThat(check(r.checklist(), "drift-gates").evidence()).contains("D109 compose/catalogue match fails");
    }

    @Test
    void d110_duplicateDiscoveryConfigs_fail() throws Exception {
        discovery.accept("homeassistant/sensor/download_stack/containers/config",
                "{\"unique_id\":\"mw_dl_containers\",\"name\":\"Containers\",\"device\":{\"name\":\"download-stack\"}}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(check(build().drift(), "D110").pass()).isTrue();
        discovery.accept("homeassistant/sensor/old/containers/config",
                "{\"unique_id\":\"mw_dl_containers\",\"object_id\":\"download_stack_containers\"}".getBytes(StandardCharsets.UTF_8));
        Check d110 = check(build().drift(), "D110");
        assertThat(d110.pass()).isFalse();
        assertThat(d110.evidence()).containsExactly(
                "unique_id mw_dl_containers in homeassistant/sensor/download_stack/containers/config, homeassistant/sensor/old/containers/config",
                "entity sensor.download_stack_containers from homeassistant/sensor/download_stack/containers/config, homeassistant/sensor/old/containers/config");
        // Deleting the stray retained config clears the gate.
        discovery.accept("homeassistant/sensor/old/containers/config", new byte[0]);
        assertThat(check(build().drift(), "D110").pass()).isTrue();
    }

    @Test
    void plaintextSecrets_areReportedByKeyName_andAnUnauditedHostFails() throws Exception {
        var s = registry.host(DL).state();
        registry.state(s.with(s.address(), null, new EnvAudit(List.of("/opt/stacks"),
                List.of(new EnvFile("/opt/stacks/download/.env", List.of("RADARR_API_KEY", "SONARR_API_KEY"))), List.of(), T0)));
        var st = registry.host(ST).state();
        registry.state(st.with(st.address(), null, null));
        Check c = check(build().checklist(), "no-plaintext-secrets");
        assertThat(c.pass()).isFalse();
        assertThat(c.evidence()).containsExactly(
                "download-stack: /opt/stacks/download/.env holds RADARR_API_KEY, SONARR_API_KEY",
                "streaming-stack: no compose directory audited (set mediawatch.compose.dirs on its agent)");
    }

    @Test
    void theOldVm_isLeftOutOfTheStatus_butFailsTheChecklistUntilItsRetainedMessagesAreCleared() throws Exception {
        HostId old = HostId.of("media-stack");
        registry.availability(old, Availability.OFFLINE);
        registry.state(StackFixture.state(cat, old, "media", T0, List.of(), List.of(), null));
        StatusReport r = build();
        assertThat(r.hosts()).extracting(h -> h.host().value()).containsExactly("download-stack", "streaming-stack");
        Check gone = check(r.checklist(), "old-vm-gone");
        assertThat(gone.pass()).isFalse();
        assertThat(gone.evidence()).singleElement().asString().startsWith("media-stack still has retained availability, state")
                .contains("mosquitto_pub -r -n -t mediawatch/media-stack/state");
        registry.cleared(old, dev.mediawatch.contract.Topics.Kind.AVAILABILITY);
        registry.cleared(old, dev.mediawatch.contract.Topics.Kind.STATE);
        assertThat(registry.host(old)).isNull();
        assertThat(check(build().checklist(), "old-vm-gone").pass()).isTrue();
    }

    @Test
    void aHostDown_isOneCriticalAlert_andTheVmCriterionFails() throws Exception {
        clock.advance(Duration.ofSeconds(30));
        registry.availability(ST, Availability.OFFLINE);
        // Its last mounts say hung, but a down host raises only the host alert.
        StatusReport r = build();
        assertThat(r.alerts()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("host:streaming-stack");
            assertThat(a.severity()).isEqualTo(AlertSeverity.CRITICAL);
            assertThat(a.since()).isEqualTo(T0.plusSeconds(30));
            assertThat(a.message()).isEqualTo("streaming-stack is down: its agent is offline");
        });
        assertThat(check(r.checklist(), "vms-reachable").evidence()).containsExactly("streaming-stack is down");
        // The alert keeps its start while the condition holds, and closes when it ends.
        clock.advance(Duration.ofSeconds(60));
        registry.state(StackFixture.healthyState(cat, DL, clock.instant()));
        assertThat(build().alerts()).singleElement().satisfies(a -> assertThat(a.since()).isEqualTo(T0.plusSeconds(30)));
        registry.availability(ST, Availability.ONLINE);
        registry.state(StackFixture.healthyState(cat, ST, clock.instant()));
        assertThat(build().alerts()).isEmpty();
    }

    @Test
    void aCatalogueHostNeverHeardFrom_isStaleWhileRetainedMessagesArrive_thenDown() throws Exception {
        HostRegistry empty = new HostRegistry(clock, 16, 50);
        empty.availability(DL, Availability.ONLINE);
        empty.state(StackFixture.healthyState(cat, DL, T0));
        StatusReport first = builder.build(empty.hosts(), List.of(), T0.plusSeconds(1));
        assertThat(host(first, ST).status()).isEqualTo(HostHealth.STALE);
        assertThat(host(first, ST).lastSeen()).isNull();
        StatusReport later = builder.build(empty.hosts(), List.of(), T0.plusSeconds(91));
        assertThat(host(later, ST).status()).isEqualTo(HostHealth.DOWN);
        assertThat(check(later.drift(), "D109").evidence()).contains("streaming-stack has not reported its containers");
    }

    @Test
    void mountProblems_becomeAlerts_bySeverity() throws Exception {
        var hung = new dev.mediawatch.contract.MountState("/mnt/media", "nfs|nfs4", "ro",
                dev.mediawatch.contract.MountHealth.HUNG, List.of("statvfs did not return within 2s"), T0, true,
                "pve:/media", "nfs4", "ro", "ro", null, null, null);
        registry.mounts(HostMounts.of(ST, T0, List.of(hung)));
        StatusReport r = build();
        assertThat(r.alerts()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("mount:streaming-stack:/mnt/media");
            assertThat(a.severity()).isEqualTo(AlertSeverity.CRITICAL);
            assertThat(a.message()).isEqualTo("streaming-stack /mnt/media is hung: statvfs did not return within 2s");
        });
        // The share is still shown from the report that has its sizes.
        assertThat(r.storage()).filteredOn(s -> s.source().equals("pve:/media")).singleElement()
                .satisfies(s -> assertThat(s.mountedBy()).contains("streaming-stack:/mnt/media"));
    }

    @Test
    void theDashboard_showsEverySection_inTheMockShape() throws Exception {
        replaceContainers(DL, cs -> {
            cs.removeIf(c -> c.name().equals("radarr"));
            return cs;
        });
        String text = new DashboardRenderer().render(build());
        assertThat(text).contains("┌─ VM STATUS", "┌─ SERVICES", "┌─ NFS", "┌─ STORAGE", "┌─ ALERTS", "┌─ DRIFT",
                "┌─ SUCCESS CRITERIA");
        assertThat(text).contains("download-stack  ✓ UP     since 11-21 12:00Z  192.168.1.209  v0.1.0");
        assertThat(text).containsPattern("download-stack: \\d+ total \\| \\d+ running \\| 2 exited \\| 0 unhealthy \\| 1 missing");
        assertThat(text).contains("radarr ✗missing", "tdarr*", "huntarr*", "* parked or expected stopped");
        assertThat(text).contains("streaming-stack /mnt/media   ro (want ro)  ✓ OK");
        assertThat(text).contains("pve:/media:  4.0T free / 12T total (67% used)",
                "    mounted on download-stack:/mnt/media, streaming-stack:/mnt/media");
        assertThat(text).contains("✗ CRITICAL", "radarr on download-stack: missing");
        assertThat(text).contains("✗ 4/5 gates pass", "✗ D109 compose/catalogue match",
                "    radarr (download-stack) is expected to run and has no container");
        assertThat(text).contains("✓ every VM reachable", "✗ every service on its VM");
        // Every box line is exactly 78 columns: nothing overflows an 80-column terminal.
        text.lines().filter(l -> l.startsWith("│") || l.startsWith("┌") || l.startsWith("└"))
                .forEach(l -> assertThat(l.codePointCount(0, l.length())).as(l).isEqualTo(78));
        String color = new DashboardRenderer(true).render(build());
        assertThat(color).contains("\u001b[32m✓\u001b[0m", "\u001b[31m✗\u001b[0m");
        assertThat(color.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(text.replace(
                text.lines().reduce((a, b) -> b).orElseThrow(), color.replaceAll("\u001b\\[[0-9;]*m", "").lines()
                        .reduce((a, b) -> b).orElseThrow()));
    }
}
