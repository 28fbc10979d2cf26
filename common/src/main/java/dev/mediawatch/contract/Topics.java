package dev.mediawatch.contract;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every MQTT topic of the contract, built from one configurable prefix (default {@code mediawatch}).
 * Agent and aggregator both use this class; no topic string is written anywhere else.
 *
 * <pre>
 * &lt;prefix&gt;/&lt;host&gt;/availability    retained   online | offline (the agent's last will)
 * &lt;prefix&gt;/&lt;host&gt;/state           retained   {@link HostState} JSON
 * &lt;prefix&gt;/&lt;host&gt;/events          -          {@link HostEvent} JSON
 * &lt;prefix&gt;/&lt;host&gt;/mounts          retained   {@link HostMounts} JSON
 * &lt;prefix&gt;/&lt;host&gt;/io              retained   {@link HostIo} JSON
 * &lt;prefix&gt;/&lt;host&gt;/activity        retained   {@link HostActivity} JSON
 * &lt;prefix&gt;/&lt;host&gt;/cmd/&lt;command&gt;   -          {@link CommandRequest} JSON (or empty), to the agent
 * &lt;prefix&gt;/status                 retained   {@link StatusReport} JSON, from the aggregator
 * &lt;prefix&gt;/contention             retained   {@link Contention} JSON, from the aggregator
 * &lt;prefix&gt;/alerts/&lt;id&gt;            retained   {@link AlertState} JSON, from the aggregator
 * &lt;prefix&gt;/events                 -          {@link HostEvent} JSON with the aggregator's id as host
 * </pre>
 */
public final class Topics {

    public static final String DEFAULT_PREFIX = "mediawatch";

    /** The kinds of per-host topic, named by their last level. */
    public enum Kind {
        AVAILABILITY("availability"),
        STATE("state"),
        EVENTS("events"),
        MOUNTS("mounts"),
        IO("io"),
        ACTIVITY("activity");

        private final String level;

        Kind(String level) {
            this.level = level;
        }

        public String level() {
            return level;
        }
    }

    /** A per-host topic taken apart: which host and which kind. */
    public record Ref(HostId host, Kind kind) {
    }

    /**
     * One or more topic levels of printable characters without wildcards: MQTT 3.1.1 forbids {@code +} and
     * {@code #} in topic names (section 4.7.1), and an empty level or a leading/trailing {@code /} would make
     * a prefix that cannot be matched with the {@code <prefix>/+/state} filters the aggregator uses.
     */
    private static final Pattern PREFIX = Pattern.compile("[^/+#\\s\\x00]+(?:/[^/+#\\s\\x00]+)*");

    private final String prefix;

    private Topics(String prefix) {
        this.prefix = prefix;
    }

    public static boolean isValidPrefix(String prefix) {
        return prefix != null && PREFIX.matcher(prefix).matches() && !prefix.startsWith("$");
    }

    public static Topics withPrefix(String prefix) {
        Objects.requireNonNull(prefix, "topic prefix");
        if (!isValidPrefix(prefix)) {
            throw new IllegalArgumentException("invalid topic prefix '" + Text.printable(prefix, 80)
                    + "': use one or more '/'-separated levels without spaces, '+', '#' or a leading '$'");
        }
        return new Topics(prefix);
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    public String prefix() {
        return prefix;
    }

    public String availability(HostId host) {
        return topic(host, Kind.AVAILABILITY);
    }

    public String state(HostId host) {
        return topic(host, Kind.STATE);
    }

    public String events(HostId host) {
        return topic(host, Kind.EVENTS);
    }

    public String mounts(HostId host) {
        return topic(host, Kind.MOUNTS);
    }

    public String io(HostId host) {
        return topic(host, Kind.IO);
    }

    public String activity(HostId host) {
        return topic(host, Kind.ACTIVITY);
    }

    public String topic(HostId host, Kind kind) {
        return prefix + "/" + host.value() + "/" + kind.level();
    }

    public String command(HostId host, Command command) {
        return prefix + "/" + host.value() + "/cmd/" + command.wire();
    }

    /** The filter an agent subscribes to for its own commands. */
    public String commandFilter(HostId host) {
        return prefix + "/" + host.value() + "/cmd/+";
    }

    /** The filter that matches one kind of per-host topic for every host, e.g. {@code mediawatch/+/state}. */
    public String filter(Kind kind) {
        return prefix + "/+/" + kind.level();
    }

    /** The aggregator's unified status. */
    public String status() {
        return prefix + "/status";
    }

    /** The aggregator's contention sensor. */
    public String contention() {
        return prefix + "/contention";
    }

    /** The retained state of the detector's alert {@code id} ({@code stutter}, {@code streaming-degraded}). */
    public String alert(String id) {
        if (id == null || !id.matches("[a-z][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("invalid alert id '" + Text.printable(id, 60) + "'");
        }
        return prefix + "/alerts/" + id;
    }

    /** The aggregator's own events (alert raised and cleared, throttle asked). */
    /** The aggregator's retained {@code online}/{@code offline} (its last will says offline). */
    public String aggregatorAvailability() {
        return prefix + "/aggregator/availability";
    }

    /** A command to the aggregator itself (Home Assistant's buttons and switch). */
    public String aggregatorCommand(Command command) {
        return prefix + "/aggregator/cmd/" + command.wire();
    }

    /** The subscription for every command to the aggregator. */
    public String aggregatorCommandFilter() {
        return prefix + "/aggregator/cmd/+";
    }

    /**
     * Home Assistant's state topics, written by the aggregator: {@code <prefix>/ha/<key>} where the key is a host id,
     * {@code <host>/<service>} or {@code aggregator}. Flat JSON that the discovery configs' templates read.
     */
    public String homeAssistantState(String key) {
        return prefix + "/ha/" + key;
    }

    public String aggregatorEvents() {
        return prefix + "/events";
    }

    /**
     * Takes a per-host topic apart. Empty when the topic is not {@code <prefix>/<host>/<kind>} or the host
     * level is not a valid {@link HostId}: such messages are rejected by the caller, never half-used.
     */
    public Optional<Ref> parse(String topic) {
        if (topic == null || !topic.startsWith(prefix + "/")) {
            return Optional.empty();
        }
        String[] levels = topic.substring(prefix.length() + 1).split("/", -1);
        if (levels.length != 2 || !HostId.isValid(levels[0]) || HostId.isReserved(levels[0])) {
            return Optional.empty();
        }
        for (Kind kind : Kind.values()) {
            if (kind.level.equals(levels[1])) {
                return Optional.of(new Ref(HostId.of(levels[0]), kind));
            }
        }
        return Optional.empty();
    }

    /**
     * True for a topic shaped like a per-host one, {@code <prefix>/<level>/<one more level>}, whose host level is a
     * reserved id ({@link HostId#RESERVED}): the aggregator's own topics that the per-host filters also match
     * ({@code <prefix>/+/availability} matches {@code <prefix>/aggregator/availability}). Such a topic is nobody's
     * host: {@link #parse} gives nothing for it, and it is not a mistake either.
     */
    public boolean isReserved(String topic) {
        if (topic == null || !topic.startsWith(prefix + "/")) {
            return false;
        }
        String[] levels = topic.substring(prefix.length() + 1).split("/", -1);
        return levels.length == 2 && HostId.isReserved(levels[0]);
    }

    /** The command named by {@code <prefix>/<host>/cmd/<command>}, if it is one for {@code host}. */
    public Optional<Command> parseCommand(HostId host, String topic) {
        String head = prefix + "/" + host.value() + "/cmd/";
        if (topic == null || !topic.startsWith(head)) {
            return Optional.empty();
        }
        return Command.fromWire(topic.substring(head.length()));
    }
}
