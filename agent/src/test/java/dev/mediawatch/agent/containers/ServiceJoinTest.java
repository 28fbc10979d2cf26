package dev.mediawatch.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mediawatch.catalogue.CatalogueParser;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostSummary;
import dev.mediawatch.contract.MissingService;

class ServiceJoinTest {

    static final HostId DL = HostId.of("download-stack");

    static ContainerState c(String name, ContainerStatus s, ContainerHealth h, String composeService) {
        return new ContainerState("id", name, "img", s, h, null, composeService == null ? null : "dl", composeService,
                Instant.EPOCH);
    }

    @Test
    void joinsByNameOrComposeService_reportsUnknownAndMissing_andSummarises() throws Exception {
        ServiceCatalogue catalogue = CatalogueParser.parse("""
                version: 1
                hosts: [download-stack, streaming-stack]
                services:
                  - { name: sonarr, host: download-stack, category: management }
                  - { name: radarr, host: download-stack, category: management, compose-service: radarr }
                  - { name: sabnzbd, host: download-stack, category: download }
                  - { name: tdarr, host: download-stack, category: media-support, expected: parked }
                  - { name: old, host: download-stack, category: media-support, expected: stopped }
                  - { name: jellyfin, host: streaming-stack, category: streaming }
                """, "t.yaml");
        ServiceJoin.Result r = ServiceJoin.join(DL, catalogue, List.of(
                c("sonarr", ContainerStatus.RUNNING, ContainerHealth.UNHEALTHY, null),
                c("download-radarr-1", ContainerStatus.RUNNING, ContainerHealth.HEALTHY, "radarr"),
                c("jellyfin", ContainerStatus.RUNNING, ContainerHealth.NONE, null),
                c("mystery", ContainerStatus.EXITED, ContainerHealth.NONE, null)));

        assertThat(r.containers()).extracting(ContainerState::name, ContainerState::service, ContainerState::category,
                ContainerState::expected).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("sonarr", "sonarr", "management", "running"),
                        org.assertj.core.groups.Tuple.tuple("download-radarr-1", "radarr", "management", "running"),
                        org.assertj.core.groups.Tuple.tuple("jellyfin", null, null, null),
                        org.assertj.core.groups.Tuple.tuple("mystery", null, null, null));
        // sabnzbd should run and has no container; tdarr is parked and old stopped: neither is missing.
        assertThat(r.missing()).containsExactly(new MissingService("sabnzbd", "download"));
        assertThat(r.summary()).isEqualTo(new HostSummary(4, 3, 1, 1, 1, 1, 2, 0,
                Map.of("management", 2, "download", 1, "media-support", 2)));
    }
}
