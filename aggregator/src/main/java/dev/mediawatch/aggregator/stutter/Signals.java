package dev.mediawatch.aggregator.stutter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.DiskIo;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.MountState;
import dev.mediawatch.contract.NfsOpStats;
import dev.mediawatch.contract.PostProcessor;
import dev.mediawatch.contract.PressureLine;
import dev.mediawatch.contract.SignalValue;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.StreamSession;

/**
 * Reads the detector's signals out of the hosts' snapshots: pure functions, no state. Each signal of a host is
 * a value, a lower bound (a count some of whose sources did not answer), or missing with the reason, so the
 * detector decides on what it has and says what it lacked. A host that is offline or stale has all its
 * signals missing: an old number is not a measurement of now, and zero would be a lie.
 *
 * <p>The names are part of the contract (docs/contract.md): download side {@code nfs-write}, {@code disk-write},
 * {@code io-psi}, {@code downloaders}; streaming side {@code nfs-read-rtt}, {@code nfs-read-exe}, {@code io-psi},
 * {@code disk-read-await}, {@code transcode-behind}, {@code playback-stalled}.
 */
public final class Signals {

    public static final String DOWNLOAD = SignalValue.DOWNLOAD;
    public static final String STREAMING = SignalValue.STREAMING;

    public static final String NFS_WRITE = "nfs-write";
    public static final String DISK_WRITE = "disk-write";
    public static final String IO_PSI = "io-psi";
    public static final String DOWNLOADERS = "downloaders";
    public static final String NFS_READ_RTT = "nfs-read-rtt";
    public static final String NFS_READ_EXE = "nfs-read-exe";
    public static final String DISK_READ_AWAIT = "disk-read-await";
    public static final String TRANSCODE_BEHIND = "transcode-behind";
    public static final String PLAYBACK_STALLED = "playback-stalled";

    /** The download side's signals in the order they are reported. */
    public static final List<String> DOWNLOAD_SIGNALS = List.of(NFS_WRITE, DISK_WRITE, IO_PSI, DOWNLOADERS);
    /** The streaming side's signals in the order they are reported. */
    public static final List<String> STREAMING_SIGNALS = List.of(NFS_READ_RTT, NFS_READ_EXE, IO_PSI, DISK_READ_AWAIT,
            TRANSCODE_BEHIND, PLAYBACK_STALLED);

    public static final String BYTES_PER_SEC = "B/s";
    public static final String MS = "ms";
    public static final String PCT = "%";
    public static final String COUNT = "count";

    /** Activity sources that download (their active flag counts). */
    static final Set<String> DOWNLOADER_SOURCES = Set.of("sabnzbd", "qbittorrent");
    /** The one session source whose positions tell a stall. */
    static final String JELLYFIN = "jellyfin";
    /** Activity sources that report playback sessions. */
    static final Set<String> SESSION_SOURCES = Set.of("jellyfin", "navidrome");

    private static final String READ = "READ";

    private Signals() {
    }

    /** How much a reading can be trusted. */
    public enum Kind {
        /** A measurement of this window. */
        VALUE,
        /** A count with sources that did not answer: the real value is at least this. */
        LOWER_BOUND,
        /** No measurement; {@code why} says why. */
        MISSING
    }

    /**
     * One signal of one host in one window.
     *
     * @param name  the signal's name
     * @param side  {@link #DOWNLOAD} or {@link #STREAMING}
     * @param host  the host it was read from
     * @param unit  {@code B/s}, {@code ms}, {@code %} or {@code count}
     * @param value the value; {@code 0} when missing
     * @param kind  value, lower bound or missing
     * @param why   why it is missing or only a lower bound; null for a value
     */
    public record Reading(String name, String side, HostId host, String unit, double value, Kind kind, String why) {

        public Reading {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(side, "side");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(kind, "kind");
        }

        static Reading value(String name, String side, HostId host, String unit, double value) {
            return new Reading(name, side, host, unit, value, Kind.VALUE, null);
        }

        static Reading missing(String name, String side, HostId host, String unit, String why) {
            return new Reading(name, side, host, unit, 0, Kind.MISSING, why);
        }

        public boolean missing() {
            return kind == Kind.MISSING;
        }

        /** The {@code name: why} line of {@link dev.mediawatch.contract.StutterEvidence#signalsMissing()}. */
        public String missingLine() {
            return name + ": " + why;
        }
    }

