package dev.mediawatch.aggregator.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.mediawatch.catalogue.CatalogueParser;
import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.HostSummary;
import dev.mediawatch.contract.PortBinding;
import dev.mediawatch.contract.ServiceProbe;
import dev.mediawatch.contract.Topics;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

/**
 * Load for {@code scripts/bench/status-load.sh}: N simulated agents on a few MQTT connections. Each host gets
 * {@code online} (retained) once, then a {@link HostState} with C containers every interval (QoS 1, retained),
 * the hosts' publishes spread evenly over the interval; on top, an event flood of {@code container.die} /
 * {@code container.start} pairs at a fixed rate on {@code <prefix>/<host>/events} (QoS 1, not retained).
 * Containers change a little between publishes (a container exits now and then and comes back, health flips),
 * so no two states of a host are the same. A plain {@code main} in the test sources: nothing of it ships.
 *
 * <p>Flow control: each connection has at most {@code --window} unacknowledged publishes; more wait in a queue
 * in the generator (counted as backlog, never dropped), so the broker is never overrun. The schedule is by time,
 * not by acknowledgements: a backlog that grows means the generator or the broker cannot keep up, and is printed.
 *
 * <p>The fleet is {@code --hosts} generated hosts ({@code bench-0000}, ...) of {@code --containers} each, or with
 * {@code --catalogue FILE} the hosts and services of a real {@code media.services.yaml} (container names, categories,
 * expected states, ports and probes as the catalogue says). {@code --hosts-only a,b} / {@code --hosts-except a,b}
 * publish part of the fleet, so another process can publish the rest ({@code --client-tag} keeps client ids apart).
 *
 * <p>{@code --flap HOST/CONTAINER}: that host publishes every {@code --flap-seconds} (default 1) instead of every
 * interval, its container alternating running and exited: each flap publishes {@code container.die} or
 * {@code container.start} then the host's state, and prints {@code @flap <epoch-us> <seq> <running|exited>} with
 * the time taken just before the event was handed to the client. The container is left out of the random changes.
 *
 * <p>Prints one line a second, {@code @tick <epoch-ms> <states generated> <events generated> <published> <acked>
 * <backlog> <in flight> <errors>}, and {@code @pub ...} totals when it stops (SIGTERM or {@code --seconds}).
 * {@code --prefill-events N} publishes N events at the start (a recent-events list as full as a running stack's).
 * With {@code --clear} it instead deletes the hosts' retained availability and state (and the prefix's retained
 * status) by publishing empty retained messages, and exits.
 *
 * <pre>
 * java -cp ... dev.mediawatch.aggregator.bench.StatusLoadPublisher --mqtt-host 127.0.0.1 --mqtt-port 18883 \
 *     --prefix bench123 --hosts 1000 --containers 30 --interval-seconds 10 --events-per-sec 500
 * java -cp ... dev.mediawatch.aggregator.bench.StatusLoadPublisher --mqtt-host 127.0.0.1 --mqtt-port 18883 \
 *     --prefix web123 --catalogue deploy/config/media.services.yaml --hosts-only streaming-stack \
 *     --flap streaming-stack/jellyfin --events-per-sec 0 --client-tag flap
 * </pre>
 */
public final class StatusLoadPublisher {

    private static final String[] CATEGORIES = { "download", "management", "media", "media-support", "infra" };

    private record Msg(String topic, byte[] payload, boolean retain, boolean state) {
    }

    /**
     * One container of a simulated host, as the catalogue (or the generator) describes it.
     *
     * @param container the container name
     * @param service   the catalogue service it runs
     * @param probeUrl  the URL its probe asks, or null for no probe
     */
    record Spec(String container, String service, String category, String expected, List<Integer> ports, String probeUrl) {
    }

    /** A container that alternates running and exited, on its host's own schedule. */
    record Flap(HostId host, String container, double seconds) {
    }

