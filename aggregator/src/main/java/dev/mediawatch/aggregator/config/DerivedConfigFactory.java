package dev.mediawatch.aggregator.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import dev.mediawatch.contract.Topics;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Values derived from the user's configuration so nothing is configured twice: the MQTT channels' topic
 * filters come from {@link Topics}, the contract's only topic builder, and the connector's host is the
 * external broker or, without one, the embedded broker on loopback. Low ordinal: what the user sets wins.
 */
public class DerivedConfigFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> derived = new HashMap<>();
        String prefix = value(context, "mediawatch.topic-prefix");
        if (prefix == null || Topics.isValidPrefix(prefix)) {
            Topics topics = prefix == null ? Topics.defaults() : Topics.withPrefix(prefix);
            for (Topics.Kind kind : Topics.Kind.values()) {
                derived.put("mp.messaging.incoming." + channel(kind) + ".topic", topics.filter(kind));
            }
            derived.put("mp.messaging.incoming.aggregator-availability.topic", topics.aggregatorAvailability());
            derived.put("mp.messaging.incoming.aggregator-commands.topic", topics.aggregatorCommandFilter());
        }
        // Otherwise AggregatorIdentity stops startup naming mediawatch.topic-prefix.
        String discovery = value(context, "mediawatch.homeassistant.discovery-prefix");
        derived.put("mp.messaging.incoming.homeassistant-in.topic", (discovery == null ? "homeassistant" : discovery) + "/#");
        String birth = value(context, "mediawatch.homeassistant.birth-topic");
        derived.put("mp.messaging.incoming.homeassistant-birth.topic",
                birth != null ? birth : (discovery == null ? "homeassistant" : discovery) + "/status");
        String host = value(context, "mediawatch.mqtt.host");
        derived.put("mp.messaging.connector.smallrye-mqtt.host", host == null ? "127.0.0.1" : host);
        return List.of(new PropertiesConfigSource(derived, "mediawatch-derived", 50));
    }

    /** The incoming channel that carries one kind of per-host topic. */
    public static String channel(Topics.Kind kind) {
        return kind.level() + "-in";
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static String value(ConfigSourceContext context, String key) {
        ConfigValue v = context.getValue(key);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
    }
}
