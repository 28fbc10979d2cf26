package dev.mediawatch.aggregator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mediawatch.testing.ConfigKeys;

/** The README's configuration table lists exactly the keys {@link AggregatorConfig} defines. */
class ConfigDocTest {

    @Test
    void readmeTable_listsEveryKey_andNoOther() throws Exception {
        List<String> documented = ConfigKeys.documentedInReadme("### Aggregator");
        assertThat(documented).hasSizeGreaterThan(5);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ConfigKeys.of(AggregatorConfig.class, "mediawatch"));
    }
}
