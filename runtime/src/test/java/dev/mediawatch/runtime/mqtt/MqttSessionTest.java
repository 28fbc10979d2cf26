package dev.mediawatch.runtime.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.mqtt.MqttConnectionSecurity;
import dev.mediawatch.testing.PrivateMosquitto;
import dev.mediawatch.testing.RealServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

/**
 * The MQTT session against a real Mosquitto of the test's own: bursts far beyond the client's in-flight window, the
 * presence and its last will, reconnection and resubscription after the broker restarts, and the ways a connection
 * can go wrong without closing (a subscription the broker never delivers, a packet too large to decode, a second
 * client with the same id).
 *
 * <p>Needs Debian's mosquitto and mosquitto-clients ({@code scripts/services.sh start}).
 */
@RealServices
class MqttSessionTest {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final List<MqttSession> sessions = new ArrayList<>();
    private PrivateMosquitto broker;

    @AfterEach
    void tearDown() throws Exception {
        for (MqttSession s : sessions) {
            s.stop(Duration.ofSeconds(1));
        }
        if (broker != null) {
            broker.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private MqttSession session(String id, int window, Duration presence, Duration echo, int maxMessageBytes) {
        MqttSettings s = new MqttSettings("127.0.0.1", broker.port(), id, Optional.empty(),
                MqttConnectionSecurity.resolve("mediawatch.mqtt", Optional.empty(), Optional.empty(), false,
                        Optional.empty()),
                30, maxMessageBytes, window, 50_000, 32L << 20, Duration.ofSeconds(30), "test/" + id + "/availability",
                presence, echo);
        MqttSession session = new MqttSession(vertx, s, new SimpleMeterRegistry());
        sessions.add(session);
        return session;
    }

    private MqttSession session(String id) {
        return session(id, 10, Duration.ofSeconds(30), Duration.ofSeconds(10), 1 << 20);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every topic's last payload that a subscriber of {@code filter} saw. */
    private Map<String, String> watch(String filter) {
        Map<String, String> seen = new ConcurrentHashMap<>();
        MqttSession tap = session("tap-" + sessions.size());
        tap.subscribe(filter, (t, p, r) -> seen.put(t, new String(p, StandardCharsets.UTF_8)));
        tap.start();
        await().until(() -> tap.health().up());
        return seen;
    }

    @Test
    void aBurstFarBeyondTheInFlightWindow_isSentWhole_inOrder_noneRefused() throws Exception {
        broker = PrivateMosquitto.start(dir);
        List<String> order = new CopyOnWriteArrayList<>();
        MqttSession tap = session("tap");
        tap.subscribe("burst/#", (t, p, r) -> order.add(t));
        tap.start();
        await().until(() -> tap.health().up());
        MqttSession s = session("burst", 10, Duration.ofSeconds(30), Duration.ofSeconds(10), 1 << 20);
        // Offered before the connection is up: they wait for it.
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            sent.add(s.publish("burst/c" + i, b("{\"n\":" + i + "}"), true));
        }
        s.start();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(sent).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        await().until(() -> order.size() == 5000);
        for (int i = 0; i < 5000; i++) {
            assertThat(order.get(i)).isEqualTo("burst/c" + i);
        }
        assertThat(s.health().inFlight()).isZero();
        assertThat(s.health().waiting()).isZero();
    }

    @Test
    void presence_onlineWhileConnected_offlineByLastWill_andByGoodbye() throws Exception {
        broker = PrivateMosquitto.start(dir);
        Map<String, String> seen = watch("test/+/availability");
        MqttSession s = session("app");
        s.start();
        await().until(() -> "online".equals(seen.get("test/app/availability")));
        s.stop(Duration.ofSeconds(2));
        assertThat(seen.get("test/app/availability")).isEqualTo("offline");
        assertThat(s.publish("x/y", b("late"), false)).isCompletedExceptionally();
    }

    @Test
    void theBrokerRestarts_publishesFailAtOnceMeanwhile_thenTheSessionIsBackSubscribedAndOnline() throws Exception {
        broker = PrivateMosquitto.start(dir);
        List<String> got = new CopyOnWriteArrayList<>();
        List<Boolean> reachable = new CopyOnWriteArrayList<>();
        MqttSession s = session("app");
        s.subscribe("in/+", (t, p, r) -> got.add(new String(p, StandardCharsets.UTF_8)));
        s.onReachable(() -> reachable.add(true));
        s.start();
        await().until(() -> s.health().up() && reachable.size() == 1);
        broker.stop();
        await().until(() -> s.health().phase() == MqttSession.Phase.WAITING);
        CompletableFuture<Void> meanwhile = s.publish("in/x", b("while away"), false);
        assertThat(meanwhile).isCompletedExceptionally();
        broker.restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> s.health().up() && reachable.size() == 2);
        Map<String, String> seen = watch("test/app/availability");
        await().until(() -> "online".equals(seen.get("test/app/availability"))); // the restarted broker lost it
        MqttSession other = session("other");
        other.start();
        other.publish("in/x", b("after"), false).get(10, TimeUnit.SECONDS);
        await().until(() -> got.contains("after"));
        assertThat(s.health().reconnects()).isEqualTo(1);
    }

    @Test
    void aSubscriptionTheBrokerNeverDelivers_isNoticedByThePresenceEcho_andTheConnectionRenewed() throws Exception {
        // Mosquitto grants a subscription its ACL denies and then never delivers on it: the app would be deaf.
        java.nio.file.Files.writeString(dir.resolve("acl"), "topic write test/deaf/availability\ntopic readwrite ok/#\n");
        broker = PrivateMosquitto.start(dir, "acl_file " + dir.resolve("acl"));
        MqttSession s = session("deaf", 10, Duration.ofSeconds(30), Duration.ofSeconds(1), 1 << 20);
        s.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.health().reconnects() >= 1);
        // Renewing cannot cure an ACL; the session keeps trying and says why while it is not up.
        await().atMost(Duration.ofSeconds(15)).until(() -> s.health().problem() != null
                && s.health().problem().contains("subscriptions not delivering"));
    }

