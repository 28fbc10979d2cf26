package dev.mediawatch.aggregator.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The aggregator's configuration, every key under {@code mediawatch.}; each can be set by environment
 * variable the Quarkus way ({@code mediawatch.mqtt.host} is {@code MEDIAWATCH_MQTT_HOST}). The README's
 * configuration table lists the same keys.
 */
@ConfigMapping(prefix = "mediawatch")
public interface AggregatorConfig {

    /** The first level(s) of every topic. Default {@code mediawatch}. */
    @WithDefault("mediawatch")
    String topicPrefix();

    Mqtt mqtt();

    Broker broker();

    Status status();

    interface Mqtt {
        /**
         * An external broker's host name or address. When absent, the aggregator runs its embedded broker and
         * connects to that.
         */
        Optional<String> host();

        /** The broker's port; also the embedded broker's port. Default {@code 1883}. */
        @WithDefault("1883")
        int port();

        /** The user name, when the broker wants one. */
        Optional<String> username();

        /** The password, when the broker wants one. Never logged or published. */
        Optional<String> password();

        /** The MQTT client id. Default {@code mediawatch-aggregator}. */
        @WithDefault("mediawatch-aggregator")
        String clientId();
    }

    interface Broker {
        /**
         * Run the embedded MQTT broker (Moquette). Default: only when {@code mediawatch.mqtt.host} is not set.
         */
        Optional<Boolean> embedded();

        /**
         * The address the embedded broker listens on. Default {@code 127.0.0.1}: an anonymous, unencrypted
         * broker is not offered to the network unless asked; set {@code 0.0.0.0} for agents on other VMs.
         */
        @WithDefault("127.0.0.1")
        String bind();
    }

    interface Status {
        /** A host whose last state is older than this is {@code stale}. Default 90 s (three publish intervals). */
        @WithDefault("90s")
        Duration staleAfter();

        /** A host heard nothing from for this long is {@code down}, whatever its availability says. Default 5 min. */
        @WithDefault("5m")
        Duration downAfter();

        /**
         * The most hosts tracked; messages from further hosts are refused ({@code host-limit}), so a stray or
         * hostile publisher cannot grow the table. Default 64.
         */
        @WithDefault("64")
        int maxHosts();

        /** How many recent events {@code GET /api/events} keeps. Default 200. */
        @WithDefault("200")
        int recentEvents();
    }
}