    // Totals, any thread.
    private final AtomicLong statesGenerated = new AtomicLong();
    private final AtomicLong eventsGenerated = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong maxBacklog = new AtomicLong();
    private final AtomicLong inflight = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong stateBytes = new AtomicLong();
    private final AtomicLong maxLateMs = new AtomicLong();

    private final String mqttHost;
    private final int mqttPort;
    private final Topics topics;
    private final int hosts;
    private final long intervalNanos;
    private final double eventsPerSec;
    private final int window;
    private final List<Conn> conns = new ArrayList<>();
    private final HostModel[] models;
    private final HostId[] ids;
    private final SplittableRandom random;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final String clientTag;
    /** The flapping host's index in {@link #ids}, or -1; its container's index. */
    private final int flapHost;
    private final int flapContainer;
    private final long flapNanos;
    private Vertx vertx;

    /**
     * @param fleet     every host of the simulated fleet and its containers, in a stable order (a host's place in it
     *                  gives its address, role and random stream, the same in every process that publishes part of it)
     * @param published the hosts this process publishes
     * @param flap      a container to flap (its host must be published here), or null
     */
    StatusLoadPublisher(String mqttHost, int mqttPort, String prefix, Map<HostId, List<Spec>> fleet, Set<HostId> published,
            double intervalSeconds, double eventsPerSec, int window, long seed, Flap flap, String clientTag) {
        this.mqttHost = mqttHost;
        this.mqttPort = mqttPort;
        this.topics = Topics.withPrefix(prefix);
        this.hosts = published.size();
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.eventsPerSec = eventsPerSec;
        this.window = window;
        this.clientTag = clientTag;
        this.random = new SplittableRandom(seed);
        this.ids = new HostId[hosts];
        this.models = new HostModel[hosts];
        Instant now = Instant.now();
        int index = 0;
        int h = 0;
        for (Map.Entry<HostId, List<Spec>> e : fleet.entrySet()) {
            SplittableRandom own = random.split();
            if (published.contains(e.getKey())) {
                ids[h] = e.getKey();
                models[h] = new HostModel(ids[h], index, e.getValue(), now, own);
                h++;
            }
            index++;
        }
        if (flap == null) {
            flapHost = -1;
            flapContainer = -1;
            flapNanos = 0;
        } else {
            flapHost = List.of(ids).indexOf(flap.host());
            if (flapHost < 0) {
                throw new IllegalArgumentException("--flap: host " + flap.host() + " is not published by this process");
            }
            flapContainer = models[flapHost].indexOf(flap.container());
            if (flapContainer < 0) {
                throw new IllegalArgumentException("--flap: host " + flap.host() + " has no container " + flap.container());
            }
            models[flapHost].pin(flapContainer);
            flapNanos = (long) (flap.seconds() * 1e9);
        }
    }

    /** {@code count} generated hosts {@code bench-0000}, ... with {@code containers} each. */
    static Map<HostId, List<Spec>> generated(int count, int containers) {
        Map<HostId, List<Spec>> fleet = new LinkedHashMap<>();
        for (int h = 0; h < count; h++) {
            List<Spec> specs = new ArrayList<>(containers);
            for (int c = 0; c < containers; c++) {
                String name = String.format(Locale.ROOT, "svc-%02d", c);
                // Two parked services per host (stopped on purpose, like tdarr), the rest expected running.
                boolean parked = c == containers - 1 || c == containers - 2;
                specs.add(new Spec(name, name, CATEGORIES[c % CATEGORIES.length], parked ? "parked" : "running",
                        List.of(20_000 + c), c < 3 ? "http://127.0.0.1:" + (20_000 + c) + "/ping" : null));
            }
            fleet.put(HostId.of(String.format(Locale.ROOT, "bench-%04d", h)), specs);
        }
        return fleet;
    }

