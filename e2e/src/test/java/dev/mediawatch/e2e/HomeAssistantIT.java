package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.TestServices;

/**
 * Home Assistant's side of the stack, on real parts: Mosquitto, dockerd with the catalogue's containers, two
 * packaged agents and the packaged aggregator. The test is Home Assistant: it subscribes to the discovery prefix and
 * the mediawatch topics like HA does, checks every config (JSON, the keys its component requires, unique ids,
 * availability topics that carry online), renders every value template with the real Jinja2 against the state the
 * aggregator really published, restarts "HA" (birth offline then online) and sees everything announced again, presses
 * the stack's button and flips its switch, renames and removes catalogue services across an aggregator restart and
 * sees the old configs cleared with no duplicates left, and kills an agent to see its entities become unavailable.
 */
@ResourceLock(value = Lanes.HOST_DISK, mode = ResourceAccessMode.READ)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HomeAssistantIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DL = "dl-" + RUN;
    private static final String ST = "st-" + RUN;
    private static final String PREFIX = "mw-ha-" + RUN;
    private static final String NODE = "mw-ha-" + RUN;
    private static final String HA = "ha-" + RUN;
    private static final String WEB = DL + "-web";
    private static final String OLD = DL + "-old";
    private static final String PLAYER = ST + "-player";
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).resolve("ha-" + RUN);

    private static DockerCli docker;
    private static AppProcess aggregator;
    private static final Map<String, AppProcess> agents = new HashMap<>();
    private static Map<String, String> aggregatorEnv;
    private static Path catalogue;
    /** Home Assistant's view: every message under the discovery prefix and the run's topics, from before the start. */
    private static MqttTap tap;

    @BeforeAll
    static void startEverything() throws Exception {
        Files.createDirectories(WORK);
        catalogue = WORK.resolve("media.services.yaml");
        writeCatalogue("""
                  - { name: web, host: %s, category: download, container: %s }
                  - { name: old-svc, host: %s, category: management, container: %s }
                  - { name: player, host: %s, category: streaming, container: %s }
                """.formatted(DL, WEB, DL, OLD, ST, PLAYER));
        docker = new DockerCli(TestServices.dockerHost());
        for (String c : List.of(WEB, OLD, PLAYER)) {
            docker.runSleeper(c);
        }
        tap = MqttTap.subscribe(HA + "/#", PREFIX + "/#");

        aggregatorEnv = Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()),
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX,
                "MEDIAWATCH_CATALOGUE", catalogue.toString(),
                "MEDIAWATCH_HOMEASSISTANT_DISCOVERY_PREFIX", HA,
                "MEDIAWATCH_HOMEASSISTANT_BIRTH_DELAY", "1s",
                "MEDIAWATCH_HOMEASSISTANT_CONFIGURATION_URL", "http://aggregator.test:8470/status",
                "MEDIAWATCH_MITIGATION_ENABLED", "true",
                "MEDIAWATCH_REFRESH_TIMEOUT", "15s");
        aggregator = AppProcess.start("aggregator-ha", app("aggregator"), WORK, Ports.free(), aggregatorEnv);
        for (String[] h : new String[][] { { DL, "download" }, { ST, "streaming" } }) {
            Map<String, String> env = AppProcess.agentEnv(PREFIX, h[0], h[1], catalogue);
            env.put("MEDIAWATCH_MOUNTS_WATCH", "/");
            env.put("MEDIAWATCH_COMPOSE_DIRS", WORK.resolve("nothing-here").toString());
            agents.put(h[0], AppProcess.start("agent-ha-" + h[1], app("agent"), WORK, Ports.free(), env));
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(aggregator.alive()).as("aggregator log:\n%s", aggregator.output()).isTrue();
            assertThat(text(state(DL + "/service/web"))).contains("\"running\":\"ON\"");
            assertThat(text(state(ST + "/service/player"))).contains("\"running\":\"ON\"");
            assertThat(text(state(DL))).contains("\"engine\":\"ON\"").contains("mount_" + rootKey() + "_free");
            assertThat(configs()).containsKey(configTopic("binary_sensor", DL + "_mount_" + rootKey()));
        });
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AppProcess a : agents.values()) {
            a.close();
        }
        if (aggregator != null) {
            aggregator.close();
        }
        if (tap != null) {
            tap.close();
        }
        if (docker != null) {
            docker.removeQuietly(WEB, OLD, PLAYER);
        }
    }

    @Test
    @Order(1)
    void everyConfig_isComplete_unique_available_andItsTemplateReadsItsState() throws Exception {
        Map<String, JsonNode> configs = configs();
        assertThat(configs.keySet()).as("the devices' entities").contains(
                configTopic("binary_sensor", DL + "_connectivity"), configTopic("sensor", DL + "_containers_running"),
                configTopic("binary_sensor", DL + "_svc_web"), configTopic("sensor", DL + "_svc_web_restarts"),
                configTopic("binary_sensor", ST + "_svc_player_problem"), configTopic("sensor", ST + "_io_pressure"),
                configTopic("binary_sensor", "aggregator_stutter"), configTopic("button", "aggregator_refresh"),
                configTopic("switch", "aggregator_mitigation"), configTopic("sensor", "aggregator_drift_gates"));
        Set<String> uniqueIds = new HashSet<>();
        Set<String> entityIds = new HashSet<>();
        ArrayNode render = JSON.createArrayNode();
        List<String> renderedFor = new ArrayList<>();
        String scoreTemplate = null;
        String scoreTopic = null;
        for (Map.Entry<String, JsonNode> e : configs.entrySet()) {
            String topic = e.getKey();
            String component = topic.split("/")[1];
            JsonNode c = e.getValue();
            assertThat(topic.split("/")[3]).matches("[a-zA-Z0-9_-]+");
            assertThat(uniqueIds.add(c.path("unique_id").asText())).as("unique_id of %s", topic).isTrue();
            assertThat(entityIds.add(c.path("default_entity_id").asText())).as("entity id of %s", topic).isTrue();
            assertThat(c.path("name").asText()).isNotBlank();
            assertThat(c.path("device").path("identifiers").size()).isPositive();
            assertThat(c.path("device").path("configuration_url").asText()).isEqualTo("http://aggregator.test:8470/status");
            assertThat(c.path("origin").path("name").asText()).isEqualTo("mediawatch");
            assertThat(c.path("availability").size()).as("availability of %s", topic).isPositive();
            for (JsonNode a : c.path("availability")) {
                assertThat(text(tap.last(a.path("topic").asText()))).as("availability %s of %s", a, topic)
                        .isEqualTo(a.path("payload_available").asText("online"));
            }
            switch (component) {
                case "binary_sensor", "sensor", "switch" -> {
                    String stateTopic = c.path("state_topic").asText();
                    byte[] state = tap.last(stateTopic);
                    if (topic.endsWith("_contention_score/config")) {
                        // The score is null ("None": unknown to Home Assistant) until the detector's first window:
                        // rendered on its own below, from the retained state as it stands then, until it is a number.
                        scoreTemplate = c.path("value_template").asText();
                        scoreTopic = stateTopic;
                        continue;
                    }
                    assertThat(state).as("retained state %s of %s", stateTopic, topic).isNotNull().isNotEmpty();
                    String template = c.path("value_template").asText(null);
                    ObjectNode item = render.addObject();
                    item.put("template", template == null ? "{{ value }}" : template);
                    item.put("payload", text(state));
                    renderedFor.add(topic);
                    if (c.has("json_attributes_template")) {
                        ObjectNode attributes = render.addObject();
                        attributes.put("template", c.path("json_attributes_template").asText());
                        attributes.put("payload", text(tap.last(c.path("json_attributes_topic").asText())));
                        renderedFor.add(topic + " (attributes)");
                    }
                }
                case "button" -> {
                    assertThat(c.path("command_topic").asText()).startsWith(PREFIX + "/");
                    assertThat(JSON.readTree(c.path("payload_press").asText()).path("command").asText()).isEqualTo("refresh");
                }
                default -> throw new AssertionError("unexpected component in " + topic);
            }
        }
        assertThat(scoreTemplate).as("the contention score's template").isNotNull();
        String template = scoreTemplate;
        String stateTopic = scoreTopic;
        await("the contention score's template reads a number").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String payload = text(tap.last(stateTopic));
            ArrayNode one = JSON.createArrayNode();
            one.addObject().put("template", template).put("payload", payload);
            JsonNode r = jinja(one).get(0);
            assertThat(r.path("value").asText()).as("%s rendered from %s: %s", template, payload, r).matches("-?\\d+(\\.\\d+)?");
        });
        JsonNode rendered = jinja(render);
        for (int i = 0; i < renderedFor.size(); i++) {
            String topic = renderedFor.get(i);
            JsonNode r = rendered.get(i);
            assertThat(r.path("ok").asBoolean()).as("%s: %s", topic, r).isTrue();
            String value = r.path("value").asText();
            if (topic.endsWith("(attributes)")) {
                assertThat(JSON.readTree(value).isObject()).as(topic).isTrue();
                continue;
            }
            JsonNode c = configs.get(topic);
            String component = topic.split("/")[1];
            if (component.equals("binary_sensor")) {
                assertThat(value).as(topic).isIn(c.path("payload_on").asText("ON"), c.path("payload_off").asText("OFF"));
            } else if (component.equals("switch")) {
                assertThat(value).as(topic).isIn("ON", "OFF");
            } else if (c.has("state_class")) {
                assertThat(value).as("%s is a number", topic).matches("-?\\d+(\\.\\d+)?");
            } else {
                assertThat(value).as(topic).isNotBlank().isNotEqualTo("None");
            }
        }
        assertThat(renderedFor.size()).isGreaterThan(25);
        // What the values say, read the way HA reads them.
        assertThat(renderOne(configs.get(configTopic("binary_sensor", DL + "_connectivity")), DL + "/availability", true))
                .isEqualTo("online");
        assertThat(renderOne(configs.get(configTopic("binary_sensor", DL + "_svc_web")), null, false)).isEqualTo("ON");
        assertThat(renderOne(configs.get(configTopic("binary_sensor", DL + "_svc_web_problem")), null, false)).isEqualTo("OFF");
        assertThat(Integer.parseInt(renderOne(configs.get(configTopic("sensor", DL + "_containers_running")), null, false)))
                .as("the sleepers run").isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(2)
    void homeAssistantRestarting_getsEveryConfigAgain_thenTheState() throws Exception {
        Map<String, JsonNode> configs = configs();
        long mark = tap.sequence();
        MqttTap.publish(HA + "/status", "offline", false);
        MqttTap.publish(HA + "/status", "online", false);
        await().atMost(WAIT).untilAsserted(() -> {
            for (String topic : configs.keySet()) {
                assertThat(tap.arrived(topic)).as("%s announced again", topic).isGreaterThan(mark);
            }
        });
        await().atMost(WAIT).untilAsserted(() -> {
            long lastConfig = configs.keySet().stream().mapToLong(tap::arrived).max().orElseThrow();
            for (JsonNode c : configs.values()) {
                String stateTopic = c.path("state_topic").asText(null);
                if (stateTopic != null && stateTopic.startsWith(PREFIX + "/ha/")) {
                    assertThat(tap.arrived(stateTopic)).as("%s after the configs", stateTopic).isGreaterThan(lastConfig);
                }
            }
        });
    }

    @Test
    @Order(3)
    void theStacksButton_refreshesEveryAgent_andItsSwitch_armsMitigation() throws Exception {
        JsonNode button = configs().get(configTopic("button", "aggregator_refresh"));
        long mark = tap.sequence();
        MqttTap.publish(button.path("command_topic").asText(), button.path("payload_press").asText(), false);
        await().atMost(WAIT).untilAsserted(() -> {
            for (String host : List.of(DL, ST)) {
                assertThat(tap.arrived(PREFIX + "/" + host + "/state")).isGreaterThan(mark);
                assertThat(text(tap.last(PREFIX + "/" + host + "/state"))).contains("\"requestId\":\"refresh-");
            }
        });
        JsonNode sw = configs().get(configTopic("switch", "aggregator_mitigation"));
        MqttTap.publish(sw.path("command_topic").asText(), sw.path("payload_off").asText(), true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(renderOne(sw, null, false)).isEqualTo("OFF"));
        MqttTap.publish(sw.path("command_topic").asText(), sw.path("payload_on").asText(), true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(renderOne(sw, null, false)).isEqualTo("ON"));
        MqttTap.publish(sw.path("command_topic").asText(), "maybe", false);
        await().atMost(WAIT).untilAsserted(() -> assertThat(aggregator.output()).contains("payload must be ON or OFF"));
    }

    @Test
    @Order(4)
    void aRenamedAndARemovedService_leaveNoConfigBehind_acrossAnAggregatorRestart() throws Exception {
        aggregator.close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(text(tap.last(PREFIX + "/aggregator/availability")))
                .as("a stopped aggregator says so: its entities become unavailable").isEqualTo("offline"));
        writeCatalogue("""
                  - { name: website, host: %s, category: download, container: %s }
                  - { name: player, host: %s, category: streaming, container: %s }
                """.formatted(DL, WEB, ST, PLAYER));
        aggregator = AppProcess.start("aggregator-ha-2", app("aggregator"), WORK, Ports.free(), aggregatorEnv);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(aggregator.alive()).as("aggregator log:\n%s", aggregator.output()).isTrue();
            Map<String, JsonNode> configs = configs();
            assertThat(configs).containsKey(configTopic("binary_sensor", DL + "_svc_website"));
            assertThat(configs.keySet()).noneMatch(t -> t.contains("_svc_web/") || t.contains("_svc_web_")
                    || t.contains("_svc_old_svc"));
            assertThat(tap.last(PREFIX + "/ha/" + DL + "/service/old-svc")).as("its state cleared too").isEmpty();
            assertThat(tap.last(PREFIX + "/ha/" + DL + "/service/web")).isEmpty();
            assertThat(text(tap.last(PREFIX + "/aggregator/availability"))).isEqualTo("online");
        });
        Set<String> uniqueIds = new HashSet<>();
        for (JsonNode c : configs().values()) {
            assertThat(uniqueIds.add(c.path("unique_id").asText())).as("duplicate %s", c.path("unique_id")).isTrue();
        }
        // The renamed service's state follows at the next tick once the restarted aggregator has read the hosts.
        await().atMost(WAIT).untilAsserted(() -> assertThat(text(state(DL + "/service/website")))
                .contains("\"running\":\"ON\""));
    }

    @Test
    @Order(5)
    void aDeadAgent_makesItsEntitiesUnavailable_notFrozen() throws Exception {
        agents.get(ST).kill();
        await().atMost(WAIT).untilAsserted(() -> {
            for (Map.Entry<String, JsonNode> e : configs().entrySet()) {
                String objectId = e.getKey().split("/")[3];
                if (!objectId.startsWith(ST + "_") || objectId.equals(ST + "_connectivity")) {
                    continue;
                }
                boolean available = true;
                for (JsonNode a : e.getValue().path("availability")) {
                    available &= a.path("payload_available").asText("online").equals(text(tap.last(a.path("topic").asText())));
                }
                assertThat(available).as("%s unavailable", e.getKey()).isFalse();
            }
            JsonNode connectivity = configs().get(configTopic("binary_sensor", ST + "_connectivity"));
            assertThat(renderOne(connectivity, ST + "/availability", true)).as("the VM shows disconnected")
                    .isEqualTo(connectivity.path("payload_off").asText());
        });
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static String configTopic(String component, String objectId) {
        return HA + "/" + component + "/" + NODE + "/" + objectId + "/config";
    }

    /** The live configs under this run's node id (an empty payload is a deleted config). */
    private static Map<String, JsonNode> configs() throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        for (Map.Entry<String, byte[]> e : tap.lastByTopic().entrySet()) {
            if (e.getKey().startsWith(HA + "/") && e.getKey().endsWith("/config") && e.getValue().length > 0) {
                out.put(e.getKey(), JSON.readTree(e.getValue()));
            }
        }
        return out;
    }

    private static byte[] state(String key) {
        return java.util.Objects.requireNonNullElse(tap.last(PREFIX + "/ha/" + key), new byte[0]);
    }

    private static String rootKey() {
        return Integer.toHexString("/".hashCode() & 0xfffffff); // HaDiscovery.mountKey("/"): no slug, the hash
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** One config's value as HA would render it, from its state topic (or {@code topicKey} under the prefix). */
    private static String renderOne(JsonNode config, String topicKey, boolean raw) throws Exception {
        String topic = topicKey == null ? config.path("state_topic").asText() : PREFIX + "/" + topicKey;
        ArrayNode items = JSON.createArrayNode();
        items.addObject().put("template", raw || !config.has("value_template") ? "{{ value }}" : config.path("value_template").asText())
                .put("payload", text(tap.last(topic)));
        JsonNode r = jinja(items).get(0);
        assertThat(r.path("ok").asBoolean()).as("%s", r).isTrue();
        return r.path("value").asText();
    }

    /** Renders templates with the real Jinja2 (Debian's python3-jinja2, installed by scripts/services.sh). */
    private static JsonNode jinja(ArrayNode items) throws Exception {
        Path script = Path.of(HomeAssistantIT.class.getResource("/ha_render.py").toURI());
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).start();
        try (var in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(items));
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ha_render.py (python3-jinja2 installed? scripts/services.sh installs it): %s", err).isZero();
        return JSON.readTree(out);
    }

    private static void writeCatalogue(String services) throws IOException {
        Files.writeString(catalogue, """
                version: 1
                hosts: [%s, %s]
                services:
                %s""".formatted(DL, ST, services));
    }

    private static Path app(String which) {
        return AppProcess.app(which);
    }
}
