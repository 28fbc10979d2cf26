package dev.mediawatch.aggregator.mqtt;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.mqtt.MqttConnectionSecurity;
import dev.mediawatch.runtime.Fatal;
import dev.mediawatch.runtime.mqtt.Inbox;
import dev.mediawatch.runtime.mqtt.MqttSession;
import dev.mediawatch.runtime.mqtt.MqttSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The aggregator's one MQTT session and the inbox its subscriptions feed. The session's presence is
 * {@code <prefix>/aggregator/availability} (Home Assistant's entities list it in their availability): online on every
 * connect and every 30 s, the last will says offline. Connects after the embedded broker has started; says offline
 * and disconnects first thing on the way out.
 */
public class MqttSetup {

    /** How often the aggregator says online again (and checks that its subscriptions deliver). */
    static final Duration PRESENCE_INTERVAL = Duration.ofSeconds(30);
    static final int KEEP_ALIVE_SECONDS = 30;

    @Produces
    @Singleton
    MqttSession session(AggregatorConfig config, Vertx vertx, MeterRegistry meters) {
        return new MqttSession(vertx, settings(config.mqtt(), config.topicPrefix()), meters);
    }

    /** The aggregator's topics, under {@code mediawatch.topic-prefix} (checked by the configuration mapping). */
    @Produces
    @Singleton
    Topics topics(AggregatorConfig config) {
        return Topics.withPrefix(config.topicPrefix());
    }

    /**
     * The session's settings from {@code mediawatch.mqtt.*}, whose values the configuration mapping and
     * {@code AggregatorConfigCheck} have checked; the password file and the CA file are read here, and a problem with
     * either stops startup naming the key.
     */
    static MqttSettings settings(AggregatorConfig.Mqtt mqtt, String topicPrefix) {
        MqttConnectionSecurity security = MqttConnectionSecurity.resolve("mediawatch.mqtt", mqtt.password(),
                mqtt.passwordFile(), mqtt.tls(), mqtt.caFile());
        Topics topics = Topics.withPrefix(topicPrefix);
        return MqttSettings.of(mqtt.host().orElse("127.0.0.1"), mqtt.port(), mqtt.clientId(), mqtt.username(), security,
                KEEP_ALIVE_SECONDS, mqtt.maxInFlight(), topics.aggregatorAvailability(), PRESENCE_INTERVAL)
                .withQueue(mqtt.sendQueue(), MqttSettings.DEFAULT_MAX_QUEUED_BYTES);
    }

    /**
     * Everything the aggregator subscribes to goes through this inbox: one worker ({@code mediawatch-ingest}) reads
     * messages in turn, source by source. A host the registry knows is trusted.
     */
    @Produces
    @Singleton
    Inbox ingestInbox(AggregatorConfig config, Topics topics, HostRegistry registry, MqttSession session,
            MeterRegistry meters) {
        AggregatorConfig.Ingest ingest = config.ingest();
        String hostPrefix = topics.prefix() + "/";
        String discoveryPrefix = config.homeassistant().discoveryPrefix() + "/";
        Inbox inbox = new Inbox("ingest", topic -> sourceOf(topic, hostPrefix, discoveryPrefix), source -> {
            if (source.equals(HOMEASSISTANT) || source.equals("aggregator")) {
                return true;
            }
            return HostId.isValid(source) && registry.host(HostId.of(source)) != null;
        }, new Inbox.Limits(ingest.maxPendingTopics(), Math.max(1, ingest.maxPendingTopics() / 8), ingest.maxPendingBytes(),
                Duration.ofSeconds(60)), meters, () -> Fatal.exit("the ingest worker cannot go on"));
        session.watch(inbox);
        return inbox;
    }

    static final String HOMEASSISTANT = "homeassistant";

    /** The source a topic names, as a bounded metric label: its host level, or what else it is. */
    static String sourceOf(String topic, String hostPrefix, String discoveryPrefix) {
        if (topic.startsWith(hostPrefix)) {
            int end = topic.indexOf('/', hostPrefix.length());
            String level = topic.substring(hostPrefix.length(), end < 0 ? topic.length() : end);
            return HostId.isValid(level) ? level : "invalid";
        }
        if (topic.startsWith(discoveryPrefix)) {
            return HOMEASSISTANT;
        }
        return "other";
    }

    /** After the embedded broker (priority 10) and after every subscriber has registered (default priority). */
    void onStart(@Observes @Priority(3000) StartupEvent event, MqttSession session, Inbox inbox) {
        session.start(inbox);
    }

    /** First on the way out: offline said and the connection closed while the embedded broker still runs. */
    void onStop(@Observes @Priority(1) ShutdownEvent event, MqttSession session, Inbox inbox) {
        session.stop(inbox, Duration.ofSeconds(2));
    }
}