    /** The catalogue's hosts and services, each service a container named as the catalogue says. */
    static Map<HostId, List<Spec>> fromCatalogue(ServiceCatalogue catalogue) {
        Map<HostId, List<Spec>> fleet = new LinkedHashMap<>();
        for (HostId host : catalogue.hosts()) {
            fleet.put(host, new ArrayList<>());
        }
        for (CatalogueService s : catalogue.services()) {
            String container = s.container() != null ? s.container() : s.composeService() != null ? s.composeService() : s.name();
            String probe = s.probe() == null ? null : "http://127.0.0.1:" + s.probe().port() + s.probe().path();
            fleet.computeIfAbsent(s.host(), k -> new ArrayList<>())
                    .add(new Spec(container, s.name(), s.category(), s.expected().wire(), s.ports(), probe));
        }
        return fleet;
    }

    /** The fleet's hosts narrowed to {@code only} (when given) without {@code except} (when given); comma-separated ids. */
    static Set<HostId> select(Map<HostId, List<Spec>> fleet, String only, String except) {
        Set<HostId> out = new LinkedHashSet<>(fleet.keySet());
        if (only != null) {
            List<HostId> keep = hostList(only);
            for (HostId h : keep) {
                if (!fleet.containsKey(h)) {
                    throw new IllegalArgumentException("--hosts-only: no host " + h + " in the fleet");
                }
            }
            out.retainAll(keep);
        }
        if (except != null) {
            hostList(except).forEach(out::remove);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no host left to publish");
        }
        return out;
    }

