package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.mediawatch.testing.TestServices;

/**
 * Everything published under some topic filters of the test broker, as a client that subscribed before the apps
 * started sees it: {@code mosquitto_sub} with each payload hex-encoded (binary-safe, one line per message). Keeps the
 * last payload per topic (empty: a deleted retained message), when each topic last arrived, and every message in
 * order; and publishes with {@code mosquitto_pub}.
 */
final class MqttTap implements AutoCloseable {

    /** One message as received. */
    record Received(long sequence, String topic, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Process process;
    private final Map<String, byte[]> last = new ConcurrentHashMap<>();
    private final Map<String, Long> arrived = new ConcurrentHashMap<>();
    private final Map<String, Long> arrivedNanos = new ConcurrentHashMap<>();
    private final List<Received> all = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();

    private MqttTap(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "mqtt-tap");
        reader.setDaemon(true);
        reader.start();
    }

    static MqttTap subscribe(String... filters) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p",
                Integer.toString(TestServices.mosquittoPort()), "-q", "1", "-F", "%t %x"));
        for (String f : filters) {
            cmd.addAll(List.of("-t", f));
        }
        return new MqttTap(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** The last payload on a topic (empty: deleted), or null when nothing arrived. */
    byte[] last(String topic) {
        return last.get(topic);
    }

    /** The last payload on a topic as text, or null. */
    String lastText(String topic) {
        byte[] b = last.get(topic);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** The sequence number of the topic's last message (0: none); compare with {@link #sequence()} taken earlier. */
    long arrived(String topic) {
        return arrived.getOrDefault(topic, 0L);
    }

    /** When ({@link System#nanoTime()}) the topic's last message arrived; null when none did. */
    Long arrivedNanos(String topic) {
        return arrivedNanos.get(topic);
    }

    long sequence() {
        return sequence.get();
    }

    /** A copy of the last payload per topic. */
    Map<String, byte[]> lastByTopic() {
        return Map.copyOf(last);
    }

    List<Received> all() {
        return List.copyOf(all);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                int space = line.indexOf(' ');
                String topic = space < 0 ? line : line.substring(0, space);
                byte[] payload = java.util.HexFormat.of().parseHex(space < 0 ? "" : line.substring(space + 1).strip());
                long n = sequence.incrementAndGet();
                last.put(topic, payload);
                arrived.put(topic, n);
                arrivedNanos.put(topic, System.nanoTime());
                all.add(new Received(n, topic, payload));
            }
        } catch (IOException | IllegalArgumentException e) {
            // mosquitto_sub was stopped
        }
    }

    @Override
    public void close() {
        process.destroy();
    }

    /** Publishes with mosquitto_pub (QoS 1); a null payload is an empty one (with retain: deletes the retained message). */
    static void publish(String topic, String payload, boolean retain) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(TestServices.mosquittoPort()), "-q", "1", "-t", topic));
        if (retain) {
            cmd.add("-r");
        }
        if (payload == null) {
            cmd.add("-n");
        } else {
            cmd.addAll(List.of("-m", payload));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }
}
