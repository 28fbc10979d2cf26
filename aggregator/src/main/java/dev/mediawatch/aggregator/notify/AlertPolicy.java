package dev.mediawatch.aggregator.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.mediawatch.contract.Alert;
import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.HostId;

/**
 * Which of the status's open alerts become messages, and when. Alerts are grouped by cause, each group held for its
 * kind's hold time before one message is sent, and one more when it clears:
 *
 * <ul>
 * <li>a VM down or stale ({@code host:<vm>}) is one message for everything on that VM: its services, mounts and
 * engine are named in it, not sent one by one;</li>
 * <li>a container engine unreachable ({@code engine:<vm>}) takes that VM's services with it;</li>
 * <li>one mount path in trouble on several VMs ({@code /mnt/media} hung on both) is one message naming each;</li>
 * <li>anything else is a message of its own.</li>
 * </ul>
 *
 * A group that clears within its hold sends nothing (a container restarted by an image update). What was sent is
 * kept ({@link Sent}) so a restart neither repeats a raise nor loses a clear: after {@code settle} from the start
 * (the hosts' retained state has arrived by then), a group sent before the restart and no longer open gets its clear.
 *
 * <p>Plain Java, no I/O: one caller (the notification ticker) at a time. Bounded by the open alerts and by
 * {@link #MAX_SENT} groups remembered.
 */
public final class AlertPolicy {

    /** After a start, nothing is judged for this long by default: the status fills from the broker's retained messages. */
    public static final Duration SETTLE = Duration.ofSeconds(30);
    /** At most this many sent groups are remembered (the oldest forgotten beyond). */
    public static final int MAX_SENT = 2_000;
    /** Evidence lines per message at most. */
    static final int MAX_EVIDENCE = 12;

    /** The hold of each alert kind before it is sent; {@link #DEFAULT_HOLD} for a kind not listed. */
    public static Map<String, Duration> defaultHolds() {
        Map<String, Duration> m = new LinkedHashMap<>();
        m.put("host", Duration.ofMinutes(2));
        m.put("engine", Duration.ofMinutes(1));
        m.put("service", Duration.ofMinutes(3));
        m.put("mount", Duration.ofMinutes(1));
        m.put("source", Duration.ofMinutes(5));
        m.put("throttle", Duration.ofMinutes(1));
        m.put("stutter", Duration.ZERO);
        m.put("streaming-degraded", Duration.ZERO);
        m.put("incidents", Duration.ofMinutes(5));
        return m;
    }

    public static final Duration DEFAULT_HOLD = Duration.ofMinutes(2);

    /** A group sent as raised, as remembered across restarts. */
    public record Sent(String group, String kind, Message.Severity severity, Instant since, String title) {
        public Sent {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(title, "title");
        }
    }

    /** Evidence for one alert: lines such as the container's state and exit code, or the stalled streams. */
    @FunctionalInterface
    public interface Evidence {
        List<String> lines(Alert alert);

        Evidence NONE = a -> List.of();
    }

    /** A message to send, and the severity targets filter it by (a clear's is its raise's). */
    public record Out(Message message, Message.Severity filterSeverity) {
    }

    /** Alerts of one cause. */
    record Group(String key, String kind, Message.Severity severity, Instant since, Alert lead, List<Alert> members) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC', d MMM", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Map<String, Duration> holds;
    private final String link;
    private final Instant startedAt;
    private final Duration settle;
    private final LinkedHashMap<String, Sent> sent = new LinkedHashMap<>();
    /** When this process first saw each sent group open: a later time means it cleared and came back. */
    private final Map<String, Instant> seenSince = new java.util.HashMap<>();
    private boolean changed;

    /**
     * @param holds     per alert kind; kinds missing take {@link #DEFAULT_HOLD}
     * @param link      the status page to link, or null
     * @param startedAt when the aggregator started
     * @param restored  what was sent before the restart
     */
    public AlertPolicy(Map<String, Duration> holds, String link, Instant startedAt, List<Sent> restored) {
        this(holds, link, startedAt, SETTLE, restored);
    }

    /** @param settle nothing is judged for this long after {@code startedAt} */
    public AlertPolicy(Map<String, Duration> holds, String link, Instant startedAt, Duration settle, List<Sent> restored) {
        this.settle = Objects.requireNonNull(settle, "settle");
        this.holds = Map.copyOf(holds);
        this.link = link;
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        for (Sent s : restored) {
            remember(s);
        }
    }

    /** What is remembered as sent, oldest first (to be saved). */
    public List<Sent> sent() {
        return List.copyOf(sent.values());
    }

