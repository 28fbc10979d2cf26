package dev.mediawatch.aggregator.status;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.mediawatch.catalogue.CatalogueParser;
import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ExpectedState;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.EnvAudit;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountSpace;
import dev.mediawatch.contract.MountState;
import dev.mediawatch.contract.NfsOptions;
import dev.mediawatch.contract.PortBinding;
import dev.mediawatch.contract.ServiceProbe;

/**
 * The owner's stack as the agents would report it when everything is as the split plan wants, built from the
 * shipped catalogue (deploy/config/media.services.yaml): every service expected to run runs on its VM with the
 * catalogue's ports and a probe that answers, parked ones are exited, /mnt/media is rw on download-stack and ro
 * on streaming-stack, and no .env holds a secret. Tests break one thing at a time.
 */
public final class StackFixture {

    public static final HostId DL = HostId.of("download-stack");
    public static final HostId ST = HostId.of("streaming-stack");
    public static final long TIB = 1L << 40;

    private StackFixture() {
    }

    public static ServiceCatalogue catalogue() throws Exception {
        Path repo = Path.of(System.getProperty("mwtest.repo", ".."));
        return CatalogueParser.load(repo.resolve("deploy/config/media.services.yaml"));
    }

    public static ContainerState container(CatalogueService s, Instant t) {
        boolean runs = s.expected() == ExpectedState.RUNNING;
        return new ContainerState(Integer.toHexString(s.name().hashCode() & 0xfffffff) + "0000", s.container(),
                "img/" + s.name(), runs ? ContainerStatus.RUNNING : ContainerStatus.EXITED, ContainerHealth.NONE,
                runs ? null : 0, "media", s.composeService() == null ? s.name() : s.composeService(), t)
                .withPorts(s.ports().stream().map(p -> new PortBinding(p, p, "tcp", null)).toList());
    }

    public static ContainerState container(String name, ContainerStatus status, Instant t, PortBinding... ports) {
        return new ContainerState("c0ffee000000", name, "img/" + name, status, ContainerHealth.NONE,
                status == ContainerStatus.EXITED ? 1 : null, null, null, t).withPorts(List.of(ports));
    }

    public static List<ContainerState> containers(ServiceCatalogue cat, HostId host, Instant t) {
        return new ArrayList<>(cat.forHost(host).stream().map(s -> container(s, t)).toList());
    }

    public static List<ServiceProbe> probes(ServiceCatalogue cat, HostId host, Instant t) {
        List<ServiceProbe> out = new ArrayList<>();
        for (CatalogueService s : cat.forHost(host)) {
            if (s.probe() != null && s.expected() == ExpectedState.RUNNING) {
                out.add(new ServiceProbe(s.name(), "http://127.0.0.1:" + s.probe().port() + s.probe().path(), true, 200, 3L,
                        null, t));
            }
        }
        return out;
    }

    public static HostState state(ServiceCatalogue cat, HostId host, String role, Instant t, List<ContainerState> containers,
            List<ServiceProbe> probes, EnvAudit audit) {
        return HostState.of(host, role, "0.1.0", t, new EngineState(true, "20.10.24", "1.41", null, t), containers,
                List.of(), null, probes).with(host == DL ? "192.168.1.209" : "192.168.1.210", null, audit);
    }

    public static HostState healthyState(ServiceCatalogue cat, HostId host, Instant t) {
        return state(cat, host, host == DL ? "download" : "streaming", t, containers(cat, host, t), probes(cat, host, t),
                new EnvAudit(List.of("/opt/stacks"), List.of(), List.of(), t));
    }

    public static MountState nfs(String path, String mode, String expectedMode, Instant t) {
        return new MountState(path, "nfs|nfs4", expectedMode, MountHealth.OK, List.of(), t, true,
                path.equals("/mnt/media") ? "pve:/media" : "pve:/tank/docker", "nfs4", mode, mode,
                new NfsOptions("4.2", "tcp", true, 600, 2), MountSpace.of(12 * TIB, 4 * TIB, 4 * TIB), null);
    }

    public static HostMounts healthyMounts(HostId host, Instant t) {
        return host == DL
                ? HostMounts.of(host, t, List.of(nfs("/mnt/media", "rw", "rw", t), nfs("/mnt/docker", "rw", "rw", t)))
                : HostMounts.of(host, t, List.of(nfs("/mnt/media", "ro", "ro", t)));
    }
}
