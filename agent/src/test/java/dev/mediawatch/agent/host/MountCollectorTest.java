package dev.mediawatch.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mediawatch.agent.fs.HostFiles;
import dev.mediawatch.agent.fs.MountCalls;
import dev.mediawatch.agent.mounts.MountInfoParser;
import dev.mediawatch.agent.mounts.MountStatsParser;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.testing.MutableClock;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountSpace;
import dev.mediawatch.contract.MountState;
import dev.mediawatch.contract.NfsOpStats;
import dev.mediawatch.contract.NfsOptions;
import dev.mediawatch.contract.NfsStats;

/**
 * {@link MountCollector} on a fixture host root in a temporary directory: the mount tables are written where
 * {@link HostFiles} reads them ({@code <root>/proc/1/mountinfo}, {@code mountstats}), and the
 * {@code stat}/{@code statvfs} calls are real ones, through a real {@link MountCalls}, on directories created
 * under the root (on the temporary filesystem, so they answer). Time is a clock the test moves.
 */
class MountCollectorTest {

    static final HostId HOST = HostId.of("streaming-stack");
    static final Instant T0 = Instant.parse("2026-11-21T13:36:00Z");
    static final Duration STEP = Duration.ofSeconds(5);

    /** The mountinfo line of {@code /mnt/media} in {@code mountinfo-nfs.txt}, the NFSv4.2 mount. */
    static final String MEDIA_NFS_LINE = "98 27 0:52 / /mnt/media rw,relatime shared:60 - nfs4 pve:/media rw,vers=4.2,"
            + "rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,"
            + "clientaddr=192.168.1.209,local_lock=none,addr=192.168.1.10";
    /** The read-only tmpfs on {@code /mnt/media} in {@code mountinfo-namespace.txt}. */
    static final String MEDIA_TMPFS_LINE = "63 43 0:39 / /mnt/media ro,relatime - tmpfs x ro,size=1024k";

    @TempDir
    Path root;

    final MutableClock clock = new MutableClock(T0);
    HostFiles files;
    MountCalls calls;

    @BeforeEach
    void hostRoot() throws IOException {
        files = new HostFiles(root);
        calls = new MountCalls(Duration.ofSeconds(2), 4);
        for (String p : List.of("/mnt/media", "/mnt/docker", "/mnt/legacy", "/mnt/with space")) {
            Files.createDirectories(files.path(p));
        }
    }

    @AfterEach
    void closeCalls() {
        calls.close();
    }

    // ---------------------------------------------------------------- verdicts

