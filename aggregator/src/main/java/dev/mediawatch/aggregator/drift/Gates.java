package dev.mediawatch.aggregator.drift;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.mediawatch.aggregator.hosts.ServiceView;
import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ExpectedState;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.EnvAudit;
import dev.mediawatch.contract.EnvFile;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.MountState;
import dev.mediawatch.contract.PortBinding;
import dev.mediawatch.contract.ServiceProbe;
import dev.mediawatch.contract.ServiceStatus;

/**
 * The drift gates (D106-D110) and the split plan's live success criteria, evaluated from what the hosts last
 * reported. Pure: inputs in, {@link Check}s out; each check says why, naming host and service.
 */
public final class Gates {

    /** What the gates look at of one host. {@code state} and {@code mounts} are null until reported. */
    public record Host(HostId host, String role, HostHealth health, HostState state, HostMounts mounts,
            ServiceView.Result view) {
    }

    /** Everything the gates look at. {@code retired} maps each retired host still on the broker to its topics. */
    public record Inputs(List<Host> hosts, ServiceCatalogue catalogue, List<MountLock> locks,
            List<DiscoveryConfigs.Config> discovery, String discoveryPrefix, Map<HostId, List<String>> retired,
            String topicPrefix) {
    }

    private Gates() {
    }

    public static List<Check> drift(Inputs in) {
        return List.of(portCollision(in), mountLock(in), probeParity(in), catalogueMatch(in), haDuplicates(in));
    }

    static Check portCollision(Inputs in) {
        List<String> bad = new ArrayList<>();
        int ports = 0;
        int hosts = 0;
        for (Host h : in.hosts()) {
            if (h.state() == null) {
                continue;
            }
            hosts++;
            List<ContainerState> cs = h.state().containers();
            Map<String, Set<String>> holders = new TreeMap<>();
            for (int i = 0; i < cs.size(); i++) {
                for (PortBinding a : cs.get(i).ports()) {
                    ports++;
                    for (int j = i + 1; j < cs.size(); j++) {
                        for (PortBinding b : cs.get(j).ports()) {
                            if (a.collidesWith(b)) {
                                Set<String> names = holders.computeIfAbsent(String.format("%05d %s", a.hostPort(), a.protocol()),
                                        k -> new java.util.TreeSet<>());
                                names.add(cs.get(i).name());
                                names.add(cs.get(j).name());
                            }
                        }
                    }
                }
            }
            holders.forEach((key, names) -> bad.add(h.host() + ": port " + Integer.parseInt(key.substring(0, 5)) + "/"
                    + key.substring(6) + " published by " + String.join(" and ", names)));
        }
        if (bad.isEmpty()) {
            return pass("D106", "port collision", ports + " published ports on " + hosts + " hosts, no two on one port");
        }
        return new Check("D106", "port collision", false, bad);
    }

    static Check mountLock(Inputs in) {
        List<String> bad = new ArrayList<>();
        List<String> good = new ArrayList<>();
        for (MountLock lock : in.locks()) {
            List<Host> subjects = in.hosts().stream()
                    .filter(h -> h.host().value().equals(lock.subject()) || lock.subject().equals(h.role())).toList();
            if (subjects.isEmpty()) {
                bad.add("no host with id or role '" + lock.subject() + "' has reported (lock " + lock + ")");
            }
            for (Host h : subjects) {
                MountState m = h.mounts() == null ? null
                        : h.mounts().mounts().stream().filter(x -> x.path().equals(lock.path())).findFirst().orElse(null);
                if (h.mounts() == null) {
                    bad.add(h.host() + ": no mounts report, " + lock.path() + " must be " + lock.mode());
                } else if (m == null) {
                    bad.add(h.host() + ": " + lock.path() + " is not watched by its agent (mediawatch.mounts.watch), must be "
                            + lock.mode());
                } else if (!m.mounted()) {
                    bad.add(h.host() + ": " + lock.path() + " is not mounted, must be " + lock.mode());
                } else if (!lock.mode().equals(m.mode())) {
                    bad.add(h.host() + ": " + lock.path() + " is mounted " + m.mode() + ", must be " + lock.mode());
                } else {
                    good.add(h.host() + " " + lock.path() + " " + m.mode());
                }
            }
        }
        return bad.isEmpty() ? new Check("D107", "NFS mount lock", true, good) : new Check("D107", "NFS mount lock", false, bad);
    }

