package dev.mediawatch.aggregator.stutter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mediawatch.aggregator.stutter.Signals.Kind;
import dev.mediawatch.aggregator.stutter.Signals.Reading;
import dev.mediawatch.contract.DiskIo;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountState;
import dev.mediawatch.contract.NfsOpStats;
import dev.mediawatch.contract.NfsStats;
import dev.mediawatch.contract.PostProcessor;
import dev.mediawatch.contract.SourceState;

/**
 * What each signal reads from the snapshots, and why one is missing: a table of host reports (built as
 * {@link Trace} does) and the reading expected for one signal.
 */
class SignalsTest {

    static final DetectorConfig C = DetectorConfig.defaults();
    static final Instant NOW = Trace.T0.plusSeconds(60);

    record Case(String name, String side, Consumer<Trace.Host> setup, Kind kind, double value, String why) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case value(String name, String side, Consumer<Trace.Host> setup, double value) {
        return new Case(name, side, setup, Kind.VALUE, value, null);
    }

    static Case missing(String name, String side, Consumer<Trace.Host> setup, String why) {
        return new Case(name, side, setup, Kind.MISSING, 0, why);
    }

    static Stream<Arguments> cases() {
        long mb = Trace.MB;
        String dl = Signals.DOWNLOAD;
        String st = Signals.STREAMING;
        return Stream.of(
                value(Signals.NFS_WRITE, dl, h -> h.nfsWriteBps = 42 * mb, 42 * mb),
                missing(Signals.NFS_WRITE, dl, h -> h.nfsWriteBps = null, "no NFS statistics on download-stack"),
                missing(Signals.NFS_WRITE, dl, h -> h.mountsReported = false, "no mounts report from download-stack"),
                value(Signals.DISK_WRITE, dl, h -> h.diskWriteBps = 7 * mb, 7 * mb),
                missing(Signals.DISK_WRITE, dl, h -> h.ioReported = false, "no I/O report from download-stack"),
                missing(Signals.DISK_WRITE, dl, h -> h.diskWriteBps = null, "no watched disks on download-stack"),
                value(Signals.IO_PSI, dl, h -> h.psi = 12.5, 12.5),
                missing(Signals.IO_PSI, dl, h -> h.psi = null, "no io pressure (PSI) on download-stack"),
                value(Signals.DOWNLOADERS, dl, h -> h.sabActive = true, 1),
                value(Signals.DOWNLOADERS, dl, h -> {
                    h.sabActive = true;
                    h.qbtActive = true;
                }, 2),
                value(Signals.DOWNLOADERS, dl, h -> h.post = List.of(
                        new PostProcessor("unpackerr", true, false, 0, 2 * mb),
                        new PostProcessor("tdarr", true, false, 0, mb), // not above 1 MB/s
                        new PostProcessor("tdarr-node", true, true, 0, 9 * mb)), // paused
                        1),
                value(Signals.DOWNLOADERS, dl, h -> { // no downloader API on this host, post-processing only
                    h.sabnzbd = SourceState.NOT_CONFIGURED;
                    h.qbittorrent = null;
                    h.post = List.of(new PostProcessor("unpackerr", true, false, 0, 0));
                }, 0),
                new Case(Signals.DOWNLOADERS, dl, h -> {
                    h.sabnzbd = SourceState.UNREACHABLE;
                    h.qbtActive = true;
                }, Kind.LOWER_BOUND, 1, "sabnzbd unreachable on download-stack"),
                missing(Signals.DOWNLOADERS, dl, h -> {
                    h.sabnzbd = SourceState.UNREACHABLE;
                    h.qbittorrent = SourceState.UNAUTHORIZED;
                }, "sabnzbd unreachable, qbittorrent unauthorized on download-stack"),
                missing(Signals.DOWNLOADERS, dl, h -> {
                    h.sabnzbd = null;
                    h.qbittorrent = null;
                }, "no qbittorrent or sabnzbd configured on download-stack"),
                missing(Signals.DOWNLOADERS, dl, h -> h.activityReported = false,
                        "no activity report from download-stack"),

                value(Signals.NFS_READ_RTT, st, h -> h.readRttMs = 61.0, 61.0),
                value(Signals.NFS_READ_EXE, st, h -> h.readExeMs = 120.0, 120.0),
                missing(Signals.NFS_READ_RTT, st, h -> h.readRttMs = null, "no NFS reads on streaming-stack"),
                missing(Signals.NFS_READ_EXE, st, h -> h.nfsWriteBps = null, "no NFS statistics on streaming-stack"),
                value(Signals.IO_PSI, st, h -> h.psi = 0.0, 0.0),
                value(Signals.DISK_READ_AWAIT, st, h -> h.readAwaitMs = 33.0, 33.0),
                missing(Signals.DISK_READ_AWAIT, st, h -> h.readAwaitMs = null, "no disk reads on streaming-stack"),
                value(Signals.TRANSCODE_BEHIND, st, h -> h.sessions = List.of(Trace.session("a", false, true),
                        Trace.session("b", false, true), Trace.session("c", false, false)), 2),
                missing(Signals.TRANSCODE_BEHIND, st, h -> h.jellyfin = SourceState.NOT_CONFIGURED,
                        "jellyfin not-configured on streaming-stack"),

                missing(Signals.DISK_WRITE, dl, h -> h.online = false, "download-stack offline"),
                missing(Signals.IO_PSI, st, h -> {
                    h.speaking = false;
                    h.heardAt = NOW.minusSeconds(16);
                }, "streaming-stack stale (last heard 16 s ago)"),
                missing(Signals.NFS_WRITE, dl, h -> {
                    h.speaking = false;
                    h.heardAt = null;
                }, "nothing heard from download-stack"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reads(Case c) {
        Trace t = new Trace();
        Trace.Host h = Signals.DOWNLOAD.equals(c.side()) ? t.dl : t.st;
        c.setup().accept(h);
        List<Reading> all = Signals.read(h.sample(NOW), NOW, C);
        assertThat(all).extracting(Reading::name).containsExactlyElementsOf(
                Signals.DOWNLOAD.equals(c.side()) ? Signals.DOWNLOAD_SIGNALS : Signals.STREAMING_SIGNALS);
        Reading r = all.stream().filter(x -> x.name().equals(c.name())).findFirst().orElseThrow();
        assertThat(r.kind()).isEqualTo(c.kind());
        assertThat(r.side()).isEqualTo(c.side());
        assertThat(r.unit()).isEqualTo(Signals.unit(c.name()));
        assertThat(r.value()).isEqualTo(c.value());
        assertThat(r.why()).isEqualTo(c.why());
    }

    @Test
    void aHostHeardFromExactlyStaleAfterAgo_isStillUsable() {
        Trace t = new Trace();
        t.dl.speaking = false;
        t.dl.heardAt = NOW.minus(C.staleAfter());
        assertThat(Signals.read(t.dl.sample(NOW), NOW, C)).noneMatch(Reading::missing);
    }

    @Test
    void nfs_onlyTheMediaMountCounts_readLatencyWeightedByCalls_firstDiskSampleHasNoRates() {
        var host = Trace.DL;
        NfsStats media = new NfsStats(5, 0, 30 * Trace.MB, 0, 0, 0, List.of(new NfsOpStats("READ", 30, 40, 50, 0, 0, 0),
                new NfsOpStats("GETATTR", 100, 900, 900, 0, 0, 0)));
        NfsStats media2 = new NfsStats(5, 0, 5 * Trace.MB, 0, 0, 0, List.of(new NfsOpStats("READ", 10, 80, 90, 0, 0, 0),
                new NfsOpStats("READ", 0, 999, 999, 0, 0, 0)));
        NfsStats other = new NfsStats(5, 0, 500 * Trace.MB, 0, 0, 0, List.of(new NfsOpStats("READ", 100, 900, 900, 0, 0, 0)));
        HostMounts mounts = HostMounts.of(host, NOW, List.of(mount("/mnt/media/", media), mount("/mnt/media", media2),
                mount("/mnt/backup", other)));
        HostIo firstIo = HostIo.of(host, NOW, 0, null, List.of(new DiskIo("sda", 0, 0, 0, 0, 0, 0, 0, 0)), List.of(),
                List.of());
        List<Reading> dl = Signals.read(new HostSample(host, "download", true, NOW, firstIo, mounts, null), NOW, C);
        assertThat(dl.get(0).value()).isEqualTo(35.0 * Trace.MB);
        assertThat(dl.get(1).why()).isEqualTo("first I/O sample on download-stack (no rates yet)");

        List<Reading> st = Signals.read(new HostSample(host, "streaming", true, NOW, null, mounts, null), NOW, C);
        assertThat(st.get(0).value()).isEqualTo((30 * 40 + 10 * 80) / 40.0); // 50 ms
        assertThat(st.get(1).value()).isEqualTo((30 * 50 + 10 * 90) / 40.0); // 60 ms
    }

    @Test
    void diskReadAwait_isTheWorstDiskWithReads() {
        HostIo io = HostIo.of(Trace.ST, NOW, 5, null, List.of(
                new DiskIo("sda", 0, 0, 10, 0, 0, 12, 0, 0),
                new DiskIo("sdb", 0, 0, 3, 0, 0, 25, 0, 0),
                new DiskIo("sdc", 0, 0, 0, 50, 0, 400, 0, 0)), List.of(), List.of());
        List<Reading> st = Signals.read(new HostSample(Trace.ST, "streaming", true, NOW, io, null, null), NOW, C);
        assertThat(st.get(3).name()).isEqualTo(Signals.DISK_READ_AWAIT);
        assertThat(st.get(3).value()).isEqualTo(25.0);
    }

    @Test
    void hostsOfOtherRoles_giveNoSignals() {
        assertThat(Signals.read(new HostSample(Trace.DL, "media", true, NOW, null, null, null), NOW, C)).isEmpty();
        assertThat(Signals.read(new HostSample(Trace.DL, null, true, NOW, null, null, null), NOW, C)).isEmpty();
    }

    static Stream<Arguments> watchingCases() {
        return Stream.of(
                Arguments.of("a session playing", (Consumer<Trace>) t -> { }, Signals.Watch.YES, null),
                Arguments.of("only paused", (Consumer<Trace>) t -> t.st.sessions = List.of(Trace.session("a", true, false)),
                        Signals.Watch.NO, null),
                Arguments.of("nothing playing", (Consumer<Trace>) t -> t.st.sessions = List.of(), Signals.Watch.NO, null),
                Arguments.of("jellyfin key wrong", (Consumer<Trace>) t -> t.st.jellyfin = SourceState.UNAUTHORIZED,
                        Signals.Watch.UNKNOWN, "jellyfin unauthorized on streaming-stack"),
                Arguments.of("no activity", (Consumer<Trace>) t -> t.st.activityReported = false,
                        Signals.Watch.UNKNOWN, "no activity report from streaming-stack"),
                Arguments.of("streaming host offline", (Consumer<Trace>) t -> t.st.online = false,
                        Signals.Watch.UNKNOWN, "streaming-stack offline"),
                Arguments.of("jellyfin not configured", (Consumer<Trace>) t -> t.st.jellyfin = null,
                        Signals.Watch.UNKNOWN, "no jellyfin or navidrome configured on streaming-stack"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("watchingCases")
    void watching(String name, Consumer<Trace> setup, Signals.Watch expected, String why) {
        Trace t = new Trace();
        setup.accept(t);
        Signals.Watching w = Signals.watching(List.of(t.dl.sample(NOW), t.st.sample(NOW)), NOW, C);
        assertThat(w.state()).isEqualTo(expected);
        assertThat(w.why()).isEqualTo(why);
        assertThat(w.possibly()).isEqualTo(expected != Signals.Watch.NO);
    }

    @Test
    void noStreamingHost_watchingUnknown() {
        Trace t = new Trace();
        assertThat(Signals.watching(List.of(t.dl.sample(NOW)), NOW, C))
                .isEqualTo(new Signals.Watching(Signals.Watch.UNKNOWN, "no streaming host"));
    }

    @Test
    void evidenceLists_areBounded() {
        Trace t = new Trace();
        t.st.sessions = Stream.iterate(0, i -> i + 1).limit(100).map(i -> Trace.session("s" + i, false, false))
                .toList();
        t.dl.topWriters = Stream.iterate(0, i -> i + 1).limit(50).map(i -> "c" + i).toList();
        List<HostSample> hosts = List.of(t.dl.sample(NOW), t.st.sample(NOW));
        assertThat(Signals.sessions(hosts, NOW, C, StutterDetector.MAX_SESSIONS)).hasSize(20);
        assertThat(Signals.topWriters(hosts, NOW, C, StutterDetector.MAX_WRITERS)).hasSize(10);
        t.dl.online = false;
        assertThat(Signals.topWriters(List.of(t.dl.sample(NOW)), NOW, C, 10)).as("not from an offline host").isEmpty();
    }

    @Test
    void unknownSignalName_isRefused() {
        assertThatThrownBy(() -> Signals.unit("nfs-read-latency")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> C.rule(Signals.STREAMING, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    static MountState mount(String path, NfsStats stats) {
        return new MountState(path, "nfs4", "rw", MountHealth.OK, List.of(), Trace.T0, true, "nas:/x", "nfs4", "rw",
                "rw", null, null, stats);
    }
}
