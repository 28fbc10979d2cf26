package dev.mediawatch.aggregator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mediawatch.runtime.config.HttpUrl;
import dev.mediawatch.runtime.config.NonNegativeDuration;
import dev.mediawatch.runtime.config.NonNegativeInt;
import dev.mediawatch.runtime.config.Port;
import dev.mediawatch.runtime.config.PositiveDuration;
import dev.mediawatch.runtime.config.PositiveInt;
import dev.mediawatch.runtime.config.PositiveLong;
import dev.mediawatch.runtime.config.TopicPrefix;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * The aggregator's configuration, every key under {@code mediawatch.}; each can be set by environment
 * variable the Quarkus way ({@code mediawatch.mqtt.host} is {@code MEDIAWATCH_MQTT_HOST}). The README's
 * configuration table lists the same keys.
 *
 * <p>Every single value is checked here, by the converter its key declares ({@code @WithConverter}): a bad one
 * stops startup naming the key, the value and the problem, with every other bad one. What relates several values
 * (an interval longer than its timeout) is checked by {@link AggregatorConfigCheck}.
 */
@ConfigMapping(prefix = "mediawatch")
public interface AggregatorConfig {

    /** The first level(s) of every topic. Default {@code mediawatch}. */
    @WithDefault("mediawatch")
    @WithConverter(TopicPrefix.class)
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

    Stutter stutter();

    Incidents incidents();

    @io.smallrye.config.WithName("notify")
    Notify notifications();

    Mitigation mitigation();

    Recording recording();

    Acceptance acceptance();

    Web web();

    /** The web page at {@code /}: the live status, contention over 24 hours, incidents. */
    interface Web {
        /**
         * The most pages open on live updates at once ({@code /api/status/stream}); one more is refused with
         * {@code 503} until one closes. Default 100.
         */
        @WithDefault("100")
        @WithConverter(dev.mediawatch.runtime.config.PositiveInt.class)
        int maxLive();

        /**
         * The time zone the page shows times in (e.g. {@code Europe/Berlin}). Default: the aggregator's own zone.
         */
        @WithConverter(ZoneConverter.class)
        Optional<java.time.ZoneId> zone();
    }

    /** The split plan's success criteria that need memory: services working, the tunnel, smooth streaming, the soak. */
    interface Acceptance {
        /**
         * The soak: every criterion must stay green this long after the split went live before the old VM may be
         * powered off; also the window the other criteria are judged over. Default 72 h.
         */
        @WithDefault("72h")
        @WithConverter(Bounds.Soak.class)
        Duration soak();

        /**
         * Downloads and playback must have overlapped at least this long in the soak window before "streaming smooth
         * during active downloads" counts as shown. Default 1 h.
         */
        @WithDefault("1h")
        @WithConverter(NonNegativeDuration.class)
        Duration minOverlap();

        /**
         * The public URLs and the service each must reach, comma-separated {@code <url>=<service>}, e.g.
         * {@code https://jellyfin.example.org=jellyfin,https://music.example.org=navidrome}. None by default (the
         * tunnel criterion then says so).
         */
        Optional<List<String>> tunnel();

        /** The public URLs are asked this often. Default 5 min. */
        @WithDefault("5m")
        Duration tunnelInterval();

        /** One public URL not answered within this fails. Default 10 s. */
        @WithDefault("10s")
        @WithConverter(PositiveDuration.class)
        Duration tunnelTimeout();

        /** Where the criteria's memory (when the split went live, the soak, the overlap) is kept. */
        @WithDefault("/var/lib/mediawatch/acceptance.json")
        Path stateFile();
    }

    /** The stutter detector (docs/decisions/0007-stutter-detector.md justifies every default). */
    interface Stutter {
        /** How often the detector decides, over the latest signals. Default 5 s (the agents' sample interval). */
        @WithDefault("5s")
        @WithConverter(PositiveDuration.class)
        Duration window();

        /**
         * Contention (download pressure and streaming degradation, somebody watching) must hold this long before
         * "streaming stutter during downloads" is raised. Default 20 s.
         */
        @WithDefault("20s")
        @WithConverter(PositiveDuration.class)
        Duration raiseAfter();

        /**
         * A playback stall (a playing Jellyfin stream whose position stands still, or whose client went silent) must
         * be seen this long before it raises: with download pressure the stutter alert, without it streaming degraded.
         * Default 10 s.
         */
        @WithDefault("10s")
        @WithConverter(PositiveDuration.class)
        Duration stallRaiseAfter();

