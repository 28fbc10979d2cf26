package dev.mediawatch.runtime.work;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * An app's one clock: every periodic or delayed trigger runs on its single daemon thread. A task here must be
 * quick and never block (no I/O, no waiting): it hands work to the thread that owns it (a collector's request, an
 * asynchronous HTTP call). A task that throws is logged and keeps its schedule. Bounded by its tasks: each app
 * schedules a fixed handful, and one-shot delays are coalesced by their owners.
 */
public final class Ticker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Ticker.class);

    private final ScheduledExecutorService thread;

    public Ticker(String threadName) {
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} every {@code period}, the first time after {@code initialDelay}; cancel with the handle. */
    public ScheduledFuture<?> every(String what, Duration initialDelay, Duration period, Runnable task) {
        return thread.scheduleWithFixedDelay(guarded(what, task), initialDelay.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} once after {@code delay}; false when the ticker is closed. */
    public boolean after(String what, Duration delay, Runnable task) {
        try {
            thread.schedule(guarded(what, task), delay.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException closed) {
            return false;
        }
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s failed on the ticker; it keeps its schedule", what);
            }
        };
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
