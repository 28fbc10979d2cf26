package dev.mediawatch.runtime.mqtt;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import dev.mediawatch.mqtt.MqttConnectionSecurity;

/**
 * What an {@link MqttSession} needs to know, resolved from an app's configuration.
 *
 * @param clientId          fixed, so a restarted app takes over its old session and an ACL can pin it
 * @param maxMessageBytes   the largest packet the client decodes; a larger one breaks the connection (the MQTT
 *                          decoder cannot skip it), so the broker's {@code max_packet_size} must not exceed it
 * @param maxInFlight       QoS 1 messages sent and not yet acknowledged, at most; the send path waits beyond it
 * @param maxQueuedMessages messages waiting to be sent, at most; beyond, a publish fails at once (counted)
 * @param maxQueuedBytes    their payload bytes, at most
 * @param ackTimeout        a message the broker has not acknowledged by then fails, and the connection is renewed
 * @param presenceTopic     the app's retained availability: {@code online} announced on every connect and every
 *                          {@code presenceInterval}, the last will says {@code offline}
 * @param echoTimeout       an announced {@code online} must come back on the app's own subscription within this,
 *                          or the connection is taken for deaf and renewed
 */
public record MqttSettings(String host, int port, String clientId, Optional<String> username,
        MqttConnectionSecurity security, int keepAliveSeconds, int maxMessageBytes, int maxInFlight,
        int maxQueuedMessages, long maxQueuedBytes, Duration ackTimeout, String presenceTopic,
        Duration presenceInterval, Duration echoTimeout) {

    /** Large enough for a busy host's state; the contract's reader refuses more than 512 KiB anyway. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_IN_FLIGHT = 32;
    public static final int DEFAULT_MAX_QUEUED_MESSAGES = 50_000;
    public static final long DEFAULT_MAX_QUEUED_BYTES = 32L * 1024 * 1024;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_ECHO_TIMEOUT = Duration.ofSeconds(10);

    public MqttSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(presenceTopic, "presenceTopic");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("MQTT port must be 1-65535, was " + port);
        }
        if (maxInFlight < 1 || maxInFlight > 65_535) {
            throw new IllegalArgumentException("MQTT in-flight limit must be 1-65535, was " + maxInFlight);
        }
        if (maxQueuedMessages < 1 || maxQueuedBytes < 1 || maxMessageBytes < 1024) {
            throw new IllegalArgumentException("MQTT queue and message limits must be positive");
        }
    }

    /** The usual limits, for an app that sets only where and who. */
    public static MqttSettings of(String host, int port, String clientId, Optional<String> username,
            MqttConnectionSecurity security, int keepAliveSeconds, int maxInFlight, String presenceTopic,
            Duration presenceInterval) {
        return new MqttSettings(host, port, clientId, username, security, keepAliveSeconds, DEFAULT_MAX_MESSAGE_BYTES,
                maxInFlight, DEFAULT_MAX_QUEUED_MESSAGES, DEFAULT_MAX_QUEUED_BYTES, DEFAULT_ACK_TIMEOUT, presenceTopic,
                presenceInterval, DEFAULT_ECHO_TIMEOUT);
    }

    public MqttSettings withQueue(int messages, long bytes) {
        return new MqttSettings(host, port, clientId, username, security, keepAliveSeconds, maxMessageBytes, maxInFlight,
                messages, bytes, ackTimeout, presenceTopic, presenceInterval, echoTimeout);
    }

    public MqttSettings withTimeouts(Duration ack, Duration echo) {
        return new MqttSettings(host, port, clientId, username, security, keepAliveSeconds, maxMessageBytes, maxInFlight,
                maxQueuedMessages, maxQueuedBytes, ack, presenceTopic, presenceInterval, echo);
    }

    public String endpoint() {
        return host + ":" + port;
    }
}
