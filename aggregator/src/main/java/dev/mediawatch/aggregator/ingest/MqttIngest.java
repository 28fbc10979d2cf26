package dev.mediawatch.aggregator.ingest;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.runtime.mqtt.Inbox;
import dev.mediawatch.runtime.mqtt.MqttSession;
import io.quarkus.runtime.StartupEvent;

/**
 * The MQTT side of ingest: one subscription per per-host topic kind (filters from the contract) and one for Home
 * Assistant's discovery configs (gate D110), each feeding a lane of the ingest inbox. The retained snapshots
 * (availability, state, mounts, io, activity, discovery configs) keep only their newest message per topic while
 * they wait; events wait in order, a bounded number per host. The event loop only hands messages over; contract
 * checks and JSON decoding run on the inbox's worker ({@link Ingest}).
 */
@Singleton
public class MqttIngest {

    /** The ingest lane of each kind: its metric label is the kind's level. */
    void onStart(@Observes StartupEvent event, MqttSession session, Inbox inbox, Ingest ingest, Topics topics,
            AggregatorConfig config) {
        for (Topics.Kind kind : Topics.Kind.values()) {
            Inbox.Lane lane = kind == Topics.Kind.EVENTS
                    ? inbox.lane(kind.level(), Inbox.Mode.QUEUE, config.ingest().eventsPerHost(), ingest::accept)
                    : inbox.lane(kind.level(), Inbox.Mode.LATEST, 1, ingest::accept);
            session.subscribe(topics.filter(kind), (topic, payload, retained) -> lane.offer(topic, payload));
        }
        Inbox.Lane discovery = inbox.lane(Ingest.HOMEASSISTANT, Inbox.Mode.LATEST, 1, ingest::discovery);
        session.subscribe(config.homeassistant().discoveryPrefix() + "/#",
                (topic, payload, retained) -> discovery.offer(topic, payload));
    }
}
