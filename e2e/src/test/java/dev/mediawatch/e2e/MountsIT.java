package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountState;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.TestServices;

/**
 * Real mounts, made in a private mount namespace that the packaged agent runs in (no NFS can be mounted
 * here; mode checking, missing mounts and statvfs are the same for any filesystem): a read-only tmpfs where
 * rw is expected, a read-only bind mount ({@code ro} per mount, {@code rw} in the superblock) where ro is
 * expected, a path with nothing mounted, and a tmpfs the test remounts read-only and back under the
 * running agent ({@code nsenter} into its namespace). Read back from the agent's MQTT topics.
 */
class MountsIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String HOST = "e2e-mounts-" + RUN;
    private static final String PREFIX = "mw-e2e-" + RUN;
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).toAbsolutePath();

    private static Path dir;
    private static AppProcess agent;
    private static Process subscriber;
    private static Path received;

    @BeforeAll
    static void startAgentInItsOwnMountNamespace() throws Exception {
        dir = Files.createDirectories(WORK.resolve("mounts-" + RUN));
        for (String d : List.of("media", "docker", "docker-src", "absent", "switch")) {
            Files.createDirectories(dir.resolve(d));
        }
        String setup = String.join(" && ",
                "mount -t tmpfs -o ro,size=1m mw-media " + dir.resolve("media"),
                "mount --bind " + dir.resolve("docker-src") + " " + dir.resolve("docker"),
                "mount -o remount,bind,ro " + dir.resolve("docker"),
                "mount -t tmpfs -o rw,size=2m mw-switch " + dir.resolve("switch"),
                "exec \"$@\"");
        List<String> wrapper = List.of("unshare", "-m", "--propagation", "private", "sh", "-c", setup, "sh");
        int mqttPort = TestServices.mosquittoPort();
        received = dir.resolve("mqtt.txt");
        subscriber = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(mqttPort), "-v",
                "-t", PREFIX + "/" + HOST + "/mounts", "-t", PREFIX + "/" + HOST + "/events")
                .redirectErrorStream(true).redirectOutput(received.toFile()).start();
        String watch = String.join(",",
                dir.resolve("media") + ":tmpfs:rw",
                dir.resolve("docker") + "::ro",
                dir.resolve("absent") + ":nfs|nfs4:ro",
                dir.resolve("switch") + ":tmpfs:rw");
        agent = AppProcess.start("agent-mounts", Path.of(System.getProperty("mediawatch.agent.app")), WORK, Ports.free(),
                Map.of("MEDIAWATCH_MQTT_HOST", "127.0.0.1", "MEDIAWATCH_MQTT_PORT", Integer.toString(mqttPort),
                        "MEDIAWATCH_TOPIC_PREFIX", PREFIX, "MEDIAWATCH_HOST_ID", HOST,
                        "MEDIAWATCH_DOCKER_HOST", TestServices.dockerHost(),
                        "MEDIAWATCH_MOUNTS_WATCH", watch, "MEDIAWATCH_MOUNTS_INTERVAL", "1s",
                        "MEDIAWATCH_MOUNTS_TIMEOUT", "500ms"),
                wrapper);
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close(); // the namespace and its mounts end with it
        }
        if (subscriber != null) {
            subscriber.destroy();
        }
    }

    @Test
    void realMounts_modes_missing_space_andAModeChangeUnderTheRunningAgent() throws Exception {
        Map<String, MountState> m = await("the agent's mounts").atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500)).until(MountsIT::mounts, x -> x != null && x.size() == 4);

        MountState media = m.get(path("media"));
        assertThat(media.health()).as("ro tmpfs where rw is expected").isEqualTo(MountHealth.WRONG_MODE);
        assertThat(media.problems()).containsExactly("mounted ro, expected rw");
        assertThat(media.source()).isEqualTo("mw-media");
        assertThat(media.fsType()).isEqualTo("tmpfs");
        assertThat(media.mode()).isEqualTo("ro");
        assertThat(media.space().totalBytes()).as("statvfs of a 1 MiB tmpfs").isEqualTo(1024 * 1024);
        assertThat(media.nfs()).isNull();

        MountState docker = m.get(path("docker"));
        assertThat(docker.health()).as("ro bind where ro is expected").isEqualTo(MountHealth.OK);
        assertThat(docker.mode()).isEqualTo("ro");
        assertThat(docker.superblockMode()).as("a read-only bind keeps its superblock rw").isEqualTo("rw");
        assertThat(docker.space()).isNotNull();

        MountState absent = m.get(path("absent"));
        assertThat(absent.health()).isEqualTo(MountHealth.MISSING);
        assertThat(absent.mounted()).isFalse();
        assertThat(absent.space()).isNull();

        MountState sw = m.get(path("switch"));
        assertThat(sw.health()).isEqualTo(MountHealth.OK);
        assertThat(sw.space().totalBytes()).isEqualTo(2 * 1024 * 1024);

        inAgentNamespace("mount", "-o", "remount,ro", path("switch"));
        MountState ro = await("remounted ro seen").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                .until(() -> mounts().get(path("switch")), s -> s.health() == MountHealth.WRONG_MODE);
        assertThat(ro.mode()).isEqualTo("ro");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events()).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.MOUNT_MODE_CHANGED);
            assertThat(e.subject()).isEqualTo(path("switch"));
            assertThat(e.from()).isEqualTo("rw");
            assertThat(e.to()).isEqualTo("ro");
        }));

        inAgentNamespace("mount", "-o", "remount,rw", path("switch"));
        await("back to rw").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                .until(() -> mounts().get(path("switch")), s -> s.health() == MountHealth.OK);
        inAgentNamespace("umount", path("switch"));
        await("unmounted").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                .until(() -> mounts().get(path("switch")), s -> s.health() == MountHealth.MISSING);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events())
                .extracting(HostEvent::type, HostEvent::from, HostEvent::to)
                .containsSubsequence(
                        org.assertj.core.groups.Tuple.tuple(EventTypes.MOUNT_HEALTH, "ok", "wrong-mode"),
                        org.assertj.core.groups.Tuple.tuple(EventTypes.MOUNT_HEALTH, "wrong-mode", "ok"),
                        org.assertj.core.groups.Tuple.tuple(EventTypes.MOUNT_UNMOUNTED, null, null)));
        // The mounts were made in the agent's namespace only: the test's own view never saw them.
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain("mw-media", "mw-switch");
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }

    private static void inAgentNamespace(String... command) throws IOException, InterruptedException {
        List<String> full = new java.util.ArrayList<>(List.of("nsenter", "-t", Long.toString(agent.pid()), "-m", "--"));
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", full, new String(p.getInputStream().readAllBytes())).isZero();
    }

    /** The newest mounts snapshot the broker delivered, by path; null before the first. */
    private static Map<String, MountState> mounts() throws Exception {
        assertThat(agent.alive()).as("agent alive; log:\n%s", agent.output()).isTrue();
        String last = null;
        for (String line : Files.readAllLines(received)) {
            if (line.startsWith(PREFIX + "/" + HOST + "/mounts ")) {
                last = line.substring(line.indexOf(' ') + 1);
            }
        }
        if (last == null) {
            return null;
        }
        HostMounts mounts = ContractJson.readMounts(last.getBytes(), HostId.of(HOST));
        Map<String, MountState> out = new java.util.LinkedHashMap<>();
        mounts.mounts().forEach(s -> out.put(s.path(), s));
        return out;
    }

    private static List<HostEvent> events() throws Exception {
        List<HostEvent> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(received)) {
            if (line.startsWith(PREFIX + "/" + HOST + "/events ")) {
                out.add(ContractJson.readEvent(line.substring(line.indexOf(' ') + 1).getBytes(), HostId.of(HOST)));
            }
        }
        return out;
    }
}
