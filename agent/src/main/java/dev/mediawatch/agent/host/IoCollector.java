package dev.mediawatch.agent.host;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mediawatch.agent.fs.HostFiles;
import dev.mediawatch.agent.io.CgroupIoParser;
import dev.mediawatch.agent.io.CgroupIoParser.IoTotals;
import dev.mediawatch.agent.io.ContainerIoRates;
import dev.mediawatch.agent.io.Counters;
import dev.mediawatch.agent.io.DeviceFilter;
import dev.mediawatch.agent.io.DiskRates;
import dev.mediawatch.agent.io.DiskStatsParser;
import dev.mediawatch.agent.io.ProcCgroupParser;
import dev.mediawatch.agent.io.ProcIoParser;
import dev.mediawatch.agent.mounts.MountInfoParser;
import dev.mediawatch.agent.pressure.PressureParser;
import dev.mediawatch.contract.ContainerIo;
import dev.mediawatch.contract.DiskIo;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostPressure;
import dev.mediawatch.contract.Pressure;
import dev.mediawatch.contract.PressureLine;

/**
 * The I/O-contention signals of one host: pressure stall information, the watched block devices, and each
 * running container's I/O with its cgroup's {@code io.pressure}. Everything is read under the host root and
 * turned into rates against the previous sample. Plain Java with an injectable clock; one thread.
 */
public final class IoCollector {

    /** A running container: its name, catalogue service (or null) and main process id. */
    public record ContainerRef(String name, String service, long pid) {
    }

    private static final int TOP_WRITERS = 3;

    private final HostId host;
    private final HostFiles files;
    private final DeviceFilter disks;
    private final Clock clock;
    private final Skipped skipped;

    private Instant previousAt;
    /** Each counter's previous value with its own time: a sample missed for one counter cannot skew its rate. */
    private record Prev(long total, Instant at) {
    }

    private final Map<String, Prev> previousPsi = new HashMap<>();
    private Map<String, DiskStatsParser.Disk> previousDisks = Map.of();
    private Instant previousDisksAt;
    private Map<String, ContainerSample> previousContainers = Map.of();

    /** One container's counters at a sample: the cgroup's totals, or its processes' own. */
    private record ContainerSample(String cgroup, IoTotals cgroupTotals, Map<Long, ProcIoParser.ProcIo> processes) {
    }

    public IoCollector(HostId host, HostFiles files, DeviceFilter disks, Clock clock, Skipped skipped) {
        this.host = host;
        this.files = files;
        this.disks = disks;
        this.clock = clock;
        this.skipped = skipped;
    }

    public HostIo collect(List<MountInfoParser.Mount> mountInfo, List<ContainerRef> containers) {
        Instant now = clock.instant();
        double seconds = previousAt == null ? 0 : Duration.between(previousAt, now).toNanos() / 1e9;
        HostPressure pressure = new HostPressure(pressure("io", "/proc/pressure/io", now),
                pressure("cpu", "/proc/pressure/cpu", now), pressure("memory", "/proc/pressure/memory", now));
        if (pressure.io() == null && pressure.cpu() == null && pressure.memory() == null) {
            pressure = null;
        }
        List<DiskIo> diskIo = disks(now);
        List<ContainerIo> containerIo = containers(mountInfo, containers, seconds, now);
        List<String> top = containerIo.stream().filter(c -> c.writeBytesPerSec() > 0).limit(TOP_WRITERS)
                .map(ContainerIo::container).toList();
        previousAt = now;
        return HostIo.of(host, now, Num.r3(seconds), pressure, diskIo, containerIo, top);
    }

    private Pressure pressure(String key, String file, Instant now) {
        String text = files.readQuietly(file);
        if (text == null) {
            return null;
        }
        PressureParser.Result r = PressureParser.parse(text);
        if (r.skipped() > 0) {
            skipped.lines("pressure", r.skipped());
        }
        if (r.some() == null) {
            return null;
        }
        return new Pressure(line(key + ".some", r.some(), now), r.full() == null ? null
                : line(key + ".full", r.full(), now));
    }

