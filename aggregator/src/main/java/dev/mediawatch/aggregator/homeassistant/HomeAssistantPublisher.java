package dev.mediawatch.aggregator.homeassistant;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.runtime.metrics.Gauges;
import dev.mediawatch.aggregator.contention.ContentionService;
import dev.mediawatch.aggregator.drift.DiscoveryConfigs;
import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.runtime.mqtt.MqttSession;
import dev.mediawatch.aggregator.refresh.RefreshService;
import dev.mediawatch.aggregator.status.StatusService;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.Command;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.contract.Text;
import dev.mediawatch.contract.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import dev.mediawatch.runtime.config.HttpUrl;
import dev.mediawatch.runtime.mqtt.Inbox;

/**
 * Keeps Home Assistant's view of the stack right: publishes the discovery configs and the state of
 * {@link HaDiscovery}'s plan, changed ones every tick and every state again at a third of {@code expire_after}
 * (the aggregator's availability, which every entity lists, is the MQTT session's presence); answers Home
 * Assistant's birth message by announcing
 * every config, then every state, after a small random delay; clears configs under its node id that the plan no
 * longer holds (a service gone from the catalogue, a mount gone from its host, a host gone); and carries out the
 * stack's button and switch (through the ingest inbox). All on its own thread: the MQTT callbacks only hand work over,
 * and everything it publishes goes through the session's bounded send path in order, configs before states.
 */
@ApplicationScoped
public class HomeAssistantPublisher {

    private static final Logger LOG = Logger.getLogger(HomeAssistantPublisher.class);
    private static final Duration TICK = Duration.ofSeconds(5);
    /**
     * How long after start a config of a host that is neither in the catalogue nor heard from is kept: the retained
     * messages that tell of the hosts arrive in the first seconds.
     */
    static final Duration SETTLE = Duration.ofSeconds(60);
    private static final byte[] EMPTY = new byte[0];
    /** Commands to the aggregator waiting to be carried out, at most; a flood of presses sheds the oldest. */
    static final int COMMANDS_WAITING = 16;

