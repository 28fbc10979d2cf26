package dev.mediawatch.aggregator.homeassistant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The devices' {@code configuration_url} when {@code mediawatch.homeassistant.configuration-url} is not set: the
 * status page on this host, or no link when the host's name makes no URL (a set one is checked by the mapping).
 */
class ConfigurationUrlTest {

    @Test
    void theStatusPageOnThisHost() {
        assertThat(HomeAssistantPublisher.defaultConfigurationUrl("media-vm", 8470)).isEqualTo("http://media-vm:8470/status");
    }

    @Test
    void aHostNameThatMakesNoUrl_givesNoLink_ratherThanStoppingStartup() {
        assertThat(HomeAssistantPublisher.defaultConfigurationUrl("media_vm", 8470)).isNull();
    }
}
