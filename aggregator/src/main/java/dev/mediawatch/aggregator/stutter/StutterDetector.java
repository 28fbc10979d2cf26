package dev.mediawatch.aggregator.stutter;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.mediawatch.aggregator.stutter.Signals.Reading;
import dev.mediawatch.aggregator.stutter.Signals.Watch;
import dev.mediawatch.aggregator.stutter.Signals.Watching;
import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.SignalValue;
import dev.mediawatch.contract.StutterEvidence;

/**
 * The cross-VM stutter detector: once per window it reads the download side's pressure and the streaming side's
 * degradation from the hosts' snapshots, keeps each signal's crossed state between windows (hysteresis), and
 * raises and clears two alerts, each condition judged over a span of windows:
 *
 * <ul>
 * <li>{@code stutter} (critical): download pressure and streaming degradation held together for
 * {@code raiseAfter} while somebody is (or may be) watching; cleared after {@code clearAfter} without
 * contention.</li>
 * <li>{@code streaming-degraded} (warning): degradation without download pressure for {@code raiseAfter} while
 * somebody is (or may be) watching; cleared after {@code clearAfter} without degradation; never raised while
 * {@code stutter} is.</li>
 * </ul>
 *
 * <p>A condition holds for a time when it holds in the newest window and in at least {@code holdShare} of the
 * windows spanning that time ({@link DetectorConfig#spanWindows}): reads under contention come in bursts, and one
 * window between two slow ones whose reads went through must not start the wait over.
 *
 * <p>A window in which a side an alert needs has no signal at all (its agent offline or stale) is not judged: it
 * counts neither for nor against that alert, for at most {@code holdMissingFor}; an open alert then clears with reason
 * {@code signals lost}. A window before the previous one, or more than {@code maxGap} after it, starts the spans
 * over: a clock jump never raises or clears. docs/decisions/0007-stutter-detector.md gives the reasons.
 *
 * <p>Plain Java: time comes in as {@code now}, nothing here blocks or does I/O. Memory is bounded by the hosts
 * passed in (signal state of hosts no longer passed is dropped) and by fixed caps on sessions and writers in the
 * evidence. Calls are serialised; one caller (the detector's scheduler thread) is expected.
 */
public final class StutterDetector {

    /** At most this many playback sessions in the evidence. */
    static final int MAX_SESSIONS = 20;
    /** At most this many top writers in the evidence. */
    static final int MAX_WRITERS = 10;

    static final String STUTTER_TITLE = "streaming stutter during downloads";
    static final String DEGRADED_TITLE = "streaming degraded";

    private static final DateTimeFormatter INCIDENT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final DetectorConfig config;
    private final Thresholds thresholds;
    /** Crossed state per signal of a host, by {@code side/name/host}. */
    private final Map<String, Boolean> crossed = new HashMap<>();
    private final Track stutter;
    private final Track degraded;
    private Instant previous;

    public StutterDetector(DetectorConfig config) {
        this(config, Thresholds.fixed(config));
    }

    /** @param thresholds the thresholds in force per host and signal (learned, configured or default) */
    public StutterDetector(DetectorConfig config, Thresholds thresholds) {
        this.config = Objects.requireNonNull(config, "config");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.stutter = new Track(AlertState.STUTTER, AlertSeverity.CRITICAL, STUTTER_TITLE);
        this.degraded = new Track(AlertState.STREAMING_DEGRADED, AlertSeverity.WARNING, DEGRADED_TITLE);
    }

    public DetectorConfig config() {
        return config;
    }

    /**
     * Decides one window.
     *
     * @param now   the window's time (aggregator clock)
     * @param hosts every known host's snapshots; hosts whose role is neither download nor streaming are ignored
     */
    public synchronized Decision decide(Instant now, List<HostSample> hosts) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(hosts, "hosts");
        List<HostSample> sorted = hosts.stream().filter(Objects::nonNull)
                .sorted(Comparator.comparing(HostSample::host)).toList();

