package dev.mediawatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * An in-process MQTT broker (Moquette) for tests, on a free loopback port. It records every message any
 * client publishes, so a test can assert on what was sent without an MQTT client of its own, and it can
 * publish as if it were another client.
 */
public final class TestBroker implements AutoCloseable {

    /** One PUBLISH as the broker received it. */
    public record Published(String topic, byte[] payload, boolean retained, String clientId) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_RECORDED = 10_000;

    private Server server = new Server();
    private final List<Published> published = new ArrayList<>();
    private final int port;

    private TestBroker(int port) {
        this.port = port;
    }

    public static TestBroker start() {
        TestBroker broker = new TestBroker(Ports.free());
        broker.startServer();
        return broker;
    }

    private void startServer() {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("netty.mqtt.message_size", Integer.toString(2 * 1024 * 1024));
        try {
            server.startServer(new MemoryConfig(p), List.of(new AbstractInterceptHandler() {
                @Override
                public String getID() {
                    return "test-recorder";
                }

                @Override
                public void onPublish(InterceptPublishMessage msg) {
                    try {
                        ByteBuf buf = msg.getPayload();
                        byte[] bytes = new byte[buf.readableBytes()];
                        buf.getBytes(buf.readerIndex(), bytes);
                        synchronized (published) {
                            if (published.size() < MAX_RECORDED) {
                                published.add(new Published(msg.getTopicName(), bytes, msg.isRetainFlag(),
                                        msg.getClientID()));
                            }
                        }
                    } finally {
                        super.onPublish(msg); // releases the payload
                    }
                }

                @Override
                public void onSessionLoopError(Throwable error) {
                    // Moquette reports client protocol errors here; tests assert on outcomes, not on these.
                }
            }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test broker on port " + port, e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** Publishes as another client would. */
    public void publish(String topic, byte[] payload, boolean retained) {
        server.internalPublish(MqttMessageBuilders.publish()
                .topicName(topic)
                .retained(retained)
                .qos(MqttQoS.AT_LEAST_ONCE)
                .payload(Unpooled.copiedBuffer(payload))
                .build(), "test-broker");
    }

    public void publish(String topic, String payload, boolean retained) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), retained);
    }

    /** Every recorded publish on {@code topic}, oldest first. */
    public List<Published> messages(String topic) {
        return messages(m -> m.topic().equals(topic));
    }

    public List<Published> messages(Predicate<Published> filter) {
        synchronized (published) {
            return published.stream().filter(filter).toList();
        }
    }

    /** The newest recorded publish on {@code topic}, or null. */
    public Published last(String topic) {
        List<Published> on = messages(topic);
        return on.isEmpty() ? null : on.get(on.size() - 1);
    }

    public void clearRecorded() {
        synchronized (published) {
            published.clear();
        }
    }

    /** Stops the broker; clients see their connection drop. */
    public void stop() {
        server.stopServer();
    }

    /** Starts a fresh broker on the same port: no sessions, no retained messages (as Mosquitto without persistence). */
    public void restart() {
        server = new Server();
        startServer();
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