    private static List<HostId> hostList(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::strip).filter(x -> !x.isEmpty()).map(HostId::of).toList();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        Map<HostId, List<Spec>> fleet = a.containsKey("catalogue")
                ? fromCatalogue(CatalogueParser.load(Path.of(a.get("catalogue"))))
                : generated(Integer.parseInt(a.getOrDefault("hosts", "1000")), Integer.parseInt(a.getOrDefault("containers", "30")));
        Set<HostId> published = select(fleet, a.get("hosts-only"), a.get("hosts-except"));
        Flap flap = null;
        if (a.containsKey("flap")) {
            String[] f = a.get("flap").split("/", 2);
            if (f.length != 2) {
                throw new IllegalArgumentException("--flap HOST/CONTAINER");
            }
            flap = new Flap(HostId.of(f[0]), f[1], Double.parseDouble(a.getOrDefault("flap-seconds", "1")));
        }
        StatusLoadPublisher p = new StatusLoadPublisher(a.getOrDefault("mqtt-host", "127.0.0.1"),
                Integer.parseInt(a.getOrDefault("mqtt-port", "1883")), req(a, "prefix"), fleet, published,
                Double.parseDouble(a.getOrDefault("interval-seconds", "10")),
                Double.parseDouble(a.getOrDefault("events-per-sec", "500")),
                Integer.parseInt(a.getOrDefault("window", "64")), Long.parseLong(a.getOrDefault("seed", "42")), flap,
                a.getOrDefault("client-tag", "load"));
        int prefill = Integer.parseInt(a.getOrDefault("prefill-events", "0"));
        int connections = Integer.parseInt(a.getOrDefault("connections", "4"));
        if (a.containsKey("clear")) {
            p.connect(1);
            p.clear();
            p.stopping.set(true);
            p.close();
            return;
        }
        p.connect(connections);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.stopping.set(true);
            p.printTotals();
        }, "bench-shutdown"));
        p.run(Double.parseDouble(a.getOrDefault("seconds", "0")), prefill);
        p.stopping.set(true);
        p.close();
        // Totals come from the shutdown hook, which also runs on SIGTERM.
        System.exit(0);
    }

    private void connect(int connections) throws InterruptedException {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(1, Math.min(connections, 2)))
                .setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        String run = topics.prefix().replaceAll("[^A-Za-z0-9]", "");
        CountDownLatch ready = new CountDownLatch(connections);
        for (int i = 0; i < connections; i++) {
            Conn c = new Conn(run + "-" + clientTag + "-" + i, ready);
            conns.add(c);
            vertx.deployVerticle(c);
        }
        if (!ready.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not connect to the broker at " + mqttHost + ":" + mqttPort);
        }
    }

    /** Publishes on schedule until {@code seconds} passed (0: until stopped), after {@code prefill} events at once. */
    private void run(double seconds, int prefill) {
        // Every host announces itself first, as an agent does on connect.
        for (int h = 0; h < hosts; h++) {
            send(h, new Msg(topics.availability(ids[h]), Availability.ONLINE.payload(), true, false));
        }
        for (int i = 0; i < prefill; i++) {
            int h = random.nextInt(hosts);
            send(h, new Msg(topics.events(ids[h]), ContractJson.write(models[h].event(Instant.now(), i)), false, false));
            eventsGenerated.incrementAndGet();
        }
        long start = System.nanoTime();
        long end = seconds > 0 ? start + (long) (seconds * 1e9) : Long.MAX_VALUE;
        long stateStep = intervalNanos / hosts;
        double eventStep = 1e9 / eventsPerSec;
        boolean events = eventsPerSec > 0;
        long nextState = 0;
        long nextEvent = 0;
        long nextFlap = 0;
        long nextTick = start;
        while (!stopping.get()) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            while (start + nextState * stateStep <= now) {
                late(now - (start + nextState * stateStep));
                int h = (int) (nextState % hosts);
                nextState++;
                if (h == flapHost) {
                    continue; // on its own schedule
                }
                byte[] json = ContractJson.write(models[h].next(Instant.now()));
                stateBytes.addAndGet(json.length);
                send(h, new Msg(topics.state(ids[h]), json, true, true));
                statesGenerated.incrementAndGet();
            }
            while (flapHost >= 0 && start + nextFlap * flapNanos <= now) {
                late(now - (start + nextFlap * flapNanos));
                flap(nextFlap++);
            }
            while (events && start + (long) (nextEvent * eventStep) <= now) {
                late(now - (start + (long) (nextEvent * eventStep)));
                int h = random.nextInt(hosts);
                send(h, new Msg(topics.events(ids[h]), ContractJson.write(models[h].event(Instant.now(), nextEvent)), false,
                        false));
                eventsGenerated.incrementAndGet();
                nextEvent++;
            }
            if (now >= nextTick) {
                System.out.printf(Locale.ROOT, "@tick %d %d %d %d %d %d %d %d%n", System.currentTimeMillis(),
                        statesGenerated.get(), eventsGenerated.get(), published.get(), acked.get(), backlog.get(),
                        inflight.get(), errors.get());
                System.out.flush();
                nextTick += 1_000_000_000L;
            }
            long wake = Math.min(start + nextState * stateStep, nextTick);
            if (flapHost >= 0) {
                wake = Math.min(wake, start + nextFlap * flapNanos);
            }
            if (events) {
                wake = Math.min(wake, start + (long) (nextEvent * eventStep));
            }
            long sleep = wake - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            }
        }
    }

    /** Flap {@code seq}: the first publishes the host's state as it is, every later one flips the container first. */
    private void flap(long seq) {
        HostModel m = models[flapHost];
        Instant at = Instant.now();
        if (seq > 0) {
            HostEvent event = m.flip(flapContainer, at);
            send(flapHost, new Msg(topics.events(ids[flapHost]), ContractJson.write(event), false, false));
            eventsGenerated.incrementAndGet();
        }
        byte[] json = ContractJson.write(m.next(at));
        stateBytes.addAndGet(json.length);
        send(flapHost, new Msg(topics.state(ids[flapHost]), json, true, true));
        statesGenerated.incrementAndGet();
        if (seq > 0) {
            System.out.printf(Locale.ROOT, "@flap %d %d %s%n", at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000, seq,
                    m.state(flapContainer).wire());
        }
    }

    private void late(long nanos) {
        long ms = nanos / 1_000_000;
        maxLateMs.accumulateAndGet(ms, Math::max);
    }

    private void send(int host, Msg m) {
        long b = backlog.incrementAndGet();
        maxBacklog.accumulateAndGet(b, Math::max);
        conns.get(host % conns.size()).offer(m);
    }

    /** Deletes every host's retained availability and state, and the status, by empty retained messages. */
    private void clear() throws InterruptedException {
        byte[] empty = new byte[0];
        for (int h = 0; h < hosts; h++) {
            send(h, new Msg(topics.availability(ids[h]), empty, true, false));
            send(h, new Msg(topics.state(ids[h]), empty, true, false));
        }
        send(0, new Msg(topics.status(), empty, true, false));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((backlog.get() > 0 || inflight.get() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.printf(Locale.ROOT, "@clear published=%d acked=%d left=%d%n", published.get(), acked.get(),
                backlog.get() + inflight.get());
    }

    private void close() throws InterruptedException {
        if (vertx == null) {
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        vertx.close().onComplete(ar -> closed.countDown());
        closed.await(5, TimeUnit.SECONDS);
    }

    private void printTotals() {
        System.out.printf(Locale.ROOT,
                "@pub states=%d events=%d published=%d acked=%d backlog=%d max_backlog=%d inflight=%d errors=%d"
                        + " disconnects=%d mean_state_bytes=%d max_schedule_late_ms=%d%n",
                statesGenerated.get(), eventsGenerated.get(), published.get(), acked.get(), backlog.get(),
                maxBacklog.get(), inflight.get(), errors.get(), disconnects.get(),
                statesGenerated.get() == 0 ? 0 : stateBytes.get() / statesGenerated.get(), maxLateMs.get());
        System.out.flush();
    }

    /** One MQTT connection, all of its state on its own event-loop context. */
    private final class Conn extends AbstractVerticle {
        private final String clientId;
        private final CountDownLatch ready;
        private final ArrayDeque<Msg> queue = new ArrayDeque<>();
        private MqttClient client;
        private boolean connected;
        private int open;

        Conn(String clientId, CountDownLatch ready) {
            this.clientId = clientId;
            this.ready = ready;
        }

        @Override
        public void start(Promise<Void> started) {
            MqttClientOptions o = new MqttClientOptions().setClientId(clientId).setCleanSession(true)
                    .setKeepAliveInterval(30).setAutoKeepAlive(true).setMaxInflightQueue(window + 16)
                    .setMaxMessageSize(1024 * 1024);
            client = MqttClient.create(vertx, o);
            client.publishCompletionHandler(id -> done(true));
            client.publishCompletionExpirationHandler(id -> done(false));
            client.closeHandler(v -> {
                connected = false;
                if (!stopping.get()) {
                    disconnects.incrementAndGet();
                    System.err.println("load: connection " + clientId + " closed; reconnecting in 1 s");
                    // What was in flight is lost: count it as errors, keep the queue.
                    errors.addAndGet(open);
                    inflight.addAndGet(-open);
                    open = 0;
                    vertx.setTimer(1000, t -> connect(null));
                }
            });
            connect(started);
        }

        private void connect(Promise<Void> started) {
            client.connect(mqttPort, mqttHost).onComplete(ar -> {
                if (ar.succeeded()) {
                    connected = true;
                    if (started != null) {
                        started.complete();
                        ready.countDown();
                    }
                    drain();
                } else if (started != null) {
                    started.fail(ar.cause());
                } else if (!stopping.get()) {
                    vertx.setTimer(1000, t -> connect(null));
                }
            });
        }

        void offer(Msg m) {
            context.runOnContext(v -> {
                queue.add(m);
                drain();
            });
        }

        private void done(boolean ok) {
            open--;
            inflight.decrementAndGet();
            if (ok) {
                acked.incrementAndGet();
            } else {
                errors.incrementAndGet();
            }
            drain();
        }

        private void drain() {
            while (connected && open < window && !queue.isEmpty()) {
                Msg m = queue.poll();
                backlog.decrementAndGet();
                open++;
                inflight.incrementAndGet();
                published.incrementAndGet();
                client.publish(m.topic(), Buffer.buffer(m.payload()), MqttQoS.AT_LEAST_ONCE, false, m.retain())
                        .onFailure(e -> {
                            // Not sent at all (e.g. the connection is closing): no acknowledgement will come.
                            if (connected) {
                                open--;
                                inflight.decrementAndGet();
                                errors.incrementAndGet();
                            }
                        });
            }
        }
    }

    /** One simulated agent's containers, varied a little between publishes. */
    private static final class HostModel {
        private final HostId id;
        private final String role;
        private final String address;
        private final EngineState engine;
        private final SplittableRandom random;
        private final List<Spec> specs;
        private final String[] names;
        private final String[] containerIds;
        private final boolean[] healthchecked;
        private final ContainerStatus[] states;
        private final ContainerHealth[] health;
        private final Integer[] exitCodes;
        private final int[] restarts;
        private final Instant created;
        private final Instant[] started;
        /** A container left out of the random changes (the flapping one), or -1. */
        private int pinned = -1;

        HostModel(HostId id, int index, List<Spec> specs, Instant now, SplittableRandom random) {
            this.id = id;
            this.role = switch (index % 3) {
                case 0 -> "download";
                case 1 -> "streaming";
                default -> "other";
            };
            this.address = "10." + (index >> 16 & 255) + "." + (index >> 8 & 255) + "." + (index & 255);
            this.engine = new EngineState(true, "20.10.24+dfsg1", "1.41", null, now.minusSeconds(86_400));
            this.random = random;
            this.created = now.minusSeconds(7 * 86_400);
            this.specs = List.copyOf(specs);
            int containers = specs.size();
            names = new String[containers];
            containerIds = new String[containers];
            healthchecked = new boolean[containers];
            states = new ContainerStatus[containers];
            health = new ContainerHealth[containers];
            exitCodes = new Integer[containers];
            restarts = new int[containers];
            started = new Instant[containers];
            for (int c = 0; c < containers; c++) {
                Spec s = specs.get(c);
                names[c] = s.container();
                containerIds[c] = String.format(Locale.ROOT, "%06x%06x", index, c);
                boolean running = "running".equals(s.expected());
                healthchecked[c] = c % 2 == 0;
                states[c] = running ? ContainerStatus.RUNNING : ContainerStatus.EXITED;
                exitCodes[c] = running ? null : 0;
                health[c] = healthchecked[c] && running ? ContainerHealth.HEALTHY : ContainerHealth.NONE;
                started[c] = now.minusSeconds(3_600 + c);
            }
        }

        int indexOf(String container) {
            return List.of(names).indexOf(container);
        }

        void pin(int c) {
            pinned = c;
        }

        ContainerStatus state(int c) {
            return states[c];
        }

        /** Container {@code c} exits (from running) or starts again (from exited); the event that says so. */
        HostEvent flip(int c, Instant now) {
            boolean die = states[c] == ContainerStatus.RUNNING;
            if (die) {
                states[c] = ContainerStatus.EXITED;
                exitCodes[c] = 137;
                health[c] = healthchecked[c] ? ContainerHealth.UNHEALTHY : ContainerHealth.NONE;
            } else {
                states[c] = ContainerStatus.RUNNING;
                exitCodes[c] = null;
                restarts[c]++;
                started[c] = now;
                health[c] = healthchecked[c] ? ContainerHealth.STARTING : ContainerHealth.NONE;
            }
            Map<String, String> detail = die
                    ? Map.of("exitCode", "137", "id", containerIds[c], "image", image(c))
                    : Map.of("id", containerIds[c], "image", image(c));
            return HostEvent.of(id, die ? "container.die" : "container.start", now, names[c], die ? "running" : "exited",
                    die ? "exited" : "running", detail);
        }

        private String image(int c) {
            return "example.org/bench/" + names[c] + ":1.0";
        }

        /** The next snapshot: a running container exits now and then (0.2%) and comes back (20%), health flips. */
        HostState next(Instant now) {
            List<ContainerState> list = new ArrayList<>(names.length);
            int running = 0, exited = 0, unhealthy = 0, parked = 0;
            Map<String, Integer> byCategory = new TreeMap<>();
            for (int c = 0; c < names.length; c++) {
                Spec spec = specs.get(c);
                boolean isParked = !"running".equals(spec.expected());
                if (isParked) {
                    parked++;
                } else if (c != pinned) {
                    if (states[c] == ContainerStatus.RUNNING && random.nextDouble() < 0.002) {
                        states[c] = ContainerStatus.EXITED;
                        exitCodes[c] = random.nextBoolean() ? 137 : 1;
                        health[c] = healthchecked[c] ? ContainerHealth.UNHEALTHY : ContainerHealth.NONE;
                    } else if (states[c] == ContainerStatus.EXITED && random.nextDouble() < 0.2) {
                        states[c] = ContainerStatus.RUNNING;
                        exitCodes[c] = null;
                        restarts[c]++;
                        started[c] = now;
                        health[c] = healthchecked[c] ? ContainerHealth.STARTING : ContainerHealth.NONE;
                    } else if (states[c] == ContainerStatus.RUNNING && healthchecked[c]) {
                        if (health[c] == ContainerHealth.HEALTHY && random.nextDouble() < 0.005) {
                            health[c] = ContainerHealth.UNHEALTHY;
                        } else if (health[c] != ContainerHealth.HEALTHY && random.nextDouble() < 0.3) {
                            health[c] = ContainerHealth.HEALTHY;
                        }
                    }
                }
                running += states[c] == ContainerStatus.RUNNING ? 1 : 0;
                exited += states[c] == ContainerStatus.EXITED ? 1 : 0;
                unhealthy += health[c] == ContainerHealth.UNHEALTHY ? 1 : 0;
                byCategory.merge(spec.category(), 1, Integer::sum);
                List<PortBinding> ports = new ArrayList<>(spec.ports().size());
                for (int port : spec.ports()) {
                    ports.add(new PortBinding(port, port, "tcp", null));
                }
                list.add(new ContainerState(containerIds[c], names[c], image(c), states[c], health[c], exitCodes[c],
                        "stack-" + role, spec.service(), created, started[c], false, restarts[c], false, spec.service(),
                        spec.category(), spec.expected(), ports));
            }
            HostSummary summary = new HostSummary(names.length, running, exited, unhealthy, 0, parked, 0, 0, byCategory);
            List<ServiceProbe> probes = new ArrayList<>();
            for (int c = 0; c < names.length; c++) {
                String url = specs.get(c).probeUrl();
                if (url == null) {
                    continue;
                }
                boolean up = states[c] == ContainerStatus.RUNNING;
                probes.add(new ServiceProbe(specs.get(c).service(), url, up, up ? 200 : null,
                        up ? 3L + random.nextInt(20) : null, up ? null : "connection refused", now));
            }
            return HostState.of(id, role, "0.1.0-bench", now, engine, list, List.of(), summary, probes)
                    .with(address, null, null);
        }

        /** One event of the flood: a container dies (odd) or starts again (even); the state is not changed by it. */
        HostEvent event(Instant now, long seq) {
            int c = random.nextInt(names.length);
            boolean die = (seq & 1) == 0;
            Map<String, String> detail = die
                    ? Map.of("exitCode", "1", "id", containerIds[c], "image", image(c))
                    : Map.of("id", containerIds[c], "image", image(c));
            return HostEvent.of(id, die ? "container.die" : "container.start", now, names[c], die ? "running" : "exited",
                    die ? "exited" : "running", detail);
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                m.put(key, args[++i]);
            } else {
                m.put(key, "true");
            }
        }
        return m;
    }

    static String req(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }
}
