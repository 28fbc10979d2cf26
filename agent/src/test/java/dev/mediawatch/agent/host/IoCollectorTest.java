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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.mediawatch.agent.fs.HostFiles;
import dev.mediawatch.agent.io.DeviceFilter;
import dev.mediawatch.agent.mounts.MountInfoParser;
import dev.mediawatch.contract.ContainerIo;
import dev.mediawatch.contract.DiskIo;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.testing.MutableClock;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostPressure;
import dev.mediawatch.contract.Pressure;
import dev.mediawatch.contract.PressureLine;

/**
 * {@link IoCollector} on a fixture host root in a temporary directory: {@code /proc/pressure/*},
 * {@code /proc/diskstats}, {@code /proc/<pid>/{cgroup,io}} and a cgroup v2 hierarchy mounted at
 * {@code /sys/fs/cgroup/unified} (the {@code cgroup2} line of {@code mountinfo-namespace.txt}). Two or three
 * collects with a clock the test moves; the files are rewritten in between.
 */
class IoCollectorTest {

    static final HostId HOST = HostId.of("download-stack");
    static final Instant T0 = Instant.parse("2026-11-21T13:36:00Z");
    static final Duration STEP = Duration.ofSeconds(5);
    static final String UNIFIED = "/sys/fs/cgroup/unified";
    static final DeviceFilter DEFAULT_DISKS = DeviceFilter.of(Optional.empty());

    @TempDir
    Path root;

    final MutableClock clock = new MutableClock(T0);
    final List<String> skipped = new ArrayList<>();
    HostFiles files;

    @BeforeEach
    void hostRoot() {
        files = new HostFiles(root);
    }

    // ---------------------------------------------------------------- pressure

    @Test
    void pressure_stallFromTheTotals_averagesPassedThrough_fullOnlyWhereWritten() throws IOException {
        IoCollector c = collector(DEFAULT_DISKS);
        write("/proc/pressure/io", fixture("pressure-io.txt"));
        // cpu as kernels before 5.13 write it: no full line (the first line of pressure-cpu.txt)
        write("/proc/pressure/cpu", "some avg10=0.02 avg60=7.85 avg300=7.64 total=631458853\n");
        write("/proc/pressure/memory", fixture("pressure-memory.txt"));

        HostIo first = c.collect(List.of(), List.of());

        assertThat(first.intervalSeconds()).isEqualTo(0.0);
        assertThat(first.timestamp()).isEqualTo(T0);
        assertThat(first.pressure()).isEqualTo(new HostPressure(
                new Pressure(new PressureLine(0.18, 0.13, 0.13, 9250970, null),
                        new PressureLine(0.09, 0.05, 0.04, 6836080, null)),
                new Pressure(new PressureLine(0.02, 7.85, 7.64, 631458853, null), null),
                new Pressure(new PressureLine(0.0, 0.0, 0.0, 0, null), new PressureLine(0.0, 0.0, 0.0, 0, null))));

        clock.advance(STEP);
        // io: some +860000 us, full +695000 us in 5 s; cpu some +115000 us; memory some +5001000 us (more
        // than the 5 s the clock says: capped at 100), full unchanged
        write("/proc/pressure/io", "some avg10=14.80 avg60=9.10 avg300=3.20 total=10110970\n"
                + "full avg10=12.10 avg60=7.50 avg300=2.60 total=7531080\n");
        write("/proc/pressure/cpu", "some avg10=2.10 avg60=1.80 avg300=1.50 total=631573853\n");
        write("/proc/pressure/memory", "some avg10=0.50 avg60=0.10 avg300=0.02 total=5001000\n"
                + "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");

        HostIo second = c.collect(List.of(), List.of());

        assertThat(second.intervalSeconds()).isEqualTo(5.0);
        assertThat(second.pressure()).isEqualTo(new HostPressure(
                new Pressure(new PressureLine(14.8, 9.1, 3.2, 10110970, 17.2),
                        new PressureLine(12.1, 7.5, 2.6, 7531080, 13.9)),
                new Pressure(new PressureLine(2.1, 1.8, 1.5, 631573853, 2.3), null),
                new Pressure(new PressureLine(0.5, 0.1, 0.02, 5001000, 100.0),
                        new PressureLine(0.0, 0.0, 0.0, 0, 0.0))));
        assertThat(skipped).isEmpty();
    }

