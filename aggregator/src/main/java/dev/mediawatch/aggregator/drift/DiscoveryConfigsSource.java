package dev.mediawatch.aggregator.drift;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.mediawatch.aggregator.config.AggregatorConfig;

/** The one copy of the Home Assistant discovery configs on the broker: ingest fills it; the status and the publisher read it. */
public class DiscoveryConfigsSource {

    @Produces
    @Singleton
    DiscoveryConfigs discovery(AggregatorConfig config) {
        return new DiscoveryConfigs(config.homeassistant().discoveryPrefix(), config.homeassistant().maxConfigs(),
                config.ingest().maxPayloadBytes());
    }
}