    private PressureLine line(String key, PressureParser.Line l, Instant now) {
        Prev before = previousPsi.put(key, new Prev(l.totalUs(), now));
        Double stall = null;
        double seconds = before == null ? 0 : Duration.between(before.at(), now).toNanos() / 1e9;
        if (seconds > 0) {
            stall = Num.r3(Math.min(100.0, Counters.delta(before.total(), l.totalUs()) / (seconds * 1e6) * 100.0));
        }
        return new PressureLine(l.avg10(), l.avg60(), l.avg300(), l.totalUs(), stall);
    }

    private List<DiskIo> disks(Instant at) {
        String text = files.readQuietly("/proc/diskstats");
        if (text == null) {
            return List.of();
        }
        DiskStatsParser.Result r = DiskStatsParser.parse(text);
        if (r.skipped() > 0) {
            skipped.lines("diskstats", r.skipped());
        }
        Map<String, DiskStatsParser.Disk> now = new HashMap<>();
        List<DiskIo> out = new ArrayList<>();
        double seconds = previousDisksAt == null ? 0 : Duration.between(previousDisksAt, at).toNanos() / 1e9;
        for (DiskStatsParser.Disk d : r.disks()) {
            if (!disks.test(d.name())) {
                continue;
            }
            now.put(d.name(), d);
            DiskRates rates = seconds > 0 ? DiskRates.between(previousDisks.get(d.name()), d, seconds) : null;
            out.add(rates == null ? new DiskIo(d.name(), 0, 0, 0, 0, 0, 0, 0, 0)
                    : new DiskIo(d.name(), Math.round(rates.readBytesPerSecond()), Math.round(rates.writeBytesPerSecond()),
                            Num.r3(rates.readIops()), Num.r3(rates.writeIops()), Num.r3(rates.awaitMs()),
                            Num.r3(rates.readAwaitMs()), Num.r3(rates.writeAwaitMs()),
                            Num.r3(rates.utilisationPercent())));
        }
        previousDisks = now;
        previousDisksAt = at;
        out.sort(Comparator.comparing(DiskIo::device));
        return out;
    }

    private List<ContainerIo> containers(List<MountInfoParser.Mount> mountInfo, List<ContainerRef> containers,
            double seconds, Instant at) {
        String cgroup2 = null;
        for (MountInfoParser.Mount m : mountInfo) {
            if (m.fsType().equals("cgroup2")) {
                cgroup2 = m.mountPoint();
                break;
            }
        }
        Map<String, ContainerSample> now = new HashMap<>();
        List<ContainerIo> out = new ArrayList<>();
        for (ContainerRef c : containers) {
            String dir = cgroupDir(cgroup2, c.pid());
            Pressure ioPressure = null;
            ContainerSample sample;
            String ioStat = dir == null ? null : files.readQuietly(dir + "/io.stat");
            if (ioStat != null) {
                CgroupIoParser.Result r = CgroupIoParser.parse(ioStat);
                if (r.skipped() > 0) {
                    skipped.lines("io.stat", r.skipped());
                }
                sample = new ContainerSample(dir, r.totals(), null);
            } else {
                sample = new ContainerSample(dir, null, processes(dir, c.pid()));
            }
            if (dir != null) {
                String psi = files.readQuietly(dir + "/io.pressure");
                if (psi != null) {
                    PressureParser.Result r = PressureParser.parse(psi);
                    if (r.skipped() > 0) {
                        skipped.lines("io.pressure", r.skipped());
                    }
                    if (r.some() != null) {
                        ioPressure = new Pressure(line("c." + c.name() + ".some", r.some(), at),
                                r.full() == null ? null : line("c." + c.name() + ".full", r.full(), at));
                    }
                }
            }
            now.put(c.name(), sample);
            double[] rate = rate(previousContainers.get(c.name()), sample, seconds);
            out.add(new ContainerIo(c.name(), c.service(), Math.round(rate[0]), Math.round(rate[1]),
                    sample.cgroupTotals() != null ? "cgroup" : "proc", ioPressure));
        }
        // Containers that went away take their pressure counters with them: nothing here grows without bound.
        previousPsi.keySet().removeIf(k -> k.startsWith("c.") && !now.containsKey(containerOf(k)));
        previousContainers = now;
        out.sort(Comparator.comparingLong(ContainerIo::writeBytesPerSec).reversed()
                .thenComparing(Comparator.comparingLong(ContainerIo::readBytesPerSec).reversed())
                .thenComparing(ContainerIo::container));
        return out;
    }