        Window w = judge(now, sorted);
        Watching watching = Signals.watching(sorted, now, config);
        // A playing stream that stands still is the symptom itself: the streaming side is degraded, whatever the
        // proxies (latencies, pressure) say.
        boolean stallNow = w.stallCrossed;
        if (stallNow || w.transcodeBehind) {
            w.degradation = 100;
            w.streamingAvailable = true;
        }
        int score = score(w.pressure, w.degradation);
        boolean pressureHeld = w.downloadAvailable && w.pressure >= config.heldPct();
        boolean degradationHeld = stallNow || w.streamingAvailable && w.degradation >= config.heldPct();
        String state = pressureHeld && degradationHeld ? Contention.CONTENTION
                : pressureHeld ? Contention.DOWNLOADING
                : degradationHeld ? Contention.DEGRADED
                : Contention.CALM;

        List<dev.mediawatch.contract.StreamSession> stalled = Signals.stalledSessions(sorted, now, config, MAX_SESSIONS);
        StutterEvidence evidence = new StutterEvidence(score, w.values, w.used, w.missing,
                Signals.topWriters(sorted, now, config, MAX_WRITERS), stalledFirst(stalled,
                        Signals.sessions(sorted, now, config, MAX_SESSIONS)));
        Contention contention = Contention.of(now, score, (int) Math.round(w.pressure),
                (int) Math.round(w.degradation), state, watching.state() == Watch.YES, evidence);

        boolean jump = previous != null
                && (now.isBefore(previous) || Duration.between(previous, now).compareTo(config.maxGap()) > 0);
        // A window after lost ones (a late tick, at most maxGap) stands for them too: the agents' samples it reads
        // cover the time since the last window.
        int stands = previous == null || jump ? 1
                : (int) Math.max(1, Math.round((double) Duration.between(previous, now).toMillis() / config.window().toMillis()));
        previous = now;
        // Both alerts need both sides: stutter to see both, streaming-degraded to know there is no pressure. A stall
        // with download pressure needs only what it saw.
        boolean frozen = !w.downloadAvailable || !w.streamingAvailable && !stallNow;
        Facts facts = new Facts(now, jump, stands, frozen, score, evidence, watching, w, stalled);

