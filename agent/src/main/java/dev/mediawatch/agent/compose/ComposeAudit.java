package dev.mediawatch.agent.compose;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.jboss.logging.Logger;

import dev.mediawatch.agent.fs.HostFiles;
import dev.mediawatch.agent.fs.MountCalls;
import dev.mediawatch.contract.EnvAudit;
import dev.mediawatch.contract.EnvFile;

/**
 * Runs the plaintext-secret audit of the compose directories so that a directory on a dead NFS server can never
 * hang the agent (compose directories often live on {@code /mnt/docker}):
 * <ul>
 * <li>the audit runs on a single thread of its own; requests ({@link #request()}: at startup, every interval,
 *     on refresh) only enqueue, so nothing (scheduler, MQTT event loop, collector) ever waits on it; requests
 *     arriving while a run is going are coalesced into one more run after it;</li>
 * <li>each run first checks that every directory answers a {@code stat}/{@code statvfs}, on that directory's
 *     own worker, waiting at most {@code mediawatch.mounts.timeout} ({@link MountCalls}, as for watched mounts:
 *     one outstanding call per directory, a still-stuck call is looked at, not waited for); a directory that
 *     does not answer is reported ("did not finish") and the others are read;</li>
 * <li>a directory that answered but whose reading then does not finish within the timeout is reported so by
 *     a timer, and the result republished, while the audit thread stays where the kernel holds it: no second
 *     run starts while one is stuck (it could only get stuck too, and pile up threads).</li>
 * </ul>
 * Until the first run finishes there is no result ({@link #current()} is null).
 */
public final class ComposeAudit implements AutoCloseable {

    /** {@code .env} files read per audit at most. */
    public static final int MAX_FILES = 1000;

    /** Reads one directory (an {@link EnvAuditor} in production). */
    public interface DirReader {
        EnvAuditor.DirResult read(String dir, int filesLeft);
    }

    private record Reading(String dir, long startedNanos) {
    }

    private static final Logger LOG = Logger.getLogger(ComposeAudit.class);

    private final List<String> dirs;
    private final Map<String, Path> probePaths = new LinkedHashMap<>();
    private final MountCalls probes;
    private final DirReader reader;
    private final Duration timeout;
    private final Clock clock;
    private final Runnable changed;
    private final ExecutorService worker;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicInteger runs = new AtomicInteger();
    private final Object publishing = new Object();
    /** The latest result of each directory; written by the audit thread as each finishes. */
    private final Map<String, EnvAuditor.DirResult> byDir = new ConcurrentHashMap<>();
    private volatile Reading reading;
    private volatile EnvAudit current;

    /**
     * @param dirs    the configured directories (absolute host paths)
     * @param files   the host root they are read under
     * @param timeout how long a directory may take ({@code mediawatch.mounts.timeout})
     * @param changed called (on the audit or timer thread) when the result changed; must not block
     */
    public ComposeAudit(List<String> dirs, HostFiles files, Duration timeout, Clock clock, Runnable changed) {
        this(dirs, d -> files.path(EnvAuditor.normalize(d)), new EnvAuditor(files)::audit, timeout, clock, changed);
    }

