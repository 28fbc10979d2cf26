package dev.mediawatch.aggregator.ingest;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.mediawatch.aggregator.status.StatusService;
import io.smallrye.reactive.messaging.mqtt.ReceivingMqttMessageMetadata;

/**
 * The MQTT side of ingest: one channel per per-host topic kind (filters from the contract, see
 * DerivedConfigFactory). Runs on the event loop; the work is parsing and a map update, nothing blocks.
 */
@ApplicationScoped
public class MqttIngest {

    private final StatusService status;

    public MqttIngest(StatusService status) {
        this.status = status;
    }

    @Incoming("availability-in")
    public CompletionStage<Void> availability(Message<byte[]> message) {
        return accept(message);
    }

    @Incoming("state-in")
    public CompletionStage<Void> state(Message<byte[]> message) {
        return accept(message);
    }

    @Incoming("events-in")
    public CompletionStage<Void> events(Message<byte[]> message) {
        return accept(message);
    }

    @Incoming("mounts-in")
    public CompletionStage<Void> mounts(Message<byte[]> message) {
        return accept(message);
    }

    @Incoming("io-in")
    public CompletionStage<Void> io(Message<byte[]> message) {
        return accept(message);
    }

    @Incoming("activity-in")
    public CompletionStage<Void> activity(Message<byte[]> message) {
        return accept(message);
    }

    @Incoming("homeassistant-in")
    public CompletionStage<Void> homeassistant(Message<byte[]> message) {
        String topic = message.getMetadata(ReceivingMqttMessageMetadata.class)
                .map(ReceivingMqttMessageMetadata::getTopic).orElse(null);
        status.ingest().discovery(topic, message.getPayload());
        return message.ack();
    }

    private CompletionStage<Void> accept(Message<byte[]> message) {
        String topic = message.getMetadata(ReceivingMqttMessageMetadata.class)
                .map(ReceivingMqttMessageMetadata::getTopic).orElse(null);
        status.ingest().accept(topic, message.getPayload());
        return message.ack();
    }
}