    /** Whether somebody is watching. */
    public enum Watch {
        YES, NO, UNKNOWN
    }

    /**
     * Whether somebody is watching, and when that cannot be told, why.
     *
     * @param state yes, no or unknown
     * @param why   for unknown, the reason (e.g. {@code jellyfin unauthorized on streaming-stack}); else null
     */
    public record Watching(Watch state, String why) {

        public Watching {
            Objects.requireNonNull(state, "state");
        }

        /** Watching or unknown: what raising needs (people stutter without Jellyfin keys too). */
        public boolean possibly() {
            return state != Watch.NO;
        }
    }

    /**
     * Why none of a host's signals can be used this window, or null when they can: offline, never heard, or not
     * heard from for longer than {@link DetectorConfig#staleAfter()}.
     */
    public static String hostProblem(HostSample s, Instant now, DetectorConfig c) {
        if (!s.online()) {
            return s.host() + " offline";
        }
        if (s.heardAt() == null) {
            return "nothing heard from " + s.host();
        }
        Duration age = Duration.between(s.heardAt(), now);
        if (age.compareTo(c.staleAfter()) > 0) {
            return s.host() + " stale (last heard " + age.toSeconds() + " s ago)";
        }
        return null;
    }

    /** The host's signals of its side, in the side's order; empty for hosts that are neither side. */
    public static List<Reading> read(HostSample s, Instant now, DetectorConfig c) {
        String side = s.download() ? DOWNLOAD : s.streaming() ? STREAMING : null;
        if (side == null) {
            return List.of();
        }
        List<String> names = DOWNLOAD.equals(side) ? DOWNLOAD_SIGNALS : STREAMING_SIGNALS;
        String problem = hostProblem(s, now, c);
        List<Reading> out = new ArrayList<>(names.size());
        for (String name : names) {
            out.add(problem != null ? Reading.missing(name, side, s.host(), unit(name), problem)
                    : read(name, side, s, c));
        }
        return out;
    }

    /** The unit a signal is measured in. */
    public static String unit(String name) {
        return switch (name) {
            case NFS_WRITE, DISK_WRITE -> BYTES_PER_SEC;
            case IO_PSI -> PCT;
            case NFS_READ_RTT, NFS_READ_EXE, DISK_READ_AWAIT -> MS;
            case DOWNLOADERS, TRANSCODE_BEHIND, PLAYBACK_STALLED -> COUNT;
            default -> throw new IllegalArgumentException("unknown signal " + name);
        };
    }

    private static Reading read(String name, String side, HostSample s, DetectorConfig c) {
        return switch (name) {
            case NFS_WRITE -> nfsWrite(s, c);
            case DISK_WRITE -> diskWrite(s);
            case IO_PSI -> ioPsi(side, s);
            case DOWNLOADERS -> downloaders(s, c);
            case NFS_READ_RTT -> nfsRead(NFS_READ_RTT, s, c);
            case NFS_READ_EXE -> nfsRead(NFS_READ_EXE, s, c);
            case DISK_READ_AWAIT -> diskReadAwait(s);
            case TRANSCODE_BEHIND -> transcodeBehind(s);
            case PLAYBACK_STALLED -> playbackStalled(s);
            default -> throw new IllegalArgumentException("unknown signal " + name);
        };
    }

    /** The media mounts that have NFS statistics, or why there are none. */
    private record MediaNfs(List<MountState> mounts, String why) {
    }

    private static MediaNfs mediaNfs(HostSample s, DetectorConfig c) {
        if (s.mounts() == null) {
            return new MediaNfs(List.of(), "no mounts report from " + s.host());
        }
        String media = trimSlash(c.mediaPath());
        List<MountState> onPath = s.mounts().mounts().stream().filter(m -> media.equals(trimSlash(m.path()))).toList();
        if (onPath.isEmpty()) {
            return new MediaNfs(List.of(), c.mediaPath() + " not watched on " + s.host());
        }
        List<MountState> withStats = onPath.stream().filter(m -> m.nfsStats() != null).toList();
        if (withStats.isEmpty()) {
            return new MediaNfs(List.of(), onPath.stream().noneMatch(MountState::mounted)
                    ? c.mediaPath() + " not mounted on " + s.host()
                    : "no NFS statistics on " + s.host());
        }
        return new MediaNfs(withStats, null);
    }

