package dev.mediawatch.agent.fs;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Filesystem calls on watched mounts ({@code stat}, then {@code statvfs}), made so that a dead server can never
 * hang the agent. On a dead NFS hard mount these calls block in the kernel, uninterruptibly, until the server
 * answers: a stuck thread can only be abandoned, never freed. So:
 * <ul>
 * <li>each call runs on a worker thread and the caller waits at most the timeout (all mounts in parallel, so
 *     one cycle waits at most one timeout however many mounts hang), and only for calls it started: a call
 *     still stuck from an earlier cycle is looked at without waiting;</li>
 * <li>a mount has at most one call outstanding: while a call is stuck, no new one is issued on that mount
 *     (the verdict stays {@code hung}) until it returns, when its answer is used;</li>
 * <li>so the worker threads are bounded by the number of watched mounts, however long a mount stays dead.</li>
 * </ul>
 * Called from one collector thread only.
 */
public final class MountCalls implements AutoCloseable {

    /** What a call on a mount came to. */
    public sealed interface Outcome {
    }

    /** {@code statvfs} answered: sizes in bytes. */
    public record Answer(long totalBytes, long freeBytes, long availableBytes) implements Outcome {
    }

    /** A call failed; {@code stale} when the server no longer knows the handle (ESTALE). */
    public record Failed(String reason, boolean stale) implements Outcome {
    }

    /** A call has not returned; it has been outstanding this long. */
    public record Hung(Duration outstanding) implements Outcome {
    }

    private record Pending(Future<Outcome> future, long startedNanos) {
    }

    private final Duration timeout;
    /** One single-thread worker per mount, so a stuck mount can only ever hold its own thread. */
    private final Map<String, ThreadPoolExecutor> workers = new HashMap<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private final AtomicInteger threadsCreated = new AtomicInteger();

    /** @param mounts how many mounts will be watched (sizing only) */
    public MountCalls(Duration timeout, int mounts) {
        this.timeout = timeout;
    }

    private ThreadPoolExecutor worker(String mount) {
        return workers.computeIfAbsent(mount, m -> {
            // At most one thread; the queue holds at most the one call submitted after the previous returned
            // (its thread may not be back for the next task yet). Idle, the thread goes after a minute.
            ThreadPoolExecutor w = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), r -> {
                Thread t = new Thread(r, "mediawatch-mount-call-" + threadsCreated.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            w.allowCoreThreadTimeOut(true);
            return w;
        });
    }

    /**
     * Checks the given mounts: starts a call on each that has none outstanding, then waits until all answered or
     * the timeout passed. Keys are the configured mount paths (a fixed set); values where the call is made.
     */
    public Map<String, Outcome> check(Map<String, Path> mounts) {
        long start = System.nanoTime();
        for (Map.Entry<String, Path> m : mounts.entrySet()) {
            if (!pending.containsKey(m.getKey())) {
                Path where = m.getValue();
                pending.put(m.getKey(), new Pending(worker(m.getKey()).submit(() -> call(where)), start));
            }
        }
        long deadline = start + timeout.toNanos();
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (String key : mounts.keySet()) {
            Pending p = pending.get(key);
            try {
                // A call left over from an earlier cycle has had its timeout already: it is looked at, not
                // waited for, so a mount that stays dead costs later cycles nothing.
                long wait = p.startedNanos() == start ? Math.max(0, deadline - System.nanoTime()) : 0;
                Outcome o = p.future().get(wait, TimeUnit.NANOSECONDS);
                pending.remove(key);
                out.put(key, o);
            } catch (TimeoutException e) {
                out.put(key, new Hung(Duration.ofNanos(System.nanoTime() - p.startedNanos())));
            } catch (ExecutionException e) {
                pending.remove(key);
                out.put(key, new Failed(String.valueOf(e.getCause()), false));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.put(key, new Hung(Duration.ofNanos(System.nanoTime() - p.startedNanos())));
                break;
            }
        }
        // A stuck call on a mount not asked about this time (it left the mount table, e.g. `umount -l` while
        // the server is dead) stays here: when the mount comes back, its call is still the one outstanding.
        return out;
    }

    /** Calls started and not yet returned: stuck in the kernel, or about to answer. */
    public int outstanding() {
        return (int) pending.values().stream().filter(p -> !p.future().isDone()).count();
    }

    /** Worker threads alive now (bounded by the number of mounts). */
    public int threads() {
        return workers.values().stream().mapToInt(ThreadPoolExecutor::getPoolSize).sum();
    }

    /**
     * One {@code stat} then {@code statvfs} on the caller's thread, with no timeout: it blocks as long as the mount
     * does. The workers make it; public for the host-cycle measurement, which times it alone.
     */
    public static Outcome call(Path path) {
        try {
            // stat first: a stale NFS handle fails here with ESTALE; a dead hard mount blocks here or below.
            Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            String reason = e.getReason() != null ? e.getReason()
                    : e instanceof java.nio.file.NoSuchFileException ? "No such file or directory"
                    : e instanceof java.nio.file.AccessDeniedException ? "Permission denied"
                    : e.getClass().getSimpleName();
            return new Failed("stat: " + reason, reason.toLowerCase(java.util.Locale.ROOT).contains("stale"));
        } catch (IOException e) {
            return new Failed("stat: " + e.getClass().getSimpleName(), false);
        }
        File f = path.toFile();
        // Each is one statvfs(2). They return 0 when the call fails, as for a filesystem without blocks
        // (proc): the stat above already proved the mount answers, so zeros are reported as they are.
        return new Answer(f.getTotalSpace(), f.getFreeSpace(), f.getUsableSpace());
    }

    @Override
    public void close() {
        workers.values().forEach(ThreadPoolExecutor::shutdownNow);
    }
}
