package dev.mediawatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The agent's secret variables are looked up in its configuration, and taken as they are. */
class SecretVariablesTest {

    private static Function<String, String> lookup(Map<String, String> values) {
        // With the interceptors Quarkus has, expression expansion among them.
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(values, "test", 100)).build();
        return SecretVariables.lookup(config);
    }

    @Test
    void aSetVariable_isItsValue_anUnsetOneIsNull() {
        Function<String, String> lookup = lookup(Map.of("MEDIAWATCH_SABNZBD_API_KEY", "k3y"));
        assertThat(lookup.apply("MEDIAWATCH_SABNZBD_API_KEY")).isEqualTo("k3y");
        assertThat(lookup.apply("MEDIAWATCH_SABNZBD_API_KEY_FILE")).isNull();
    }

    @Test
    void aDollarBrace_inASecret_isPartOfIt_notAConfigurationExpression() {
        Function<String, String> lookup = lookup(Map.of("MEDIAWATCH_QBITTORRENT_PASSWORD", "pa${ss}word",
                "MEDIAWATCH_NAVIDROME_PASSWORD", "x${y", "ss", "expanded"));
        assertThat(lookup.apply("MEDIAWATCH_QBITTORRENT_PASSWORD")).isEqualTo("pa${ss}word");
        assertThat(lookup.apply("MEDIAWATCH_NAVIDROME_PASSWORD")).isEqualTo("x${y");
    }
}