    private static Reading nfsWrite(HostSample s, DetectorConfig c) {
        MediaNfs nfs = mediaNfs(s, c);
        if (nfs.why() != null) {
            return Reading.missing(NFS_WRITE, DOWNLOAD, s.host(), BYTES_PER_SEC, nfs.why());
        }
        long sum = 0;
        for (MountState m : nfs.mounts()) {
            sum += Math.max(0, m.nfsStats().writeBytesPerSec());
        }
        return Reading.value(NFS_WRITE, DOWNLOAD, s.host(), BYTES_PER_SEC, sum);
    }

    private static Reading nfsRead(String name, HostSample s, DetectorConfig c) {
        MediaNfs nfs = mediaNfs(s, c);
        if (nfs.why() != null) {
            return Reading.missing(name, STREAMING, s.host(), MS, nfs.why());
        }
        // Several mounts of the media path (rare): the mean per call, weighted by calls.
        double calls = 0;
        double weighted = 0;
        for (MountState m : nfs.mounts()) {
            for (NfsOpStats op : m.nfsStats().ops()) {
                if (READ.equals(op.op()) && op.opsPerSec() > 0 && Double.isFinite(op.opsPerSec())) {
                    double ms = NFS_READ_RTT.equals(name) ? op.rttMs() : op.executeMs();
                    if (Double.isFinite(ms)) {
                        calls += op.opsPerSec();
                        weighted += op.opsPerSec() * Math.max(0, ms);
                    }
                }
            }
        }
        if (calls <= 0) {
            // No READ calls in the interval: no round trip was measured. Missing, not 0 ms, so a stream whose
            // client buffer is full for a window does not look healthy and clear a crossed signal.
            return Reading.missing(name, STREAMING, s.host(), MS, "no NFS reads on " + s.host());
        }
        return Reading.value(name, STREAMING, s.host(), MS, weighted / calls);
    }

    /** The host's I/O sample when it has rates, or the reason it has none. */
    private static String ioProblem(HostSample s) {
        HostIo io = s.io();
        if (io == null) {
            return "no I/O report from " + s.host();
        }
        if (io.intervalSeconds() <= 0) {
            return "first I/O sample on " + s.host() + " (no rates yet)";
        }
        return null;
    }

    private static Reading diskWrite(HostSample s) {
        String why = ioProblem(s);
        if (why == null && s.io().disks().isEmpty()) {
            why = "no watched disks on " + s.host();
        }
        if (why != null) {
            return Reading.missing(DISK_WRITE, DOWNLOAD, s.host(), BYTES_PER_SEC, why);
        }
        long sum = 0;
        for (DiskIo d : s.io().disks()) {
            sum += Math.max(0, d.writeBytesPerSec());
        }
        return Reading.value(DISK_WRITE, DOWNLOAD, s.host(), BYTES_PER_SEC, sum);
    }

    private static Reading diskReadAwait(HostSample s) {
        String why = ioProblem(s);
        if (why == null && s.io().disks().isEmpty()) {
            why = "no watched disks on " + s.host();
        }
        if (why != null) {
            return Reading.missing(DISK_READ_AWAIT, STREAMING, s.host(), MS, why);
        }
        double max = -1;
        for (DiskIo d : s.io().disks()) {
            if (d.readIops() > 0 && Double.isFinite(d.readAwaitMs())) {
                max = Math.max(max, Math.max(0, d.readAwaitMs()));
            }
        }
        if (max < 0) {
            return Reading.missing(DISK_READ_AWAIT, STREAMING, s.host(), MS, "no disk reads on " + s.host());
        }
        return Reading.value(DISK_READ_AWAIT, STREAMING, s.host(), MS, max);
    }

    private static Reading ioPsi(String side, HostSample s) {
        // avg10, not the exact stallPct of the last sample: the 10 s average smooths single bursts, and the raise
        // time is what waits for it to settle (docs/decisions/0007).
        HostIo io = s.io();
        if (io == null) {
            return Reading.missing(IO_PSI, side, s.host(), PCT, "no I/O report from " + s.host());
        }
        PressureLine some = io.pressure() == null || io.pressure().io() == null ? null : io.pressure().io().some();
        if (some == null || !Double.isFinite(some.avg10())) {
            return Reading.missing(IO_PSI, side, s.host(), PCT, "no io pressure (PSI) on " + s.host());
        }
        return Reading.value(IO_PSI, side, s.host(), PCT, Math.max(0, some.avg10()));
    }

