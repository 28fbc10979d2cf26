package dev.mediawatch.contract;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds how often a recurring complaint is logged: at most one line per interval, and that line says how
 * many were held back since the last one. A flood of bad messages then costs a counter increment each, not
 * a log line each. Lock-free; safe from any thread.
 */
public final class LogThrottle {

    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public LogThrottle(java.time.Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * @param nowNanos a monotonic time ({@link System#nanoTime()})
     * @return -1 when this occurrence must not be logged; otherwise how many were held back before it
     */
    public long tryLog(long nowNanos) {
        long next = nextAllowed.get();
        if ((next == Long.MIN_VALUE || nowNanos - next >= 0) && nextAllowed.compareAndSet(next, nowNanos + intervalNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }
}
