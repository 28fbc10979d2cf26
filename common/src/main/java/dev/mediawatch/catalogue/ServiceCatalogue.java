package dev.mediawatch.catalogue;

import java.util.List;
import java.util.Optional;

import dev.mediawatch.contract.HostId;

/**
 * The owner's single source of truth of what should run where ({@code media.services.yaml}). Read by
 * {@link CatalogueParser}; immutable.
 *
 * @param source   the file it was read from, for messages
 * @param hosts    the hosts services may be placed on
 * @param services every service, in file order
 */
public record ServiceCatalogue(String source, List<HostId> hosts, List<CatalogueService> services) {

    public static final ServiceCatalogue EMPTY = new ServiceCatalogue("(none)", List.of(), List.of());

    public ServiceCatalogue {
        hosts = List.copyOf(hosts);
        services = List.copyOf(services);
    }

    public List<CatalogueService> forHost(HostId host) {
        return services.stream().filter(s -> s.host().equals(host)).toList();
    }

    /**
     * The service on {@code host} that a container belongs to: by compose service label when the catalogue
     * names one, else by container name.
     */
    public Optional<CatalogueService> match(HostId host, String containerName, String composeService) {
        for (CatalogueService s : services) {
            if (!s.host().equals(host)) {
                continue;
            }
            if (s.composeService() != null ? s.composeService().equals(composeService) : s.container().equals(containerName)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