    /** How a group of activity sources answered on one host. */
    private record Sources(List<String> ok, List<String> failing, List<String> notConfigured) {

        boolean anyOk() {
            return !ok.isEmpty();
        }

        /** e.g. {@code sabnzbd unreachable, qbittorrent not-configured}. */
        String describe(HostActivity a, Set<String> group) {
            List<String> parts = new ArrayList<>();
            for (ActivitySource src : a.sources()) {
                if (group.contains(src.name()) && !src.isOk()) {
                    // The state only: the problem line is the agent's, and the message goes to notifications.
                    parts.add(src.name() + " " + src.state().wire());
                }
            }
            return parts.isEmpty() ? "no " + String.join(" or ", group.stream().sorted().toList()) + " configured"
                    : String.join(", ", parts);
        }
    }

    private static Sources sources(HostActivity a, Set<String> group) {
        List<String> ok = new ArrayList<>();
        List<String> failing = new ArrayList<>();
        List<String> notConfigured = new ArrayList<>();
        for (ActivitySource src : a.sources()) {
            if (!group.contains(src.name())) {
                continue;
            }
            if (src.state() == SourceState.OK) {
                ok.add(src.name());
            } else if (src.state() == SourceState.NOT_CONFIGURED) {
                notConfigured.add(src.name());
            } else {
                failing.add(src.name());
            }
        }
        return new Sources(ok, failing, notConfigured);
    }

    private static Reading downloaders(HostSample s, DetectorConfig c) {
        HostActivity a = s.activity();
        if (a == null) {
            return Reading.missing(DOWNLOADERS, DOWNLOAD, s.host(), COUNT, "no activity report from " + s.host());
        }
        Sources src = sources(a, DOWNLOADER_SOURCES);
        // A queue or transfer in the payload counts as answered even if the agent did not list its source.
        boolean sab = src.ok.contains("sabnzbd") || (a.sabnzbd() != null && !src.failing.contains("sabnzbd"));
        boolean qbt = src.ok.contains("qbittorrent")
                || (a.qbittorrent() != null && !src.failing.contains("qbittorrent"));
        boolean post = !a.postProcessing().isEmpty();
        if (!sab && !qbt && !post) {
            return Reading.missing(DOWNLOADERS, DOWNLOAD, s.host(), COUNT,
                    src.describe(a, DOWNLOADER_SOURCES) + " on " + s.host());
        }
        int count = 0;
        if (sab && a.sabnzbd() != null && a.sabnzbd().active()) {
            count++;
        }
        if (qbt && a.qbittorrent() != null && a.qbittorrent().active()) {
            count++;
        }
        for (PostProcessor p : a.postProcessing()) {
            if (p.running() && !p.paused() && p.writeBytesPerSec() > c.postProcessorWriteBytesPerSec()) {
                count++;
            }
        }
        if (!src.failing.isEmpty()) {
            return new Reading(DOWNLOADERS, DOWNLOAD, s.host(), COUNT, count, Kind.LOWER_BOUND,
                    src.describe(a, DOWNLOADER_SOURCES) + " on " + s.host());
        }
        return Reading.value(DOWNLOADERS, DOWNLOAD, s.host(), COUNT, count);
    }

    private static Reading transcodeBehind(HostSample s) {
        HostActivity a = s.activity();
        if (a == null) {
            return Reading.missing(TRANSCODE_BEHIND, STREAMING, s.host(), COUNT,
                    "no activity report from " + s.host());
        }
        Sources src = sources(a, SESSION_SOURCES);
        if (!src.anyOk()) {
            return Reading.missing(TRANSCODE_BEHIND, STREAMING, s.host(), COUNT,
                    src.describe(a, SESSION_SOURCES) + " on " + s.host());
        }
        long behind = a.sessions().stream().filter(x -> Boolean.TRUE.equals(x.transcodeBehind())).count();
        if (!src.failing.isEmpty()) {
            return new Reading(TRANSCODE_BEHIND, STREAMING, s.host(), COUNT, behind, Kind.LOWER_BOUND,
                    src.describe(a, SESSION_SOURCES) + " on " + s.host());
        }
        return Reading.value(TRANSCODE_BEHIND, STREAMING, s.host(), COUNT, behind);
    }

