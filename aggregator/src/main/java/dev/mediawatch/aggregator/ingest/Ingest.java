package dev.mediawatch.aggregator.ingest;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.mediawatch.aggregator.status.HostRegistry;
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
 * is refused with a reason, counted ({@code mediawatch_messages_rejected_total{kind,reason}}) and logged at
 * most once per 10 s per kind, so a flood costs counters, not log lines; it never touches the status.
 * Plain Java: the MQTT adapter calls {@link #accept(String, byte[])} and nothing else.
 */
public final class Ingest {

    private static final Logger LOG = Logger.getLogger(Ingest.class);

    private final Topics topics;
    private final HostRegistry registry;
    private final MeterRegistry meters;
    private final Map<Topics.Kind, Counter> received = new EnumMap<>(Topics.Kind.class);
    private final Map<Topics.Kind, LogThrottle> throttles = new EnumMap<>(Topics.Kind.class);

    public Ingest(Topics topics, HostRegistry registry, MeterRegistry meters) {
        this.topics = topics;
        this.registry = registry;
        this.meters = meters;
        for (Topics.Kind kind : Topics.Kind.values()) {
            received.put(kind, Counter.builder("mediawatch_messages_received_total").tag("kind", kind.level())
                    .description("messages accepted from agents, by topic kind").register(meters));
            throttles.put(kind, new LogThrottle(Duration.ofSeconds(10)));
        }
    }

    /** One message from the broker; never throws. */
    public void accept(String topic, byte[] payload) {
        Optional<Topics.Ref> ref = topics.parse(topic);
        if (ref.isEmpty()) {
            // Only the contract's filters are subscribed, so this is a host level that is not a valid id.
            reject(guessKind(topic), RejectReason.BAD_TOPIC, "topic '" + Text.printable(topic, 120) + "' is not part of the contract");
            return;
        }
        Topics.Ref r = ref.get();
        try {
            switch (r.kind()) {
                case AVAILABILITY -> {
                    Optional<Availability> a = Availability.parse(payload);
                    if (a.isEmpty()) {
                        throw new PayloadRejected(RejectReason.MALFORMED, "availability must be 'online' or 'offline'");
                    }
                    registry.availability(r.host(), a.get());
                }
                case STATE -> registry.state(ContractJson.readState(payload, r.host()));
                case EVENTS -> registry.event(ContractJson.readEvent(payload, r.host()));
                case MOUNTS -> registry.mounts(ContractJson.readMounts(payload, r.host()));
                case IO -> registry.io(ContractJson.readIo(payload, r.host()));
            }
            received.get(r.kind()).increment();
        } catch (PayloadRejected e) {
            reject(r.kind(), e.reason(), "from " + r.host() + ": " + e.getMessage());
        } catch (HostRegistry.Full e) {
            reject(r.kind(), RejectReason.HOST_LIMIT, e.getMessage());
        } catch (RuntimeException e) {
            // A bug must cost one message, not the subscription.
            reject(r.kind(), RejectReason.INVALID, "from " + r.host() + ": " + e.getClass().getSimpleName());
        }
    }

    private void reject(Topics.Kind kind, RejectReason reason, String why) {
        Counter.builder("mediawatch_messages_rejected_total").tag("kind", kind.level()).tag("reason", reason.wire())
                .description("messages refused, by topic kind and reason").register(meters).increment();
        long held = throttles.get(kind).tryLog(System.nanoTime());
        if (held >= 0) {
            LOG.warnf("refused %s message (%s) %s%s", kind.level(), reason.wire(), why,
                    held > 0 ? "; " + held + " more refused since the last such line" : "");
        }
    }

    private static Topics.Kind guessKind(String topic) {
        for (Topics.Kind kind : Topics.Kind.values()) {
            if (topic != null && topic.endsWith("/" + kind.level())) {
                return kind;
            }
        }
        return Topics.Kind.STATE;
    }
}
