package dev.mediawatch.agent.config;

import java.time.Duration;
import java.util.Optional;

import dev.mediawatch.contract.HostId;
import dev.mediawatch.runtime.config.Port;
import dev.mediawatch.runtime.config.PositiveDuration;
import dev.mediawatch.runtime.config.PositiveInt;
import dev.mediawatch.runtime.config.Ratio;
import dev.mediawatch.runtime.config.Regex;
import dev.mediawatch.runtime.config.TopicPrefix;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * The agent's configuration, every key under {@code mediawatch.}; each can be set by environment variable
 * the Quarkus way ({@code mediawatch.mqtt.host} is {@code MEDIAWATCH_MQTT_HOST}). The table in
 * docs/configuration.md lists the same keys ({@code ConfigDocTest} checks it).
 *
 * <p>Every single value is checked here, by the converter its key declares ({@code @WithConverter}): a bad one
 * stops startup naming the key, the value and the problem, with every other bad one. What relates several values
 * (an interval longer than its timeout) is checked by {@link AgentConfigCheck}.
 */
@ConfigMapping(prefix = "mediawatch")
public interface AgentConfig {

    /**
     * This host's id, a slug such as {@code download-stack}: the second level of every topic this agent
     * publishes. Default: the machine's host name, lower-cased (see {@link DerivedConfigFactory}).
     */
    @WithConverter(HostIdConverter.class)
    HostId hostId();

    /** What this host is for: {@code download}, {@code streaming}, or another slug. Default {@code other}. */
    @WithDefault("other")
    @WithConverter(RoleConverter.class)
    String role();

    /** The first level(s) of every topic. Default {@code mediawatch}. */
    @WithDefault("mediawatch")
    @WithConverter(TopicPrefix.class)
    String topicPrefix();

    /**
     * Where the host's root filesystem is seen: {@code /} on the host, {@code /host} in a container with the
     * host's root mounted there. Every {@code /proc}, {@code /sys} and mount path is read under it.
     */
    @WithDefault("/")
    String hostRoot();

    /**
     * The service catalogue, {@code media.services.yaml}: what should run on this host. Without it every
     * container is reported as unknown to the catalogue and nothing is probed. An invalid file stops startup
     * with its name, line and problem.
     */
    Optional<java.nio.file.Path> catalogue();

    /**
     * The address this host is reached at, published in every state ({@code address}) for the dashboard and
     * Home Assistant: an IP address or a DNS name. Default: the machine's first non-loopback IPv4 address on an
     * interface that is up (looked up once at startup); none when it has none.
     */
    @WithConverter(AddressConverter.class)
    Optional<String> address();

    Mqtt mqtt();

    Docker docker();

    Publish publish();

    RestartLoop restartLoop();

    Events events();

    Probes probes();

    Mounts mounts();

    Io io();

    Compose compose();

    Activity activity();

    Throttle throttle();

    interface Activity {
        /**
         * The media services' APIs are asked and the activity snapshot published this often. Default 5 s;
         * at least 1 s and longer than {@code timeout}.
         */
        @WithDefault("5s")
        @WithConverter(Bounds.Interval.class)
        Duration interval();

        /** One API call not answered within this makes its source {@code unreachable}. Default 3 s; at least 100 ms. */
        @WithDefault("3s")
        @WithConverter(Bounds.Timeout.class)
        Duration timeout();

        /**
         * Post-processing containers (by container or catalogue service name) reported with their disk activity
         * and paused by the throttle when asked. Default {@code unpackerr,tdarr,tdarr-node}.
         */
        @WithDefault("unpackerr,tdarr,tdarr-node")
        java.util.List<String> postProcessing();

        /** Jellyfin's sessions (key: {@code MEDIAWATCH_JELLYFIN_API_KEY}). */
        Endpoint jellyfin();

        /** Navidrome's now playing (user/password: {@code MEDIAWATCH_NAVIDROME_USER}/{@code _PASSWORD}). */
        Endpoint navidrome();

        /** SABnzbd's queue and speed limit (key: {@code MEDIAWATCH_SABNZBD_API_KEY}). */
        Endpoint sabnzbd();

        /** qBittorrent's transfer and limit (user/password: {@code MEDIAWATCH_QBITTORRENT_USER}/{@code _PASSWORD}). */
        Endpoint qbittorrent();