    @Test
    void noPressureFiles_noPressure_andNothingElseEither() {
        IoCollector c = collector(DEFAULT_DISKS);

        HostIo first = c.collect(List.of(), List.of());
        clock.advance(STEP);
        HostIo second = c.collect(List.of(), List.of());

        for (HostIo io : List.of(first, second)) {
            assertThat(io.pressure()).isNull();
            assertThat(io.disks()).isEmpty();
            assertThat(io.containers()).isEmpty();
            assertThat(io.topWriters()).isEmpty();
            assertThat(io.schema()).isEqualTo("mediawatch.host-io");
            assertThat(io.host()).isEqualTo(HOST);
        }
        assertThat(second.intervalSeconds()).isEqualTo(5.0);
    }

    @Test
    void onlyOnePressureFile_theOthersAbsent() throws IOException {
        write("/proc/pressure/io", fixture("pressure-io.txt"));

        HostPressure p = collector(DEFAULT_DISKS).collect(List.of(), List.of()).pressure();

        assertThat(p).isNotNull();
        assertThat(p.io().some().totalUs()).isEqualTo(9250970);
        assertThat(p.cpu()).isNull();
        assertThat(p.memory()).isNull();
    }

    // ---------------------------------------------------------------- disks

    /** The real captures, with the clock stepped by their real 1.597 s, or by 5 s. */
    @ParameterizedTest(name = "{0} ms")
    @CsvSource({
            "1597, 1.597, 10515717, 10505458, 21.916, 20.038, 0.851, 2.254",
            "5000, 5.0,   3358720,  3355443,  7.0,    6.4,    0.851, 0.72" })
    void disks_defaultFilter_ratesOnTheRealCaptures(long millis, double interval, long readBps, long writeBps,
            double readIops, double writeIops, double awaitMs, double utilPct) throws IOException {
        IoCollector c = collector(DEFAULT_DISKS);
        write("/proc/diskstats", fixture("diskstats-vm-t0.txt"));

        HostIo first = c.collect(List.of(), List.of());
        assertThat(first.disks()).as("loop* and zram0 are left out; no rates yet")
                .containsExactly(new DiskIo("vda", 0, 0, 0, 0, 0, 0, 0, 0));

        clock.advance(Duration.ofMillis(millis));
        write("/proc/diskstats", fixture("diskstats-vm-t1.txt"));
        HostIo second = c.collect(List.of(), List.of());

        // vda: +32800 sectors read in 35 reads, +32768 written in 32 writes, 36+21 ms busy, 36 ms in I/O
        assertThat(second.intervalSeconds()).isEqualTo(interval);
        assertThat(second.disks()).containsExactly(
                new DiskIo("vda", readBps, writeBps, readIops, writeIops, awaitMs, 1.029, 0.656, utilPct));
        assertThat(skipped).isEmpty();
    }

