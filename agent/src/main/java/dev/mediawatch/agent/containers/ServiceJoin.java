package dev.mediawatch.agent.containers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ExpectedState;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostSummary;
import dev.mediawatch.contract.MissingService;

/**
 * Joins what the engine runs to what the catalogue says should run on this host. Pure.
 * Unknown containers stay in the list (without a service); catalogue services expected to run that have no
 * container at all are {@code missing}.
 */
final class ServiceJoin {

    record Result(List<ContainerState> containers, List<MissingService> missing, HostSummary summary) {
    }

    private ServiceJoin() {
    }

    static Result join(HostId host, ServiceCatalogue catalogue, List<ContainerState> engine) {
        List<ContainerState> joined = new ArrayList<>(engine.size());
        Set<String> present = new HashSet<>();
        for (ContainerState c : engine) {
            Optional<CatalogueService> s = catalogue.match(host, c.name(), c.composeService());
            if (s.isPresent()) {
                present.add(s.get().name());
                joined.add(c.joined(s.get().name(), s.get().category(), s.get().expected().wire()));
            } else {
                joined.add(c);
            }
        }
        List<MissingService> missing = new ArrayList<>();
        Map<String, Integer> byCategory = new TreeMap<>();
        int parked = 0;
        for (CatalogueService s : catalogue.forHost(host)) {
            byCategory.merge(s.category(), 1, Integer::sum);
            if (s.expected() == ExpectedState.PARKED) {
                parked++;
            }
            if (s.expected() == ExpectedState.RUNNING && !present.contains(s.name())) {
                missing.add(new MissingService(s.name(), s.category()));
            }
        }
        missing.sort(Comparator.comparing(MissingService::service));
        int running = 0;
        int exited = 0;
        int unhealthy = 0;
        int unknown = 0;
        int restarting = 0;
        for (ContainerState c : joined) {
            running += c.running() ? 1 : 0;
            exited += c.exited() ? 1 : 0;
            unhealthy += c.unhealthy() ? 1 : 0;
            unknown += c.catalogued() ? 0 : 1;
            restarting += c.restartLoop() ? 1 : 0;
        }
        HostSummary summary = new HostSummary(joined.size(), running, exited, unhealthy, missing.size(), parked, unknown,
                restarting, byCategory);
        return new Result(List.copyOf(joined), List.copyOf(missing), summary);
    }
}