    ComposeAudit(List<String> dirs, Function<String, Path> where, DirReader reader, Duration timeout, Clock clock,
            Runnable changed) {
        this.dirs = List.copyOf(dirs);
        this.dirs.forEach(d -> probePaths.put(d, where.apply(d)));
        this.probes = new MountCalls(timeout, dirs.size());
        this.reader = reader;
        this.timeout = timeout;
        this.clock = clock;
        this.changed = changed;
        this.worker = Executors.newSingleThreadExecutor(r -> daemon(r, "mediawatch-compose-audit"));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mediawatch-compose-audit-timer"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Audits now, then every {@code interval}. */
    public void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::request, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for an audit soon; never blocks. While one runs (or is stuck) this becomes one more run after it. */
    public void request() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            try {
                worker.execute(this::run);
            } catch (RejectedExecutionException closed) {
                running.set(false);
            }
        }
    }

    /** The latest result; null until the first audit finished. */
    public EnvAudit current() {
        return current;
    }

    /** Audits started so far. */
    int runs() {
        return runs.get();
    }

    private void run() {
        while (true) {
            again.set(false);
            runs.incrementAndGet();
            try {
                auditOnce();
            } catch (RuntimeException e) {
                // Never the message: it could only come from a bug, and must not risk carrying file content.
                LOG.warnf("compose audit failed: %s", e.getClass().getName());
            }
            running.set(false);
            if (!again.get() || !running.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void auditOnce() {
        Map<String, MountCalls.Outcome> answered = probes.check(probePaths);
        int filesLeft = MAX_FILES;
        for (String dir : dirs) {
            MountCalls.Outcome outcome = answered.get(dir);
            EnvAuditor.DirResult result;
            if (outcome instanceof MountCalls.Hung) {
                result = notFinished(dir);
            } else if (outcome instanceof MountCalls.Failed f) {
                result = new EnvAuditor.DirResult(List.of(), List.of(dir + ": " + describe(f)), 0);
            } else {
                Reading mine = new Reading(dir, System.nanoTime());
                reading = mine;
                ScheduledFuture<?> deadline = null;
                try {
                    deadline = timer.schedule(() -> overdue(mine), timeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException closed) {
                    // Shutting down.
                }
                try {
                    result = reader.read(dir, filesLeft);
                } finally {
                    reading = null;
                    if (deadline != null) {
                        deadline.cancel(false);
                    }
                }
                filesLeft = Math.max(0, filesLeft - result.filesRead());
            }
            byDir.put(dir, result);
        }
        publish(null);
    }

    /** A directory whose audit is stuck: what was last found in it stays, with the problem. */
    private EnvAuditor.DirResult notFinished(String dir) {
        EnvAuditor.DirResult before = byDir.get(dir);
        return new EnvAuditor.DirResult(before == null ? List.of() : before.files(),
                List.of(dir + ": audit did not finish within " + human(timeout)), 0);
    }

    /** On the timer thread: a directory's reading is still going after the timeout. */
    private void overdue(Reading late) {
        if (reading != late) {
            return;
        }
        LOG.warnf("compose directory %s: audit did not finish within %s; no new audit until it does", late.dir(),
                human(timeout));
        publish(late);
    }

    /** Makes the result current, and tells when it changed; {@code stuck}: the directory being read is overdue. */
    private void publish(Reading stuck) {
        boolean differs;
        EnvAudit next;
        synchronized (publishing) {
            if (stuck != null && reading != stuck) {
                return; // finished meanwhile: its own result follows
            }
            List<EnvFile> files = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (String dir : dirs) {
                EnvAuditor.DirResult r = stuck != null && stuck.dir().equals(dir) ? notFinished(dir) : byDir.get(dir);
                if (r != null) {
                    files.addAll(r.files());
                    problems.addAll(r.problems());
                }
            }
            files.sort(Comparator.comparing(EnvFile::path));
            next = new EnvAudit(dirs, files, problems, clock.instant());
            EnvAudit before = current;
            differs = before == null || !before.files().equals(next.files()) || !before.problems().equals(next.problems());
            current = next;
        }
        if (differs) {
            // Names and counts only: never a value.
            LOG.infof("compose audit: %d .env file(s) with secret-looking keys set%s", next.files().size(),
                    next.problems().isEmpty() ? "" : "; " + next.problems().size() + " problem(s): " + next.problems());
            changed.run();
        }
    }

    private static String describe(MountCalls.Failed f) {
        String reason = f.reason();
        if (reason.toLowerCase(java.util.Locale.ROOT).contains("no such file")) {
            return "does not exist";
        }
        return "cannot be reached (" + reason + ")";
    }

    /** {@code 2s}, {@code 500ms}, {@code 1500ms}. */
    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** Calls on the directories that have not returned (stuck in the kernel, or about to answer). */
    public int stuckCalls() {
        return probes.outstanding() + (reading != null ? 1 : 0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        worker.shutdownNow();
        probes.close();
    }
}
