package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mediawatch.testing.DockerCli;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.TestServices;

/**
 * No configured secret leaves the apps: an agent and the aggregator run with every kind of secret set, some as
 * environment variables (what {@code infisical run} injects), some as {@code *_FILE}/{@code *-file} (systemd
 * credentials, Docker secrets), each a distinct marker; every source that uses one is pointed at a closed port so
 * the error paths run too (Jellyfin, SABnzbd with its key in the query, qBittorrent's login, Navidrome's token, a
 * probe's X-Api-Key, an ntfy token). Then every log line, every {@code /q/} and {@code /api/} answer, every MQTT
 * message under the run's prefixes and the startup errors of bad secret files are searched for the markers.
 * The broker here accepts anyone, so the MQTT password is sent but not checked: BrokerSecurityIT proves the
 * password file against a broker that checks it.
 */
class SecretsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DL = "dl-" + RUN;
    private static final String PREFIX = "mw-sec-" + RUN;
    private static final String HA = "ha-sec-" + RUN;
    private static final String RADARR = DL + "-radarr";
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).resolve("secrets-" + RUN);
    /** Every secret, by where it is configured; each value is distinct and searched for everywhere. */
    private static final Map<String, String> SECRETS = new LinkedHashMap<>();

    private static DockerCli docker;
    private static AppProcess aggregator;
    private static AppProcess agent;
    /** Every message under the run's prefixes, from before the apps started. */
    private static MqttTap tap;
    private static int closed;

    private static String secret(String name) {
        return SECRETS.computeIfAbsent(name, n -> "MWSECRET" + n.replaceAll("[^A-Za-z]", "") + RUN);
    }

    private static Path file(String name) throws IOException {
        return Files.writeString(WORK.resolve("secrets").resolve(name), secret(name) + "\n");
    }

    @BeforeAll
    static void startEverything() throws Exception {
        Files.createDirectories(WORK.resolve("secrets"));
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // closed again at once: every source is refused there
        }
        Path catalogue = WORK.resolve("media.services.yaml");
        Files.writeString(catalogue, """
                version: 1
                hosts: [%s]
                services:
                  - { name: radarr, host: %s, category: management, container: %s, ports: [%d], probe: { path: /api/v3/system/status } }
                """.formatted(DL, DL, RADARR, closed));
        docker = new DockerCli(TestServices.dockerHost());
        docker.runSleeper(RADARR);
        tap = MqttTap.subscribe(PREFIX + "/#", HA + "/#");

        Map<String, String> aggregatorEnv = new HashMap<>(Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()),
                "MEDIAWATCH_MQTT_USERNAME", "aggregator",
                "MEDIAWATCH_MQTT_PASSWORD", secret("aggregator-mqtt-password"),
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX,
                "MEDIAWATCH_CATALOGUE", catalogue.toString(),
                "MEDIAWATCH_HOMEASSISTANT_DISCOVERY_PREFIX", HA,
                "MEDIAWATCH_API_TOKEN_FILE", file("api-token").toString(),
                "MEDIAWATCH_REFRESH_TIMEOUT", "10s"));
        aggregatorEnv.put("MEDIAWATCH_NOTIFY_TARGETS_PHONE_KIND", "ntfy");
        aggregatorEnv.put("MEDIAWATCH_NOTIFY_TARGETS_PHONE_URL", "http://127.0.0.1:" + closed + "/media");
        aggregatorEnv.put("MEDIAWATCH_NOTIFY_TARGETS_PHONE_TOKEN_FILE", file("ntfy-token").toString());
        aggregator = AppProcess.start("aggregator-secrets", app("aggregator"), WORK, Ports.free(), aggregatorEnv);

        Map<String, String> env = AppProcess.agentEnv(PREFIX, DL, "download", catalogue);
        env.put("MEDIAWATCH_MQTT_USERNAME", DL);
        env.put("MEDIAWATCH_MQTT_PASSWORD_FILE", file("agent-mqtt-password").toString());
        env.put("MEDIAWATCH_COMPOSE_DIRS", WORK.resolve("nothing-here").toString());
        env.put("MEDIAWATCH_THROTTLE_STATE_FILE", WORK.resolve("throttle.json").toString());
        env.put("MEDIAWATCH_PROBES_HOST", "127.0.0.1");
        env.put("MEDIAWATCH_PROBE_RADARR_API_KEY_FILE", file("radarr-api-key").toString());
        String base = "http://127.0.0.1:" + closed;
        env.put("MEDIAWATCH_ACTIVITY_JELLYFIN_URL", base);
        env.put("MEDIAWATCH_JELLYFIN_API_KEY_FILE", file("jellyfin-api-key").toString());
        env.put("MEDIAWATCH_ACTIVITY_SABNZBD_URL", base);
        env.put("MEDIAWATCH_SABNZBD_API_KEY", secret("sabnzbd-api-key"));
        env.put("MEDIAWATCH_ACTIVITY_QBITTORRENT_URL", base);
        env.put("MEDIAWATCH_QBITTORRENT_USER", "admin");
        env.put("MEDIAWATCH_QBITTORRENT_PASSWORD_FILE", file("qbittorrent-password").toString());
        env.put("MEDIAWATCH_ACTIVITY_NAVIDROME_URL", base);
        env.put("MEDIAWATCH_NAVIDROME_USER", "owner");
        env.put("MEDIAWATCH_NAVIDROME_PASSWORD", secret("navidrome-password"));
        agent = AppProcess.start("agent-secrets", app("agent"), WORK, Ports.free(), env);

        // Every source has failed at least once (their error paths ran) and the probe with its key was refused.
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(agent.alive()).as("agent log:\n%s", agent.output()).isTrue();
            String activity = lastMessage(PREFIX + "/" + DL + "/activity");
            assertThat(activity).contains("jellyfin", "sabnzbd", "qbittorrent", "navidrome").contains("unreachable");
            assertThat(lastMessage(PREFIX + "/" + DL + "/state")).contains("\"service\":\"radarr\"").contains("\"up\":false");
            assertThat(lastMessage(PREFIX + "/status")).contains(DL);
        });
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (aggregator != null) {
            aggregator.close();
        }
        if (tap != null) {
            tap.close();
        }
        if (docker != null) {
            docker.removeQuietly(RADARR);
        }
    }

    @Test
    void noSecret_inLogs_endpoints_mqttPayloads_orErrors() throws Exception {
        // The token file is really used: the right token refreshes, a wrong one is refused (and not echoed).
        HttpResponse<String> refused = aggregator.post("/api/refresh", Duration.ofSeconds(20), "Authorization",
                "Bearer wrong-" + secret("api-token"));
        assertThat(refused.statusCode()).isEqualTo(401);
        HttpResponse<String> refreshed = aggregator.post("/api/refresh", Duration.ofSeconds(30), "Authorization",
                "Bearer " + secret("api-token"));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);

        Map<String, String> seen = new LinkedHashMap<>();
        seen.put("refresh refused", refused.body());
        seen.put("refresh answer", refreshed.body());
        for (String path : List.of("/q/metrics", "/q/health", "/q/health/live", "/q/health/ready", "/api/state",
                "/api/state/mounts", "/api/state/io")) {
            seen.put("agent " + path, agent.get(path));
        }
        for (String path : List.of("/q/metrics", "/q/health", "/q/health/ready", "/api/status", "/status", "/api/alerts",
                "/api/contention", "/api/incidents", "/api/events", "/api/hosts/" + DL + "/state",
                "/api/hosts/" + DL + "/io")) {
            seen.put("aggregator " + path, getQuietly(aggregator, path));
        }
        List<String> mqtt = tap.all().stream().map(m -> m.topic() + " " + m.text()).toList();
        seen.put("mqtt", String.join("\n", mqtt));

        // Startup errors of bad secret files name the key and the file, never the content.
        Path twoLines = Files.writeString(WORK.resolve("secrets/two-lines"), secret("two-line-token") + "\nmore\n");
        AppProcess bad = AppProcess.start("aggregator-bad-secret", app("aggregator"), WORK, Ports.free(), Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()),
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX + "-bad",
                "MEDIAWATCH_API_TOKEN", secret("both-set-token"),
                "MEDIAWATCH_API_TOKEN_FILE", twoLines.toString()));
        assertThat(bad.awaitStartupFailure(WAIT)).isNotZero();
        assertThat(bad.output()).contains("mediawatch.api.token and mediawatch.api.token-file are both set");
        seen.put("bad aggregator", bad.output());
        AppProcess badAgent = AppProcess.start("agent-bad-secret", app("agent"), WORK, Ports.free(), Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()),
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX + "-bad",
                "MEDIAWATCH_HOST_ID", DL,
                "MEDIAWATCH_MQTT_PASSWORD_FILE", twoLines.toString()));
        assertThat(badAgent.awaitStartupFailure(WAIT)).isNotZero();
        assertThat(badAgent.output()).contains(twoLines.toString());
        seen.put("bad agent", badAgent.output());

        // The logs last: everything above has run and logged by now.
        seen.put("agent log", agent.output());
        seen.put("aggregator log", aggregator.output());
        assertThat(seen.get("mqtt")).as("the sources' failures were published as events").contains("source.state")
                .contains("unreachable");
        assertThat(mqtt.size()).as("MQTT messages searched").isGreaterThan(20);

        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> where : seen.entrySet()) {
            for (Map.Entry<String, String> s : SECRETS.entrySet()) {
                if (where.getValue() != null && where.getValue().contains(s.getValue())) {
                    leaks.add(s.getKey() + " in " + where.getKey());
                }
            }
        }
        assertThat(leaks).as("secrets that leaked").isEmpty();
        assertThat(SECRETS).hasSizeGreaterThanOrEqualTo(11);
    }

    private static String getQuietly(AppProcess app, String path) throws Exception {
        try {
            return app.get(path);
        } catch (IOException | RuntimeException e) {
            return e.toString();
        }
    }

    private static String lastMessage(String topic) {
        return java.util.Objects.requireNonNullElse(tap.lastText(topic), "");
    }

    private static Path app(String which) {
        return AppProcess.app(which);
    }
}