    /**
     * Playing sessions that stand still or whose client went silent ({@link StreamSession#stalledOrSilent()}): the
     * symptom itself, judged by the agent from Jellyfin's positions. Missing when no session source that reports
     * positions answered (Navidrome gives none); a lower bound when one of the host's session sources failed.
     */
    private static Reading playbackStalled(HostSample s) {
        HostActivity a = s.activity();
        if (a == null) {
            return Reading.missing(PLAYBACK_STALLED, STREAMING, s.host(), COUNT, "no activity report from " + s.host());
        }
        Sources src = sources(a, Set.of(JELLYFIN));
        if (!src.anyOk()) {
            return Reading.missing(PLAYBACK_STALLED, STREAMING, s.host(), COUNT,
                    src.describe(a, Set.of(JELLYFIN)) + " on " + s.host() + " (only Jellyfin reports positions)");
        }
        long stalled = a.sessions().stream().filter(StreamSession::stalledOrSilent).count();
        return Reading.value(PLAYBACK_STALLED, STREAMING, s.host(), COUNT, stalled);
    }

    /** The stalled or silent sessions of the usable streaming hosts, at most {@code max}. */
    static List<StreamSession> stalledSessions(List<HostSample> hosts, Instant now, DetectorConfig c, int max) {
        List<StreamSession> out = new ArrayList<>();
        for (StreamSession x : sessions(hosts, now, c, Integer.MAX_VALUE)) {
            if (x.stalledOrSilent() && out.size() < max) {
                out.add(x);
            }
        }
        return out;
    }

    /**
     * Whether somebody is watching, from the streaming hosts' sessions: yes when any usable streaming host has a
     * session that is not paused; no when every streaming host answered for all its session sources and none
     * plays; unknown otherwise (no streaming host, a host offline or stale, no activity, or a session source
     * that did not answer, such as Jellyfin without a valid key).
     */
    public static Watching watching(List<HostSample> hosts, Instant now, DetectorConfig c) {
        List<String> unknown = new ArrayList<>();
        boolean anyStreaming = false;
        for (HostSample s : hosts) {
            if (!s.streaming()) {
                continue;
            }
            anyStreaming = true;
            String problem = hostProblem(s, now, c);
            if (problem != null) {
                unknown.add(problem);
                continue;
            }
            HostActivity a = s.activity();
            if (a == null) {
                unknown.add("no activity report from " + s.host());
                continue;
            }
            if (a.playing() > 0) {
                return new Watching(Watch.YES, null);
            }
            Sources src = sources(a, SESSION_SOURCES);
            if (!src.anyOk() || !src.failing.isEmpty()) {
                unknown.add(src.describe(a, SESSION_SOURCES) + " on " + s.host());
            }
        }
        if (!anyStreaming) {
            return new Watching(Watch.UNKNOWN, "no streaming host");
        }
        return unknown.isEmpty() ? new Watching(Watch.NO, null) : new Watching(Watch.UNKNOWN, String.join("; ", unknown));
    }

    /** The sessions of the usable streaming hosts, at most {@code max}. */
    static List<StreamSession> sessions(List<HostSample> hosts, Instant now, DetectorConfig c, int max) {
        List<StreamSession> out = new ArrayList<>();
        for (HostSample s : hosts) {
            if (s.streaming() && s.activity() != null && hostProblem(s, now, c) == null) {
                for (StreamSession x : s.activity().sessions()) {
                    if (out.size() >= max) {
                        return out;
                    }
                    out.add(x);
                }
            }
        }
        return out;
    }

    /** The usable download hosts' top writing containers, without repeats, at most {@code max}. */
    static List<String> topWriters(List<HostSample> hosts, Instant now, DetectorConfig c, int max) {
        List<String> out = new ArrayList<>();
        for (HostSample s : hosts) {
            if (s.download() && s.io() != null && hostProblem(s, now, c) == null) {
                for (String w : s.io().topWriters()) {
                    if (out.size() >= max) {
                        return out;
                    }
                    if (w != null && !out.contains(w)) {
                        out.add(w);
                    }
                }
            }
        }
        return out;
    }

    private static String trimSlash(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
