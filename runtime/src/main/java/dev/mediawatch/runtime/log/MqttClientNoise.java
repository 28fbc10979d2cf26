package dev.mediawatch.runtime.log;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops the two lines the Vert.x MQTT client logs as ERROR for every failed connection attempt ("Can't connect to
 * ...", "Connection refused by the server ..."): during a broker outage that is one ERROR line per retry, and the
 * session logs the same news itself, once and at a bounded rate, as a warning. Everything else the client logs
 * stays, above all "Attempt to exceed the limit of N inflight messages", which must never appear.
 * Enabled with {@code quarkus.log.console.filter=mediawatch-mqtt-client}.
 */
@LoggingFilter(name = "mediawatch-mqtt-client")
public final class MqttClientNoise implements Filter {

    static final String CLIENT_LOGGER = "io.vertx.mqtt.impl.MqttClientImpl";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!CLIENT_LOGGER.equals(record.getLoggerName())) {
            return true;
        }
        String message = record.getMessage();
        return message == null
                || !(message.startsWith("Can't connect to") || message.startsWith("Connection refused by the server"));
    }
}