        /** Radarr's history: movies imported today (key: {@code MEDIAWATCH_RADARR_API_KEY}). */
        Endpoint radarr();

        /** Sonarr's history: episodes imported today (key: {@code MEDIAWATCH_SONARR_API_KEY}). */
        Endpoint sonarr();

        /** Lidarr's history: tracks imported today (key: {@code MEDIAWATCH_LIDARR_API_KEY}). */
        Endpoint lidarr();

        /** How often the *arr histories and the services' identities are asked. */
        Imports imports();

        /** How Jellyfin's playing sessions are judged {@code stalled} or {@code silent} (a {@code StreamSession}). */
        Stall stall();
    }

    interface Imports {
        /**
         * The *arr histories (today's imports) and Jellyfin's identity ({@code /System/Info/Public}) are asked this
         * often, at startup, on the refresh command and when the local day changes, not every activity poll: a
         * history page is heavier than a status call and today's count moves slowly. Between asks the last answers
         * are published again. Default 5 min; at least {@code mediawatch.activity.interval}.
         */
        @WithDefault("5m")
        Duration interval();
    }

    interface Stall {
        /**
         * A session is judged over this much of its client's report time (and at least two reports after the
         * first). Default 20 s; at least twice {@code mediawatch.activity.interval} and at least 10 s.
         */
        @WithDefault("20s")
        @WithConverter(Bounds.StallSpan.class)
        Duration span();

        /**
         * A playing, not paused session whose position advanced less than this share of the time that passed
         * over the span is stalled. Default 0.5; between 0 and 1, both excluded.
         */
        @WithDefault("0.5")
        @WithConverter(Ratio.class)
        double minAdvance();

        /**
         * A playing, not paused session whose client has not reported ({@code LastPlaybackCheckIn} unchanged)
         * for longer than this, on the agent's clock, is silent. Default 30 s; longer than
         * {@code mediawatch.activity.interval}.
         */
        @WithDefault("30s")
        Duration silentAfter();
    }

    interface Endpoint {
        /**
         * The service's base URL, e.g. {@code http://127.0.0.1:8096}. Default: when the catalogue lists the
         * service (by that name) on this host with a port, {@code http://<mediawatch.probes.host>:<first port>};
         * otherwise the source is not configured.
         */
        Optional<String> url();
    }

    interface Throttle {
        /**
         * Whether the aggregator's throttle commands are obeyed. Default: {@code true} on role {@code download},
         * {@code false} otherwise. A throttle found in the state file at startup is restored either way.
         */
        Optional<Boolean> allowed();

        /**
         * Where an active throttle (the limits to restore, containers paused) is kept across restarts and crashes.
         * Default {@code /var/lib/mediawatch/throttle.json}.
         */
        @WithDefault("/var/lib/mediawatch/throttle.json")
        java.nio.file.Path stateFile();
    }

    interface Compose {
        /**
         * Compose directories to audit for plaintext secrets, comma-separated absolute host paths (e.g.
         * {@code /opt/stacks} or {@code /mnt/docker/stacks}): each directory's own {@code .env} and the
         * {@code .env} of each of its direct subdirectories. The names of secret-looking keys set to a value
         * are published ({@code envAudit}); values never are. Default: none, and no audit.
         */
        Optional<java.util.List<String>> dirs();

        /**
         * The compose directories are audited this often, besides at startup and on the refresh command.
         * Default 5 min; at least 1 s.
         */
        @WithDefault("5m")
        @WithConverter(Bounds.Interval.class)
        Duration auditInterval();
    }

    interface Mounts {
        /**
         * The mounts to watch, comma-separated {@code PATH[:FSTYPES[:MODE]]}, e.g.
         * {@code /mnt/media:nfs|nfs4:ro,/mnt/docker:nfs|nfs4:rw}; {@code none} watches none. Default by role:
         * {@code download} watches {@code /mnt/media} and {@code /mnt/docker} as NFS {@code rw};
         * {@code streaming} the same with {@code /mnt/media} {@code ro} (the split plan); other roles none.
         */
        Optional<java.util.List<String>> watch();

        /**
         * Mounts, pressure and disk/container I/O are sampled and published this often. Default 5 s; longer than
         * {@code timeout}.
         */
        @WithDefault("5s")
        Duration interval();