        /**
         * A condition holds over one of these times when it holds in the newest window and in at least this share of
         * the windows that span the time: at 0.75, contention in 4 of the 5 windows of 20 s raises, so one window
         * whose reads went through between slow ones does not start the wait over. 1 asks for every window.
         * Default 0.75.
         */
        @WithDefault("0.75")
        @WithConverter(dev.mediawatch.runtime.config.Share.class)
        double holdShare();

        /** Calm must hold this long before a raised alert clears. Default 60 s. */
        @WithDefault("60s")
        @WithConverter(PositiveDuration.class)
        Duration clearAfter();

        /** An open alert whose signals are gone (an agent offline) is held this long, then cleared as "signals lost". Default 5 min. */
        @WithDefault("5m")
        @WithConverter(PositiveDuration.class)
        Duration holdMissingFor();

        /** The shared media mount whose NFS statistics are read. Default {@code /mnt/media}. */
        @WithDefault("/mnt/media")
        String mediaPath();

        /**
         * Threshold overrides, each {@code <side>-<signal>=<raise>/<clear>} in the signal's unit (B/s, ms, %, count),
         * e.g. {@code streaming-nfs-read-rtt=80/40,download-disk-write=40000000/20000000}. Sides: {@code download},
         * {@code streaming}; signals as in docs/contract.md. An unknown signal, a bad number or a clear beyond its
         * raise stops startup. None by default (the defaults of docs/decisions/0007).
         */
        Optional<List<String>> thresholds();

        /**
         * Calm seen on a host before its thresholds are learned from it instead of the defaults: windows counted while
         * nothing downloads, no stutter is raised and no stream stalls. Default 1 h.
         */
        @WithDefault("1h")
        @WithConverter(PositiveDuration.class)
        Duration learnAfter();

        /**
         * How long a host must have been online before its samples are learned from: an agent's first samples carry
         * its own start (a JVM reading its classes). Default {@code 1m}.
         */
        @WithDefault("1m")
        @WithConverter(dev.mediawatch.runtime.config.NonNegativeDuration.class)
        Duration settle();

        /** Days of calm kept per host and signal; older days are forgotten, so a NAS that changes is followed. Default 7. */
        @WithDefault("7")
        @WithConverter(Bounds.LearnDays.class)
        int learnDays();

        /**
         * How a learned threshold is made, per signal, each {@code <side>-<signal>=<floor>/<factor>}: raise at the larger
         * of the floor and factor times the calm p99 (the clear level keeps the default's ratio to raise), e.g.
         * {@code streaming-nfs-read-rtt=5/3}. Learnable: the latencies, io-psi and the write rates. None by default
         * (the defaults of docs/decisions/0010).
         */
        Optional<List<String>> learning();

        /** Where the learned baselines are kept across restarts. Default {@code /var/lib/mediawatch/baselines.json}. */
        @WithDefault("/var/lib/mediawatch/baselines.json")
        Path baselinesFile();
    }

    /** Recording of what feeds the detector, for replay (scripts/replay.sh). */
    interface Recording {
        /**
         * The recording file: every accepted agent message that feeds the detector, one JSON line each (receive time,
         * topic, payload). Absent: nothing is recorded (the default).
         */
        Optional<Path> file();

        /** The recording is rotated (to {@code <file>.1}, ...) when it grows beyond this. Default 67108864 (64 MiB). */
        @WithDefault("67108864")
        @WithConverter(Bounds.RecordingBytes.class)
        long maxBytes();

        /** Rotated files kept besides the current one. Default 2. */
        @WithDefault("2")
        @WithConverter(NonNegativeInt.class)
        int keep();
    }

    interface Incidents {
        /** The incident journal (created with its directory). Default {@code /var/lib/mediawatch/incidents.journal}. */
        @WithDefault("/var/lib/mediawatch/incidents.journal")
        Path file();

        /** Incidents cleared longer ago than this are dropped. Default 30 days. */
        @WithDefault("30d")
        @WithConverter(PositiveDuration.class)
        Duration retention();

        /** The most incidents kept; the oldest go first. Default 10000. */
        @WithDefault("10000")
        @WithConverter(PositiveInt.class)
        int maxIncidents();

        /** The journal is compacted when it grows past this. Default 16777216 (16 MiB). */
        @WithDefault("16777216")
        @WithConverter(PositiveLong.class)
        long maxFileBytes();
    }