    static Check probeParity(Inputs in) {
        Set<String> bad = new LinkedHashSet<>();
        int probed = 0;
        for (Host h : in.hosts()) {
            if (h.state() == null) {
                continue;
            }
            Map<String, ServiceProbe> probes = h.state().probes().stream()
                    .collect(Collectors.toMap(ServiceProbe::service, p -> p, (a, b) -> b));
            boolean own = in.catalogue().hosts().contains(h.host());
            if (own) {
                for (CatalogueService s : in.catalogue().forHost(h.host())) {
                    if (s.probe() == null && !s.ports().isEmpty()) {
                        bad.add(s.name() + " (" + h.host() + ") publishes " + s.ports() + " but has no probe");
                    }
                }
                for (ContainerState c : h.state().containers()) {
                    CatalogueService s = h.view().joined().get(c.name());
                    if (s == null || !c.running()) {
                        continue;
                    }
                    if (s.probe() == null) {
                        if (!c.ports().isEmpty()) {
                            bad.add(s.name() + " (" + h.host() + ") publishes "
                                    + c.ports().stream().map(PortBinding::label).toList() + " but has no probe");
                        }
                        continue;
                    }
                    ServiceProbe p = probes.get(s.name());
                    probed++;
                    if (p == null) {
                        bad.add(s.name() + " (" + h.host() + "): running, but its agent reports no probe of " + s.probe().path()
                                + " (does the agent have the catalogue?)");
                    } else if (!p.up()) {
                        bad.add(s.name() + " (" + h.host() + "): " + p.url() + " " + (p.error() == null ? "down" : p.error()));
                    }
                }
            } else {
                for (ContainerState c : h.state().containers()) {
                    ServiceProbe p = c.service() == null ? null : probes.get(c.service());
                    if (p != null && c.running()) {
                        probed++;
                        if (!p.up()) {
                            bad.add(c.service() + " (" + h.host() + "): " + p.url() + " " + (p.error() == null ? "down" : p.error()));
                        }
                    }
                }
            }
        }
        return bad.isEmpty() ? pass("D108", "health endpoint parity", probed + " running services with a probe answer it")
                : new Check("D108", "health endpoint parity", false, List.copyOf(bad));
    }

    static Check catalogueMatch(Inputs in) {
        List<String> bad = new ArrayList<>();
        int checked = 0;
        Set<HostId> reported = in.hosts().stream().filter(h -> h.state() != null).map(Host::host).collect(Collectors.toSet());
        for (HostId c : in.catalogue().hosts()) {
            if (!reported.contains(c)) {
                bad.add(c + " has not reported its containers");
            }
        }
        for (Host h : in.hosts()) {
            if (h.state() == null) {
                continue;
            }
            for (ContainerState c : h.state().containers()) {
                checked++;
                CatalogueService own = h.view().joined().get(c.name());
                if (own == null && c.service() == null && c.running()) {
                    List<CatalogueService> elsewhere = in.catalogue().services().stream()
                            .filter(s -> !s.host().equals(h.host())
                                    && (s.composeService() != null ? s.composeService().equals(c.composeService())
                                            : s.container().equals(c.name())))
                            .toList();
                    if (!elsewhere.isEmpty()) {
                        bad.add(c.name() + " runs on " + h.host() + "; the catalogue places it on "
                                + elsewhere.stream().map(s -> s.host().value()).distinct().collect(Collectors.joining(", ")));
                    } else {
                        bad.add(c.name() + " runs on " + h.host() + " but the catalogue does not list it");
                    }
                    continue;
                }
                if (own != null) {
                    if (own.expected() == ExpectedState.STOPPED && c.running()) {
                        bad.add(own.name() + " (" + h.host() + ") runs but is expected stopped");
                    }
                    Set<Integer> published = c.ports().stream().map(PortBinding::hostPort).collect(Collectors.toCollection(java.util.TreeSet::new));
                    Set<Integer> listed = new java.util.TreeSet<>(own.ports());
                    if (!published.isEmpty() && !published.equals(listed)) {
                        bad.add(own.name() + " (" + h.host() + ") publishes " + published + ", the catalogue says " + listed);
                    }
                }
            }
            for (ServiceStatus s : h.view().services()) {
                if (ServiceStatus.MISSING.equals(s.state())) {
                    bad.add(s.service() + " (" + h.host() + ") is expected to run and has no container");
                }
            }
        }
        return bad.isEmpty() ? pass("D109", "compose/catalogue match", checked + " containers on " + reported.size()
                + " hosts match the catalogue") : new Check("D109", "compose/catalogue match", false, bad);
    }

    static Check haDuplicates(Inputs in) {
        List<String> dup = DiscoveryConfigs.duplicates(in.discovery());
        if (dup.isEmpty()) {
            return pass("D110", "Home Assistant duplicate audit", in.discovery().size() + " discovery configs under "
                    + in.discoveryPrefix() + "/, no unique_id or entity twice");
        }
        return new Check("D110", "Home Assistant duplicate audit", false, dup);
    }

