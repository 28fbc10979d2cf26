package dev.mediawatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mediawatch.testing.ConfigKeys;

/** The README's configuration table lists exactly the keys {@link AgentConfig} defines. */
class ConfigDocTest {

    @Test
    void readmeTable_listsEveryKey_andNoOther() throws Exception {
        List<String> documented = ConfigKeys.documentedInReadme("### Agent");
        assertThat(documented).hasSizeGreaterThan(5);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ConfigKeys.of(AgentConfig.class, "mediawatch"));
    }
}
