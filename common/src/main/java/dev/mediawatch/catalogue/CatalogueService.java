package dev.mediawatch.catalogue;

import java.util.List;

import dev.mediawatch.contract.HostId;

/**
 * One service of the catalogue.
 *
 * @param name           the service's name, unique per host (a slug)
 * @param host           the host it belongs on
 * @param category       what kind of service it is: management, download, streaming, requests, subtitles,
 *                       media-support, security, infrastructure, or another slug
 * @param expected       running, parked (deliberately stopped) or stopped
 * @param container      the container name that runs it; defaults to {@code name}
 * @param composeService the compose service that runs it, when matched by compose label instead
 * @param ports          the host ports it publishes
 * @param probe          its health probe, or null for none
 * @param line           the line of the file where the service starts, for messages and evidence
 */
public record CatalogueService(String name, HostId host, String category, ExpectedState expected, String container,
        String composeService, List<Integer> ports, HealthProbe probe, int line) {

    public CatalogueService {
        ports = List.copyOf(ports);
    }
}