        /**
         * A {@code stat}/{@code statvfs} on a mount not answered within this makes it {@code hung}; no new call
         * is made on it until the stuck one returns. The same limit applies to the compose directories' audit
         * ({@code mediawatch.compose.dirs}), which often live on NFS. Default 2 s; at least 100 ms.
         */
        @WithDefault("2s")
        @WithConverter(Bounds.Timeout.class)
        Duration timeout();
    }

    interface Io {
        /**
         * Which block devices of {@code /proc/diskstats} to report, a regular expression matching the whole
         * name (e.g. {@code sd[ab]|nvme0n1}). Default: whole disks (no partitions, loop, ram or zram devices).
         */
        @WithConverter(Regex.class)
        Optional<String> disks();
    }

    interface Probes {
        /** Every catalogue service with a probe is asked this often. Default 30 s. */
        @WithDefault("30s")
        @WithConverter(PositiveDuration.class)
        Duration interval();

        /** A probe not answered (headers received) within this is down with "timeout". Default 2 s. */
        @WithDefault("2s")
        @WithConverter(PositiveDuration.class)
        Duration timeout();

        /** Where the services' published ports are reached from the agent. Default {@code 127.0.0.1}. */
        @WithDefault("127.0.0.1")
        String host();
    }

    interface RestartLoop {
        /** A container restarted at least this many times within {@code window} is in a restart loop. Default 3. */
        @WithDefault("3")
        @WithConverter(PositiveInt.class)
        int restarts();

        /** See {@code restarts}. Default 5 min. */
        @WithDefault("5m")
        @WithConverter(PositiveDuration.class)
        Duration window();
    }

    interface Events {
        /**
         * Events kept while the broker is unreachable, published in order when it returns; beyond this the
         * oldest are dropped and counted ({@code mediawatch_agent_events_dropped_total}). Default 1000.
         */
        @WithDefault("1000")
        @WithConverter(PositiveInt.class)
        int bufferSize();
    }

    interface Mqtt {
        /** The broker's host name or address. Default {@code localhost}. */
        @WithDefault("localhost")
        String host();

        /** The broker's port. Default {@code 1883}. */
        @WithDefault("1883")
        @WithConverter(Port.class)
        int port();

        /** The user name, when the broker wants one. */
        Optional<String> username();

        /** The password, when the broker wants one. Never logged or published. Not together with {@code password-file}. */
        Optional<String> password();

        /**
         * A file holding the password (systemd credentials, Docker secrets), one trailing newline stripped. Setting
         * both this and {@code password} stops startup; so does a file that cannot be read (named, never its content).
         */
        Optional<java.nio.file.Path> passwordFile();

        /**
         * Connect over TLS. The broker's certificate is verified (with {@code ca-file}, else the JVM's trust store)
         * and must name {@code host}: hostname verification is always on. Default false.
         */
        @WithDefault("false")
        boolean tls();

        /** A PEM bundle of the CA certificate(s) that verify the broker; needs {@code tls}. Default: the JVM's trust store. */
        Optional<java.nio.file.Path> caFile();

        /** The MQTT client id. Default {@code mediawatch-agent-<host-id>}. */
        Optional<String> clientId();

        /** Seconds between keep-alive pings; the broker declares the agent dead after 1.5 times this. Default 15. */
        @WithDefault("15")
        int keepAliveSeconds();
    }

    interface Docker {
        /**
         * The container engine's address, {@code unix:///path/docker.sock} or {@code tcp://host:port} (port 2375
         * when left out). {@code tcp://} is plain HTTP without TLS, as the engine's own unencrypted TCP socket: for
         * an engine on this host only, never a remote one across the network.
         * Default: {@code DOCKER_HOST}, then {@code unix:///var/run/docker.sock}.
         */
        String host();

        /**
         * How long one engine API call may take, connecting and the whole answer together, before the engine counts
         * as unreachable (the events stream, once open, has no limit). Default 10 s.
         */
        @WithDefault("10s")
        @WithConverter(PositiveDuration.class)
        Duration timeout();
    }

    interface Publish {
        /**
         * The state is collected and republished at least this often, and at once on every engine event.
         * Default 30 s; at least 1 s.
         */
        @WithDefault("30s")
        @WithConverter(Bounds.Interval.class)
        Duration interval();
    }
}
