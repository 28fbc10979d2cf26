package dev.mediawatch.aggregator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mediawatch.testing.ConfigKeys;

/** The aggregator's table in docs/configuration.md lists exactly the keys {@link AggregatorConfig} defines. */
class ConfigDocTest {

    private static final String DOC = "docs/configuration.md";

    @Test
    void configurationDoc_listsEveryKey_andNoOther() throws Exception {
        List<String> documented = ConfigKeys.documentedIn(ConfigKeys.repo().resolve(DOC), "## Aggregator");
        assertThat(documented).hasSizeGreaterThan(5);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ConfigKeys.of(AggregatorConfig.class, "mediawatch"));
    }
}