    private final StatusService status;
    private final HostRegistry registry;
    private final DiscoveryConfigs discovery;
    private final Topics topics;
    private final ContentionService contention;
    private final MqttSession publisher;
    private final RefreshService refresh;
    private final ServiceCatalogue catalogue;
    private final boolean enabled;
    private final HaDiscovery.Settings settings;
    private final Duration birthDelay;
    private final long restateNanos;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mediawatch-homeassistant");
        t.setDaemon(true);
        return t;
    });
    /** What was last sent per topic of the plan (only this thread adds; a failed publish removes it, to be retried). */
    private final Map<String, byte[]> published = new ConcurrentHashMap<>();
    private final AtomicInteger entities = new AtomicInteger();
    private final LogThrottle rejectLog = new LogThrottle(Duration.ofMinutes(1));
    private final Counter announcements;
    private final Counter cleared;
    private final MeterRegistry meters;
    private long startedNanos;
    private long lastRestateNanos;
    private final java.util.concurrent.atomic.AtomicBoolean birthPending = new java.util.concurrent.atomic.AtomicBoolean();
    private final String birthTopic;
    private volatile boolean stopping;
    /** The first announcement went out (ticks wait for it). */
    private volatile boolean announced;

    public HomeAssistantPublisher(StatusService status, HostRegistry registry, DiscoveryConfigs discovery, Topics topics,
            ContentionService contention, MqttSession publisher, RefreshService refresh, ServiceCatalogue catalogue,
            AggregatorConfig config, MeterRegistry meters,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8470") int httpPort) {
        this.status = status;
        this.registry = registry;
        this.discovery = discovery;
        this.topics = topics;
        this.contention = contention;
        this.publisher = publisher;
        this.refresh = refresh;
        this.catalogue = catalogue;
        this.meters = meters;
        AggregatorConfig.Homeassistant ha = config.homeassistant();
        this.enabled = ha.discovery();
        this.birthDelay = ha.birthDelay();
        this.birthTopic = ha.birthTopic().orElse(ha.discoveryPrefix() + "/status");
        Duration expire = ha.expireAfter();
        this.restateNanos = expire.dividedBy(3).toNanos();
        String url = ha.configurationUrl().orElseGet(() -> defaultConfigurationUrl(localName(), httpPort));
        this.settings = new HaDiscovery.Settings(ha.discoveryPrefix(),
                ha.nodeId().orElse(HaDiscovery.nodeIdOf(config.topicPrefix())), topics, version, url, expire,
                config.mitigation().enabled());
        this.announcements = Counter.builder("mediawatch_homeassistant_announcements_total")
                .description("times every discovery config was announced (start and Home Assistant's birth)").register(meters);
        this.cleared = Counter.builder("mediawatch_homeassistant_cleared_total")
                .description("discovery configs cleared because the stack no longer has what they describe").register(meters);
        Gauges.replace(meters, "mediawatch_homeassistant_entities", "Home Assistant entities the aggregator publishes",
                Tags.empty(), entities, AtomicInteger::get);
    }

    public HaDiscovery.Settings settings() {
        return settings;
    }

    void onStart(@Observes StartupEvent event, Inbox inbox) {
        // Subscribed even when discovery is off: the stack's button and switch are commands to the aggregator.
        Inbox.Lane commands = inbox.lane("command", Inbox.Mode.QUEUE, COMMANDS_WAITING, this::onCommand);
        publisher.subscribe(topics.aggregatorCommandFilter(), (t, p, r) -> commands.offer(t, p));
        if (!enabled) {
            LOG.info("Home Assistant discovery is off (mediawatch.homeassistant.discovery=false)");
            return;
        }
        publisher.subscribe(birthTopic, (t, p, r) -> onBirth(p));
        startedNanos = System.nanoTime();
        LOG.infof("Home Assistant discovery under %s/<component>/%s/, state under %s", settings.discoveryPrefix(),
                settings.nodeId(), topics.homeAssistantState("..."));
        thread.schedule(() -> announce("start"), 1, TimeUnit.SECONDS);
        thread.scheduleWithFixedDelay(this::tickSafely, TICK.toMillis() + 1000, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        thread.shutdownNow();
    }

    // ---- MQTT callbacks ---------------------------------------------------------------------------------------

    /**
     * Home Assistant's birth message (event loop): {@code online} re-announces everything after a small random delay.
     * Births while one announcement waits join it, so a flood of them costs one announcement.
     */
    void onBirth(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8).strip();
        if (enabled && !stopping && "online".equals(text) && birthPending.compareAndSet(false, true)) {
            long delay = ThreadLocalRandom.current().nextLong(birthDelay.toMillis() + 1);
            LOG.infof("Home Assistant is online: announcing every config in %d ms", delay);
            try {
                thread.schedule(() -> {
                    birthPending.set(false);
                    announce("birth");
                }, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                birthPending.set(false);
            }
        }
    }

    /** Home Assistant's button and switch: {@code <prefix>/aggregator/cmd/refresh|mitigation}, on the ingest worker. */
    void onCommand(String topic, byte[] payload) {
        String head = topics.aggregatorCommand(Command.REFRESH);
        head = head.substring(0, head.lastIndexOf('/') + 1);
        Command command = topic.startsWith(head) ? Command.fromWire(topic.substring(head.length())).orElse(null) : null;
        if (command == Command.REFRESH) {
            if (payload == null || payload.length == 0) {
                return; // a retained press cleared: nothing to do
            }
            count("refresh", "accepted");
            LOG.info("refresh asked over MQTT (Home Assistant's button)");
            refresh.refresh().whenComplete((r, e) -> {
                if (e != null) {
                    LOG.warnf("refresh asked over MQTT failed: %s", e.getMessage());
                }
            });
            if (enabled) {
                thread.execute(this::tickSafely);
            }
        } else if (command == Command.MITIGATION) {
            String value = payload == null ? "" : new String(payload, StandardCharsets.UTF_8).strip().toUpperCase(Locale.ROOT);
            if (!value.equals(HaDiscovery.ON) && !value.equals(HaDiscovery.OFF)) {
                reject("mitigation", "payload must be ON or OFF, was '" + Text.printable(value, 20) + "'");
            } else if (!contention.armMitigation(value.equals(HaDiscovery.ON))) {
                reject("mitigation", "mitigation is not enabled (mediawatch.mitigation.enabled=false)");
            } else {
                count("mitigation", "accepted");
                if (enabled) {
                    thread.schedule(this::tickSafely, 100, TimeUnit.MILLISECONDS);
                }
            }
        } else {
            reject("unknown", "unknown command topic " + Text.printable(topic, 120));
        }
    }

    // ---- this thread ----------------------------------------------------------------------------------------

    /** Every config, then every state, whether or not it changed. */
    private void announce(String why) {
        try {
            HaDiscovery.Plan plan = plan();
            LOG.infof("announcing %d Home Assistant configs (%s)", plan.configs().size(), why);
            published.clear();
            publishChanged(plan);
            lastRestateNanos = System.nanoTime();
            announcements.increment();
            announced = true;
        } catch (RuntimeException e) {
            LOG.errorf(e, "announcing to Home Assistant failed; retried at the next tick");
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            if (rejectLog.tryLog(System.nanoTime()) >= 0) {
                LOG.errorf(e, "Home Assistant publishing failed; retried at the next tick");
            }
        }
    }

    void tick() {
        if (stopping || !announced) {
            // Not before the first announcement: right after a start the retained messages that describe the hosts
            // are still arriving (a retained command to the aggregator comes with them).
            return;
        }
        HaDiscovery.Plan plan = plan();
        long now = System.nanoTime();
        if (now - lastRestateNanos >= restateNanos) {
            // expire_after's backstop: every state again, so a quiet but healthy stack never expires.
            for (String topic : plan.states().keySet()) {
                published.remove(topic);
            }
            lastRestateNanos = now;
        }
        publishChanged(plan);
        reconcile(plan, now - startedNanos >= SETTLE.toNanos());
    }

    private HaDiscovery.Plan plan() {
        Map<HostId, HostRecord> records = new HashMap<>();
        for (HostRecord r : registry.hosts()) {
            records.put(r.host(), r);
        }
        HaDiscovery.Plan plan = HaDiscovery.plan(settings, catalogue, status.report(), records,
                new HaDiscovery.Stack(contention.alerts(), contention.contention().orElse(null), contention.mitigationArmed()));
        entities.set(plan.configs().size());
        return plan;
    }

    /** Configs first, then states: the broker keeps one session's order, so no state reaches an entity not yet made. */
    private void publishChanged(HaDiscovery.Plan plan) {
        // Only the plan's topics are remembered: a mount or host that left does not stay here forever.
        published.keySet().removeIf(t -> !plan.configs().containsKey(t) && !plan.states().containsKey(t));
        plan.configs().forEach(this::publishIfChanged);
        plan.states().forEach(this::publishIfChanged);
    }

    private void publishIfChanged(String topic, byte[] payload) {
        byte[] before = published.get(topic);
        if (before != null && Arrays.equals(before, payload)) {
            return;
        }
        published.put(topic, payload);
        publisher.publish(topic, payload, true).whenComplete((ok, error) -> {
            if (error != null) {
                published.remove(topic, payload); // retried at the next tick
            }
        });
    }

    /**
     * Clears configs under this node id that the plan does not hold, and their state: at once for a catalogue service
     * of a known host and for the stack's own; a mount's once its host has reported its mounts; a whole host's only
     * after {@link #SETTLE}, when it is neither in the catalogue nor heard from.
     */
    private void reconcile(HaDiscovery.Plan plan, boolean settled) {
        Set<String> clearedHosts = new HashSet<>();
        for (DiscoveryConfigs.Config c : discovery.all()) {
            if (!settings.owns(c.topic()) || plan.configs().containsKey(c.topic())) {
                continue;
            }
            String[] levels = c.topic().substring(settings.discoveryPrefix().length() + 1).split("/");
            String objectId = levels[2];
            String host = HaDiscovery.hostOf(objectId);
            if (host == null) {
                continue;
            }
            String key = objectId.substring(host.length() + 1);
            boolean known = plan.hosts().contains(host);
            HostRecord record = HostId.isValid(host) ? registry.host(HostId.of(host)) : null;
            boolean clear;
            if (host.equals(HaDiscovery.STACK) || key.startsWith("svc_")) {
                clear = known || host.equals(HaDiscovery.STACK) || settled;
            } else if (key.startsWith("mount_")) {
                // Only once the host's own mounts report, as read now, lacks the mount: the plan may have been built
                // from a status a moment older than the registry (right after a start, while retained messages arrive).
                clear = known ? record != null && record.mounts() != null && record.mounts().mounts().stream()
                        .noneMatch(m -> key.equals("mount_" + HaDiscovery.mountKey(m.path()))
                                || key.startsWith("mount_" + HaDiscovery.mountKey(m.path()) + "_"))
                        : settled;
            } else {
                clear = !known && settled;
            }
            if (!clear) {
                continue;
            }
            LOG.infof("clearing Home Assistant config %s (no longer part of the stack)", c.topic());
            publisher.publish(c.topic(), EMPTY, true);
            cleared.increment();
            String statePrefix = topics.homeAssistantState("");
            if (c.stateTopic() != null && c.stateTopic().startsWith(statePrefix) && !plan.states().containsKey(c.stateTopic())) {
                publisher.publish(c.stateTopic(), EMPTY, true);
                published.remove(c.stateTopic());
            }
            if (!known && !host.equals(HaDiscovery.STACK) && clearedHosts.add(host)) {
                publisher.publish(topics.homeAssistantState(host + "/engine"), EMPTY, true);
            }
        }
    }

    private void reject(String command, String why) {
        count(command, "rejected");
        long held = rejectLog.tryLog(System.nanoTime());
        if (held >= 0) {
            LOG.warnf("refused a command to the aggregator: %s%s", why,
                    held > 0 ? "; " + held + " more refused since the last such line" : "");
        }
    }

    private void count(String command, String result) {
        Counter.builder("mediawatch_aggregator_commands_total").tag("command", command).tag("result", result)
                .description("commands to the aggregator over MQTT (Home Assistant's button and switch)")
                .register(meters).increment();
    }

    private static String localName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /**
     * The status page on this host, the devices' {@code configuration_url} when
     * {@code mediawatch.homeassistant.configuration-url} is not set; null (no link in Home Assistant) when the host's
     * name makes no URL, such as one with an underscore.
     */
    static String defaultConfigurationUrl(String hostName, int httpPort) {
        String url = "http://" + hostName + ":" + httpPort + "/status";
        if (HttpUrl.isHttpUrl(url)) {
            return url;
        }
        LOG.warnf("this host's name '%s' makes no URL for Home Assistant's configuration_url: its devices get no link; "
                + "set mediawatch.homeassistant.configuration-url for one", Text.printable(hostName, 120));
        return null;
    }
}
