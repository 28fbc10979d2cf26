package dev.mediawatch.aggregator.stutter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.DiskIo;
import dev.mediawatch.contract.DownloadQueue;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.HostPressure;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountState;
import dev.mediawatch.contract.NfsOpStats;
import dev.mediawatch.contract.NfsStats;
import dev.mediawatch.contract.PostProcessor;
import dev.mediawatch.contract.Pressure;
import dev.mediawatch.contract.PressureLine;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.contract.TorrentTransfer;

/**
 * A generated trace for the detector: what each of two hosts reports, changed between runs of windows, and the
 * decisions the detector made, with the time of each. The clock is the trace's own: every window is
 * {@code window} after the previous one unless a test moves it.
 *
 * <p>Generated, not recorded: NFS, Jellyfin and SABnzbd cannot run here. The payloads are the contract's own
 * records ({@code HostIo}, {@code HostMounts}, {@code HostActivity}) in the shapes docs/contract.md gives, with
 * values chosen around the thresholds of docs/decisions/0007.
 */
final class Trace {

    static final Instant T0 = Instant.parse("2026-11-21T21:00:00Z");
    static final HostId DL = HostId.of("download-stack");
    static final HostId ST = HostId.of("streaming-stack");
    static final long MB = 1_000_000L;

    final DetectorConfig config;
    /** One window over the samples: the plain detector, or the detector learning from calm. */
    final java.util.function.BiFunction<Instant, List<HostSample>, Decision> decide;
    final Host dl = new Host(DL, HostSample.DOWNLOAD).calmDownload();
    final Host st = new Host(ST, HostSample.STREAMING).calmStreaming();
    final List<Step> steps = new ArrayList<>();
    Instant now = T0;

    /** One window: its time and the decision. */
    record Step(Instant at, Decision decision) {
    }

    Trace() {
        // These traces time their raises on a 30 s hold held in every window, so each raise and clear falls on one
        // known window (HoldShareTest covers a share of the windows).
        this(DetectorConfig.defaults().toBuilder().raiseAfter(java.time.Duration.ofSeconds(30)).holdShare(1).build());
    }

    Trace(DetectorConfig config) {
        this.config = config;
        StutterDetector detector = new StutterDetector(config);
        this.decide = detector::decide;
    }

    /** A trace whose detector learns its thresholds from calm, as the aggregator runs it. */
    Trace(DetectorConfig config, dev.mediawatch.aggregator.baseline.Baselines baselines) {
        this.config = config;
        dev.mediawatch.aggregator.contention.DetectorRun run = new dev.mediawatch.aggregator.contention.DetectorRun(config,
                baselines);
        this.decide = run::decide;
    }

    /** Runs {@code n} windows with what the hosts report now; returns the last decision. */
    Decision windows(int n) {
        Decision last = null;
        for (int i = 0; i < n; i++) {
            now = now.plus(config.window());
            last = window();
        }
        return last;
    }

    /** Runs windows for (at least) {@code d}. */
    Decision run(Duration d) {
        long n = (d.toMillis() + config.window().toMillis() - 1) / config.window().toMillis();
        return windows((int) n);
    }

    /** One window at {@link #now} without moving the clock. */
    Decision window() {
        List<HostSample> samples = List.of(dl.sample(now), st.sample(now));
        Decision d = decide.apply(now, samples);
        steps.add(new Step(now, d));
        return d;
    }

    Decision last() {
        return steps.get(steps.size() - 1).decision();
    }

    /** Every transition so far, with its window's time. */
    List<Transition> transitions() {
        List<Transition> out = new ArrayList<>();
        for (Step s : steps) {
            for (Decision.Transition t : s.decision().transitions()) {
                out.add(new Transition(s.at(), t));
            }
        }
        return out;
    }

    List<Transition> transitions(String alertId, Decision.Change change) {
        return transitions().stream().filter(t -> t.t().alertId().equals(alertId) && t.t().change() == change)
                .toList();
    }

    Optional<Instant> first(String alertId, Decision.Change change) {
        return transitions(alertId, change).stream().map(Transition::at).findFirst();
    }

    record Transition(Instant at, Decision.Transition t) {
    }

    /** What one host reports; every field can be changed between windows, null meaning "not reported". */
    static final class Host {
        final HostId id;
        final String role;
        boolean online = true;
        /** When false the host says nothing: heardAt stays at the last time it spoke. */
        boolean speaking = true;
        Instant heardAt;

        boolean ioReported = true;
        Long diskWriteBps;
        Double psi;
        /** Read wait of the disk; null for a disk without reads. */
        Double readAwaitMs;
        List<String> topWriters = List.of();

        boolean mountsReported = true;
        /** Null: the media mount has no NFS statistics. */
        Long nfsWriteBps;
        Long nfsReadBps = 0L;
        /** READ round trip and execution; null: no READ calls in the interval. */
        Double readRttMs;
        Double readExeMs;

        boolean activityReported = true;
        SourceState sabnzbd;
        boolean sabActive;
        SourceState qbittorrent;
        boolean qbtActive;
        List<PostProcessor> post = List.of();
        SourceState jellyfin;
        String jellyfinProblem;
        List<StreamSession> sessions = List.of();

        Host(HostId id, String role) {
            this.id = id;
            this.role = role;
        }

