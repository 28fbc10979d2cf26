package dev.mediawatch.agent.host;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.mediawatch.agent.fs.HostFiles;
import dev.mediawatch.agent.fs.MountCalls;
import dev.mediawatch.agent.io.DeviceFilter;
import dev.mediawatch.agent.io.DiskStatsParser;
import dev.mediawatch.agent.io.ProcCgroupParser;
import dev.mediawatch.agent.io.ProcIoParser;
import dev.mediawatch.agent.mounts.MountInfoParser;
import dev.mediawatch.agent.mounts.MountStatsParser;
import dev.mediawatch.agent.pressure.PressureParser;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.MountState;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The CPU and allocation of one host cycle of the agent ({@code HostWatch.cycle()}), minus the MQTT send:
 * read and parse mountinfo and mountstats under a host root, {@link MountCollector#collect} (one
 * {@code stat}+{@code statvfs} per mounted watched path, on {@link MountCalls} workers), {@link IoCollector#collect}
 * with N running containers, and {@link ContractJson#write} of both payloads. A plain {@code main} in the test
 * sources, so nothing of it ships; run it through {@code scripts/bench/host-cycle.sh}.
 *
 * <p>The containers are synthetic names on real PIDs of this machine, so {@code /proc/<pid>/cgroup} and what it
 * leads to ({@code /proc/<pid>/io} on a host where the processes sit in the root cgroup, {@code io.stat} and
 * {@code io.pressure} where they have a cgroup v2 of their own) are read for real.
 *
 * <p>Measures, per cycle: CPU = thread CPU time (user + system, {@code ThreadMXBean}) of the measuring thread
 * over the cycle, plus that of every {@code mediawatch-mount-call-*} worker (read once between cycles, so the
 * workers' whole CPU, tail included, is charged to the cycle that woke them); allocated bytes, the same threads
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}). JIT compiler and GC threads are not in
 * that figure: the process CPU ({@code /proc/self/stat} utime + stime, 10 ms ticks) over the steady phase,
 * divided by its cycles, is printed beside it and includes them (and the bench's own bookkeeping).
 *
 * <p>Phases, in one JVM: optionally paced from the start (cycles {@code --interval-ms} apart from the first one,
 * the agent's real cadence); cold (the first cycles one by one, back to back, nothing before them: the agent runs
 * a cycle every 5 s only, so the JIT may stay cool for long); warm-up; steady (median, p90, max) with a per-part
 * breakdown; a per-operation probe; optionally paced again, after all that.
 *
 * <pre>
 * HostCycleBench [--containers N] [--cycles 1000] [--warmup 200] [--cold 10] [--label text]
 *                [--root /] [--watch /:,/tmp:,/mnt/absent:nfs4:rw] [--pids 1,2,3]
 *                [--paced-start K] [--paced K] [--interval-ms 5000] [--brief]
 * </pre>
 *
 * {@code --brief} leaves out the per-cycle parts of the cold cycles and the probe. Prints comment lines
 * ({@code # ...}) and Markdown table rows tagged {@code @cold}, {@code @coldparts}, {@code @steady}, {@code @parts},
 * {@code @probe} and {@code @paced} for the script to gather.
 */
public final class HostCycleBench {

    private static final String WORKER_PREFIX = "mediawatch-mount-call";
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** mountinfo, mountstats, MountCollector.collect, IoCollector.collect, write mounts, write io, timer. */
    private static final int PARTS = 7;

    private final Options o;
    private final HostFiles files;
    private final MountCalls calls;
    private final MountCollector mountCollector;
    private final IoCollector ioCollector;
    private final List<MountSpec> specs;
    private final List<String[]> state; // name, service: what ContainerWatch.current() holds
    private final Map<String, Long> pids; // name -> pid: ContainerWatch.pids()
    private final Timer cycleTimer;
    private final AtomicLong skippedLines = new AtomicLong();
    private final Skipped countSkipped = (file, count) -> skippedLines.addAndGet(count);

    // worker bookkeeping: thread id -> [cpu ns, allocated bytes] at the last look
    private final Map<Long, long[]> workerSeen = new HashMap<>();
    private final Map<Long, Boolean> isWorker = new HashMap<>();

    private int failures;
    private String firstFailure;
    private int rejected;
    private int checkCalls;
    private int lastMountsBytes;
    private int lastIoBytes;
    private HostMounts lastMounts;

    /** One cycle's figures. */
    private static final class Sample {
        long cpu; // measuring thread + workers, ns
        long alloc; // measuring thread + workers, bytes
        long wall; // ns
        long workerCpu;
        long workerAlloc;
        final long[] partCpu = new long[PARTS];
        final long[] partAlloc = new long[PARTS];
        final long[] partWall = new long[PARTS];
    }

    private HostCycleBench(Options o) {
        this.o = o;
        this.files = new HostFiles(Path.of(o.root));
        this.specs = HostWatch.specs(Optional.of(o.watch), "bench");
        this.calls = new MountCalls(Duration.ofSeconds(2), specs.size());
        Clock clock = Clock.systemUTC();
        HostId host = HostId.of("bench");
        this.mountCollector = new MountCollector(host, specs, files, calls, clock);
        this.ioCollector = new IoCollector(host, files, DeviceFilter.of(Optional.empty()), clock,
                countSkipped);
        this.cycleTimer = Timer.builder("mediawatch_agent_host_cycle_seconds").register(new SimpleMeterRegistry());
        List<Long> real = o.pids.isEmpty() ? pickPids(o.containers) : o.pids;
        this.state = new ArrayList<>();
        this.pids = new HashMap<>();
        for (int i = 0; i < o.containers; i++) {
            String name = String.format(Locale.ROOT, "bench-%02d", i + 1);
            state.add(new String[] { name, null });
            pids.put(name, real.isEmpty() ? 1L : real.get(i % real.size()));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The cycle, as HostWatch.cycle() does it (the MQTT publish is replaced by keeping the payload's size).

    private void cycle(long[] cpuAt, long[] allocAt, long[] wallAt) {
        stamp(cpuAt, allocAt, wallAt, 0);
        int at = 0;
        long start = System.nanoTime();
        try {
            List<MountInfoParser.Mount> mountInfo = MountTables.mountInfo(files, countSkipped);
            stamp(cpuAt, allocAt, wallAt, ++at);
            List<MountStatsParser.NfsMount> nfs = MountTables.mountStats(files, countSkipped);
            stamp(cpuAt, allocAt, wallAt, ++at);
            MountCollector.Result mounts = mountCollector.collect(mountInfo, nfs);
            stamp(cpuAt, allocAt, wallAt, ++at);
            HostIo io = ioCollector.collect(mountInfo, runningContainers());
            stamp(cpuAt, allocAt, wallAt, ++at);
            // events: only on transitions (none in a steady state); logged and published by HostWatch
            lastMounts = mounts.mounts();
            if (!specs.isEmpty()) {
                lastMountsBytes = ContractJson.write(mounts.mounts()).length;
            }
            stamp(cpuAt, allocAt, wallAt, ++at);
            lastIoBytes = ContractJson.write(io).length;
            stamp(cpuAt, allocAt, wallAt, ++at);
        } catch (RuntimeException e) {
            // HostWatch logs "host sample failed" and carries on: a bug costs one sample, never the schedule
            if (failures++ == 0) {
                firstFailure = e.toString();
            }
            while (at < PARTS - 1) {
                stamp(cpuAt, allocAt, wallAt, ++at);
            }
        } finally {
            cycleTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        stamp(cpuAt, allocAt, wallAt, PARTS);
    }

    private List<IoCollector.ContainerRef> runningContainers() {
        if (state.isEmpty() || pids.isEmpty()) {
            return List.of();
        }
        List<IoCollector.ContainerRef> out = new ArrayList<>();
        for (String[] c : state) {
            Long pid = pids.get(c[0]);
            if (pid != null) {
                out.add(new IoCollector.ContainerRef(c[0], c[1], pid));
            }
        }
        return out;
    }

    private static void stamp(long[] cpuAt, long[] allocAt, long[] wallAt, int i) {
        wallAt[i] = System.nanoTime();
        cpuAt[i] = THREADS.getCurrentThreadCpuTime();
        allocAt[i] = THREADS.getCurrentThreadAllocatedBytes();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Measuring.

    /** CPU and allocation of the workers since the last look (a worker new since then counts from zero). */
    private long[] workersDelta() {
        for (long id : THREADS.getAllThreadIds()) {
            isWorker.computeIfAbsent(id, k -> {
                ThreadInfo info = THREADS.getThreadInfo(k);
                return info != null && info.getThreadName().startsWith(WORKER_PREFIX);
            });
        }
        long cpu = 0;
        long alloc = 0;
        for (Map.Entry<Long, Boolean> e : isWorker.entrySet()) {
            if (!e.getValue()) {
                continue;
            }
            long c = THREADS.getThreadCpuTime(e.getKey());
            long a = THREADS.getThreadAllocatedBytes(e.getKey());
            long[] before = workerSeen.get(e.getKey());
            if (c < 0 || a < 0) { // gone (idle for a minute): its last CPU since the previous look is lost
                workerSeen.remove(e.getKey());
                continue;
            }
            cpu += c - (before == null ? 0 : before[0]);
            alloc += a - (before == null ? 0 : before[1]);
            workerSeen.put(e.getKey(), new long[] { c, a });
        }
        return new long[] { cpu, alloc };
    }

    /**
     * Runs {@code count} cycles, {@code pauseMillis} apart. Worker CPU is read just before each cycle and once
     * after the last: what the workers did between two looks is charged to the cycle between them.
     */
    private Sample[] run(int count, long pauseMillis) throws InterruptedException {
        Sample[] out = new Sample[count];
        long[] cpuAt = new long[PARTS + 1];
        long[] allocAt = new long[PARTS + 1];
        long[] wallAt = new long[PARTS + 1];
        workersDelta();
        for (int i = 0; i < count; i++) {
            if (i > 0 && pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
            if (i > 0) {
                long[] w = workersDelta();
                chargeWorkers(out[i - 1], w);
            }
            cycle(cpuAt, allocAt, wallAt);
            Sample s = new Sample();
            for (int p = 0; p < PARTS; p++) {
                s.partCpu[p] = cpuAt[p + 1] - cpuAt[p];
                s.partAlloc[p] = allocAt[p + 1] - allocAt[p];
                s.partWall[p] = wallAt[p + 1] - wallAt[p];
            }
            s.cpu = cpuAt[PARTS] - cpuAt[0];
            s.alloc = allocAt[PARTS] - allocAt[0];
            s.wall = wallAt[PARTS] - wallAt[0];
            out[i] = s;
        }
        if (count > 0) {
            Thread.sleep(pauseMillis > 0 ? Math.min(pauseMillis, 20) : 2); // let the last workers park
            chargeWorkers(out[count - 1], workersDelta());
        }
        return out;
    }

    private static void chargeWorkers(Sample s, long[] w) {
        s.workerCpu = w[0];
        s.workerAlloc = w[1];
        s.cpu += w[0];
        s.alloc += w[1];
    }

    /** utime + stime of this process, in clock ticks. */
    private static long processTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long clockTicksPerSecond() {
        // CLK_TCK is 100 on every Linux architecture the JVM runs on; the script passes getconf's answer.
        return Long.getLong("bench.clkTck", 100);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The benchmark.

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (!THREADS.isCurrentThreadCpuTimeSupported() || !THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM measures neither thread CPU time nor thread allocation");
        }
        THREADS.setThreadCpuTimeEnabled(true);
        THREADS.setThreadAllocatedMemoryEnabled(true);
        HostCycleBench b = new HostCycleBench(o);
        try {
            b.bench();
        } finally {
            b.calls.close();
        }
    }

    private void bench() throws Exception {
        String label = o.label;
        int n = o.containers;
        int done = 0;

        if (o.pacedStart > 0) {
            // The agent's real cadence from its start: nothing before, intervalMillis between cycles.
            pacedRows("from start", run(o.pacedStart, o.intervalMillis), done);
            done += o.pacedStart;
        }

        // Cold: nothing has run before these (unless paced from the start), not even a parser's class initialisation.
        Sample[] cold = run(o.cold, 0);
        done += o.cold;
        describe();
        if (o.cold > 0) {
            for (String metric : List.of("CPU ms", "alloc KiB", "wall ms")) {
                StringBuilder row = new StringBuilder("@cold | " + label + " | " + n + " | " + metric + " |");
                for (Sample s : cold) {
                    row.append(' ').append(switch (metric) {
                        case "CPU ms" -> ms(s.cpu);
                        case "alloc KiB" -> kib(s.alloc);
                        default -> ms(s.wall);
                    }).append(" |");
                }
                System.out.println(row);
            }
            if (o.detail) {
                for (int i = 0; i < cold.length; i++) {
                    System.out.println(partsRow("@coldparts | " + label + " | " + n + " | " + (i + 1) + " |", cold[i]));
                }
            }
        }

        run(o.warmup, 0);
        done += o.warmup;

        if (o.cycles > 0) {
            long overheadCpu = overhead();
            long t0 = processTicks();
            long w0 = System.nanoTime();
            Sample[] steady = run(o.cycles, 0);
            long t1 = processTicks();
            long w1 = System.nanoTime();
            done += o.cycles;
            double procMsPerCycle = (t1 - t0) * 1000.0 / clockTicksPerSecond() / o.cycles;

            long[] cpu = sorted(steady, s -> s.cpu);
            long[] alloc = sorted(steady, s -> s.alloc);
            long[] wall = sorted(steady, s -> s.wall);
            System.out.printf(Locale.ROOT,
                    "@steady | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %.3f | %d + %d |%n", label, n,
                    ms(median(cpu)), ms(p90(cpu)), ms(max(cpu)), kib(median(alloc)), kib(p90(alloc)), kib(max(alloc)),
                    ms(median(wall)), ms(p90(wall)), procMsPerCycle, lastMountsBytes, lastIoBytes);
            System.out.printf(Locale.ROOT, "# %s N=%d: steady %d cycles in %.2f s wall; process CPU %d ticks over "
                    + "them (JIT, GC and bench bookkeeping included); measuring inside a cycle window costs ~%.1f us "
                    + "CPU (not subtracted); malformed lines skipped: %d; GC so far: %s%n", label, n, o.cycles,
                    (w1 - w0) / 1e9, t1 - t0, overheadCpu / 1e3, skippedLines.get(), gcSummary());

            // Parts: medians over the steady cycles, cycle thread; the workers' CPU on its own.
            StringBuilder parts = new StringBuilder("@parts | " + label + " | " + n + " |");
            for (int p = 0; p < PARTS; p++) {
                final int part = p;
                parts.append(String.format(Locale.ROOT, " %s / %s |", us(median(sorted(steady, s -> s.partCpu[part]))),
                        kib(median(sorted(steady, s -> s.partAlloc[part])))));
            }
            parts.append(String.format(Locale.ROOT, " %s / %s |", us(median(sorted(steady, s -> s.workerCpu))),
                    kib(median(sorted(steady, s -> s.workerAlloc)))));
            parts.append(String.format(Locale.ROOT, " %s |", us(median(sorted(steady, s -> s.partWall[2])))));
            System.out.println(parts);
        }

        if (o.detail) {
            probe();
        }

        if (o.paced > 0) {
            pacedRows("after " + done + " cycles", run(o.paced, o.intervalMillis), done);
        }
        reportFailures("in all");
        long gone = pids.values().stream().distinct().filter(p -> !Files.isDirectory(files.path("/proc/" + p))).count();
        if (gone > 0) {
            System.out.printf(Locale.ROOT, "# %s N=%d: %d of the containers' PIDs had exited by the end (their files "
                    + "read as absent: less work than a live container)%n", o.label, o.containers, gone);
        }
    }

    private void describe() {
        System.out.printf(Locale.ROOT, "# %s N=%d: watch %s; verdicts %s; containers on pids %s%n", o.label,
                o.containers, specs, verdicts(), describePids());
        System.out.printf(Locale.ROOT, "# %s N=%d: payloads mounts %d B, io %d B; host root %s (mount view %s)%n",
                o.label, o.containers, lastMountsBytes, lastIoBytes, files, files.mountView("mountinfo"));
    }

    private void pacedRows(String phase, Sample[] paced, int before) {
        for (int i = 0; i < paced.length; i++) {
            System.out.println(partsRow(String.format(Locale.ROOT, "@paced | %s | %d | %s | %d | %s | %s | %s |",
                    o.label, o.containers, phase, before + i + 1, ms(paced[i].cpu), kib(paced[i].alloc),
                    ms(paced[i].wall)), paced[i]));
        }
    }

    /** The prefix, then the CPU us of each part on the cycle thread and of the workers. */
    private static String partsRow(String prefix, Sample s) {
        StringBuilder row = new StringBuilder(prefix);
        for (int p = 0; p < PARTS; p++) {
            row.append(' ').append(us(s.partCpu[p])).append(" |");
        }
        return row.append(' ').append(us(s.workerCpu)).append(" |").toString();
    }

    /** The CPU of the measuring code alone inside a cycle window (all its stamps), median of 1000. */
    private long overhead() {
        long[] c = new long[PARTS + 1];
        long[] a = new long[PARTS + 1];
        long[] w = new long[PARTS + 1];
        long[] d = new long[1000];
        for (int i = 0; i < d.length; i++) {
            for (int p = 0; p <= PARTS; p++) {
                stamp(c, a, w, p);
            }
            d[i] = c[PARTS] - c[0];
        }
        Arrays.sort(d);
        return d[d.length / 2];
    }

    private String verdicts() {
        if (lastMounts == null) {
            return "[]";
        }
        List<String> out = new ArrayList<>();
        for (MountState m : lastMounts.mounts()) {
            out.add(m.path() + "=" + m.health().wire());
        }
        return out.toString();
    }

    private String describePids() {
        if (pids.isEmpty()) {
            return "(none)";
        }
        List<Long> distinct = pids.values().stream().distinct().sorted().toList();
        return distinct.size() + " distinct " + distinct;
    }

    private static String gcSummary() {
        List<String> out = new ArrayList<>();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            out.add(gc.getName() + " " + gc.getCollectionCount() + "x/" + gc.getCollectionTime() + "ms");
        }
        return String.join(", ", out);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Probe: what each piece costs on its own (mean over many repetitions), to see what dominates.

    private void probe() throws Exception {
        long pid = pids.isEmpty() ? ProcessHandle.current().pid() : pids.values().iterator().next();
        String mi = files.mountView("mountinfo");
        String ms = files.mountView("mountstats");
        String miText = files.readQuietly(mi);
        String msText = files.readQuietly(ms);
        String psiText = files.readQuietly("/proc/pressure/io");
        String diskText = files.readQuietly("/proc/diskstats");
        String cgText = files.readQuietly("/proc/" + pid + "/cgroup");
        String ioText = files.readQuietly("/proc/" + pid + "/io");
        Map<String, Path> root = new LinkedHashMap<>();
        root.put("/", files.path("/"));
        HostIo io = ioCollector.collect(MountTables.mountInfo(files, countSkipped), runningContainers());

        Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
        ops.put("read " + mi, () -> files.readQuietly(mi));
        ops.put("parse mountinfo (" + lines(miText) + " lines)", () -> MountInfoParser.parse(orEmpty(miText)));
        ops.put("read " + ms, () -> files.readQuietly(ms));
        ops.put("parse mountstats (" + lines(msText) + " lines)", () -> MountStatsParser.parse(orEmpty(msText)));
        ops.put("read /proc/pressure/io (x3 per cycle)", () -> files.readQuietly("/proc/pressure/io"));
        ops.put("parse pressure", () -> PressureParser.parse(orEmpty(psiText)));
        ops.put("read /proc/diskstats", () -> files.readQuietly("/proc/diskstats"));
        ops.put("parse diskstats (" + lines(diskText) + " lines)", () -> DiskStatsParser.parse(orEmpty(diskText)));
        ops.put("read /proc/<pid>/cgroup (per container)", () -> files.readQuietly("/proc/" + pid + "/cgroup"));
        ops.put("parse cgroup", () -> ProcCgroupParser.parse(orEmpty(cgText)));
        ops.put("read /proc/<pid>/io (per container)", () -> files.readQuietly("/proc/" + pid + "/io"));
        ops.put("parse io", () -> ProcIoParser.parse(orEmpty(ioText)));
        ops.put("stat+3 statvfs of / on this thread (MountCalls.call)", () -> MountCalls.call(files.path("/")));
        ops.put("MountCalls.check({/}) via a worker: this thread only", () -> check(root));
        ops.put("ContractJson.write(HostMounts)", () -> lastMounts == null ? null : ContractJson.write(lastMounts));
        ops.put("ContractJson.write(HostIo, N=" + o.containers + ")", () -> ContractJson.write(io));

        int reps = 2000;
        for (Map.Entry<String, Supplier<Object>> e : ops.entrySet()) {
            Supplier<Object> op = e.getValue();
            for (int i = 0; i < reps / 4; i++) {
                op.get();
            }
            long[] cpuMeans = new long[5];
            long[] allocMeans = new long[5];
            for (int round = 0; round < 5; round++) {
                workersDelta();
                long c0 = THREADS.getCurrentThreadCpuTime();
                long a0 = THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < reps; i++) {
                    op.get();
                }
                long c1 = THREADS.getCurrentThreadCpuTime();
                long a1 = THREADS.getCurrentThreadAllocatedBytes();
                cpuMeans[round] = (c1 - c0) / reps;
                allocMeans[round] = (a1 - a0) / reps;
            }
            Arrays.sort(cpuMeans);
            Arrays.sort(allocMeans);
            System.out.printf(Locale.ROOT, "@probe | %s | %d | %s | %s | %d |%n", o.label, o.containers, e.getKey(),
                    us(cpuMeans[2]), allocMeans[2]);
        }
        // The worker side of a check: its thread CPU per call.
        workersDelta();
        for (int i = 0; i < reps; i++) {
            check(root);
        }
        Thread.sleep(2);
        long[] w = workersDelta();
        System.out.printf(Locale.ROOT, "@probe | %s | %d | %s | %s | %d |%n", o.label, o.containers,
                "MountCalls.check({/}) via a worker: the worker's side", us(w[0] / reps), w[1] / reps);
        if (rejected > 0) {
            System.out.printf(Locale.ROOT, "# %s N=%d: probe: MountCalls.check called back to back (no pause) was "
                    + "rejected %d times in %d calls (RejectedExecutionException: every worker still finishing "
                    + "its previous call); retried, the rejections' cost is in its probe row%n", o.label,
                    o.containers, rejected, checkCalls);
        }
    }

    /** check(), retried while the pool refuses: back to back, every worker may still be finishing its last call. */
    private Map<String, MountCalls.Outcome> check(Map<String, Path> mounts) {
        checkCalls++;
        while (true) {
            try {
                return calls.check(mounts);
            } catch (RejectedExecutionException e) {
                rejected++;
                Thread.yield();
            }
        }
    }

    private void reportFailures(String when) {
        if (failures > 0) {
            System.out.printf(Locale.ROOT, "# %s N=%d: %d cycle(s) FAILED %s (HostWatch would log \"host sample "
                    + "failed\" and lose the sample); first: %s%n", o.label, o.containers, failures, when,
                    firstFailure);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static int lines(String s) {
        return s == null ? 0 : (int) s.lines().count();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Containers on real PIDs.

    /**
     * Real processes whose {@code /proc/<pid>/cgroup} and {@code /proc/<pid>/io} this process can read, the
     * likeliest to outlive the run first: user-space ones running for ten minutes or more (oldest first), then
     * kernel threads, then younger user-space ones; reused round robin when there are fewer than wanted.
     */
    static List<Long> pickPids(int wanted) {
        if (wanted == 0) {
            return List.of();
        }
        long self = ProcessHandle.current().pid();
        long now;
        try {
            String uptime = Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII);
            now = (long) (Double.parseDouble(uptime.substring(0, uptime.indexOf(' '))) * clockTicksPerSecond());
        } catch (IOException | RuntimeException e) {
            now = Long.MAX_VALUE;
        }
        long settled = 600 * clockTicksPerSecond();
        record Candidate(long pid, int rank, long start) {
        }
        List<Candidate> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path p : dir) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                try {
                    Files.readAllBytes(p.resolve("cgroup"));
                    Files.readAllBytes(p.resolve("io"));
                    boolean user = Files.readAllBytes(p.resolve("cmdline")).length > 0;
                    String stat = Files.readString(p.resolve("stat"), StandardCharsets.US_ASCII);
                    long start = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
                    found.add(new Candidate(pid, !user ? 1 : now - start >= settled ? 0 : 2, start));
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        found.sort(Comparator.comparingInt(Candidate::rank).thenComparingLong(Candidate::start)
                .thenComparingLong(Candidate::pid));
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < Math.min(wanted, found.size()); i++) {
            out.add(found.get(i).pid());
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Figures.

    private interface Field {
        long of(Sample s);
    }

    private static long[] sorted(Sample[] samples, Field f) {
        long[] out = new long[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = f.of(samples[i]);
        }
        Arrays.sort(out);
        return out;
    }

    private static long median(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[(sorted.length - 1) / 2];
    }

    private static long p90(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.ceil(0.9 * sorted.length) - 1];
    }

    private static long max(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    private static String ms(long ns) {
        return String.format(Locale.ROOT, "%.3f", ns / 1e6);
    }

    private static String us(long ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1e3);
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1024.0);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static final class Options {
        int containers = 0;
        int cycles = 1000;
        int warmup = 200;
        int cold = 10;
        String label = "default";
        String root = "/";
        List<String> watch = List.of("/:", "/tmp:", "/mnt/absent:nfs4:rw");
        List<Long> pids = List.of();
        int paced = 0;
        int pacedStart = 0;
        long intervalMillis = 5000;
        boolean detail = true;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--brief")) {
                    o.detail = false;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--containers" -> o.containers = Integer.parseInt(v);
                    case "--cycles" -> o.cycles = Integer.parseInt(v);
                    case "--warmup" -> o.warmup = Integer.parseInt(v);
                    case "--cold" -> o.cold = Integer.parseInt(v);
                    case "--label" -> o.label = v;
                    case "--root" -> o.root = v;
                    case "--watch" -> o.watch = List.of(v.split(","));
                    case "--pids" -> o.pids = Arrays.stream(v.split(",")).filter(s -> !s.isBlank())
                            .map(s -> Long.valueOf(s.strip())).toList();
                    case "--paced" -> o.paced = Integer.parseInt(v);
                    case "--paced-start" -> o.pacedStart = Integer.parseInt(v);
                    case "--interval-ms" -> o.intervalMillis = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return o;
        }
    }
}
