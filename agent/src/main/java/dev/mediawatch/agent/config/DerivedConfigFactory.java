package dev.mediawatch.agent.config;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

import dev.mediawatch.contract.HostId;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Values derived from the user's configuration, so that nothing is configured twice:
 * <ul>
 * <li>{@code mediawatch.host-id} defaults to the machine's host name, lower-cased;</li>
 * <li>{@code mediawatch.docker.host} defaults to {@code DOCKER_HOST}, then the usual socket.</li>
 * </ul>
 * The source has a low ordinal, so anything the user sets wins. Invalid values are left for the converters of
 * {@link AgentConfig} to report with the key's name.
 */
public class DerivedConfigFactory implements ConfigSourceFactory {

    static final String HOST_ID = "mediawatch.host-id";
    static final String DOCKER_HOST = "mediawatch.docker.host";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> derived = new HashMap<>();
        String hostId = value(context, HOST_ID);
        if (hostId == null) {
            hostId = hostNameSlug();
            if (hostId != null) {
                derived.put(HOST_ID, hostId);
            }
        }
        if (value(context, DOCKER_HOST) == null) {
            String env = System.getenv("DOCKER_HOST");
            derived.put(DOCKER_HOST, env == null || env.isBlank() ? "unix:///var/run/docker.sock" : env);
        }
        // Otherwise the config mapping fails startup naming the key and the problem.
        return List.of(new PropertiesConfigSource(derived, "mediawatch-derived", 50));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static String value(ConfigSourceContext context, String key) {
        ConfigValue v = context.getValue(key);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
    }

    /** The host name as a host id: lower-cased, first label only; null when it cannot be one. */
    static String hostNameSlug() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                return null;
            }
        }
        String slug = name.strip().toLowerCase(Locale.ROOT);
        int dot = slug.indexOf('.');
        if (dot > 0) {
            slug = slug.substring(0, dot);
        }
        return HostId.isValid(slug) ? slug : null;
    }
}
