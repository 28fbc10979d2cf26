package dev.mediawatch.aggregator.ingest;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.drift.DiscoveryConfigs;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.aggregator.status.StatusService;
import dev.mediawatch.contract.Topics;
import io.micrometer.core.instrument.MeterRegistry;

/** The one {@link Ingest}: what it accepts goes to the registry and the discovery configs, and asks for a new status. */
public class IngestSource {

    @Produces
    @Singleton
    Ingest ingest(Topics topics, HostRegistry registry, DiscoveryConfigs discovery, MeterRegistry meters,
            AggregatorConfig config, StatusService status) {
        return new Ingest(topics, registry, discovery, meters, config.ingest().maxPayloadBytes(), status::changed);
    }
}