    static Stream<Arguments> verdicts() {
        return Stream.of(
                // spec, health, problems, mode, superblockMode, fsType, source
                Arguments.of("/mnt/media:nfs|nfs4:rw", MountHealth.OK, List.of(), "rw", "rw", "nfs4", "pve:/media"),
                Arguments.of("/mnt/media:nfs4", MountHealth.OK, List.of(), "rw", "rw", "nfs4", "pve:/media"),
                Arguments.of("/mnt/media", MountHealth.OK, List.of(), "rw", "rw", "nfs4", "pve:/media"),
                Arguments.of("/mnt/legacy:nfs:ro", MountHealth.OK, List.of(), "ro", "ro", "nfs", "pve:/legacy"),
                Arguments.of("/mnt/legacy::ro", MountHealth.OK, List.of(), "ro", "ro", "nfs", "pve:/legacy"),
                Arguments.of("/mnt/legacy:nfs|nfs4:rw", MountHealth.WRONG_MODE, List.of("mounted ro, expected rw"),
                        "ro", "ro", "nfs", "pve:/legacy"),
                Arguments.of("/mnt/docker:nfs:rw", MountHealth.WRONG_MODE, List.of("filesystem nfs4, expected nfs"),
                        "rw", "rw", "nfs4", "pve:/tank/docker/download-stack"),
                Arguments.of("/mnt/docker:ext4|xfs", MountHealth.WRONG_MODE,
                        List.of("filesystem nfs4, expected ext4|xfs"), "rw", "rw", "nfs4",
                        "pve:/tank/docker/download-stack"),
                Arguments.of("/mnt/legacy:ext4:rw", MountHealth.WRONG_MODE,
                        List.of("mounted ro, expected rw", "filesystem nfs, expected ext4"), "ro", "ro", "nfs",
                        "pve:/legacy"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("verdicts")
    void verdict_ofAMountedPath(String specText, MountHealth health, List<String> problems, String mode,
            String superblockMode, String fsType, String source) throws IOException {
        MountSpec spec = MountSpec.parse(specText);
        MountCollector collector = collector(specText);

        MountCollector.Result r = collect(collector, fixture("proc/mountinfo-nfs.txt"), "");

        assertThat(r.events()).as("no events on the first collect, whatever the verdict").isEmpty();
        assertThat(r.mounts().host()).isEqualTo(HOST);
        assertThat(r.mounts().timestamp()).isEqualTo(T0);
        assertThat(r.mounts().mounts()).hasSize(1);
        MountState s = r.mounts().mounts().get(0);
        assertThat(s.path()).isEqualTo(spec.path());
        assertThat(s.expectedFsType()).isEqualTo(spec.fsTypesText());
        assertThat(s.expectedMode()).isEqualTo(spec.mode());
        assertThat(s.health()).isEqualTo(health);
        assertThat(s.problems()).containsExactlyElementsOf(problems);
        assertThat(s.since()).isEqualTo(T0);
        assertThat(s.mounted()).isTrue();
        assertThat(s.mode()).isEqualTo(mode);
        assertThat(s.superblockMode()).isEqualTo(superblockMode);
        assertThat(s.fsType()).isEqualTo(fsType);
        assertThat(s.source()).isEqualTo(source);
        assertThat(s.nfs()).as("all three are NFS mounts").isNotNull();
        assertThat(s.nfsStats()).as("no mountstats, and a first sample anyway").isNull();
        assertThat(s.space()).as("the statvfs of the directory under the root answered").isNotNull();
        assertThat(s.space().totalBytes()).isEqualTo(files.path(spec.path()).toFile().getTotalSpace());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'/mnt/absent:nfs|nfs4:rw', /mnt/absent, 'nfs|nfs4', rw",
            // the mountinfo line for /mnt/bad is malformed (too few fields): skipped, so nothing is mounted there
            "'/mnt/bad:nfs4',           /mnt/bad,    nfs4,       ",
            "'/mnt',                    /mnt,        ,           " })
    void missing_whenTheMountTableLacksThePath(String specText, String path, String expectedFsType,
            String expectedMode) throws IOException {
        MountCollector.Result r = collect(collector(specText), fixture("proc/mountinfo-nfs.txt"), "");

        assertThat(r.mounts().mounts()).containsExactly(new MountState(path, expectedFsType, expectedMode,
                MountHealth.MISSING, List.of("nothing is mounted on " + path), T0, false, null, null, null, null,
                null, null, null));
        assertThat(r.events()).isEmpty();
    }

    @Test
    void ok_nfsMount_hasTheSpaceOfTheRealStatvfs() throws IOException {
        MountCollector.Result r = collect(collector("/mnt/media:nfs|nfs4:rw"), fixture("proc/mountinfo-nfs.txt"),
                "");

        MountState s = r.mounts().mounts().get(0);
        assertThat(s.health()).isEqualTo(MountHealth.OK);
        assertThat(s.problems()).isEmpty();
        MountSpace space = s.space();
        assertThat(space).isNotNull();
        assertThat(space.totalBytes()).isPositive()
                .isEqualTo(root.resolve("mnt/media").toFile().getTotalSpace());
        assertThat(space.freeBytes()).isBetween(0L, space.totalBytes());
        assertThat(space.availableBytes()).isBetween(0L, space.freeBytes());
        assertThat(space.usedBytes()).isEqualTo(space.totalBytes() - space.freeBytes());
        assertThat(space.usedPct()).isBetween(0.0, 100.0);
        assertThat(r.mounts().schema()).isEqualTo("mediawatch.host-mounts");
    }

    @Test
    void aMountWhoseCallFails_isDegraded_withTheReason() throws IOException {
        // mounted in the table, but the path does not exist under the root: stat fails (ENOENT)
        String mountinfo = fixture("proc/mountinfo-nfs.txt")
                + "130 27 0:70 / /mnt/elsewhere rw,relatime - tmpfs z rw,size=1024k\n";

        MountCollector.Result r = collect(collector("/mnt/elsewhere:tmpfs:rw"), mountinfo, "");

        MountState s = r.mounts().mounts().get(0);
        assertThat(s.health()).isEqualTo(MountHealth.DEGRADED);
        assertThat(s.problems()).containsExactly("stat: No such file or directory");
        assertThat(s.mounted()).isTrue();
        assertThat(s.space()).isNull();
        assertThat(s.nfs()).isNull();
    }

    @ParameterizedTest(name = "{0}: vers={1} proto={2} hard={3} timeo={4} retrans={5}")
    @CsvSource({
            "/mnt/media,  4.2, tcp, true,  600, 2",
            "/mnt/docker, 4.1, tcp, false, 150, 3",
            "/mnt/legacy, 3,   udp, true,  11,  3" })
    void nfsOptions_fromTheSuperblockOptions(String path, String vers, String proto, boolean hard, int timeo,
            int retrans) throws IOException {
        MountCollector.Result r = collect(collector(path), fixture("proc/mountinfo-nfs.txt"), "");

        assertThat(r.mounts().mounts().get(0).nfs()).isEqualTo(new NfsOptions(vers, proto, hard, timeo, retrans));
    }

    @Test
    void readOnlyBind_isRoPerMount_rwInTheSuperblock() throws IOException {
        MountCollector c = collector("/mnt/docker:ext4:ro", "/mnt/media:tmpfs:ro", "/mnt/docker2:ext4:rw");
        // the same bind again on a second point, to judge it against rw as well
        String mountinfo = fixture("proc/mountinfo-namespace.txt")
                + "66 43 254:0 /mnt/src /mnt/docker2 ro,relatime - ext4 /dev/vda rw,discard\n";
        Files.createDirectories(files.path("/mnt/docker2"));

        List<MountState> s = collect(c, mountinfo, "").mounts().mounts();

        assertThat(s).extracting(MountState::path, MountState::health, MountState::mode, MountState::superblockMode,
                MountState::fsType, MountState::source).containsExactly(
                        tuple("/mnt/docker", MountHealth.OK, "ro", "rw", "ext4", "/dev/vda"),
                        tuple("/mnt/media", MountHealth.OK, "ro", "ro", "tmpfs", "x"),
                        tuple("/mnt/docker2", MountHealth.WRONG_MODE, "ro", "rw", "ext4",
                                "/dev/vda"));
        assertThat(s.get(2).problems()).containsExactly("mounted ro, expected rw");
        assertThat(s.get(0).nfs()).as("not NFS").isNull();
        assertThat(s.get(0).nfsStats()).isNull();
    }

    @Test
    void escapedSpaceInTheMountPoint_matchesTheConfiguredPathWithASpace() throws IOException {
        MountCollector.Result r = collect(collector("/mnt/with space:tmpfs:rw"),
                fixture("proc/mountinfo-namespace.txt"), "");

        MountState s = r.mounts().mounts().get(0);
        assertThat(s.path()).isEqualTo("/mnt/with space");
        assertThat(s.health()).isEqualTo(MountHealth.OK);
        assertThat(s.mounted()).isTrue();
        assertThat(s.source()).isEqualTo("y");
        assertThat(s.fsType()).isEqualTo("tmpfs");
        assertThat(s.mode()).isEqualTo("rw");
        assertThat(s.space()).as("statvfs made on <root>/mnt/with space").isNotNull();
        assertThat(s.space().totalBytes()).isEqualTo(root.resolve("mnt/with space").toFile().getTotalSpace());
    }

    static Stream<Arguments> mountedTwice() {
        return Stream.of(
                Arguments.of("tmpfs over nfs", List.of(MEDIA_NFS_LINE, MEDIA_TMPFS_LINE), MountHealth.WRONG_MODE,
                        "tmpfs", "ro", List.of("mounted ro, expected rw", "filesystem tmpfs, expected nfs|nfs4")),
                Arguments.of("nfs over tmpfs", List.of(MEDIA_TMPFS_LINE, MEDIA_NFS_LINE), MountHealth.OK, "nfs4", "rw",
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mountedTwice")
    void mountedTwiceOnTheSamePoint_theLastLineWins(String name, List<String> lines, MountHealth health,
            String fsType, String mode, List<String> problems) throws IOException {
        String mountinfo = "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,discard\n"
                + String.join("\n", lines) + "\n";

        MountState s = collect(collector("/mnt/media:nfs|nfs4:rw"), mountinfo, "").mounts().mounts().get(0);

        assertThat(s.health()).isEqualTo(health);
        assertThat(s.fsType()).isEqualTo(fsType);
        assertThat(s.mode()).isEqualTo(mode);
        assertThat(s.problems()).containsExactlyElementsOf(problems);
    }

    @Test
    void malformedMountinfoLines_areSkipped_andTheRestIsJudged() throws IOException {
        MountInfoParser.Result parsed = MountInfoParser.parse(fixture("proc/mountinfo-nfs.txt"));
        assertThat(parsed.skipped()).isEqualTo(2);
        assertThat(parsed.mounts()).hasSize(5);

        MountCollector c = collector("/mnt/media:nfs|nfs4:rw", "/mnt/docker:nfs|nfs4:rw", "/mnt/legacy:nfs:ro");
        List<MountState> s = c.collect(parsed.mounts(), List.of()).mounts().mounts();

        assertThat(s).extracting(MountState::path, MountState::health, MountState::source).containsExactly(
                tuple("/mnt/media", MountHealth.OK, "pve:/media"),
                tuple("/mnt/docker", MountHealth.OK, "pve:/tank/docker/download-stack"),
                tuple("/mnt/legacy", MountHealth.OK, "pve:/legacy"));
    }

    // ---------------------------------------------------------------- NFS rates

    static NfsOpStats op(String name, double opsPerSec, double rttMs, double executeMs, double retransPerSec,
            double timeoutsPerSec, double errorsPerSec) {
        return new NfsOpStats(name, opsPerSec, rttMs, executeMs, retransPerSec, timeoutsPerSec, errorsPerSec);
    }

    /** Constructed samples of one mount 5 s apart (fixtures/host/README.md): calm, troubled, calm, unchanged. */
    @Test
    void nfsRates_degradedWhileRetransmissionsAndTimeoutsRise_thenOkAgain() throws IOException {
        MountCollector c = collector("/mnt/media:nfs|nfs4:rw");
        String mountinfo = fixture("proc/mountinfo-nfs.txt");

        MountCollector.Result r0 = collect(c, mountinfo, fixture("host/mountstats-media-t0.txt"));
        MountState s0 = r0.mounts().mounts().get(0);
        assertThat(s0.health()).isEqualTo(MountHealth.OK);
        assertThat(s0.nfsStats()).as("rates need two samples").isNull();
        assertThat(r0.events()).isEmpty();

        // t1: busy, no retransmissions; zero-call ops (NULL, WRITE, SEQUENCE) left out; busiest first, ties by name
        clock.advance(STEP);
        MountCollector.Result r1 = collect(c, mountinfo, fixture("host/mountstats-media-t1.txt"));
        MountState s1 = r1.mounts().mounts().get(0);
        assertThat(s1.health()).isEqualTo(MountHealth.OK);
        assertThat(s1.problems()).isEmpty();
        assertThat(s1.since()).isEqualTo(T0);
        assertThat(s1.nfsStats()).isEqualTo(new NfsStats(5.0, 41943040, 0, 0.0, 0.0, 0.12, List.of(
                op("READ", 40.0, 18.5, 21.25, 0, 0, 0),
                op("ACCESS", 2.4, 1.0, 1.5, 0, 0, 0),
                op("GETATTR", 2.4, 0.5, 0.75, 0, 0, 0),
                op("LOOKUP", 0.2, 1.0, 2.0, 0, 0, 0.2))));
        assertThat(r1.events()).isEmpty();

        // t2: READ retransmitted twice and timed out once
        clock.advance(STEP);
        Instant t2 = T0.plus(STEP.multipliedBy(2));
        MountCollector.Result r2 = collect(c, mountinfo, fixture("host/mountstats-media-t2.txt"));
        MountState s2 = r2.mounts().mounts().get(0);
        assertThat(s2.health()).isEqualTo(MountHealth.DEGRADED);
        assertThat(s2.problems()).containsExactly("0.20 NFS timeouts/s", "0.40 NFS retransmissions/s");
        assertThat(s2.since()).isEqualTo(t2);
        assertThat(s2.nfsStats()).isEqualTo(new NfsStats(5.0, 20971520, 0, 0.4, 0.2, 0.0, List.of(
                op("READ", 20.0, 20.0, 50.0, 0.4, 0.2, 0),
                op("GETATTR", 1.0, 1.0, 2.0, 0, 0, 0))));
        assertThat(r2.events()).containsExactly(HostEvent.of(HOST, EventTypes.MOUNT_HEALTH, t2, "/mnt/media", "ok",
                "degraded", Map.of("problems", "0.20 NFS timeouts/s; 0.40 NFS retransmissions/s")));

        // t3: a calm interval: back to ok
        clock.advance(STEP);
        Instant t3 = T0.plus(STEP.multipliedBy(3));
        MountCollector.Result r3 = collect(c, mountinfo, fixture("host/mountstats-media-t3.txt"));
        MountState s3 = r3.mounts().mounts().get(0);
        assertThat(s3.health()).isEqualTo(MountHealth.OK);
        assertThat(s3.problems()).isEmpty();
        assertThat(s3.since()).isEqualTo(t3);
        assertThat(s3.nfsStats()).isEqualTo(new NfsStats(5.0, 10485760, 0, 0.0, 0.0, 0.0, List.of(
                op("READ", 10.0, 10.0, 12.0, 0, 0, 0))));
        assertThat(r3.events()).containsExactly(
                HostEvent.of(HOST, EventTypes.MOUNT_HEALTH, t3, "/mnt/media", "degraded", "ok", Map.of()));

        // the same sample again: no calls at all, so no ops; the verdict holds, so since stays
        clock.advance(STEP);
        MountCollector.Result r4 = collect(c, mountinfo, fixture("host/mountstats-media-t3.txt"));
        MountState s4 = r4.mounts().mounts().get(0);
        assertThat(s4.health()).isEqualTo(MountHealth.OK);
        assertThat(s4.since()).isEqualTo(t3);
        assertThat(s4.nfsStats()).isEqualTo(new NfsStats(5.0, 0, 0, 0.0, 0.0, 0.0, List.of()));
        assertThat(r4.events()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // the READ line of t2 (784 ops, 786 transmissions, 1 timeout) with one of the two troubles only
            "retransmissions only | READ: 784 786 0 | 0.40 NFS retransmissions/s",
            "timeouts only        | READ: 784 784 1 | 0.20 NFS timeouts/s",
            "both                 | READ: 784 786 1 | 0.20 NFS timeouts/s;0.40 NFS retransmissions/s" })
    void nfsTroubles_eitherOneDegrades(String name, String readLine, String problems) throws IOException {
        MountCollector c = collector("/mnt/media:nfs|nfs4:rw");
        String mountinfo = fixture("proc/mountinfo-nfs.txt");
        collect(c, mountinfo, fixture("host/mountstats-media-t1.txt"));
        String t2 = fixture("host/mountstats-media-t2.txt");
        assertThat(t2).contains("READ: 784 786 1 ");
        clock.advance(STEP);

        MountState s = collect(c, mountinfo, t2.replace("READ: 784 786 1 ", readLine + " ")).mounts().mounts().get(0);

        assertThat(s.health()).isEqualTo(MountHealth.DEGRADED);
        assertThat(s.problems()).containsExactlyElementsOf(Arrays.asList(problems.split(";")));
    }

    // ---------------------------------------------------------------- transitions

    @Test
    void unmounted_thenMountedAgain_withEvents() throws IOException {
        MountCollector c = collector("/mnt/media:nfs|nfs4:rw");
        String mounted = fixture("proc/mountinfo-nfs.txt");
        String unmounted = without(mounted, " /mnt/media ");
        assertThat(unmounted).doesNotContain("/mnt/media").contains("/mnt/docker");

        MountCollector.Result r0 = collect(c, mounted, fixture("host/mountstats-media-t0.txt"));
        assertThat(r0.events()).isEmpty();
        assertThat(r0.mounts().mounts().get(0).health()).isEqualTo(MountHealth.OK);

        clock.advance(STEP);
        Instant t1 = clock.instant();
        MountCollector.Result r1 = collect(c, unmounted, "");
        assertThat(r1.mounts().mounts()).containsExactly(new MountState("/mnt/media", "nfs|nfs4", "rw",
                MountHealth.MISSING, List.of("nothing is mounted on /mnt/media"), t1, false, null, null, null, null,
                null, null, null));
        assertThat(r1.events()).containsExactly(
                HostEvent.of(HOST, EventTypes.MOUNT_UNMOUNTED, t1, "/mnt/media", null, null,
                        Map.of("source", "pve:/media")),
                HostEvent.of(HOST, EventTypes.MOUNT_HEALTH, t1, "/mnt/media", "ok", "missing",
                        Map.of("problems", "nothing is mounted on /mnt/media")));

        clock.advance(STEP);
        MountCollector.Result r2 = collect(c, unmounted, "");
        assertThat(r2.events()).as("still missing: nothing new").isEmpty();
        assertThat(r2.mounts().mounts().get(0).since()).isEqualTo(t1);

        clock.advance(STEP);
        Instant t3 = clock.instant();
        MountCollector.Result r3 = collect(c, mounted, fixture("host/mountstats-media-t1.txt"));
        MountState s3 = r3.mounts().mounts().get(0);
        assertThat(s3.health()).isEqualTo(MountHealth.OK);
        assertThat(s3.since()).isEqualTo(t3);
        assertThat(s3.nfsStats()).as("the sample before the unmount is not used for rates").isNull();
        assertThat(r3.events()).containsExactly(
                HostEvent.of(HOST, EventTypes.MOUNT_MOUNTED, t3, "/mnt/media", null, null,
                        Map.of("source", "pve:/media", "fsType", "nfs4", "mode", "rw")),
                HostEvent.of(HOST, EventTypes.MOUNT_HEALTH, t3, "/mnt/media", "missing", "ok", Map.of()));
    }

    static Stream<Arguments> modeChanges() {
        return Stream.of(
                Arguments.of("/mnt/media:nfs|nfs4", MountHealth.OK, false),
                Arguments.of("/mnt/media:nfs|nfs4:rw", MountHealth.WRONG_MODE, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modeChanges")
    void remountedReadOnly_modeChangedEvent(String specText, MountHealth after, boolean healthEvent)
            throws IOException {
        MountCollector c = collector(specText);
        String rw = fixture("proc/mountinfo-nfs.txt");
        String ro = rw.replace(" /mnt/media rw,relatime shared:60 - nfs4 pve:/media rw,",
                " /mnt/media ro,relatime shared:60 - nfs4 pve:/media ro,");
        assertThat(ro).isNotEqualTo(rw);

        assertThat(collect(c, rw, "").events()).isEmpty();
        clock.advance(STEP);
        Instant t1 = clock.instant();
        MountCollector.Result r = collect(c, ro, "");

        MountState s = r.mounts().mounts().get(0);
        assertThat(s.mode()).isEqualTo("ro");
        assertThat(s.health()).isEqualTo(after);
        HostEvent modeChanged = HostEvent.of(HOST, EventTypes.MOUNT_MODE_CHANGED, t1, "/mnt/media", "rw", "ro",
                Map.of());
        if (healthEvent) {
            assertThat(s.since()).isEqualTo(t1);
            assertThat(r.events()).containsExactly(modeChanged, HostEvent.of(HOST, EventTypes.MOUNT_HEALTH, t1,
                    "/mnt/media", "ok", "wrong-mode", Map.of("problems", "mounted ro, expected rw")));
        } else {
            assertThat(s.since()).as("the verdict held").isEqualTo(T0);
            assertThat(r.events()).containsExactly(modeChanged);
        }
    }

    @Test
    void since_keptWhileTheVerdictHolds_movedWhenItChanges() throws IOException {
        MountCollector c = collector("/mnt/media:nfs|nfs4:rw", "/mnt/legacy:nfs:ro");
        String ok = fixture("proc/mountinfo-nfs.txt");
        String wrong = ok.replace(" - nfs4 pve:/media ", " - cifs pve:/media ");
        assertThat(wrong).isNotEqualTo(ok);
        // mountinfo per collect, and the expected since of /mnt/media (index of the collect)
        List<String> tables = List.of(ok, ok, wrong, wrong, wrong, ok, ok);
        int[] since = { 0, 0, 2, 2, 2, 5, 5 };

        for (int i = 0; i < tables.size(); i++) {
            Instant now = T0.plus(STEP.multipliedBy(i));
            clock.set(now);
            MountCollector.Result r = collect(c, tables.get(i), "");
            assertThat(r.mounts().timestamp()).isEqualTo(now);
            assertThat(r.mounts().mounts().get(0).since()).as("/mnt/media at collect %d", i)
                    .isEqualTo(T0.plus(STEP.multipliedBy(since[i])));
            assertThat(r.mounts().mounts().get(1).since()).as("/mnt/legacy, ok throughout, at collect %d", i)
                    .isEqualTo(T0);
            assertThat(r.events()).as("events at collect %d", i)
                    .extracting(HostEvent::type, HostEvent::from, HostEvent::to)
                    .containsExactlyElementsOf(switch (i) {
                        case 2 -> List.of(tuple(EventTypes.MOUNT_HEALTH, "ok",
                                "wrong-mode"));
                        case 5 -> List.of(tuple(EventTypes.MOUNT_HEALTH, "wrong-mode",
                                "ok"));
                        default -> List.of();
                    });
        }
    }

    // ---------------------------------------------------------------- helpers

    MountCollector collector(String... specs) {
        return new MountCollector(HOST, Arrays.stream(specs).map(MountSpec::parse).toList(), files, calls, clock);
    }

    /** Writes the mount tables where {@link HostFiles} reads them under the root, parses them and collects. */
    MountCollector.Result collect(MountCollector collector, String mountinfo, String mountstats) throws IOException {
        assertThat(files.mountView("mountinfo")).isEqualTo("/proc/1/mountinfo");
        Path proc = files.path("/proc/1");
        Files.createDirectories(proc);
        Files.writeString(proc.resolve("mountinfo"), mountinfo, StandardCharsets.US_ASCII);
        Files.writeString(proc.resolve("mountstats"), mountstats, StandardCharsets.US_ASCII);
        List<MountInfoParser.Mount> mounts = MountInfoParser.parse(files.read(files.mountView("mountinfo"))).mounts();
        List<MountStatsParser.NfsMount> nfs = MountStatsParser.parse(files.read(files.mountView("mountstats")))
                .mounts();
        return collector.collect(mounts, nfs);
    }

    static String without(String text, String containing) {
        return Arrays.stream(text.split("\n")).filter(l -> !l.contains(containing))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = MountCollectorTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
