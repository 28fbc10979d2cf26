package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

import dev.mediawatch.testing.ConfigKeys;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.TestServices;

/**
 * The owner's whole Home Assistant announcement goes out through the bounded send path, in one go: the packaged
 * aggregator with the shipped catalogue (deploy/config/media.services.yaml) and two packaged agents on the real
 * Mosquitto. Every discovery config and every state it points at is on the broker within 5 s of the aggregator's
 * start and of Home Assistant's birth message, and the MQTT client never refused a message for exceeding its
 * in-flight window.
 */
@ResourceLock(value = Lanes.HOST_DISK, mode = ResourceAccessMode.READ)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnnouncementIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration WITHIN = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String PREFIX = "mw-an-" + RUN;
    private static final String HA = "ha-an-" + RUN;
    private static final String NODE = "mwan" + RUN;
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).resolve("announce-" + RUN);
    private static final Pattern ANNOUNCING = Pattern.compile("announcing (\\d+) Home Assistant configs \\((start|birth)\\)");

    private static AppProcess aggregator;
    private static final Map<String, AppProcess> agents = new HashMap<>();
    private static MqttTap tap;

    @BeforeAll
    static void startAgents() throws Exception {
        Files.createDirectories(WORK);
        Path catalogue = ConfigKeys.repo().toAbsolutePath().normalize().resolve("deploy/config/media.services.yaml");
        tap = MqttTap.subscribe(HA + "/#", PREFIX + "/#");
        for (String[] h : new String[][] { { "download-stack", "download" }, { "streaming-stack", "streaming" } }) {
            Map<String, String> env = AppProcess.agentEnv(PREFIX, h[0], h[1], catalogue);
            env.put("MEDIAWATCH_MQTT_CLIENT_ID", "agent-" + h[0] + "-" + RUN);
            env.put("MEDIAWATCH_THROTTLE_STATE_FILE", WORK.resolve(h[0] + "-throttle.json").toString());
            env.put("MEDIAWATCH_MOUNTS_WATCH", "/"); // a watched mount per host: its entities are announced too
            agents.put(h[0], AppProcess.start("agent-announce-" + h[1], AppProcess.app("agent"), WORK, Ports.free(), env));
        }
        await().atMost(WAIT).until(() -> "online".equals(tap.lastText(PREFIX + "/download-stack/availability"))
                && "online".equals(tap.lastText(PREFIX + "/streaming-stack/availability"))
                && tap.last(PREFIX + "/download-stack/state") != null && tap.last(PREFIX + "/streaming-stack/state") != null);
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
    }

    @Test
    @Order(1)
    void atStart_everyConfigAndItsStateIsOnTheBroker_within5s_noMessageRefused() throws Exception {
        long launched = System.nanoTime();
        aggregator = AppProcess.start("aggregator-announce", AppProcess.app("aggregator"), WORK, Ports.free(), Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()),
                "MEDIAWATCH_MQTT_CLIENT_ID", "aggregator-" + RUN,
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX,
                "MEDIAWATCH_CATALOGUE", ConfigKeys.repo().toAbsolutePath().normalize()
                        .resolve("deploy/config/media.services.yaml").toString(),
                "MEDIAWATCH_INCIDENTS_FILE", WORK.resolve("incidents.journal").toString(),
                "MEDIAWATCH_HOMEASSISTANT_DISCOVERY_PREFIX", HA,
                "MEDIAWATCH_HOMEASSISTANT_NODE_ID", NODE));
        int count = await().atMost(WAIT).until(() -> announced("start"), n -> n > 0);
        long ready = await().atMost(WAIT).until(() -> completeSince(0, count), t -> t > 0);
        long started = startedNanos(launched);
        long msFromStart = TimeUnit.NANOSECONDS.toMillis(ready - started);
        Files.writeString(WORK.resolve("figures.txt"), "configs " + count + "; all configs and states on the broker "
                + msFromStart + " ms after the aggregator started, " + TimeUnit.NANOSECONDS.toMillis(ready - launched)
                + " ms after its process was launched\n");
        assertThat(count).as("the owner's announcement").isGreaterThanOrEqualTo(150);
        assertThat(msFromStart).as("ms from start to the whole announcement on the broker").isLessThanOrEqualTo(WITHIN.toMillis());
        assertNothingRefused();
    }

    @Test
    @Order(2)
    void afterHomeAssistantsBirth_everyConfigAndStateAgain_within5s_noMessageRefused() throws Exception {
        long seq = tap.sequence();
        long birth = System.nanoTime();
        MqttTap.publish(HA + "/status", "online", false);
        int count = await().atMost(WAIT).until(() -> announced("birth"), n -> n > 0);
        long ready = await().atMost(WAIT).until(() -> completeSince(seq, count), t -> t > 0);
        long ms = TimeUnit.NANOSECONDS.toMillis(ready - birth);
        Files.writeString(WORK.resolve("figures.txt"), "birth: all again " + ms + " ms after the birth message "
                + "(random delay of up to 3 s included)\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(ms).isLessThanOrEqualTo(WITHIN.toMillis());
        assertNothingRefused();
    }

    /** The number of configs the aggregator said it announces for {@code why}, or 0 before it said so. */
    private static int announced(String why) {
        Matcher m = ANNOUNCING.matcher(aggregator.output());
        int n = 0;
        while (m.find()) {
            if (m.group(2).equals(why)) {
                n = Integer.parseInt(m.group(1));
            }
        }
        return n;
    }

    /**
     * When the last of {@code count} configs under the node id, and every state topic they name, arrived after tap
     * sequence {@code since}: the latest arrival time, or 0 while one is still missing.
     */
    private static long completeSince(long since, int count) throws Exception {
        Set<String> configs = new HashSet<>();
        Set<String> states = new HashSet<>();
        for (Map.Entry<String, byte[]> e : tap.lastByTopic().entrySet()) {
            String t = e.getKey();
            if (t.startsWith(HA + "/") && t.endsWith("/config") && t.contains("/" + NODE + "/") && e.getValue().length > 0
                    && tap.arrived(t) > since) {
                configs.add(t);
                JsonNode c = JSON.readTree(e.getValue());
                for (String key : new String[] { "state_topic", "json_attributes_topic" }) {
                    if (c.hasNonNull(key)) {
                        states.add(c.get(key).asText());
                    }
                }
            }
        }
        if (configs.size() < count) {
            return 0;
        }
        long latest = 0;
        for (String t : configs) {
            latest = Math.max(latest, tap.arrivedNanos(t));
        }
        for (String s : states) {
            if (!s.startsWith(PREFIX + "/ha/")) {
                continue; // the agents' own topics (availability): theirs, not part of the announcement
            }
            if (tap.arrived(s) <= since) {
                return 0;
            }
            latest = Math.max(latest, tap.arrivedNanos(s));
        }
        return latest;
    }

    /** When Quarkus said the aggregator had started, on this JVM's nanoTime scale (from its log's wall clock). */
    private static long startedNanos(long launched) {
        Matcher m = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) INFO  \\[i\\.quarkus\\] mediawatch-aggregator .* started in")
                .matcher(aggregator.output());
        assertThat(m.find()).as("the aggregator's started line").isTrue();
        java.time.LocalTime at = java.time.LocalTime.parse(m.group(1));
        long agoMs = Duration.between(at, java.time.LocalTime.now()).toMillis();
        return System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(agoMs);
    }

    private static void assertNothingRefused() throws Exception {
        assertThat(aggregator.output()).doesNotContain("exceed the limit", "inflight messages");
        String metrics = aggregator.get("/q/metrics");
        assertThat(metrics).doesNotContainPattern("mediawatch_mqtt_publish_failures_total\\{[^}]*\\} [1-9]");
    }
}
