package dev.mediawatch.aggregator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    /**
     * The service catalogue, {@code media.services.yaml}: what should run on which host. The drift gates and the
     * services view judge by it; without it they use what each agent reports of its own catalogue. An invalid file
     * stops startup with {@code file:line: problem}.
     */
    Optional<Path> catalogue();

    Ingest ingest();

    Drift drift();

    Homeassistant homeassistant();

    Api api();

    Refresh refresh();

    interface Ingest {
        /** Payloads larger than this are refused ({@code too-large}). Default 524288 (512 KiB). */
        @WithDefault("524288")
        int maxPayloadBytes();
    }

    interface Drift {
        /**
         * The NFS mount locks of gate D107, each {@code SUBJECT:PATH:MODE} where the subject is a host id or a role.
         * Default: the split plan's, download hosts have {@code /mnt/media} read-write, streaming hosts read-only.
         */
        @WithDefault("download:/mnt/media:rw,streaming:/mnt/media:ro")
        List<String> mountLocks();
    }

    interface Homeassistant {
        /** Home Assistant's MQTT discovery prefix; gate D110 audits the configs retained under it. Default {@code homeassistant}. */
        @WithDefault("homeassistant")
        String discoveryPrefix();

        /** The most discovery configs held for the audit; further ones are refused. Default 10000. */
        @WithDefault("10000")
        int maxConfigs();
    }

    interface Api {
        /**
         * A bearer token that {@code POST /api/refresh} requires ({@code Authorization: Bearer <token>}). Without one,
         * anyone who reaches the port may ask for a refresh. Never logged.
         */
        Optional<String> token();
    }

    interface Refresh {
        /** How long {@code POST /api/refresh} waits for the agents' answers. Default 10 s. */
        @WithDefault("10s")
        Duration timeout();
    }

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

        /**
         * Hosts that must be gone (the split retired the old VM): left out of the status; the checklist fails while
         * the broker still holds a retained message of theirs. Default {@code media-stack}.
         */
        @WithDefault("media-stack")
        List<String> retiredHosts();

        /** The status is republished to {@code <prefix>/status} when it changes (at most once a second) and this often. Default 30 s. */
        @WithDefault("30s")
        Duration publishInterval();

        /**
         * The largest status published to MQTT; a larger one goes out without the per-host service lists, marked
         * {@code truncated}. Default 524288 (512 KiB, what readers accept).
         */
        @WithDefault("524288")
        int maxPublishBytes();
    }
}