    /** Whether {@link #sent()} changed since the last call. */
    public boolean takeChanged() {
        boolean c = changed;
        changed = false;
        return c;
    }

    /** One look at the open alerts at {@code now}: the messages due. */
    public List<Out> update(List<Alert> open, Evidence evidence, Instant now) {
        if (Duration.between(startedAt, now).compareTo(settle) < 0) {
            return List.of();
        }
        List<Out> out = new ArrayList<>();
        Map<String, Group> groups = groups(open, now);
        for (Group g : groups.values()) {
            Sent was = sent.get(g.key());
            if (was != null) {
                Instant seen = seenSince.putIfAbsent(g.key(), g.since());
                if (seen == null || !g.since().isAfter(seen)) {
                    // Still the raise that was sent: by this process, or before a restart (whose status dates the
                    // alert from its own start, so only this process's first sight of it counts).
                    continue;
                }
                // The group cleared and came back between two looks: its clear first, then the new raise.
                out.add(clear(was, now));
                forget(g.key());
            }
            if (Duration.between(g.since(), now).compareTo(hold(g.kind())) < 0) {
                continue;
            }
            Message m = raise(g, evidence);
            out.add(new Out(m, g.severity()));
            remember(new Sent(g.key(), g.kind(), g.severity(), g.since(), m.title()));
            seenSince.put(g.key(), g.since());
        }
        for (Sent s : List.copyOf(sent.values())) {
            if (!groups.containsKey(s.group())) {
                out.add(clear(s, now));
                forget(s.group());
            }
        }
        return out;
    }

    Duration hold(String kind) {
        return holds.getOrDefault(kind, defaultHolds().getOrDefault(kind, DEFAULT_HOLD));
    }

    private void remember(Sent s) {
        sent.remove(s.group());
        sent.put(s.group(), s);
        while (sent.size() > MAX_SENT) {
            seenSince.remove(sent.keySet().iterator().next());
            sent.remove(sent.keySet().iterator().next());
        }
        changed = true;
    }

    private void forget(String group) {
        seenSince.remove(group);
        if (sent.remove(group) != null) {
            changed = true;
        }
    }

