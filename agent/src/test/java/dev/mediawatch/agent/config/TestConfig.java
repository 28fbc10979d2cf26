package dev.mediawatch.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * {@link AgentConfig} read from the given properties by SmallRye Config, every converter included, as the agent
 * reads it (with Quarkus' own converters for durations and paths); a bad value throws the
 * {@link io.smallrye.config.ConfigValidationException} that stops the agent's startup. The keys without a default,
 * {@code mediawatch.host-id} and {@code mediawatch.docker.host}, are set unless given.
 */
public final class TestConfig {

    private TestConfig() {
    }

    public static AgentConfig agent(Map<String, String> values) {
        Map<String, String> all = new HashMap<>();
        all.put("mediawatch.host-id", "test-host");
        all.put("mediawatch.docker.host", "unix:///var/run/docker.sock");
        all.putAll(values);
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Path.class, 200, new PathConverter())
                .withMapping(AgentConfig.class)
                .build()
                .getConfigMapping(AgentConfig.class);
    }
}
