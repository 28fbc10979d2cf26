package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.ReverseProxy;
import dev.mediawatch.testing.TestServices;

/**
 * The split's criteria with memory and today's imports end to end: the packaged agents ask Radarr, Sonarr, Lidarr
 * and Jellyfin, the packaged aggregator asks the public URL through a real local reverse proxy, all on a real
 * Mosquitto. The *arr apps and Jellyfin cannot run here: their answers are recorded from their documented APIs
 * (the agent's fixtures) and served by local HTTP servers, with the import dates moved to today.
 */
@ResourceLock(value = Lanes.HOST_DISK, mode = ResourceAccessMode.READ)
class AcceptanceIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DL = "dl-" + RUN;
    private static final String ST = "st-" + RUN;
    private static final String PREFIX = "mw-acc-" + RUN;
    private static final String KEY = "arr-key-" + RUN;
    private static final String JELLYFIN_ID = "9d2f4c1a7b3e4f60a1c8e5d7b2f9a364";
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).resolve("acceptance-" + RUN);

    private static final List<AutoCloseable> servers = new ArrayList<>();
    private static final List<AppProcess> apps = new ArrayList<>();
    private static ReverseProxy tunnel;
    private static ReverseProxy.Recorded oldJellyfin;
    private static AppProcess aggregator;

    /** A page of an *arr history, newest first: {@code imports} import records today, then a grab and yesterday's import. */
    static String history(String importEvent, int imports) {
        ZoneId zone = ZoneId.systemDefault();
        Instant now = Instant.now();
        Instant midnight = LocalDate.now(zone).atStartOfDay(zone).toInstant();
        List<String> records = new ArrayList<>();
        for (int i = 1; i <= imports; i++) {
            Instant at = now.minusMillis(Duration.between(midnight, now).toMillis() * i / (imports + 2));
            records.add("{\"id\":" + (100 + i) + ",\"date\":\"" + at + "\",\"eventType\":\"" + importEvent
                    + "\",\"sourceTitle\":\"Release " + i + "\",\"data\":{}}");
            if (i == 1) {
                records.add("{\"id\":99,\"date\":\"" + at.minusSeconds(1) + "\",\"eventType\":\"grabbed\","
                        + "\"sourceTitle\":\"Release grabbed\",\"data\":{}}");
            }
        }
        records.add("{\"id\":1,\"date\":\"" + midnight.minusSeconds(3600) + "\",\"eventType\":\"" + importEvent
                + "\",\"sourceTitle\":\"Yesterday\",\"data\":{}}");
        return "{\"page\":1,\"pageSize\":250,\"sortKey\":\"date\",\"sortDirection\":\"descending\",\"totalRecords\":"
                + records.size() + ",\"records\":[" + String.join(",", records) + "]}";
    }

    static String jellyfinInfo(String id, String name) {
        return "{\"LocalAddress\":\"http://192.168.1.210:8096\",\"ServerName\":\"" + name + "\",\"Version\":\"10.10.7\","
                + "\"ProductName\":\"Jellyfin Server\",\"OperatingSystem\":\"\",\"Id\":\"" + id
                + "\",\"StartupWizardCompleted\":true}";
    }

    private static <T extends AutoCloseable> T serve(T server) {
        servers.add(server);
        return server;
    }

    @BeforeAll
    static void startEverything() throws Exception {
        Files.createDirectories(WORK);
        Path catalogue = WORK.resolve("media.services.yaml");
        Files.writeString(catalogue, """
                version: 1
                hosts: [%s, %s]
                services:
                  - { name: jellyfin, host: %s, category: streaming, expected: stopped }
                """.formatted(DL, ST, ST));
        ReverseProxy.Recorded radarr = serve(new ReverseProxy.Recorded(Map.of("/api/v3/history",
                history("downloadFolderImported", 3))));
        ReverseProxy.Recorded sonarr = serve(new ReverseProxy.Recorded(Map.of("/api/v3/history",
                history("downloadFolderImported", 2))));
        ReverseProxy.Recorded lidarr = serve(new ReverseProxy.Recorded(Map.of("/api/v1/history",
                history("trackFileImported", 4))));
        ReverseProxy.Recorded jellyfin = serve(new ReverseProxy.Recorded(Map.of("/System/Info/Public",
                jellyfinInfo(JELLYFIN_ID, "streaming-stack"), "/Sessions", "[]")));
        oldJellyfin = serve(new ReverseProxy.Recorded(Map.of("/System/Info/Public",
                jellyfinInfo("e03b7a5c2d8f41b6935c0f1a4d6e8b27", "media-stack"))));
        tunnel = serve(new ReverseProxy().pointAt(jellyfin.url()));

        Map<String, String> dl = AppProcess.agentEnv(PREFIX, DL, "download", catalogue);
        dl.put("MEDIAWATCH_ACTIVITY_RADARR_URL", radarr.url().toString());
        dl.put("MEDIAWATCH_ACTIVITY_SONARR_URL", sonarr.url().toString());
        dl.put("MEDIAWATCH_ACTIVITY_LIDARR_URL", lidarr.url().toString());
        dl.put("MEDIAWATCH_RADARR_API_KEY", KEY);
        dl.put("MEDIAWATCH_SONARR_API_KEY", KEY);
        dl.put("MEDIAWATCH_LIDARR_API_KEY", KEY);
        dl.put("MEDIAWATCH_THROTTLE_STATE_FILE", WORK.resolve("throttle.json").toString());
        apps.add(AppProcess.start("agent-acceptance-dl", AppProcess.app("agent"), WORK, Ports.free(), dl));
        Map<String, String> st = AppProcess.agentEnv(PREFIX, ST, "streaming", catalogue);
        st.put("MEDIAWATCH_ACTIVITY_JELLYFIN_URL", jellyfin.url().toString());
        st.put("MEDIAWATCH_JELLYFIN_API_KEY", KEY);
        apps.add(AppProcess.start("agent-acceptance-st", AppProcess.app("agent"), WORK, Ports.free(), st));
        Map<String, String> env = new HashMap<>(Map.of(
                "MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                "MEDIAWATCH_MQTT_PORT", Integer.toString(TestServices.mosquittoPort()),
                "MEDIAWATCH_TOPIC_PREFIX", PREFIX,
                "MEDIAWATCH_CATALOGUE", catalogue.toString(),
                "MEDIAWATCH_ACCEPTANCE_TUNNEL", tunnel.url() + "=jellyfin",
                "MEDIAWATCH_ACCEPTANCE_TUNNEL_INTERVAL", "2s",
                "MEDIAWATCH_ACCEPTANCE_TUNNEL_TIMEOUT", "1s",
                "MEDIAWATCH_HOMEASSISTANT_DISCOVERY_PREFIX", "ha-" + RUN));
        aggregator = AppProcess.start("aggregator-acceptance", AppProcess.app("aggregator"), WORK, Ports.free(), env);
        apps.add(aggregator);
    }

    @AfterAll
    static void stopEverything() {
        for (AutoCloseable c : apps) {
            close(c);
        }
        for (AutoCloseable c : servers) {
            close(c);
        }
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // stopping
        }
    }

    private static StatusReport status() throws Exception {
        return ContractJson.readStatus(aggregator.get("/api/status").getBytes(StandardCharsets.UTF_8));
    }

    private static Check criterion(StatusReport s, String id) {
        return s.checklist().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    @Test
    void todaysImports_andTheTunnelByJellyfinsOwnId_reachTheStatus_andTheOldVmBehindTheUrlFailsIt() throws Exception {
        StatusReport s = await("imports and a green tunnel").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class).until(AcceptanceIT::status, r -> r.imports().size() == 3
                        && criterion(r, "tunnel") != null && criterion(r, "tunnel").pass());
        assertThat(s.imports()).extracting(ArrImports::app, ArrImports::today, ArrImports::unit).containsExactly(
                org.assertj.core.groups.Tuple.tuple("radarr", 3L, "movies"),
                org.assertj.core.groups.Tuple.tuple("sonarr", 2L, "episodes"),
                org.assertj.core.groups.Tuple.tuple("lidarr", 4L, "tracks"));
        assertThat(criterion(s, "tunnel").evidence()).singleElement().asString()
                .contains("answers as Jellyfin \"streaming-stack\" on " + ST + " (server Id " + JELLYFIN_ID + ")");
        assertThat(criterion(s, "downloads-working").evidence())
                .anyMatch(e -> e.startsWith("radarr: imported (3 today), last "))
                .anyMatch(e -> e.startsWith("lidarr: imported (4 today), last "))
                .contains("sabnzbd: not configured (no URL: nothing to prove)");
        String text = aggregator.get("/status");
        assertThat(text).contains("imports today: radarr 3 · sonarr 2 · lidarr 4");

        // The public URL now reaches the old VM's Jellyfin.
        tunnel.pointAt(oldJellyfin.url());
        StatusReport red = await("the tunnel criterion fails").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class).until(AcceptanceIT::status,
                        r -> !criterion(r, "tunnel").pass());
        assertThat(criterion(red, "tunnel").evidence()).singleElement().asString()
                .contains("answers as another Jellyfin (Id e03b7a5c2d8f41b6935c0f1a4d6e8b27, " + ST + "'s is " + JELLYFIN_ID);
        for (AppProcess app : apps) {
            assertThat(app.output()).as(app.toString()).doesNotContain(KEY);
        }
    }
}
