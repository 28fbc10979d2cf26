package dev.mediawatch.aggregator.ingest;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import dev.mediawatch.aggregator.drift.DiscoveryConfigs;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.contract.PayloadRejected;
import dev.mediawatch.contract.RejectReason;
import dev.mediawatch.contract.Text;
import dev.mediawatch.contract.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Checks every incoming message against the contract and hands the good ones to the registry. A bad message
 * is refused with a reason, counted ({@code mediawatch_ingest_rejected_total{kind,reason}}) and logged at most
 * once per 10 s per kind, so a flood costs counters, not log lines; it never touches the status.
 * An empty payload on a retained topic is the broker deleting that retained message: the host forgets that
 * part. Plain Java: the MQTT adapter calls {@link #accept(String, byte[])} and {@link #discovery(String, byte[])}.
 */
public final class Ingest {

    private static final Logger LOG = Logger.getLogger(Ingest.class);
    /** The {@code kind} label of Home Assistant discovery configs. */
    public static final String HOMEASSISTANT = "homeassistant";

    private final Topics topics;
    private final HostRegistry registry;
    private final DiscoveryConfigs discovery;
    private final MeterRegistry meters;
    private final int maxBytes;
    private final Runnable changed;
    private final Map<Topics.Kind, Counter> received = new EnumMap<>(Topics.Kind.class);
    private final Counter discoveryReceived;
    private final Counter ignored;
    private final Map<String, LogThrottle> throttles = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    private final java.util.function.LongSupplier nanoTime;
    private volatile Accepted accepted;
    private final Object order = new Object();

    /**
     * Told of every accepted snapshot (availability, state, mounts, io, activity), and of each detector window where
     * it read the hosts: the recording of what feeds the detector.
     */
    public interface Accepted {
        void accepted(String topic, Topics.Kind kind, byte[] payload);

        void window(java.time.Instant at);
    }

    /** Sets the one listener of accepted snapshots (null: none). Called on the ingest worker: it must be quick. */
    public void onAccepted(Accepted listener) {
        this.accepted = listener;
    }

    public Ingest(Topics topics, HostRegistry registry, DiscoveryConfigs discovery, MeterRegistry meters, int maxBytes,
            Runnable changed) {
        this(topics, registry, discovery, meters, maxBytes, changed, System::nanoTime);
    }

    /** @param nanoTime the ticker the warning rate limit runs on (tests move it instead of waiting) */
    Ingest(Topics topics, HostRegistry registry, DiscoveryConfigs discovery, MeterRegistry meters, int maxBytes,
            Runnable changed, java.util.function.LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.topics = topics;
        this.registry = registry;
        this.discovery = discovery;
        this.meters = meters;
        this.maxBytes = maxBytes;
        this.changed = changed;
        for (Topics.Kind kind : Topics.Kind.values()) {
            received.put(kind, Counter.builder("mediawatch_ingest_received_total").tag("kind", kind.level())
                    .description("messages accepted, by topic kind").register(meters));
        }
        discoveryReceived = Counter.builder("mediawatch_ingest_received_total").tag("kind", HOMEASSISTANT)
                .description("messages accepted, by topic kind").register(meters);
        ignored = Counter.builder("mediawatch_ingest_ignored_total")
                .description("messages on the aggregator's own topics that the per-host filters also match").register(meters);
    }

    /**
     * What a detector window reads of the hosts ({@code read}), taken between two messages and marked in the recording
     * at that place, so a replay decides the window on the same messages.
     */
    public <T> T window(java.time.Instant at, java.util.function.Supplier<T> read) {
        synchronized (order) {
            T t = read.get();
            Accepted listener = accepted;
            if (listener != null) {
                listener.window(at);
            }
            return t;
        }
    }

    /** One message from an agent topic; never throws. */
    public void accept(String topic, byte[] payload) {
        Optional<Topics.Ref> ref = topics.parse(topic);
        if (ref.isEmpty() && topics.isReserved(topic)) {
            // The aggregator's own topics (its availability, Home Assistant state) match the per-host filters too.
            ignored.increment();
            return;
        }
        if (ref.isEmpty()) {
            // Only the contract's filters are subscribed, so this is a host level that is not a valid id.
            reject(guessKind(topic), RejectReason.BAD_TOPIC, "topic '" + Text.printable(topic, 120) + "' is not part of the contract");
            return;
        }
        Topics.Ref r = ref.get();
        try {
            // Applied and told to the recording in one step, so a window (below) sees a message exactly when the
            // recording has it before the window's line.
            synchronized (order) {
                if ((payload == null || payload.length == 0) && r.kind() != Topics.Kind.EVENTS) {
                    registry.cleared(r.host(), r.kind());
                } else {
                    switch (r.kind()) {
                        case AVAILABILITY -> {
                            if (payload.length > 16) {
                                throw new PayloadRejected(RejectReason.MALFORMED, "availability is 'online' or 'offline', not "
                                        + payload.length + " bytes");
                            }
                            Optional<Availability> a = Availability.parse(payload);
                            if (a.isEmpty()) {
                                throw new PayloadRejected(RejectReason.MALFORMED, "availability must be 'online' or 'offline'");
                            }
                            registry.availability(r.host(), a.get());
                        }
                        case STATE -> registry.state(ContractJson.readState(payload, r.host(), maxBytes));
                        case EVENTS -> registry.event(ContractJson.readEvent(payload, r.host(), maxBytes));
                        case MOUNTS -> registry.mounts(ContractJson.readMounts(payload, r.host(), maxBytes));
                        case IO -> registry.io(ContractJson.readIo(payload, r.host(), maxBytes));
                        case ACTIVITY -> registry.activity(ContractJson.readActivity(payload, r.host(), maxBytes));
                    }
                }
                received.get(r.kind()).increment();
                Accepted listener = accepted;
                if (listener != null && r.kind() != Topics.Kind.EVENTS) {
                    listener.accepted(topic, r.kind(), payload);
                }
            }
            changed.run();
        } catch (PayloadRejected e) {
            reject(r.kind().level(), e.reason(), "from " + r.host() + ": " + e.getMessage());
        } catch (HostRegistry.Full e) {
            reject(r.kind().level(), RejectReason.HOST_LIMIT, e.getMessage());
        } catch (RuntimeException e) {
            // A bug must cost one message, not the subscription.
            reject(r.kind().level(), RejectReason.INVALID, "from " + r.host() + ": " + e.getClass().getSimpleName());
        }
    }

    /** One message under Home Assistant's discovery prefix (for gate D110); never throws. */
    public void discovery(String topic, byte[] payload) {
        try {
            long before = discovery.version();
            discovery.accept(topic, payload);
            discoveryReceived.increment();
            if (discovery.version() != before) {
                changed.run();
            }
        } catch (PayloadRejected e) {
            reject(HOMEASSISTANT, e.reason(), "on " + Text.printable(topic, 120) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            reject(HOMEASSISTANT, RejectReason.INVALID, "on " + Text.printable(topic, 120) + ": " + e.getClass().getSimpleName());
        }
    }

    private void reject(String kind, RejectReason reason, String why) {
        rejected.computeIfAbsent(kind + "/" + reason.wire(), k -> Counter.builder("mediawatch_ingest_rejected_total")
                .tag("kind", kind).tag("reason", reason.wire())
                .description("messages refused, by topic kind and reason").register(meters)).increment();
        long held = throttles.computeIfAbsent(kind, k -> new LogThrottle(Duration.ofSeconds(10))).tryLog(nanoTime.getAsLong());
        if (held >= 0) {
            LOG.warnf("refused %s message (%s) %s%s", kind, reason.wire(), why,
                    held > 0 ? "; " + held + " more refused since the last such line" : "");
        }
    }

    private static String guessKind(String topic) {
        for (Topics.Kind kind : Topics.Kind.values()) {
            if (topic != null && topic.endsWith("/" + kind.level())) {
                return kind.level();
            }
        }
        return Topics.Kind.STATE.level();
    }
}
