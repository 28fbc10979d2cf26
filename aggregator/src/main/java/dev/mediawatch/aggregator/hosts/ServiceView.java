package dev.mediawatch.aggregator.hosts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ExpectedState;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.HostSummary;
import dev.mediawatch.contract.MissingService;
import dev.mediawatch.contract.ServiceProbe;
import dev.mediawatch.contract.ServiceStatus;

/**
 * One host's services: its state's containers joined to the catalogue. The aggregator's own catalogue wins
 * when it lists the host (one file judges every host alike); otherwise the agent's annotations are used.
 * Pure.
 */
public final class ServiceView {

    /** A parked or stopped catalogue service without a container. */
    public static final String ABSENT = "absent";

    private static final Comparator<ServiceStatus> ORDER = Comparator
            .comparing((ServiceStatus s) -> s.category() == null ? "\uffff" : s.category())
            .thenComparing(ServiceStatus::service);

    /** The services, counts, and which catalogue service each container runs (by container name). */
    public record Result(List<ServiceStatus> services, HostSummary counts, Map<String, CatalogueService> joined) {
    }

    private ServiceView() {
    }

    public static Result of(HostId host, HostState state, ServiceCatalogue catalogue) {
        List<ContainerState> containers = state == null ? List.of() : state.containers();
        Map<String, ServiceProbe> probes = new HashMap<>();
        if (state != null) {
            for (ServiceProbe p : state.probes()) {
                probes.put(p.service(), p);
            }
        }
        boolean ownCatalogue = catalogue.hosts().contains(host);
        boolean anyCatalogue = ownCatalogue || containers.stream().anyMatch(ContainerState::catalogued)
                || (state != null && !state.missing().isEmpty());
        List<ServiceStatus> out = new ArrayList<>();
        Map<String, CatalogueService> joined = new HashMap<>();
        Map<String, Integer> byCategory = new TreeMap<>();
        int running = 0, exited = 0, unhealthy = 0, missing = 0, parked = 0, unknown = 0, restarting = 0;
        Set<String> matched = new HashSet<>();
        for (ContainerState c : containers) {
            String service, category, expected;
            if (ownCatalogue) {
                CatalogueService s = catalogue.match(host, c.name(), c.composeService()).orElse(null);
                service = s == null ? null : s.name();
                category = s == null ? null : s.category();
                expected = s == null ? null : s.expected().wire();
                if (s != null) {
                    joined.put(c.name(), s);
                }
            } else {
                service = c.service();
                category = c.category();
                expected = c.expected();
            }
            if (service != null) {
                matched.add(service);
            } else {
                unknown++;
            }
            running += c.running() ? 1 : 0;
            exited += c.exited() ? 1 : 0;
            unhealthy += c.unhealthy() ? 1 : 0;
            restarting += c.restartLoop() ? 1 : 0;
            String problem = problem(c, service, expected, probes.get(service), anyCatalogue);
            out.add(new ServiceStatus(service == null ? c.name() : service, c.name(), category, expected,
                    c.state().wire(), c.health(), problem));
        }
        if (ownCatalogue) {
            for (CatalogueService s : catalogue.forHost(host)) {
                byCategory.merge(s.category(), 1, Integer::sum);
                if (s.expected() == ExpectedState.PARKED) {
                    parked++;
                }
                if (!matched.contains(s.name())) {
                    boolean shouldRun = s.expected() == ExpectedState.RUNNING;
                    missing += shouldRun ? 1 : 0;
                    out.add(new ServiceStatus(s.name(), null, s.category(), s.expected().wire(),
                            shouldRun ? ServiceStatus.MISSING : ABSENT, ContainerHealth.NONE,
                            shouldRun ? ServiceStatus.MISSING : null));
                }
            }
        } else if (state != null) {
            for (MissingService m : state.missing()) {
                missing++;
                out.add(new ServiceStatus(m.service(), null, m.category(), ExpectedState.RUNNING.wire(),
                        ServiceStatus.MISSING, ContainerHealth.NONE, ServiceStatus.MISSING));
            }
            if (state.summary() != null) {
                byCategory.putAll(state.summary().byCategory());
                parked = state.summary().parked();
            }
        }
        out.sort(ORDER);
        HostSummary counts = new HostSummary(containers.size(), running, exited, unhealthy, missing, parked, unknown,
                restarting, byCategory);
        return new Result(out, counts, joined);
    }

    private static String problem(ContainerState c, String service, String expected, ServiceProbe probe,
            boolean anyCatalogue) {
        if (service == null) {
            if (c.restartLoop()) {
                return "restart loop";
            }
            if (c.unhealthy()) {
                return "unhealthy";
            }
            return anyCatalogue && c.running() ? "not in the catalogue" : null;
        }
        boolean shouldRun = ExpectedState.RUNNING.wire().equals(expected);
        if (shouldRun && c.exited()) {
            return c.exitCode() == null ? "exited" : "exited (" + c.exitCode() + ")";
        }
        if (ExpectedState.STOPPED.wire().equals(expected) && c.running()) {
            return "running but expected stopped";
        }
        if (c.restartLoop()) {
            return "restart loop";
        }
        if (shouldRun && !c.running()) {
            return c.state().wire();
        }
        if (c.unhealthy()) {
            return "unhealthy";
        }
        if (c.running() && probe != null && !probe.up()) {
            return "probe: " + (probe.error() == null ? "down" : probe.error());
        }
        return null;
    }
}
