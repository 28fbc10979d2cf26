package dev.mediawatch.aggregator.publish;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.smallrye.reactive.messaging.mqtt.SendingMqttMessageMetadata;

/**
 * Sends one message to one topic, never blocking the caller. The future completes when the broker has
 * acknowledged it (QoS 1) and fails when the session is down: callers that must get through (availability)
 * retry; the status is republished every interval anyway.
 */
@ApplicationScoped
public class MqttPublisher {

    private final Emitter<byte[]> emitter;
    private final Counter failures;

    public MqttPublisher(@Channel("mqtt-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 256)
            Emitter<byte[]> emitter, MeterRegistry registry) {
        this.emitter = emitter;
        this.failures = Counter.builder("mediawatch_publish_failures_total")
                .description("MQTT messages the broker did not acknowledge (session down or refused)")
                .register(registry);
    }

    public CompletionStage<Void> publish(String topic, byte[] payload, boolean retained) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Message<byte[]> message = Message.of(payload,
                Metadata.of(new SendingMqttMessageMetadata(topic, MqttQoS.AT_LEAST_ONCE, retained)),
                () -> {
                    done.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                error -> {
                    failures.increment();
                    done.completeExceptionally(error);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException overflowOrClosed) {
            // The emitter's buffer is full or the channel is shutting down; the caller decides whether to retry.
            failures.increment();
            done.completeExceptionally(overflowOrClosed);
        }
        return done;
    }
}
