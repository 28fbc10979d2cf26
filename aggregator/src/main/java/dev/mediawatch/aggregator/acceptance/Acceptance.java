package dev.mediawatch.aggregator.acceptance;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.DownloadQueue;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.StreamSession;

/**
 * The split plan's success criteria that need memory: whether the services do their work (seen by what they did,
 * not by their containers running), whether streaming stayed smooth while downloads ran, whether the public URLs
 * reach the new VMs, and the soak. Plain Java on a clock passed in; the wiring feeds it every detector window and
 * asks it for the criteria ({@link #criteria}).
 *
 * <p>Bounded: the overlap ledger is one slot per minute of the soak window (4,320 for 72 h); the witnesses are a
 * fixed set of sources per host, and at most {@link #MAX_HOSTS} hosts.
 */
public final class Acceptance {

    /** Criterion ids, as {@link Check#id()}. */
    public static final String DOWNLOADS_WORKING = "downloads-working";
    public static final String STREAMING_WORKING = "streaming-working";
    public static final String TUNNEL = "tunnel";
    public static final String NO_CONTENTION = "no-contention";
    public static final String SOAK = "soak";
    /** The criteria the soak needs green besides itself: the live ones and these. */
    static final String VMS_REACHABLE = "vms-reachable";
    static final String OLD_VM_GONE = "old-vm-gone";
    static final int MAX_HOSTS = 256;

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);
    private static final List<String> DOWNLOAD_SOURCES = List.of("sabnzbd", ArrImports.RADARR, ArrImports.SONARR,
            ArrImports.LIDARR);
    private static final List<String> STREAMING_SOURCES = List.of("jellyfin", "navidrome");
    private static final java.util.Set<String> KNOWN = java.util.Set.of("sabnzbd", ArrImports.RADARR, ArrImports.SONARR,
            ArrImports.LIDARR, "jellyfin", "navidrome");

    /**
     * @param soak       how long every criterion must stay green after the split went live (the plan's 72 h)
     * @param minOverlap downloads and playback must have overlapped at least this long in the soak window before
     *                   "streaming smooth during downloads" counts as shown
     */
    public record Settings(Duration soak, Duration minOverlap) {
        public Settings {
            if (soak.toMinutes() < 1 || minOverlap.isNegative()) {
                throw new IllegalArgumentException("the soak is at least a minute and the overlap not negative");
            }
        }
    }

    /** One minute of the soak window: did downloads and playback run, and the worst contention score. */
    record Minute(long epochMinute, boolean downloading, boolean playing, int maxScore) {
    }

    /** What broke the soak last: a criterion that turned red, and when. */
    public record Break(String criterion, Instant at) {
    }

    private final Settings settings;
    private final int slots;
    /** Minute slots, index = epochMinute mod slots. */
    private final Minute[] ledger;
    /** When each source was last seen doing its work, by source (which host proved it does not matter). */
    private final Map<String, Instant> seen = new TreeMap<>();
    /** Sources configured somewhere (a URL given), with their last state. */
    private final Map<String, SourceState> configured = new TreeMap<>();
    private final Map<HostId, DownloadQueue> lastQueue = new HashMap<>();
    private final Map<String, Long> importsToday = new LinkedHashMap<>();
    private Instant liveSince;
    private Instant greenSince;
    private Break lastBreak;

    public Acceptance(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.slots = (int) Math.max(1, settings.soak().toMinutes());
        this.ledger = new Minute[slots];
    }

    public Settings settings() {
        return settings;
    }

    // ---- what happened ---------------------------------------------------------------------------------------

    /**
     * One detector window: whether downloads ran (download pressure held, or a downloader active) and somebody
     * played, and the contention score.
     */
    public synchronized void window(Instant now, boolean downloading, boolean playing, int score) {
        long minute = Math.floorDiv(now.getEpochSecond(), 60);
        int i = (int) Math.floorMod(minute, slots);
        Minute m = ledger[i];
        if (m == null || m.epochMinute() != minute) {
            ledger[i] = new Minute(minute, downloading, playing, score);
        } else {
            ledger[i] = new Minute(minute, m.downloading() || downloading, m.playing() || playing,
                    Math.max(m.maxScore(), score));
        }
    }

    /** The activity each host reported: what the services were seen doing. */
    public synchronized void activity(Instant now, Map<HostId, HostActivity> byHost) {
        Map<String, Long> today = new LinkedHashMap<>();
        for (Map.Entry<HostId, HostActivity> e : byHost.entrySet()) {
            HostId host = e.getKey();
            HostActivity a = e.getValue();
            if (a == null) {
                continue;
            }
            for (ActivitySource s : a.sources()) {
                if (KNOWN.contains(s.name())) { // only the witnesses: the maps stay bounded whatever an agent sends
                    configured.put(s.name(), s.state());
                }
            }
            DownloadQueue q = a.sabnzbd();
            if (q != null) {
                DownloadQueue before = lastQueue.size() < MAX_HOSTS || lastQueue.containsKey(host) ? lastQueue.put(host, q) : null;
                boolean empty = q.items() == 0;
                boolean moved = before != null && (q.remainingBytes() < before.remainingBytes() || q.items() != before.items());
                if (empty || moved || q.speedBytesPerSec() > 0) {
                    seen.put("sabnzbd", now);
                }
            }
            for (ArrImports i : a.imports()) {
                if (!KNOWN.contains(i.app())) {
                    continue;
                }
                if (i.lastImportAt() != null && !i.lastImportAt().isAfter(now.plus(Duration.ofMinutes(5)))) {
                    seen.merge(i.app(), i.lastImportAt(), (x, y) -> x.isAfter(y) ? x : y);
                }
                today.merge(i.app(), i.today(), Long::sum);
            }
            for (StreamSession s : a.sessions()) {
                if (s.paused()) {
                    continue;
                }
                if ("jellyfin".equals(s.source()) && s.advanceRatio() != null && s.advanceRatio() >= 0.5) {
                    seen.put("jellyfin", now);
                } else if ("navidrome".equals(s.source())) {
                    seen.put("navidrome", now);
                }
            }
        }
        importsToday.clear();
        importsToday.putAll(today);
    }

    // ---- the criteria ----------------------------------------------------------------------------------------

    /**
     * The criteria that need memory, and the soak.
     *
     * @param base      the live criteria of this moment (VMs reachable, services placed, NFS modes, secrets, old VM
     *                  gone, drift gates): the soak needs them green too
     * @param incidents the stutter incidents raised in the soak window (or still open)
     * @param tunnel    the public URLs' last check
     */
    public synchronized List<Check> criteria(Instant now, List<Check> base, List<Incident> incidents, Tunnel.Report tunnel) {
        List<Check> out = new ArrayList<>();
        out.add(working(DOWNLOADS_WORKING, "download services working (queue moves, *arr apps import)",
                DOWNLOAD_SOURCES, now));
        out.add(working(STREAMING_WORKING, "streaming services working (Jellyfin plays, Navidrome streams)",
                STREAMING_SOURCES, now));
        out.add(tunnel.check());
        out.add(noContention(now, incidents));
        out.add(soak(now, base, out));
        return out;
    }

    private Check working(String id, String name, List<String> sources, Instant now) {
        List<String> evidence = new ArrayList<>();
        boolean anyConfigured = false;
        boolean allSeen = true;
        for (String source : sources) {
            SourceState state = configured.get(source);
            if (state == null || state == SourceState.NOT_CONFIGURED) {
                evidence.add(source + ": not configured (" + (state == null ? "no URL" : "no key") + ": nothing to prove)");
                continue;
            }
            anyConfigured = true;
            Instant at = seen.get(source);
            boolean recent = at != null && !at.isBefore(now.minus(settings.soak()));
            allSeen &= recent;
            String what = switch (source) {
                case "sabnzbd" -> "queue moved or empty";
                case "jellyfin" -> "a stream advanced";
                case "navidrome" -> "a stream served";
                default -> "imported" + (importsToday.containsKey(source) ? " (" + importsToday.get(source) + " today)" : "");
            };
            // Absolute times only: evidence that changed every minute would republish the status every minute.
            evidence.add(source + ": " + (at == null ? "never seen: " + what : what + ", last " + TIME.format(at))
                    + (recent || at == null ? "" : ", not within " + hours(settings.soak()))
                    + (state == SourceState.OK ? "" : "; its API is " + state.wire()));
        }
        if (!anyConfigured) {
            return new Check(id, name, false, List.of("no source configured: set the services' URLs and keys on the agents "
                    + "(mediawatch.activity.*)"));
        }
        return new Check(id, name, allSeen, evidence);
    }

    private Check noContention(Instant now, List<Incident> incidents) {
        String name = "no cross-VM I/O contention (streaming smooth during active downloads)";
        long overlapMinutes = 0;
        int worst = 0;
        long since = Math.floorDiv(now.minus(settings.soak()).getEpochSecond(), 60);
        for (Minute m : ledger) {
            if (m != null && m.epochMinute() > since) {
                if (m.downloading() && m.playing()) {
                    overlapMinutes++;
                }
                worst = Math.max(worst, m.maxScore());
            }
        }
        List<String> evidence = new ArrayList<>();
        String overlap = "downloads and playback overlapped " + duration(Duration.ofMinutes(overlapMinutes)) + " in the last "
                + hours(settings.soak());
        List<Incident> stutters = incidents.stream().filter(i -> AlertState.STUTTER.equals(i.alert())).toList();
        for (Incident i : stutters) {
            evidence.add("stutter at " + TIME.format(i.raisedAt()) + " (incident " + i.id() + ", peak score " + i.peakScore()
                    + ")");
        }
        boolean shown = Duration.ofMinutes(overlapMinutes).compareTo(settings.minOverlap()) >= 0;
        if (stutters.isEmpty() && !shown) {
            evidence.add(0, "not shown yet: " + overlap + " (at least " + duration(settings.minOverlap()) + " needed)");
        } else {
            evidence.add(0, overlap);
        }
        evidence.add(stutters.size() + " stutter incident(s); worst contention score " + worst);
        return new Check(NO_CONTENTION, name, stutters.isEmpty() && shown, evidence);
    }

    /**
     * The split went live when every VM was reachable and the old one gone from the broker for the first time; from
     * then, the soak runs while every other criterion stays green, and starts again from the moment all are green
     * after one turned red.
     */
    private Check soak(Instant now, List<Check> base, List<Check> mine) {
        String name = "old VM powered off after the soak";
        Map<String, Boolean> pass = new LinkedHashMap<>();
        for (Check c : base) {
            pass.put(c.id(), c.pass());
        }
        for (Check c : mine) {
            pass.put(c.id(), c.pass());
        }
        if (liveSince == null) {
            if (Boolean.TRUE.equals(pass.get(VMS_REACHABLE)) && Boolean.TRUE.equals(pass.get(OLD_VM_GONE))) {
                liveSince = now;
            } else {
                return new Check(SOAK, name, false, List.of("the split is not live yet: it is when every VM is reachable "
                        + "and the old VM is gone from the broker"));
            }
        }
        List<String> red = pass.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        if (!red.isEmpty()) {
            if (greenSince != null || lastBreak == null) {
                lastBreak = new Break(red.get(0), now);
            }
            greenSince = null;
        } else if (greenSince == null) {
            greenSince = now;
        }
        List<String> evidence = new ArrayList<>();
        evidence.add("the split went live " + TIME.format(liveSince));
        boolean done = false;
        if (greenSince == null) {
            evidence.add("soak waiting: " + String.join(", ", red) + " not green");
        } else {
            Duration soaked = Duration.between(greenSince, now);
            done = soaked.compareTo(settings.soak()) >= 0;
            evidence.add("soak " + Math.min(soaked.toHours(), settings.soak().toHours()) + " h of " + settings.soak().toHours()
                    + " (every criterion green since " + TIME.format(greenSince) + ")");
        }
        if (lastBreak != null) {
            evidence.add("last broken by " + lastBreak.criterion() + " at " + TIME.format(lastBreak.at()));
        }
        return new Check(SOAK, name, done, evidence);
    }

    /** Today's imports per app, summed over the download hosts. */
    public synchronized Map<String, Long> importsToday() {
        return Map.copyOf(importsToday);
    }

    static String duration(Duration d) {
        if (d.toMinutes() < 60) {
            return d.toMinutes() + " min";
        }
        long tenths = Math.round(d.toMinutes() / 6.0);
        return (tenths % 10 == 0 ? String.valueOf(tenths / 10) : (tenths / 10) + "." + (tenths % 10)) + " h";
    }

    private static String hours(Duration d) {
        return d.toHours() + " h";
    }

    // ---- kept across restarts -----------------------------------------------------------------------------------

    /** Everything the criteria remember, for the state file. */
    public record State(Instant liveSince, Instant greenSince, Break lastBreak, Map<String, Instant> seen,
            List<long[]> minutes) {
    }

    public synchronized State state() {
        List<long[]> minutes = new ArrayList<>();
        for (Minute m : ledger) {
            if (m != null && (m.downloading() || m.playing() || m.maxScore() > 0)) {
                minutes.add(new long[] { m.epochMinute(), (m.downloading() ? 1 : 0) | (m.playing() ? 2 : 0), m.maxScore() });
            }
        }
        minutes.sort((a, b) -> Long.compare(a[0], b[0]));
        return new State(liveSince, greenSince, lastBreak, new TreeMap<>(seen), minutes);
    }

    public synchronized void restore(State s) {
        liveSince = s.liveSince();
        greenSince = s.greenSince();
        lastBreak = s.lastBreak();
        if (s.seen() != null) {
            s.seen().forEach((k, v) -> {
                if (v != null && KNOWN.contains(k)) {
                    seen.put(k, v);
                }
            });
        }
        if (s.minutes() != null) {
            for (long[] m : s.minutes()) {
                if (m.length == 3) {
                    int flags = (int) m[1];
                    ledger[(int) Math.floorMod(m[0], slots)] = new Minute(m[0], (flags & 1) != 0, (flags & 2) != 0,
                            (int) Math.max(0, Math.min(100, m[2])));
                }
            }
        }
    }

}