        List<Decision.Transition> transitions = new ArrayList<>(2);
        boolean contentionNow = Contention.CONTENTION.equals(state);
        boolean degradedNow = Contention.DEGRADED.equals(state);
        // A stall raises after the shorter hold; without one, the proxies need the full raise time and somebody
        // (possibly) watching.
        stutter.step(facts, contentionNow && (stallNow || watching.possibly()),
                stallNow ? config.stallRaiseAfter() : config.raiseAfter(), !contentionNow, false, transitions);
        degraded.step(facts, degradedNow && (stallNow || watching.possibly()),
                stallNow ? config.stallRaiseAfter() : config.raiseAfter(), !degradationHeld, stutter.raised, transitions);
        return new Decision(contention, watching, stutter.view(), degraded.view(), transitions);
    }

    /** The stalled sessions first, then the others, without repeats, at most {@link #MAX_SESSIONS}. */
    private static List<dev.mediawatch.contract.StreamSession> stalledFirst(List<dev.mediawatch.contract.StreamSession> stalled,
            List<dev.mediawatch.contract.StreamSession> all) {
        List<dev.mediawatch.contract.StreamSession> out = new ArrayList<>(stalled);
        for (dev.mediawatch.contract.StreamSession s : all) {
            if (out.size() >= MAX_SESSIONS) {
                break;
            }
            if (!s.stalledOrSilent()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The contention score: the mean of pressure and degradation, 0-100. */
    static int score(double pressure, double degradation) {
        if (pressure <= 0 && degradation <= 0) {
            return 0;
        }
        return (int) Math.max(0, Math.min(100, Math.round((pressure + degradation) / 2)));
    }

    /** The signals of one window, judged. */
    private static final class Window {
        final List<SignalValue> values = new ArrayList<>();
        final List<String> used = new ArrayList<>();
        final List<String> missing = new ArrayList<>();
        /** Names used per host, in report order, for the message. */
        final Map<HostId, List<String>> usedByHost = new LinkedHashMap<>();
        final Set<HostId> streamingHosts = new HashSet<>();
        double pressure;
        double degradation;
        boolean downloadAvailable;
        boolean streamingAvailable;
        /** Some streaming host's {@code playback-stalled} is crossed: a stream stands still. */
        boolean stallCrossed;
        /** Some streaming host's {@code transcode-behind} is crossed: a transcode runs slower than real time. */
        boolean transcodeBehind;
    }

    private Window judge(Instant now, List<HostSample> hosts) {
        Window w = new Window();
        Set<String> seen = new HashSet<>();
        Set<String> used = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        boolean anyDownloadHost = false;
        boolean anyStreamingHost = false;
        // Streaming first, as people read it: where it is felt, then what causes it.
        for (String side : List.of(Signals.STREAMING, Signals.DOWNLOAD)) {
            for (HostSample s : hosts) {
                boolean ofSide = Signals.DOWNLOAD.equals(side) ? s.download() : s.streaming();
                if (!ofSide) {
                    continue;
                }
                if (s.streaming()) {
                    anyStreamingHost = true;
                    w.streamingHosts.add(s.host());
                } else {
                    anyDownloadHost = true;
                }
                double weightAll = 0;
                double weightCrossed = 0;
                for (Reading r : Signals.read(s, now, config)) {
                    String key = r.side() + "/" + r.name() + "/" + r.host().value();
                    seen.add(key);
                    DetectorConfig.Rule rule = thresholds.rule(r.host(), r.side(), r.name());
                    boolean was = crossed.getOrDefault(key, false);
                    if (r.missing()) {
                        missing.add(r.missingLine());
                        continue;
                    }
                    boolean now_ = rule.crossed(r.value(), was);
                    if (r.kind() == Signals.Kind.LOWER_BOUND && !now_) {
                        // Below the threshold with sources unanswered: the real count may be higher. Unknown.
                        missing.add(r.missingLine());
                        continue;
                    }
                    crossed.put(key, now_);
                    w.values.add(new SignalValue(r.name(), r.side(), r.host(), r.value(), r.unit(),
                            rule.threshold(was), now_));
                    used.add(r.name());
                    w.usedByHost.computeIfAbsent(r.host(), h -> new ArrayList<>()).add(r.name());
                    if (Signals.PLAYBACK_STALLED.equals(r.name())) {
                        // Not a proxy weighed with the others: the symptom, handled on its own in decide().
                        w.stallCrossed |= now_;
                        continue;
                    }
                    if (Signals.TRANSCODE_BEHIND.equals(r.name())) {
                        // A symptom too: a transcode behind real time drains the player's buffer, which is stutter
                        // itself. None behind says nothing (a direct-played stream never transcodes), so it never
                        // weighs against the proxies.
                        w.transcodeBehind |= now_;
                        continue;
                    }
                    weightAll += rule.weight();
                    if (now_) {
                        weightCrossed += rule.weight();
                    }
                }
                if (weightAll > 0) {
                    // The side's share is its worst host's: one download host under pressure is pressure.
                    double share = 100.0 * weightCrossed / weightAll;
                    if (s.download()) {
                        w.downloadAvailable = true;
                        w.pressure = Math.max(w.pressure, share);
                    } else {
                        w.streamingAvailable = true;
                        w.degradation = Math.max(w.degradation, share);
                    }
                }
            }
        }
        if (!anyStreamingHost) {
            Signals.STREAMING_SIGNALS.forEach(n -> missing.add(n + ": no host with role streaming"));
        }
        if (!anyDownloadHost) {
            // No host downloads at all (a streaming-only install): there is no pressure, and that is known.
            w.downloadAvailable = true;
            Signals.DOWNLOAD_SIGNALS.forEach(n -> missing.add(n + ": no host with role download"));
        }
        crossed.keySet().retainAll(seen);
        w.used.addAll(used);
        w.missing.addAll(missing);
        return w;
    }

    /** What the alerts need of a window. */
    private record Facts(Instant now, boolean jump, int stands, boolean frozen, int score, StutterEvidence evidence,
            Watching watching, Window window, List<dev.mediawatch.contract.StreamSession> stalled) {
    }

    /**
     * The judged windows of one condition, newest last (windows without the signals the alert needs are not judged:
     * they neither count for it nor against it). The condition is held over a span of {@code n} windows when the
     * newest holds and at least {@code required} of the last {@code n} do.
     */
    private static final class Span {
        private final boolean[] ring;
        private int size;
        private int next;

        Span(int capacity) {
            ring = new boolean[capacity];
        }

        /** One judged window, standing for {@code windows} windows (itself and any lost just before it). */
        void add(boolean holds, int windows) {
            for (int i = 0; i < Math.min(windows, ring.length); i++) {
                ring[next] = holds;
                next = (next + 1) % ring.length;
                size = Math.min(size + 1, ring.length);
            }
        }

        boolean held(int n, int required) {
            if (size < n || !ring[Math.floorMod(next - 1, ring.length)]) {
                return false;
            }
            int holding = 0;
            for (int i = 1; i <= n; i++) {
                if (ring[Math.floorMod(next - i, ring.length)]) {
                    holding++;
                }
            }
            return holding >= required;
        }

        void reset() {
            size = 0;
            next = 0;
        }
    }

    /** One alert: its state and the windows its raise and its clear are judged over. */
    private final class Track {
        final String id;
        final AlertSeverity severity;
        final String title;
        final Span raiseSpan = new Span(config.spanWindows(longest()));
        final Span clearSpan = new Span(config.spanWindows(config.clearAfter()));
        boolean raised;
        Instant raisedAt;
        Instant clearedAt;
        String message;
        String incidentId;
        StutterEvidence atRaise;
        int peakScore;
        StutterEvidence atPeak;
        /** First window of the current run of windows without the signals this alert needs. */
        Instant missingSince;

        Track(String id, AlertSeverity severity, String title) {
            this.id = id;
            this.severity = severity;
            this.title = title;
            this.message = title + ": not raised since the aggregator started";
        }

        void step(Facts f, boolean raiseHolds, Duration raiseAfter, boolean clearHolds, boolean suppressed,
                List<Decision.Transition> out) {
            if (raised && f.score > peakScore) {
                peakScore = f.score;
                atPeak = f.evidence;
            }
            if (f.jump) {
                missingSince = f.frozen ? f.now : null;
                raiseSpan.reset();
                clearSpan.reset();
                if (!f.frozen) {
                    (raised ? clearSpan : raiseSpan).add(raised ? clearHolds : raiseHolds, 1);
                }
                return;
            }
            if (f.frozen) {
                if (missingSince == null) {
                    missingSince = f.now;
                }
                boolean lost = Duration.between(missingSince, f.now).compareTo(config.holdMissingFor()) >= 0;
                if (raised && lost) {
                    clear(f, Decision.Transition.SIGNALS_LOST, out);
                } else if (!raised && lost) {
                    raiseSpan.reset();
                }
                return;
            }
            missingSince = null;
            if (raised) {
                clearSpan.add(clearHolds, f.stands);
                if (clearHolds && held(clearSpan, config.clearAfter())) {
                    clear(f, Decision.Transition.CALM, out);
                }
            } else {
                raiseSpan.add(raiseHolds, f.stands);
                if (raiseHolds && held(raiseSpan, raiseAfter) && !suppressed) {
                    raise(f, out);
                }
            }
        }

        private boolean held(Span span, Duration over) {
            int n = config.spanWindows(over);
            return span.held(n, config.requiredWindows(n));
        }

        private Duration longest() {
            return config.raiseAfter().compareTo(config.stallRaiseAfter()) >= 0 ? config.raiseAfter()
                    : config.stallRaiseAfter();
        }

        private void raise(Facts f, List<Decision.Transition> out) {
            raised = true;
            raisedAt = f.now;
            clearedAt = null;
            incidentId = id + "-" + INCIDENT_TIME.format(f.now);
            atRaise = f.evidence;
            peakScore = f.score;
            atPeak = f.evidence;
            message = title + stalls(f.stalled) + " " + explain(f);
            raiseSpan.reset();
            clearSpan.reset();
            out.add(new Decision.Transition(id, Decision.Change.RAISED, Decision.Transition.HELD, view()));
        }

        private void clear(Facts f, String reason, List<Decision.Transition> out) {
            raised = false;
            clearedAt = f.now;
            message = Decision.Transition.SIGNALS_LOST.equals(reason)
                    ? title + " cleared: signals lost for " + seconds(config.holdMissingFor())
                            + " (missing: " + String.join(", ", f.evidence.signalsMissing()) + ")"
                    : title + " cleared after " + seconds(config.clearAfter()) + " "
                            + (severity == AlertSeverity.CRITICAL ? "without contention" : "without degradation");
            raiseSpan.reset();
            clearSpan.reset();
            missingSince = null;
            out.add(new Decision.Transition(id, Decision.Change.CLEARED, reason, view()));
        }

        /** {@code (used: a, b on host; c on host2; missing: x: why; watching unknown: why)}. */
        private String explain(Facts f) {
            StringBuilder b = new StringBuilder("(used: ");
            List<String> groups = new ArrayList<>();
            // Streaming hosts first: they are where it is felt.
            for (boolean streaming : new boolean[] { true, false }) {
                for (Map.Entry<HostId, List<String>> e : f.window.usedByHost.entrySet()) {
                    if (f.window.streamingHosts.contains(e.getKey()) == streaming) {
                        groups.add(String.join(", ", e.getValue()) + " on " + e.getKey());
                    }
                }
            }
            b.append(groups.isEmpty() ? "none" : String.join("; ", groups));
            if (!f.evidence.signalsMissing().isEmpty()) {
                b.append("; missing: ").append(String.join(", ", f.evidence.signalsMissing()));
            }
            if (f.watching.state() == Watch.UNKNOWN) {
                b.append("; watching unknown, taken as watching: ").append(f.watching.why());
            }
            return b.append(')').toString();
        }

        Decision.Alert view() {
            AlertState state = AlertState.of(id, raised ? AlertState.RAISED : AlertState.CLEARED, severity, message,
                    raisedAt, raised ? null : clearedAt, incidentId, atRaise, null);
            return new Decision.Alert(state, peakScore, atPeak);
        }
    }

    /**
     * {@code : anna's "Arrival" stalled on Jellyfin Android TV (Shield), direct-play; ...}: the streams that stand still,
     * named, up to three.
     */
    static String stalls(List<dev.mediawatch.contract.StreamSession> stalled) {
        if (stalled.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (dev.mediawatch.contract.StreamSession s : stalled) {
            if (parts.size() == 3) {
                parts.add((stalled.size() - 3) + " more");
                break;
            }
            StringBuilder b = new StringBuilder();
            b.append(s.user() == null ? "someone" : s.user()).append("'s ");
            b.append(s.title() == null ? "stream" : "\"" + s.title() + "\"");
            b.append(Boolean.TRUE.equals(s.stalled()) ? " stalled" : " silent");
            if (s.client() != null) {
                b.append(" on ").append(s.client());
            }
            if (s.playMethod() != null) {
                b.append(", ").append(s.playMethod());
            }
            parts.add(b.toString());
        }
        return ": " + String.join("; ", parts);
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }
}