    @Test
    void aPacketTooLargeToDecode_breaksOnlyThatConnection_theSessionComesBackAndReads() throws Exception {
        broker = PrivateMosquitto.start(dir);
        List<String> got = new CopyOnWriteArrayList<>();
        MqttSession s = session("small", 10, Duration.ofSeconds(30), Duration.ofSeconds(10), 4096);
        s.subscribe("in/+", (t, p, r) -> got.add(t + "=" + p.length));
        s.start();
        await().until(() -> s.health().up());
        MqttSession other = session("other");
        other.start();
        other.publish("in/big", new byte[100_000], false).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(15)).until(() -> s.health().reconnects() == 1 && s.health().up());
        other.publish("in/small", b("ok"), false).get(10, TimeUnit.SECONDS);
        await().until(() -> got.contains("in/small=2"));
        assertThat(got).doesNotContain("in/big=100000");
    }

    @Test
    void anotherClientWithTheSameId_takesTheConnection_theSessionTakesItBack() throws Exception {
        broker = PrivateMosquitto.start(dir);
        List<String> got = new CopyOnWriteArrayList<>();
        MqttSession s = session("twin");
        s.subscribe("in/+", (t, p, r) -> got.add(new String(p, StandardCharsets.UTF_8)));
        s.start();
        await().until(() -> s.health().up());
        Process impostor = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                "-i", "twin", "-t", "nothing", "-W", "2").start();
        await().atMost(Duration.ofSeconds(20)).until(() -> s.health().reconnects() >= 1 && s.health().up());
        impostor.waitFor(10, TimeUnit.SECONDS);
        MqttSession other = session("other");
        other.start();
        other.publish("in/x", b("still here"), false).get(10, TimeUnit.SECONDS);
        await().until(() -> got.contains("still here"));
    }
}
