package dev.mediawatch.aggregator.drift;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.PayloadRejected;
import dev.mediawatch.contract.RejectReason;

/**
 * The retained Home Assistant MQTT discovery configs on the broker, reduced to what the duplicate audit (D110)
 * needs: each config topic's {@code unique_id} and the entity id Home Assistant would give it. Bounded: at most
 * {@code max} topics; a config beyond is refused ({@code host-limit}) so a flood of topics cannot grow it.
 *
 * <p>Topics are {@code <prefix>/<component>/[<node_id>/]<object_id>/config}; an empty retained payload deletes
 * the config.
 */
public final class DiscoveryConfigs {

    /** One discovery config; {@code stateTopic} as given (absent for buttons), so a publisher can clear it too. */
    public record Config(String topic, String component, String uniqueId, String entityId, String stateTopic) {
    }

    private final String prefix;
    private final int max;
    private final int maxBytes;
    private final ConcurrentHashMap<String, Config> configs = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    public DiscoveryConfigs(String prefix, int max, int maxBytes) {
        this.prefix = prefix;
        this.max = max;
        this.maxBytes = maxBytes;
    }

    public String prefix() {
        return prefix;
    }

    /** The subscription that receives every config. */
    public String filter() {
        return prefix + "/#";
    }

    /** One message from the discovery prefix; topics that are not config topics are ignored (empty result). */
    public Optional<Config> accept(String topic, byte[] payload) throws PayloadRejected {
        if (topic == null || !topic.startsWith(prefix + "/") || !topic.endsWith("/config")) {
            return Optional.empty();
        }
        String[] levels = topic.substring(prefix.length() + 1).split("/", -1);
        if (levels.length < 3 || levels.length > 4) {
            return Optional.empty();
        }
        String component = levels[0];
        String objectId = levels[levels.length - 2];
        if (payload == null || payload.length == 0) {
            if (configs.remove(topic) != null) {
                version.incrementAndGet();
            }
            return Optional.empty();
        }
        if (payload.length > maxBytes) {
            throw new PayloadRejected(RejectReason.TOO_LARGE, payload.length + " bytes, more than the " + maxBytes + " allowed");
        }
        JsonNode root;
        try {
            root = ContractJson.mapper().readTree(payload);
        } catch (java.io.IOException e) {
            throw new PayloadRejected(RejectReason.MALFORMED, "discovery config is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new PayloadRejected(RejectReason.MALFORMED, "discovery config is not a JSON object");
        }
        String uniqueId = text(root, "unique_id", "uniq_id");
        Config config = new Config(topic, component, uniqueId, entityId(component, objectId, root),
                text(root, "state_topic", "stat_t"));
        if (!configs.containsKey(topic) && configs.size() >= max) {
            throw new PayloadRejected(RejectReason.HOST_LIMIT, "already holding the maximum of " + max + " discovery configs");
        }
        configs.put(topic, config);
        version.incrementAndGet();
        return Optional.of(config);
    }

    public List<Config> all() {
        return List.copyOf(configs.values());
    }

    public int size() {
        return configs.size();
    }

    public long version() {
        return version.get();
    }

    /**
     * The entity id Home Assistant derives: {@code default_entity_id} as given; else the component and
     * {@code object_id}; else the component and the slug of the device's and the entity's names; else of the
     * topic's object id.
     */
    static String entityId(String component, String topicObjectId, JsonNode root) {
        String explicit = text(root, "default_entity_id", "def_ent_id");
        if (explicit != null) {
            return explicit.contains(".") ? explicit : component + "." + slug(explicit);
        }
        String objectId = text(root, "object_id", "obj_id");
        if (objectId != null) {
            return component + "." + slug(objectId);
        }
        String name = text(root, "name");
        JsonNode device = root.has("device") ? root.get("device") : root.get("dev");
        String deviceName = device != null && device.isObject() ? text(device, "name") : null;
        if (name != null || deviceName != null) {
            String full = deviceName == null ? name : name == null ? deviceName : deviceName + " " + name;
            return component + "." + slug(full);
        }
        return component + "." + slug(topicObjectId);
    }

    private static String text(JsonNode node, String... names) {
        for (String n : names) {
            JsonNode v = node.get(n);
            if (v != null && v.isValueNode() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }

    /** Home Assistant's slugify, closely enough: lower case ASCII, runs of anything else as one underscore. */
    public static String slug(String text) {
        String ascii = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String s = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "unknown" : s;
    }

    /** Groups of configs sharing a unique_id, then groups sharing an entity id; each group's topics sorted. */
    public static List<String> duplicates(List<Config> configs) {
        Map<String, List<String>> byUnique = new TreeMap<>();
        Map<String, List<String>> byEntity = new TreeMap<>();
        for (Config c : configs) {
            if (c.uniqueId() != null) {
                byUnique.computeIfAbsent(c.uniqueId(), k -> new ArrayList<>()).add(c.topic());
            }
            byEntity.computeIfAbsent(c.entityId(), k -> new ArrayList<>()).add(c.topic());
        }
        List<String> out = new ArrayList<>();
        byUnique.forEach((id, topics) -> {
            if (topics.size() > 1) {
                out.add("unique_id " + id + " in " + String.join(", ", topics.stream().sorted().toList()));
            }
        });
        byEntity.forEach((id, topics) -> {
            if (topics.size() > 1) {
                out.add("entity " + id + " from " + String.join(", ", topics.stream().sorted().toList()));
            }
        });
        return out;
    }
}
