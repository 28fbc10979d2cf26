package dev.mediawatch.aggregator.homeassistant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mediawatch.aggregator.status.StackFixture;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.mqtt.MqttConnectionSecurity;
import dev.mediawatch.runtime.mqtt.MqttSession;
import dev.mediawatch.runtime.mqtt.MqttSettings;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.PrivateMosquitto;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

/**
 * How long the packaged aggregator takes to put a whole Home Assistant announcement on a real Mosquitto, for the
 * owner's stack copied {@code copies} times (hosts {@code download-stack-N}, {@code streaming-stack-N}, each with a
 * retained healthy state, mounts and availability): from the process's launch, from its "started" line, and from
 * Home Assistant's birth message, until every config and every state it names has arrived at a subscriber. Run by
 * scripts/bench/ha-announce.sh; not a test.
 */
public final class AnnounceBench {

    private static final Pattern ANNOUNCING = Pattern.compile(
            "(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) .*announcing (\\d+) Home Assistant configs \\((start|birth)\\)");

    public static void main(String[] args) throws Exception {
        int copies = Integer.parseInt(args[0]);
        Path app = Path.of(args[1]);
        Path work = Files.createTempDirectory("mw-announce-");
        Vertx vertx = Vertx.vertx();
        try (PrivateMosquitto broker = PrivateMosquitto.start(work.resolve("mosquitto"), "max_queued_messages 50000")) {
            Path catalogue = work.resolve("media.services.yaml");
            List<HostId> hosts = writeCatalogue(catalogue, copies);
            MqttSession agents = session(vertx, broker, "bench-agents");
            agents.start();
            Instant t0 = Instant.now();
            ServiceCatalogue real = StackFixture.catalogue();
            ServiceCatalogue cat = dev.mediawatch.catalogue.CatalogueParser.load(catalogue);
            Topics topics = Topics.defaults();
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (HostId h : hosts) {
                boolean download = h.value().startsWith("download");
                HostId original = download ? StackFixture.DL : StackFixture.ST;
                HostState s = StackFixture.healthyState(real, original, t0);
                HostState state = StackFixture.state(cat, h, download ? "download" : "streaming", t0, s.containers(),
                        s.probes(), s.envAudit());
                sent.add(agents.publish(topics.availability(h), Availability.ONLINE.payload(), true));
                sent.add(agents.publish(topics.state(h), ContractJson.write(state), true));
                sent.add(agents.publish(topics.mounts(h), ContractJson.write(HostMounts.of(h, t0,
                        StackFixture.healthyMounts(original, t0).mounts())), true));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

            Map<String, Long> arrived = new ConcurrentHashMap<>();
            Map<String, String> configsStateTopic = new ConcurrentHashMap<>();
            AtomicLong lastArrival = new AtomicLong();
            MqttSession ha = session(vertx, broker, "bench-ha");
            ha.subscribe("homeassistant/#", (t, p, r) -> {
                arrived.put(t, System.nanoTime());
                lastArrival.set(System.nanoTime());
                if (t.endsWith("/config") && p.length > 0) {
                    String text = new String(p, java.nio.charset.StandardCharsets.UTF_8);
                    Matcher m = Pattern.compile("\"state_topic\":\"([^\"]+)\"").matcher(text);
                    configsStateTopic.put(t, m.find() ? m.group(1) : "");
                }
            });
            ha.subscribe("mediawatch/ha/#", (t, p, r) -> arrived.put(t, System.nanoTime()));
            ha.start();
            while (!ha.health().up()) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            Path log = work.resolve("aggregator.log");
            long launched = System.nanoTime();
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", app.resolve("quarkus-run.jar").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(Map.of("MEDIAWATCH_MQTT_HOST", "127.0.0.1",
                    "MEDIAWATCH_MQTT_PORT", Integer.toString(broker.port()),
                    "MEDIAWATCH_CATALOGUE", catalogue.toString(),
                    "MEDIAWATCH_INCIDENTS_FILE", work.resolve("incidents.journal").toString(),
                    "MEDIAWATCH_STATUS_MAX_HOSTS", Integer.toString(hosts.size() + 8),
                    "QUARKUS_HTTP_PORT", Integer.toString(Ports.free())));
            String window = System.getenv("ANNOUNCE_MAX_IN_FLIGHT");
            if (window != null) {
                pb.environment().put("MEDIAWATCH_MQTT_MAX_IN_FLIGHT", window);
            }
            Process aggregator = pb.start();
            try {
                int count = awaitAnnounced(log, "start");
                long done = awaitComplete(arrived, configsStateTopic, count, launched);
                long started = startedNanos(log);
                System.out.printf("hosts=%d configs=%d start: launch->all %d ms, started->all %d ms, announcing->all %d ms%n",
                        hosts.size(), count, ms(done - launched), ms(done - started), ms(done - lastAnnouncingNanos));
                long birth = System.nanoTime();
                ha.publish("homeassistant/status", "online".getBytes(), false).get(10, TimeUnit.SECONDS);
                int again = awaitAnnounced(log, "birth");
                long done2 = awaitComplete(arrived, configsStateTopic, again, birth);
                System.out.printf("hosts=%d configs=%d birth: birth->all %d ms (random delay of up to 3 s included), "
                        + "announcing->all %d ms%n", hosts.size(), again, ms(done2 - birth), ms(done2 - lastAnnouncingNanos));
                String text = Files.readString(log);
                System.out.printf("exceed-the-limit lines: %d; ERROR lines: %d%n", count(text, "exceed the limit"),
                        count(text, " ERROR "));
            } finally {
                aggregator.destroy();
                aggregator.waitFor(10, TimeUnit.SECONDS);
                ha.stop(Duration.ofSeconds(1));
                agents.stop(Duration.ofSeconds(1));
            }
        } finally {
            vertx.close();
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static MqttSession session(Vertx vertx, PrivateMosquitto broker, String id) {
        return new MqttSession(vertx, MqttSettings.of("127.0.0.1", broker.port(), id, Optional.empty(),
                MqttConnectionSecurity.resolve("mediawatch.mqtt", Optional.empty(), Optional.empty(), false, Optional.empty()),
                30, 64, "bench/" + id + "/availability", Duration.ofSeconds(30)), new SimpleMeterRegistry());
    }

    private static int awaitAnnounced(Path log, String why) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Matcher m = ANNOUNCING.matcher(Files.readString(log));
            int n = 0;
            String at = null;
            while (m.find()) {
                if (m.group(3).equals(why)) {
                    n = Integer.parseInt(m.group(2));
                    at = m.group(1);
                }
            }
            if (n > 0) {
                lastAnnouncingNanos = nanosOf(at);
                return n;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new IllegalStateException("no announcement (" + why + ") in the log: " + Files.readString(log));
    }

    /** When every config and the state topic each names had arrived after {@code since}. */
    private static long awaitComplete(Map<String, Long> arrived, Map<String, String> stateTopics, int count, long since)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            long latest = 0;
            int configs = 0;
            boolean statesThere = true;
            for (Map.Entry<String, String> e : stateTopics.entrySet()) {
                Long c = arrived.get(e.getKey());
                if (c == null || c < since) {
                    continue;
                }
                configs++;
                latest = Math.max(latest, c);
                if (e.getValue().startsWith("mediawatch/ha/")) {
                    Long s = arrived.get(e.getValue());
                    if (s == null || s < since) {
                        statesThere = false;
                    } else {
                        latest = Math.max(latest, s);
                    }
                }
            }
            if (configs >= count && statesThere) {
                return latest;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new IllegalStateException("the announcement did not complete");
    }

    /** When the last "announcing" line was logged, on this JVM's nanoTime scale. */
    private static long lastAnnouncingNanos;

    private static long nanosOf(String localTime) {
        long agoMs = Duration.between(java.time.LocalTime.parse(localTime), java.time.LocalTime.now()).toMillis();
        return System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(agoMs);
    }

    private static long startedNanos(Path log) throws IOException {
        Matcher m = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) INFO  \\[i\\.quarkus\\] mediawatch-aggregator .* started in")
                .matcher(Files.readString(log));
        if (!m.find()) {
            throw new IllegalStateException("no started line");
        }
        long agoMs = Duration.between(java.time.LocalTime.parse(m.group(1)), java.time.LocalTime.now()).toMillis();
        return System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(agoMs);
    }

    /** The owner's catalogue copied: every service of each host once per copy, on host {@code <host>-<n>}. */
    private static List<HostId> writeCatalogue(Path file, int copies) throws IOException {
        String real = Files.readString(Path.of(System.getProperty("mwtest.repo", ".."), "deploy/config/media.services.yaml"));
        int start = real.indexOf("services:");
        String services = real.substring(start + "services:".length());
        StringBuilder out = new StringBuilder("version: 1\nhosts: [");
        List<HostId> hosts = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            for (String h : List.of("download-stack", "streaming-stack")) {
                hosts.add(HostId.of(copies == 1 ? h : h + "-" + i));
            }
        }
        out.append(String.join(", ", hosts.stream().map(HostId::value).toList())).append("]\nservices:");
        for (int i = 0; i < copies; i++) {
            String suffix = copies == 1 ? "" : "-" + i;
            out.append(services.replace("host: download-stack", "host: download-stack" + suffix)
                    .replace("host: streaming-stack", "host: streaming-stack" + suffix));
        }
        Files.writeString(file, out);
        return hosts;
    }
}
