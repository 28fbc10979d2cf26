package dev.mediawatch.runtime.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

/** Only the client's per-attempt connection errors are dropped; its in-flight error and everyone else's stay. */
class MqttClientNoiseTest {

    private static boolean passes(String logger, String message) {
        LogRecord r = new LogRecord(Level.SEVERE, message);
        r.setLoggerName(logger);
        return new MqttClientNoise().isLoggable(r);
    }

    @Test
    void perAttemptConnectionErrorsOfTheClient_areDropped() {
        assertThat(passes(MqttClientNoise.CLIENT_LOGGER, "Can't connect to 127.0.0.1:1883")).isFalse();
        assertThat(passes(MqttClientNoise.CLIENT_LOGGER, "Connection refused by the server - code: CONNECTION_REFUSED_NOT_AUTHORIZED"))
                .isFalse();
    }

    @Test
    void theInFlightError_andOtherLoggers_stay() {
        assertThat(passes(MqttClientNoise.CLIENT_LOGGER, "Attempt to exceed the limit of 10 inflight messages")).isTrue();
        assertThat(passes(MqttClientNoise.CLIENT_LOGGER, null)).isTrue();
        assertThat(passes("dev.mediawatch.runtime.mqtt.MqttSession", "Can't connect to somewhere")).isTrue();
    }
}