    /** The open alerts by cause, in a stable order (most severe, then oldest). */
    static Map<String, Group> groups(List<Alert> open, Instant now) {
        Map<HostId, Alert> hostDown = new TreeMap<>(Comparator.comparing(HostId::value));
        Map<HostId, Alert> engineDown = new TreeMap<>(Comparator.comparing(HostId::value));
        for (Alert a : open) {
            if ("host".equals(a.kind()) && a.host() != null && a.id().startsWith("host:")) {
                hostDown.put(a.host(), a);
            } else if ("engine".equals(a.kind()) && a.host() != null) {
                engineDown.put(a.host(), a);
            }
        }
        Map<String, List<Alert>> members = new LinkedHashMap<>();
        Map<String, Alert> leads = new LinkedHashMap<>();
        for (Alert a : open) {
            String key;
            Alert lead = a;
            if (a.host() != null && hostDown.containsKey(a.host())) {
                lead = hostDown.get(a.host());
                key = lead.id();
            } else if ("service".equals(a.kind()) && a.host() != null && engineDown.containsKey(a.host())) {
                lead = engineDown.get(a.host());
                key = lead.id();
            } else if ("mount".equals(a.kind()) && a.subject() != null) {
                key = "mount:" + a.subject();
            } else {
                key = a.id();
            }
            members.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
            // A VM's or an engine's group is led by its cause; a mount group by its first (most severe) member.
            leads.putIfAbsent(key, lead);
        }
        List<Group> list = new ArrayList<>();
        members.forEach((key, alerts) -> {
            Alert lead = leads.get(key);
            Instant since = alerts.stream().map(x -> x.since() == null ? now : x.since()).min(Comparator.naturalOrder())
                    .orElse(now);
            if (lead.since() != null && (lead.id().startsWith("host:") || lead.id().startsWith("engine:"))) {
                since = lead.since(); // the cause's time, not a symptom's that was already there
            }
            boolean critical = alerts.stream().anyMatch(x -> x.severity() == AlertSeverity.CRITICAL);
            list.add(new Group(key, lead.kind(), critical ? Message.Severity.CRITICAL : Message.Severity.WARNING,
                    since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), lead, List.copyOf(alerts)));
        });
        list.sort(Comparator.comparing((Group g) -> g.severity().ordinal()).thenComparing(Group::since)
                .thenComparing(Group::key));
        Map<String, Group> out = new LinkedHashMap<>();
        list.forEach(g -> out.put(g.key(), g));
        return out;
    }

    private Message raise(Group g, Evidence evidence) {
        List<String> lines = new ArrayList<>();
        Alert lead = g.lead();
        String title;
        String headline;
        if (g.key().startsWith("mount:") && g.members().size() > 1) {
            Set<String> hosts = new TreeSet<>();
            g.members().forEach(a -> hosts.add(a.host() == null ? "?" : a.host().value()));
            String path = lead.subject();
            String state = word(lead.message(), path);
            title = path + " " + state + " on " + (hosts.size() == 2 ? String.join(" and ", hosts) : hosts.size() + " VMs");
            headline = path + " is " + state + " on " + String.join(", ", hosts) + " since " + TIME.format(g.since()) + ".";
            for (Alert a : g.members()) {
                lines.add(a.message());
            }
        } else {
            title = title(lead);
            headline = sentence(lead.message()) + " Since " + TIME.format(g.since()) + ".";
            for (String l : evidence.lines(lead)) {
                lines.add(l);
            }
            List<Alert> covered = g.members().stream().filter(a -> a != lead).toList();
            if (!covered.isEmpty()) {
                lines.add("also affected: " + covered.size() + (covered.size() == 1 ? " alert" : " alerts"));
                for (Alert a : covered) {
                    lines.add("- " + a.message());
                }
            }
        }
        StringBuilder text = new StringBuilder(headline);
        int n = 0;
        for (String l : lines) {
            if (n++ == MAX_EVIDENCE) {
                text.append("\n(").append(lines.size() - MAX_EVIDENCE).append(" more in the status)");
                break;
            }
            text.append('\n').append(l);
        }
        return new Message(key(g.key(), true, g.since()), title, text.toString(), g.severity(), true, g.kind(), link);
    }

    private Out clear(Sent s, Instant now) {
        Duration lasted = Duration.between(s.since(), now);
        String text = s.title() + ": cleared at " + TIME.format(now) + ", after " + human(lasted) + " (since "
                + TIME.format(s.since()) + ").";
        Message m = new Message(key(s.group(), false, s.since()), "Cleared: " + s.title(), text, Message.Severity.INFO,
                false, s.kind(), link);
        return new Out(m, s.severity());
    }

    static String key(String group, boolean raised, Instant since) {
        return group + ":" + (raised ? "raised" : "cleared") + ":" + since.getEpochSecond();
    }

    /** A lock-screen title: what is wrong and where, in a few words. */
    static String title(Alert a) {
        String host = a.host() == null ? null : a.host().value();
        switch (a.kind()) {
            case "host":
                if (a.id().startsWith("host:")) {
                    return "VM " + host + " " + word(a.message(), host + " is");
                }
                return a.message();
            case "engine":
                return "Container engine unreachable on " + host;
            case "service": {
                String problem = a.message().contains(": ") ? a.message().substring(a.message().indexOf(": ") + 2) : "failing";
                return a.subject() + " " + firstWords(problem) + " on " + host;
            }
            case "mount":
                return a.subject() + " " + word(a.message(), a.subject()) + " on " + host;
            case "stutter":
                return "Streaming stutter during downloads";
            case "streaming-degraded":
                return "Streaming degraded";
            default:
                return a.message();
        }
    }

    /** The word after {@code after} in {@code message} ({@code "... is hung: ..."} → {@code hung}). */
    private static String word(String message, String after) {
        int at = after == null ? -1 : message.indexOf(after);
        String rest = at < 0 ? message : message.substring(at + after.length()).strip();
        if (rest.startsWith("is ")) {
            rest = rest.substring(3);
        }
        int end = 0;
        while (end < rest.length() && (Character.isLetterOrDigit(rest.charAt(end)) || rest.charAt(end) == '-')) {
            end++;
        }
        return end == 0 ? "in trouble" : rest.substring(0, end);
    }

    private static String firstWords(String problem) {
        int colon = problem.indexOf(':');
        String p = colon > 0 ? problem.substring(0, colon) : problem;
        return p.length() > 30 ? p.substring(0, 30) : p;
    }

    private static String sentence(String message) {
        String m = message.strip();
        if (m.isEmpty()) {
            return m;
        }
        m = Character.toUpperCase(m.charAt(0)) + m.substring(1);
        return m.endsWith(".") ? m : m + ".";
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + " s";
        }
        if (s < 2 * 3600) {
            return s / 60 + " min";
        }
        return s / 3600 + " h " + (s % 3600) / 60 + " min";
    }

    /** The hosts named by an open group, for tests and logs. */
    static Set<String> hosts(Group g) {
        Set<String> out = new HashSet<>();
        g.members().forEach(a -> {
            if (a.host() != null) {
                out.add(a.host().value());
            }
        });
        return out;
    }
}