    interface Notify {
        /**
         * Where alerts are sent: service URLs in Shoutrrr's format (the one Watchtower's
         * {@code WATCHTOWER_NOTIFICATION_URL} uses), separated by spaces or new lines: {@code ntfy://}, {@code gotify://},
         * {@code discord://}, {@code telegram://}, {@code pushover://}, {@code slack://}, {@code matrix://},
         * {@code smtp://}, {@code generic://}, {@code generic+http(s)://}, {@code apprise(s)://}. A fragment sets what a
         * target takes: {@code #severity=critical&kinds=host,stutter}. URLs carry tokens: prefer {@code urls-file}.
         * None by default.
         */
        Optional<String> urls();

        /**
         * A file of service URLs, one per line ({@code #} starts a comment): the secret way (systemd credentials,
         * Docker secrets, Infisical). Read at startup; at most 64 KiB.
         */
        Optional<java.nio.file.Path> urlsFile();

        /**
         * The aggregator's address as people open it (e.g. {@code http://media-agg.lan:8470}): messages link to its
         * status. None by default.
         */
        @WithConverter(dev.mediawatch.runtime.config.HttpUrl.class)
        Optional<String> externalUrl();

        /**
         * How long an alert of a kind must stay open before it is sent, per kind: {@code host} 2m, {@code engine} 1m,
         * {@code service} 3m, {@code mount} 1m, {@code source} 5m, {@code throttle} 1m, {@code stutter} and
         * {@code streaming-degraded} 0s (the detector holds them itself), {@code incidents} 5m, any other 2m. E.g.
         * {@code mediawatch.notify.hold.service=5m}.
         */
        Map<String, Duration> hold();

        /**
         * After a start, alerts are judged for notifications only after this long: the status fills from the broker's
         * retained messages first, so an alert sent before the restart is not taken for cleared. Default 30 s.
         */
        @WithDefault("30s")
        @WithConverter(NonNegativeDuration.class)
        Duration settle();

        /** What was sent, kept across restarts (a raise never repeated, a clear never lost). */
        @WithDefault("/var/lib/mediawatch/notify-state.json")
        java.nio.file.Path stateFile();

        /** Each delivery attempt's time limit. Default 10 s. */
        @WithDefault("10s")
        @WithConverter(PositiveDuration.class)
        Duration timeout();

        /** Attempts per delivery (connection errors, timeouts, 5xx and 429 are retried). Default 5. */
        @WithDefault("5")
        @WithConverter(PositiveInt.class)
        int maxAttempts();

        /** The first retry's delay, doubling after each. Default 2 s. */
        @WithDefault("2s")
        @WithConverter(NonNegativeDuration.class)
        Duration backoff();
    }

    /** Opt-in mitigation: throttle downloads while streaming stutters and somebody watches. */
    interface Mitigation {
        /** Ask the download hosts' agents to throttle while the stutter alert is raised. Default false. */
        @WithDefault("false")
        boolean enabled();

        /** SABnzbd's speed limit while throttled, bytes/s ({@code 0}: leave SABnzbd alone). Default 10485760 (10 MiB/s). */
        @WithDefault("10485760")
        long sabnzbdLimit();

        /** qBittorrent's global download limit while throttled, bytes/s ({@code 0}: leave it alone). Default 5242880 (5 MiB/s). */
        @WithDefault("5242880")
        long qbittorrentLimit();

        /** Also pause the post-processing containers (unpackerr, tdarr) while throttled. Default false. */
        @WithDefault("false")
        boolean pausePostProcessing();

        /** The lease: the agent restores by itself unless renewed within this. Default 90 s. */
        @WithDefault("90s")
        @WithConverter(Bounds.Lease.class)
        Duration lease();

        /** How often the lease is renewed while the alert holds. Default 30 s (three renewals per lease). */
        @WithDefault("30s")
        @WithConverter(PositiveDuration.class)
        Duration renewEvery();
    }

    interface Ingest {
        /** Payloads larger than this are refused ({@code too-large}). Default 524288 (512 KiB). */
        @WithDefault("524288")
        @WithConverter(PositiveInt.class)
        int maxPayloadBytes();

        /**
         * Topics and hosts with messages waiting to be read, at most; an eighth of them for hosts not yet known. A
         * retained topic holds only its newest message. Beyond, a message is shed and counted. Default 32768.
         */
        @WithDefault("32768")
        @WithConverter(Bounds.PendingTopics.class)
        int maxPendingTopics();

