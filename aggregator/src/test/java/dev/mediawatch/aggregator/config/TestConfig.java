package dev.mediawatch.aggregator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * {@link AggregatorConfig} read from the given properties by SmallRye Config, every converter included, as the
 * aggregator reads it (with Quarkus' own converters for durations and paths); a bad value throws the
 * {@link io.smallrye.config.ConfigValidationException} that stops the aggregator's startup.
 */
public final class TestConfig {

    private TestConfig() {
    }

    public static AggregatorConfig aggregator(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Path.class, 200, new PathConverter())
                .withMapping(AggregatorConfig.class)
                .build()
                .getConfigMapping(AggregatorConfig.class);
    }
}