        Host calmDownload() {
            diskWriteBps = 2 * MB;
            psi = 2.0;
            readAwaitMs = null;
            nfsWriteBps = MB;
            readRttMs = null;
            readExeMs = null;
            sabnzbd = SourceState.OK;
            sabActive = false;
            qbittorrent = SourceState.OK;
            qbtActive = false;
            jellyfin = null;
            return this;
        }

        /** SABnzbd and qBittorrent writing hard to the NAS and the local disk. */
        Host downloading() {
            diskWriteBps = 80 * MB;
            psi = 35.0;
            nfsWriteBps = 60 * MB;
            sabActive = true;
            qbtActive = true;
            topWriters = List.of("sabnzbd", "qbittorrent", "unpackerr");
            return this;
        }

        Host calmStreaming() {
            diskWriteBps = 0L;
            psi = 1.5;
            readAwaitMs = 3.0;
            nfsWriteBps = 0L;
            nfsReadBps = 5 * MB;
            readRttMs = 8.0;
            readExeMs = 10.0;
            sabnzbd = null;
            qbittorrent = null;
            jellyfin = SourceState.OK;
            sessions = List.of(session("s1", false, false));
            return this;
        }

        /** Every streaming signal but transcode-behind well past its raise threshold. */
        Host degraded() {
            psi = 30.0;
            readAwaitMs = 40.0;
            readRttMs = 90.0;
            readExeMs = 180.0;
            return this;
        }

        HostSample sample(Instant now) {
            if (speaking) {
                heardAt = now;
            }
            return new HostSample(id, role, online, heardAt, io(now), mounts(now), activity(now));
        }

        private HostIo io(Instant now) {
            if (!ioReported) {
                return null;
            }
            HostPressure pressure = psi == null ? null
                    : new HostPressure(new Pressure(new PressureLine(psi, psi, psi, 1_000_000, psi), null), null, null);
            double readIops = readAwaitMs == null ? 0 : 150;
            DiskIo disk = new DiskIo("sda", readAwaitMs == null ? 0 : 8 * MB, diskWriteBps == null ? 0 : diskWriteBps,
                    readIops, 400, 2.0, readAwaitMs == null ? 0 : readAwaitMs, 1.0, 60);
            return HostIo.of(id, now, 5.0, pressure, diskWriteBps == null ? List.of() : List.of(disk), List.of(),
                    topWriters);
        }

        private HostMounts mounts(Instant now) {
            if (!mountsReported) {
                return null;
            }
            NfsStats stats = null;
            if (nfsWriteBps != null) {
                List<NfsOpStats> ops = new ArrayList<>();
                if (readRttMs != null) {
                    ops.add(new NfsOpStats("READ", 20, readRttMs, readExeMs, 0, 0, 0));
                }
                ops.add(new NfsOpStats("WRITE", nfsWriteBps > 0 ? 60 : 0, 4, 5, 0, 0, 0));
                stats = new NfsStats(5.0, nfsReadBps, nfsWriteBps, 0, 0, 0, ops);
            }
            MountState media = new MountState("/mnt/media", "nfs4", "rw", MountHealth.OK, List.of(), T0, true,
                    "nas:/media", "nfs4", "rw", "rw", null, null, stats);
            return HostMounts.of(id, now, List.of(media));
        }

        private HostActivity activity(Instant now) {
            if (!activityReported) {
                return null;
            }
            List<ActivitySource> sources = new ArrayList<>();
            if (sabnzbd != null) {
                sources.add(new ActivitySource("sabnzbd", sabnzbd, sabnzbd == SourceState.OK ? null : "refused"));
            }
            if (qbittorrent != null) {
                sources.add(new ActivitySource("qbittorrent", qbittorrent,
                        qbittorrent == SourceState.OK ? null : "refused"));
            }
            if (jellyfin != null) {
                sources.add(new ActivitySource("jellyfin", jellyfin,
                        jellyfin == SourceState.OK ? null : jellyfinProblem));
            }
            DownloadQueue sab = sabnzbd == SourceState.OK
                    ? new DownloadQueue(sabActive ? "downloading" : "idle", false, sabActive ? 30 * MB : 0, 10 * MB, 1,
                            0)
                    : null;
            TorrentTransfer qbt = qbittorrent == SourceState.OK
                    ? new TorrentTransfer(qbtActive ? 20 * MB : 0, 0, qbtActive ? 2 : 0, 0, "connected")
                    : null;
            List<StreamSession> s = jellyfin == SourceState.OK ? sessions : List.of();
            return HostActivity.of(id, now, sources, s, sab, qbt, post, null);
        }
    }

    /** A Jellyfin session the agent judged stalled (its position stood still for the span), playing. */
    static StreamSession stalled(String id) {
        return session(id, false, false).judged(true, false, 0.0);
    }

    static StreamSession session(String id, boolean paused, boolean behind) {
        return new StreamSession("jellyfin", id, "anna", "Film " + id, "Jellyfin Web (Firefox)", paused,
                behind ? StreamSession.TRANSCODE : StreamSession.DIRECT_PLAY, behind ? 12.0 : null,
                behind ? 24.0 : null, behind ? 1.0 : null, behind ? Boolean.TRUE : null);
    }
}