    private static String containerOf(String psiKey) {
        return psiKey.substring(2, psiKey.lastIndexOf('.'));
    }

    /** The container's cgroup v2 directory as a host path, or null when it has none. */
    private String cgroupDir(String cgroup2, long pid) {
        if (cgroup2 == null) {
            return null;
        }
        String text = files.readQuietly("/proc/" + pid + "/cgroup");
        if (text == null) {
            return null;
        }
        Optional<String> v2 = ProcCgroupParser.parse(text).v2Path();
        if (v2.isEmpty() || v2.get().equals("/")) {
            return null;
        }
        return cgroup2 + v2.get();
    }

    /** The container's processes' own counters: the cgroup's members, or its main process alone. */
    private Map<Long, ProcIoParser.ProcIo> processes(String dir, long pid) {
        List<Long> pids = new ArrayList<>();
        String procs = dir == null ? null : files.readQuietly(dir + "/cgroup.procs");
        if (procs != null) {
            for (String line : procs.split("\n")) {
                try {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.strip()));
                    }
                } catch (NumberFormatException e) {
                    skipped.lines("cgroup.procs", 1);
                }
            }
        }
        if (pids.isEmpty()) {
            pids.add(pid);
        }
        Map<Long, ProcIoParser.ProcIo> out = new HashMap<>();
        for (long p : pids) {
            String io = files.readQuietly("/proc/" + p + "/io");
            if (io != null) {
                ProcIoParser.ProcIo parsed = ProcIoParser.parse(io).io();
                if (parsed != null) {
                    out.put(p, parsed);
                }
            }
        }
        return out;
    }

    /** read and write bytes per second; zero on the first sample or when the source changed. */
    private static double[] rate(ContainerSample before, ContainerSample now, double seconds) {
        if (before == null || seconds <= 0 || !java.util.Objects.equals(before.cgroup(), now.cgroup())) {
            // First sample, or a new cgroup (the container was re-created under the same name): no rate yet.
            return new double[] { 0, 0 };
        }
        if (now.cgroupTotals() != null && before.cgroupTotals() != null) {
            ContainerIoRates r = ContainerIoRates.between(before.cgroupTotals(), now.cgroupTotals(), seconds);
            return r == null ? new double[] { 0, 0 } : new double[] { r.readBytesPerSecond(), r.writeBytesPerSecond() };
        }
        if (now.processes() == null || before.processes() == null) {
            return new double[] { 0, 0 };
        }
        // Per process: a process that exited since takes its last interval with it; one that started since
        // counts from zero.
        long read = 0;
        long written = 0;
        for (Map.Entry<Long, ProcIoParser.ProcIo> e : now.processes().entrySet()) {
            ProcIoParser.ProcIo was = before.processes().get(e.getKey());
            read += was == null ? e.getValue().readBytes() : Counters.delta(was.readBytes(), e.getValue().readBytes());
            written += was == null ? e.getValue().writeBytes()
                    : Counters.delta(was.writeBytes(), e.getValue().writeBytes());
        }
        return new double[] { read / seconds, written / seconds };
    }
}