        /** Payload bytes waiting to be read, at most; beyond, a message is shed and counted. Default 33554432 (32 MiB). */
        @WithDefault("33554432")
        @WithConverter(Bounds.PendingBytes.class)
        long maxPendingBytes();

        /** Events waiting per host, at most; beyond, that host's oldest waiting event is shed. Default 256. */
        @WithDefault("256")
        @WithConverter(PositiveInt.class)
        int eventsPerHost();
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
        @WithConverter(PositiveInt.class)
        int maxConfigs();

        /**
         * Publish MQTT discovery configs and state for Home Assistant: a device per host and one for the stack, with
         * their sensors, binary sensors, buttons and (with mitigation enabled) a switch. Default true.
         */
        @WithDefault("true")
        boolean discovery();

        /**
         * Home Assistant's birth topic; {@code online} on it re-announces every config, then the state. Default
         * {@code <discovery-prefix>/status}.
         */
        Optional<String> birthTopic();

        /** The most random delay before re-announcing after a birth message, so many publishers do not burst at once. Default 3 s. */
        @WithDefault("3s")
        @WithConverter(NonNegativeDuration.class)
        Duration birthDelay();

        /**
         * {@code expire_after} of every periodic sensor: Home Assistant shows it unavailable when no value came for this
         * long. The aggregator republishes every state at a third of it. Default 300 s.
         */
        @WithDefault("300s")
        @WithConverter(Bounds.ExpireAfter.class)
        Duration expireAfter();

        /**
         * The node id of every config topic ({@code <prefix>/<component>/<node-id>/<object-id>/config}) and the first
         * part of every unique_id; configs under it that the aggregator no longer publishes are cleared. Default: the
         * topic prefix with every character outside {@code [a-zA-Z0-9_-]} as {@code _}.
         */
        Optional<String> nodeId();

        /** The devices' {@code configuration_url}, the aggregator's status page as Home Assistant users reach it. Default {@code http://<this host's name>:<http port>/}. */
        @WithConverter(HttpUrl.class)
        Optional<String> configurationUrl();
    }

    interface Api {
        /**
         * A bearer token that {@code POST /api/refresh} requires ({@code Authorization: Bearer <token>}). Without one,
         * anyone who reaches the port may ask for a refresh. Never logged.
         */
        Optional<String> token();

        /** The token from a file instead (systemd credential, Docker secret): one line, one trailing newline stripped. */
        Optional<java.nio.file.Path> tokenFile();
    }

    interface Refresh {
        /** How long {@code POST /api/refresh} waits for the agents' answers. Default 10 s. */
        @WithDefault("10s")
        @WithConverter(PositiveDuration.class)
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
        Optional<Path> passwordFile();

        /**
         * Connect over TLS, to an external broker ({@code host}): the embedded one speaks plain MQTT on loopback. The
         * broker's certificate is verified (with {@code ca-file}, else the JVM's trust store) and must name
         * {@code host}: hostname verification is always on. Default false.
         */
        @WithDefault("false")
        boolean tls();

        /** A PEM bundle of the CA certificate(s) that verify the broker; needs {@code tls}. Default: the JVM's trust store. */
        Optional<Path> caFile();

        /** The MQTT client id. Default {@code mediawatch-aggregator}. */
        @WithDefault("mediawatch-aggregator")
        String clientId();

        /**
         * QoS 1 messages sent and not yet acknowledged by the broker, at most (the MQTT client's in-flight window);
         * the rest wait, in order, in the send queue. Default 32.
         */
        @WithDefault("32")
        @WithConverter(Bounds.MaxInFlight.class)
        int maxInFlight();

        /** Messages waiting in the send queue, at most; beyond, a publish fails at once and is counted. Default 50000. */
        @WithDefault("50000")
        @WithConverter(PositiveInt.class)
        int sendQueue();
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
        @WithConverter(PositiveDuration.class)
        Duration staleAfter();

        /** A host heard nothing from for this long is {@code down}, whatever its availability says. Default 5 min. */
        @WithDefault("5m")
        @WithConverter(PositiveDuration.class)
        Duration downAfter();

        /**
         * The most hosts tracked; messages from further hosts are refused ({@code host-limit}), so a stray or
         * hostile publisher cannot grow the table. Default 64.
         */
        @WithDefault("64")
        @WithConverter(PositiveInt.class)
        int maxHosts();

        /** How many recent events {@code GET /api/events} keeps. Default 200. */
        @WithDefault("200")
        @WithConverter(PositiveInt.class)
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
        @WithConverter(PositiveInt.class)
        int maxPublishBytes();
    }
}