    @Test
    void disks_configuredRegex_replacesTheDefault_sortedByName() throws IOException {
        IoCollector c = collector(DeviceFilter.of(Optional.of("vda|zram\\d+|loop[01]")));
        write("/proc/diskstats", fixture("diskstats-vm-t0.txt"));
        c.collect(List.of(), List.of());
        clock.advance(STEP);
        write("/proc/diskstats", fixture("diskstats-vm-t1.txt"));

        HostIo io = c.collect(List.of(), List.of());

        assertThat(io.disks()).containsExactly(
                new DiskIo("loop0", 0, 0, 0, 0, 0, 0, 0, 0),
                new DiskIo("loop1", 0, 0, 0, 0, 0, 0, 0, 0),
                new DiskIo("vda", 3358720, 3355443, 7.0, 6.4, 0.851, 1.029, 0.656, 0.72),
                new DiskIo("zram0", 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void disks_defaultFilter_dropsPartitionsAndPseudoDevices() throws IOException {
        write("/proc/diskstats", fixture("diskstats-14-fields.txt"));

        HostIo io = collector(DEFAULT_DISKS).collect(List.of(), List.of());

        assertThat(io.disks()).extracting(DiskIo::device).containsExactly("dm-0", "dm-1", "dm-2", "dm-3", "dm-4",
                "dm-5", "mmcblk0", "nvme0n1", "sda", "vda");
    }

    @Test
    void malformedLines_areReportedBySkipped_withTheFileKindAndCount() throws IOException {
        IoCollector c = collector(DEFAULT_DISKS);
        write("/proc/pressure/io", "some avg10=x avg60=0.13 avg300=0.13 total=9250970\n"
                + "full avg10=0.09 avg60=0.05 avg300=0.04 total=6836080\n");
        write("/proc/pressure/cpu", fixture("pressure-cpu.txt"));
        // the real capture plus a 7-field partition line (2.6.0-2.6.24) and a non-numeric counter
        write("/proc/diskstats", fixture("diskstats-vm-t0.txt") + "   3    1 hda1 35486 38030 38030 38030\n"
                + " 254      16 vdb 1 2 x 4 5 6 7 8 0 10 11\n");
        // a container whose io.stat has three malformed lines, one whose cgroup.procs has one
        write("/proc/2100/cgroup", "0::/system.slice/docker-extended.scope\n");
        write(UNIFIED + "/system.slice/docker-extended.scope/io.stat", fixture("io.stat-extended.txt"));
        write("/proc/2200/cgroup", "0::/system.slice/docker-procs.scope\n");
        write(UNIFIED + "/system.slice/docker-procs.scope/cgroup.procs", "2200\nnot-a-pid\n");
        write("/proc/2200/io", fixture("io-self.txt"));

        HostIo io = c.collect(cgroup2Mounts(), List.of(new IoCollector.ContainerRef("extended", null, 2100),
                new IoCollector.ContainerRef("procs", null, 2200)));

        assertThat(skipped).containsExactly("pressure:1", "diskstats:2", "io.stat:3", "cgroup.procs:1");
        assertThat(io.disks()).as("the good lines still count").extracting(DiskIo::device).containsExactly("vda");
        assertThat(io.pressure().io()).as("some is malformed: the io file gives nothing").isNull();
        assertThat(io.containers()).extracting(ContainerIo::container, ContainerIo::source)
                .containsExactly(tuple("extended", "cgroup"),
                        tuple("procs", "proc"));
    }

    // ---------------------------------------------------------------- containers

    /**
     * Six containers: three read from their cgroup's io.stat, one from its cgroup's processes, one from its
     * main process (no cgroup v2 path), one idle.
     */
    @Test
    void containers_ratesFromBothSources_sortedByWrites_topWriters() throws IOException {
        IoCollector c = collector(DEFAULT_DISKS);
        String sab = UNIFIED + "/system.slice/docker-4f1c3e2a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e.scope";
        String unp = UNIFIED + "/system.slice/docker-unpackerr.scope";
        String tdarr = UNIFIED + "/system.slice/docker-tdarr.scope";
        String bazarr = UNIFIED + "/system.slice/docker-bazarr.scope";
        String idle = UNIFIED + "/system.slice/docker-idle.scope";

        // sabnzbd: io.stat (the kernel doc's example) and io.pressure; its /proc io is there but not used
        write("/proc/1100/cgroup", fixture("cgroup-v2-docker.txt"));
        write(sab + "/io.stat", fixture("io.stat-kernel-doc.txt"));
        write(sab + "/io.pressure", "some avg10=31.20 avg60=20.40 avg300=8.00 total=45678901\n"
                + "full avg10=29.90 avg60=19.00 avg300=7.40 total=40123456\n");
        write(sab + "/cgroup.procs", "1100\n");
        write("/proc/1100/io", procIo(900_000_000, 900_000_000));
        // unpackerr: no io.stat, two processes
        write("/proc/1200/cgroup", "0::/system.slice/docker-unpackerr.scope\n");
        write(unp + "/cgroup.procs", "1200\n1201\n");
        write("/proc/1200/io", fixture("io-shell-after-dd.txt"));
        write("/proc/1201/io", procIo(999_999, 7_777_777));
        // radarr: a cgroup v1 process (no 0:: line): its main process alone
        write("/proc/1300/cgroup", fixture("cgroup-v1-docker.txt"));
        write("/proc/1300/io", fixture("io-self.txt"));
        // tdarr (no catalogue service), bazarr: io.stat; idle: an empty io.stat (no block I/O yet)
        write("/proc/1400/cgroup", "0::/system.slice/docker-tdarr.scope\n");
        write(tdarr + "/io.stat", "259:0 rbytes=0 wbytes=1000 rios=0 wios=1 dbytes=0 dios=0\n");
        write("/proc/1500/cgroup", "0::/system.slice/docker-bazarr.scope\n");
        write(bazarr + "/io.stat", "8:0 rbytes=0 wbytes=0 rios=0 wios=0 dbytes=0 dios=0\n");
        write("/proc/1600/cgroup", "0::/system.slice/docker-idle.scope\n");
        write(idle + "/io.stat", "");
        write(idle + "/io.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=100\n");
        List<IoCollector.ContainerRef> refs = List.of(
                new IoCollector.ContainerRef("radarr", "radarr", 1300),
                new IoCollector.ContainerRef("sabnzbd", "sabnzbd", 1100),
                new IoCollector.ContainerRef("idle", "idle", 1600),
                new IoCollector.ContainerRef("unpackerr", "unpackerr", 1200),
                new IoCollector.ContainerRef("tdarr", null, 1400),
                new IoCollector.ContainerRef("bazarr", "bazarr", 1500));

        HostIo first = c.collect(cgroup2Mounts(), refs);

        assertThat(first.intervalSeconds()).isEqualTo(0.0);
        assertThat(first.containers()).as("no rates yet: all zero, so by name").containsExactly(
                new ContainerIo("bazarr", "bazarr", 0, 0, "cgroup", null),
                new ContainerIo("idle", "idle", 0, 0, "cgroup",
                        new Pressure(new PressureLine(0.0, 0.0, 0.0, 100, null), null)),
                new ContainerIo("radarr", "radarr", 0, 0, "proc", null),
                new ContainerIo("sabnzbd", "sabnzbd", 0, 0, "cgroup",
                        new Pressure(new PressureLine(31.2, 20.4, 8.0, 45678901, null),
                                new PressureLine(29.9, 19.0, 7.4, 40123456, null))),
                new ContainerIo("tdarr", null, 0, 0, "cgroup", null),
                new ContainerIo("unpackerr", "unpackerr", 0, 0, "proc", null));
        assertThat(first.topWriters()).isEmpty();

        clock.advance(STEP);
        // sabnzbd: +52428800 written on 8:16, +4096 read on 8:0; stalls +1750000 / +1655000 us
        write(sab + "/io.stat", "8:16 rbytes=1459200 wbytes=367202304 rios=192 wios=453 dbytes=0 dios=0\n"
                + "8:0 rbytes=90434560 wbytes=299008000 rios=8951 wios=1252 dbytes=50331648 dios=3021\n");
        write(sab + "/io.pressure", "some avg10=35.10 avg60=22.00 avg300=8.60 total=47428901\n"
                + "full avg10=33.00 avg60=20.50 avg300=7.90 total=41778456\n");
        write("/proc/1100/io", procIo(1_900_000_000, 1_900_000_000));
        // unpackerr: 1200 went on (+1048576 read, +20971520 written), 1201 exited, 1202 started (5242880 written)
        write(unp + "/cgroup.procs", "1200\n1202\n");
        write("/proc/1200/io", procIo(1_048_576, 4_198_400 + 20_971_520));
        Files.delete(files.path("/proc/1201/io"));
        write("/proc/1202/io", procIo(0, 5_242_880));
        // radarr: +20480 read
        write("/proc/1300/io", procIo(20_480, 0));
        write(tdarr + "/io.stat", "259:0 rbytes=0 wbytes=5243880 rios=0 wios=9 dbytes=0 dios=0\n");
        write(bazarr + "/io.stat", "8:0 rbytes=0 wbytes=10000 rios=0 wios=3 dbytes=0 dios=0\n");

        HostIo second = c.collect(cgroup2Mounts(), refs);

        assertThat(second.intervalSeconds()).isEqualTo(5.0);
        assertThat(second.containers()).containsExactly(
                new ContainerIo("sabnzbd", "sabnzbd", 819, 10485760, "cgroup",
                        new Pressure(new PressureLine(35.1, 22.0, 8.6, 47428901, 35.0),
                                new PressureLine(33.0, 20.5, 7.9, 41778456, 33.1))),
                new ContainerIo("unpackerr", "unpackerr", 209715, 5242880, "proc", null),
                new ContainerIo("tdarr", null, 0, 1048576, "cgroup", null),
                new ContainerIo("bazarr", "bazarr", 0, 2000, "cgroup", null),
                new ContainerIo("radarr", "radarr", 4096, 0, "proc", null),
                new ContainerIo("idle", "idle", 0, 0, "cgroup",
                        new Pressure(new PressureLine(0.0, 0.0, 0.0, 100, 0.0), null)));
        assertThat(second.topWriters()).as("four write: the first three").containsExactly("sabnzbd", "unpackerr",
                "tdarr");

        clock.advance(STEP);
        // only sabnzbd writes now (+5242880 on 8:16)
        write(sab + "/io.stat", "8:16 rbytes=1459200 wbytes=372445184 rios=192 wios=493 dbytes=0 dios=0\n"
                + "8:0 rbytes=90434560 wbytes=299008000 rios=8951 wios=1252 dbytes=50331648 dios=3021\n");

        HostIo third = c.collect(cgroup2Mounts(), refs);

        assertThat(third.containers()).extracting(ContainerIo::container, ContainerIo::readBytesPerSec,
                ContainerIo::writeBytesPerSec).containsExactly(
                        tuple("sabnzbd", 0L, 1048576L),
                        tuple("bazarr", 0L, 0L),
                        tuple("idle", 0L, 0L),
                        tuple("radarr", 0L, 0L),
                        tuple("tdarr", 0L, 0L),
                        tuple("unpackerr", 0L, 0L));
        assertThat(third.containers().get(0).ioPressure().some().stallPct()).isEqualTo(0.0);
        assertThat(third.topWriters()).as("only those writing at all").containsExactly("sabnzbd");
    }

    /** The per-process rule: a pid in both samples counts its delta, a new one all it did, a gone one nothing. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // procs at t0 | procs at t1 | read B/s | write B/s
            "same pid, delta only             | 10      | 10      | 100  | 1000",
            "a new pid counts its full totals | 10      | 10\\n12 | 300  | 4000",
            "a gone pid contributes nothing   | 10\\n11 | 10      | 100  | 1000",
            "one gone, one new                | 10\\n11 | 10\\n12 | 300  | 4000",
            "only a new one                   | 11      | 12      | 200  | 3000" })
    void containerProcesses_perProcessDeltas(String name, String procs0, String procs1, long readBps,
            long writeBps) throws IOException {
        IoCollector c = collector(DEFAULT_DISKS);
        String dir = UNIFIED + "/system.slice/docker-app.scope";
        write("/proc/10/cgroup", "0::/system.slice/docker-app.scope\n");
        write(dir + "/cgroup.procs", procs0.replace("\\n", "\n") + "\n");
        write("/proc/10/io", procIo(5_000, 50_000));
        write("/proc/11/io", procIo(700_000, 7_000_000));
        List<IoCollector.ContainerRef> refs = List.of(new IoCollector.ContainerRef("app", "app", 10));
        c.collect(cgroup2Mounts(), refs);

        clock.advance(STEP);
        write(dir + "/cgroup.procs", procs1.replace("\\n", "\n") + "\n");
        write("/proc/10/io", procIo(5_500, 55_000)); // +500 read, +5000 written: 100 and 1000 per second
        Files.delete(files.path("/proc/11/io"));
        write("/proc/12/io", procIo(1_000, 15_000)); // started since: 200 and 3000 per second

        ContainerIo io = c.collect(cgroup2Mounts(), refs).containers().get(0);

        assertThat(io).isEqualTo(new ContainerIo("app", "app", readBps, writeBps, "proc", null));
    }

    @Test
    void containersWithoutACgroupV2Directory_fallBackToTheirMainProcess() throws IOException {
        IoCollector c = collector(DEFAULT_DISKS);
        // sabnzbd has a cgroup v2 path with io.stat and io.pressure, but the mount table has no cgroup2 line
        String sab = UNIFIED + "/system.slice/docker-4f1c3e2a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e.scope";
        write("/proc/1100/cgroup", fixture("cgroup-v2-docker.txt"));
        write(sab + "/io.stat", fixture("io.stat-kernel-doc.txt"));
        write(sab + "/io.pressure", "some avg10=31.20 avg60=20.40 avg300=8.00 total=45678901\n");
        write("/proc/1100/io", fixture("io-shell-after-dd.txt"));
        List<MountInfoParser.Mount> noCgroup2 = MountInfoParser.parse(fixture("mountinfo-nfs.txt")).mounts();
        assertThat(noCgroup2).noneMatch(m -> m.fsType().equals("cgroup2"));
        List<IoCollector.ContainerRef> refs = List.of(new IoCollector.ContainerRef("sabnzbd", "sabnzbd", 1100));
        c.collect(noCgroup2, refs);

        clock.advance(STEP);
        write("/proc/1100/io", procIo(409_600, 4_198_400 + 10_485_760));

        HostIo io = c.collect(noCgroup2, refs);

        assertThat(io.containers()).containsExactly(new ContainerIo("sabnzbd", "sabnzbd", 81920, 2097152, "proc", null));
        assertThat(io.topWriters()).containsExactly("sabnzbd");
    }

    @Test
    void aProcessInTheRootCgroup_fallsBackToItsMainProcess() throws IOException {
        IoCollector c = collector(DEFAULT_DISKS);
        // 0::/ as a process in the root cgroup shows it, or any process seen from inside a cgroup namespace;
        // the hierarchy's own top-level files must not be taken for the container's
        write("/proc/1700/cgroup", fixture("cgroup-hybrid-self.txt"));
        write("/proc/1700/io", fixture("io-self.txt"));
        write(UNIFIED + "/io.stat", fixture("io.stat-kernel-doc.txt"));
        write(UNIFIED + "/io.pressure", fixture("pressure-io.txt"));
        write(UNIFIED + "/cgroup.procs", "1\n1700\n");
        write("/proc/1/io", procIo(1_000_000, 1_000_000));
        List<IoCollector.ContainerRef> refs = List.of(new IoCollector.ContainerRef("root", null, 1700));
        c.collect(cgroup2Mounts(), refs);

        clock.advance(STEP);
        write("/proc/1700/io", procIo(2_048, 0));
        write("/proc/1/io", procIo(9_000_000, 9_000_000));

        HostIo io = c.collect(cgroup2Mounts(), refs);

        assertThat(io.containers()).containsExactly(new ContainerIo("root", null, 410, 0, "proc", null));
        assertThat(io.topWriters()).isEmpty();
    }

    // ---------------------------------------------------------------- regressions

    @Test
    void aMissedPressureSample_theRateIsOverTheCountersOwnInterval() throws IOException {
        IoCollector c = collector(DEFAULT_DISKS);
        write("/proc/pressure/io", "some avg10=1.00 avg60=1.00 avg300=1.00 total=1000000\n");
        c.collect(List.of(), List.of());
        Files.delete(files.path("/proc/pressure/io"));
        clock.advance(STEP);
        assertThat(c.collect(List.of(), List.of()).pressure()).isNull();
        write("/proc/pressure/io", "some avg10=1.00 avg60=1.00 avg300=1.00 total=3500000\n");
        clock.advance(STEP);
        // 2.5 s stalled over the 10 s since that counter was last read, not over the last 5 s
        assertThat(c.collect(List.of(), List.of()).pressure().io().some().stallPct()).isEqualTo(25.0);
    }

    @Test
    void aContainerReCreatedUnderTheSameName_hasNoRateUntilItsNewCgroupHasTwoSamples() throws IOException {
        IoCollector c = collector(DEFAULT_DISKS);
        write("/proc/2000/cgroup", "0::/system.slice/docker-old.scope\n");
        write(UNIFIED + "/system.slice/docker-old.scope/io.stat", "8:0 rbytes=0 wbytes=1000 rios=0 wios=1\n");
        List<IoCollector.ContainerRef> old = List.of(new IoCollector.ContainerRef("sabnzbd", "sabnzbd", 2000));
        c.collect(cgroup2Mounts(), old);
        write("/proc/2100/cgroup", "0::/system.slice/docker-new.scope\n");
        write(UNIFIED + "/system.slice/docker-new.scope/io.stat", "8:0 rbytes=0 wbytes=900000 rios=0 wios=9\n");
        List<IoCollector.ContainerRef> recreated = List.of(new IoCollector.ContainerRef("sabnzbd", "sabnzbd", 2100));
        clock.advance(STEP);
        assertThat(c.collect(cgroup2Mounts(), recreated).containers()).singleElement()
                .satisfies(io -> assertThat(io.writeBytesPerSec()).isZero());
        write(UNIFIED + "/system.slice/docker-new.scope/io.stat", "8:0 rbytes=0 wbytes=1400000 rios=0 wios=19\n");
        clock.advance(STEP);
        assertThat(c.collect(cgroup2Mounts(), recreated).containers()).singleElement()
                .satisfies(io -> assertThat(io.writeBytesPerSec()).isEqualTo(100_000));
    }

    // ---------------------------------------------------------------- helpers

    IoCollector collector(DeviceFilter disks) {
        return new IoCollector(HOST, files, disks, clock, (file, count) -> skipped.add(file + ":" + count));
    }

    /** The real mount table with the cgroup v2 hierarchy at /sys/fs/cgroup/unified. */
    static List<MountInfoParser.Mount> cgroup2Mounts() throws IOException {
        return MountInfoParser.parse(fixture("mountinfo-namespace.txt")).mounts();
    }

    void write(String hostPath, String text) throws IOException {
        Path p = files.path(hostPath);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.US_ASCII);
    }

    static String procIo(long readBytes, long writeBytes) {
        return "rchar: " + (readBytes + 4096) + "\nwchar: " + writeBytes + "\nsyscr: 10\nsyscw: 5\nread_bytes: "
                + readBytes + "\nwrite_bytes: " + writeBytes + "\ncancelled_write_bytes: 0\n";
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = IoCollectorTest.class.getResourceAsStream("/fixtures/proc/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