    /** The split plan's success criteria that can be checked live. */
    public static List<Check> checklist(Inputs in, List<Check> drift) {
        List<Check> out = new ArrayList<>();
        Map<HostId, Host> byId = new java.util.HashMap<>();
        in.hosts().forEach(h -> byId.put(h.host(), h));
        // Both VMs reachable: the catalogue's hosts (or, without one, every host known).
        List<String> unreachable = new ArrayList<>();
        List<HostId> expectedHosts = in.catalogue().hosts().isEmpty()
                ? in.hosts().stream().map(Host::host).toList() : in.catalogue().hosts();
        for (HostId id : expectedHosts) {
            Host h = byId.get(id);
            if (h == null || h.health() != HostHealth.UP) {
                unreachable.add(id + " is " + (h == null ? "not reporting" : h.health().wire()));
            }
        }
        out.add(unreachable.isEmpty() && !expectedHosts.isEmpty()
                ? pass("vms-reachable", "every VM reachable", expectedHosts.size() + " hosts up: " + join(expectedHosts))
                : new Check("vms-reachable", "every VM reachable", false,
                        unreachable.isEmpty() ? List.of("no host is known") : unreachable));

        // Services on the right VM.
        List<String> misplaced = new ArrayList<>();
        for (CatalogueService s : in.catalogue().services()) {
            if (s.expected() != ExpectedState.RUNNING) {
                continue;
            }
            Host own = byId.get(s.host());
            boolean runsHome = own != null && own.state() != null && own.state().containers().stream()
                    .anyMatch(c -> c.running() && s == own.view().joined().get(c.name()));
            if (!runsHome) {
                misplaced.add(s.name() + " is not running on " + s.host());
            }
        }
        for (Check d : drift) {
            if (d.id().equals("D109")) {
                d.evidence().stream().filter(e -> e.contains("the catalogue places it on")).forEach(misplaced::add);
            }
        }
        out.add(misplaced.isEmpty() ? pass("services-placed", "every service on its VM",
                in.catalogue().services().size() + " catalogue services checked")
                : new Check("services-placed", "every service on its VM", false, misplaced));

        Check nfs = drift.stream().filter(d -> d.id().equals("D107")).findFirst().orElseThrow();
        out.add(new Check("nfs-modes", "NFS modes right", nfs.pass(), nfs.evidence()));

        List<String> secrets = new ArrayList<>();
        List<String> audited = new ArrayList<>();
        for (HostId id : expectedHosts) {
            Host h = byId.get(id);
            EnvAudit audit = h == null || h.state() == null ? null : h.state().envAudit();
            if (audit == null) {
                secrets.add(id + ": no compose directory audited (set mediawatch.compose.dirs on its agent)");
                continue;
            }
            for (EnvFile f : audit.files()) {
                secrets.add(id + ": " + f.path() + " holds " + String.join(", ", f.keys()));
            }
            for (String p : audit.problems()) {
                secrets.add(id + ": " + p);
            }
            if (audit.clean()) {
                audited.add(id + " " + audit.dirs());
            }
        }
        out.add(secrets.isEmpty() && !audited.isEmpty()
                ? new Check("no-plaintext-secrets", "no plaintext .env with secrets", true, audited)
                : new Check("no-plaintext-secrets", "no plaintext .env with secrets", false,
                        secrets.isEmpty() ? List.of("no host is known") : secrets));

        List<String> old = new ArrayList<>();
        in.retired().forEach((host, kinds) -> old.add(host + " still has retained " + String.join(", ", kinds)
                + " on the broker; clear with: "
                + kinds.stream().map(k -> "mosquitto_pub -r -n -t " + in.topicPrefix() + "/" + host + "/" + k)
                        .collect(Collectors.joining("; "))));
        out.add(old.isEmpty() ? pass("old-vm-gone", "old VM gone from the broker", "no retired host on the broker")
                : new Check("old-vm-gone", "old VM gone from the broker", false, old));

        List<String> failing = drift.stream().filter(d -> !d.pass()).map(d -> d.id() + " " + d.name() + " fails").toList();
        out.add(failing.isEmpty() ? pass("drift-gates", "drift gates pass", drift.size() + "/" + drift.size() + " pass")
                : new Check("drift-gates", "drift gates pass", false, failing));
        return out;
    }


    private static String join(List<HostId> ids) {
        return ids.stream().map(HostId::value).collect(Collectors.joining(", "));
    }

    private static Check pass(String id, String name, String evidence) {
        return new Check(id, name, true, List.of(evidence));
    }
}
