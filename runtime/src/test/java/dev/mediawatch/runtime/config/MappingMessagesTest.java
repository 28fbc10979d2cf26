package dev.mediawatch.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * The converters on a mapping, read by SmallRye Config as the apps read theirs: a bad value is reported with the
 * key's name, the value and the converter's problem, every bad value of the mapping at once; a blank optional
 * value is not set.
 */
class MappingMessagesTest {

    @ConfigMapping(prefix = "demo")
    interface Demo {
        @WithDefault("5s")
        @WithConverter(PositiveDuration.class)
        Duration interval();

        @WithDefault("1883")
        @WithConverter(Port.class)
        int port();

        @WithDefault("0.5")
        @WithConverter(Ratio.class)
        double share();

        @WithConverter(HttpUrl.class)
        Optional<String> url();

        @WithDefault("3")
        @WithConverter(PositiveInt.class)
        int attempts();
    }

    private static Demo demo(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .withMapping(Demo.class)
                .build();
        return config.getConfigMapping(Demo.class);
    }

    @Test
    void theDefaults_passTheirOwnConverters() {
        Demo d = demo(Map.of());
        assertThat(d.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.port()).isEqualTo(1883);
        assertThat(d.share()).isEqualTo(0.5);
        assertThat(d.url()).isEmpty();
        assertThat(d.attempts()).isEqualTo(3);
    }

    @Test
    void aBadValue_isReportedWithTheKeyTheValueAndTheProblem() {
        assertThatThrownBy(() -> demo(Map.of("demo.interval", "0s")))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("SRCFG00039: The config property demo.interval with the config value \"0s\" threw an "
                        + "Exception whilst being converted 0s is too short; use more than 0s, e.g. 30s");
    }

    @Test
    void everyBadValue_isReportedAtOnce() {
        assertThatThrownBy(() -> demo(Map.of("demo.port", "0", "demo.share", "1", "demo.url", "ftp://x", "demo.attempts",
                "none")))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.getProblemCount()).isEqualTo(4))
                .hasMessageContaining("demo.port").hasMessageContaining("0 is out of range; use 1 to 65535")
                .hasMessageContaining("demo.share").hasMessageContaining("1 is not a share between 0 and 1")
                .hasMessageContaining("demo.url").hasMessageContaining("'ftp://x' is not an http(s) URL with a host")
                .hasMessageContaining("demo.attempts").hasMessageContaining("'none' is not a whole number");
    }

    @Test
    void aBlankOptionalValue_isNotSet() {
        assertThat(demo(Map.of("demo.url", " ")).url()).isEmpty();
        assertThat(demo(Map.of("demo.url", "")).url()).isEmpty();
        assertThat(demo(Map.of("demo.url", "https://ha.example.org/")).url()).contains("https://ha.example.org/");
    }

    @Test
    void anEmptyRequiredValue_isReportedAsEmpty() {
        assertThatThrownBy(() -> demo(Map.of("demo.interval", "")))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("demo.interval is defined as the empty String");
    }
}
