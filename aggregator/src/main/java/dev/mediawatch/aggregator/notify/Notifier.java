package dev.mediawatch.aggregator.notify;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * Delivers messages to the targets that want them ({@link Target.Filter}).
 *
 * <p>{@link #send} never blocks: it queues one delivery per target and returns. Each target has its own delivery
 * thread ({@code mediawatch-notify-<n>}, started on its first message), so a target that hangs holds up only its own
 * deliveries; each attempt is bounded by {@code timeout}. What {@link Outcome#retry()} marks (connection errors, timeouts, 5xx, 429) is tried again up to
 * {@code maxAttempts} with exponential backoff from {@code firstBackoff} ({@code Retry-After} honoured, both capped at
 * {@link #MAX_BACKOFF}); other failures are final.
 *
 * <p>Bounds: at most {@value #MAX_PENDING} deliveries waiting (queued or between retries; beyond, the oldest waiting
 * is dropped and counted), and a message key goes to a target at most once, remembered for the last
 * {@value #MAX_REMEMBERED} deliveries. Each delivery's final outcome is handed to the listener on one reporting thread,
 * in order. Targets show themselves as {@link Target#display()} only: no URL, token or password is ever logged.
 */
public final class Notifier implements AutoCloseable {

    /** A webhook receives the message key in this header, to drop a repeat a lost answer caused. */
    public static final String DELIVERY_HEADER = "X-Mediawatch-Delivery";
    public static final String SENT = "notify.sent";
    public static final String FAILED = "notify.failed";
    public static final int MAX_PENDING = 200;
    public static final int MAX_REMEMBERED = 2_000;
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private static final Logger LOG = Logger.getLogger(Notifier.class);

    /** One delivery's end: which target, sent or failed, and a safe line of what happened. */
    public record Delivered(Message message, Target target, String action, String detail, int attempts) {

        public boolean sent() {
            return SENT.equals(action);
        }
    }

    private final List<Target> targets;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Consumer<Delivered> listener;

    /** One delivery thread per target, by the target's place in {@link #targets}. */
    private final List<ScheduledThreadPoolExecutor> lanes;
    private final ThreadPoolExecutor reporter;

    private final Object lock = new Object();
    private final ArrayDeque<Delivery> pending = new ArrayDeque<>();
    private final Set<String> remembered = java.util.Collections.newSetFromMap(new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    });
    private boolean closed;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();

    /**
     * @param targets      where to deliver; none makes {@link #send} a no-op
     * @param timeout      per attempt (each target applies it to its requests)
     * @param maxAttempts  attempts per delivery, at least 1
     * @param firstBackoff the wait before the second attempt; doubled for each further one
     * @param listener     told of each delivery's final outcome, on the notifier's reporting thread
     */
    public Notifier(List<Target> targets, Duration timeout, int maxAttempts, Duration firstBackoff,
            Consumer<Delivered> listener) {
        this.targets = List.copyOf(Objects.requireNonNull(targets, "targets"));
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.firstBackoff = Objects.requireNonNull(firstBackoff, "firstBackoff");
        if (firstBackoff.isNegative()) {
            throw new IllegalArgumentException("firstBackoff must not be negative, was " + firstBackoff);
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        List<ScheduledThreadPoolExecutor> l = new ArrayList<>();
        for (int i = 0; i < this.targets.size(); i++) {
            ScheduledThreadPoolExecutor lane = new ScheduledThreadPoolExecutor(1, daemonThreads("mediawatch-notify-" + (i + 1)));
            lane.setRemoveOnCancelPolicy(true);
            l.add(lane);
        }
        this.lanes = List.copyOf(l);
        this.reporter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(4 * MAX_PENDING),
                daemonThreads("mediawatch-notify-report-"));
    }

    public List<Target> targets() {
        return targets;
    }

    /**
     * Non-blocking: queues one delivery per target that wants a message of {@code filterSeverity} and the message's
     * kind (a clear is filtered as its raise was). A key already delivered to a target is not delivered again.
     */
    public void send(Message message, Message.Severity filterSeverity) {
        Objects.requireNonNull(message, "message");
        List<Delivery> overflow = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (int i = 0; i < targets.size(); i++) {
                Target target = targets.get(i);
                if (!target.filter().wants(filterSeverity, message.kind())) {
                    continue;
                }
                if (!remembered.add(i + "\n" + message.key())) {
                    duplicates.incrementAndGet();
                    continue;
                }
                Delivery d = new Delivery(i, target, message);
                if (pending.size() >= MAX_PENDING) {
                    Delivery oldest = oldestWaiting();
                    Delivery victim = oldest != null ? oldest : d;
                    victim.done = true;
                    if (victim.next != null) {
                        victim.next.cancel(false);
                    }
                    pending.remove(victim);
                    dropped.incrementAndGet();
                    overflow.add(victim);
                    if (victim == d) {
                        continue;
                    }
                }
                pending.add(d);
                d.next = schedule(d.lane, () -> attempt(d), Duration.ZERO);
            }
        }
        for (Delivery d : overflow) {
            LOG.warnf("notify %s: %d deliveries waiting, dropped the oldest (%s, %d attempts made)", d.target.display(),
                    MAX_PENDING, d.message.key(), d.attempts);
            report(d, FAILED, "dropped, queue full after " + attempts(d.attempts));
        }
    }

    /**
     * Sends a test message to every target once, without retries and outside the dedup; completes with each
     * target's outcome in the targets' order. Never blocks the caller.
     */
    public CompletableFuture<List<Delivered>> test(Message message) {
        List<CompletableFuture<Delivered>> each = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            CompletableFuture<Delivered> f = new CompletableFuture<>();
            each.add(f);
            if (schedule(i, () -> {
                attempts.incrementAndGet();
                Outcome o = safeSend(target, message);
                f.complete(new Delivered(message, target, o.delivered() ? SENT : FAILED, o.what(), 1));
            }, Duration.ZERO) == null) {
                f.complete(new Delivered(message, target, FAILED, "not sent, notifier closed", 0));
            }
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
    }

    /** Deliveries waiting (queued, between retries or under way). */
    public int pending() {
        synchronized (lock) {
            return pending.size();
        }
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Deliveries dropped because {@value #MAX_PENDING} were waiting. */
    public long dropped() {
        return dropped.get();
    }

    /** Messages not delivered again because that key already went to that target. */
    public long duplicates() {
        return duplicates.get();
    }

    /** Attempts made, retries and tests included. */
    public long attempts() {
        return attempts.get();
    }

    /** Stops delivering; deliveries still waiting are reported as failed. Does not wait for one under way. */
    @Override
    public void close() {
        List<Delivery> abandoned = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Delivery d : pending) {
                d.done = true;
                if (d.next != null) {
                    d.next.cancel(false);
                }
                abandoned.add(d);
            }
            pending.clear();
        }
        lanes.forEach(ScheduledThreadPoolExecutor::shutdownNow);
        for (Delivery d : abandoned) {
            report(d, FAILED, "not sent, notifier closed after " + attempts(d.attempts));
        }
        reporter.shutdown(); // what was reported still reaches the listener
    }

    @Override
    public String toString() {
        return "Notifier" + targets.stream().map(Target::display).toList();
    }

    private static final class Delivery {
        final int lane;
        final Target target;
        final Message message;
        int attempts;
        boolean inFlight;
        boolean done;
        ScheduledFuture<?> next;

        Delivery(int lane, Target target, Message message) {
            this.lane = lane;
            this.target = target;
            this.message = message;
        }
    }

    private Delivery oldestWaiting() {
        for (Iterator<Delivery> it = pending.iterator(); it.hasNext();) {
            Delivery d = it.next();
            if (!d.inFlight) {
                return d;
            }
        }
        return null;
    }

    private ScheduledFuture<?> schedule(int lane, Runnable task, Duration delay) {
        try {
            return lanes.get(lane).schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            return null;
        }
    }

    private Outcome safeSend(Target target, Message message) {
        try {
            return target.send(message, timeout);
        } catch (RuntimeException e) {
            return Outcome.fail("failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void attempt(Delivery d) {
        synchronized (lock) {
            if (d.done || closed) {
                return;
            }
            d.inFlight = true;
            d.attempts++;
        }
        attempts.incrementAndGet();
        Outcome outcome = safeSend(d.target, d.message);
        String action;
        synchronized (lock) {
            d.inFlight = false;
            if (d.done) {
                return; // closed while under way: close() reported it
            }
            if (outcome.delivered()) {
                action = SENT;
            } else if (outcome.retry() && d.attempts < maxAttempts && !closed) {
                Duration delay = backoff(d.attempts, outcome.retryAfter());
                LOG.debugf("notify %s: %s on attempt %d for %s, again in %d ms", d.target.display(), outcome.what(),
                        d.attempts, d.message.key(), delay.toMillis());
                d.next = schedule(d.lane, () -> attempt(d), delay);
                return;
            } else {
                action = FAILED;
            }
            d.done = true;
            pending.remove(d);
        }
        String detail = outcome.what() + " after " + attempts(d.attempts);
        if (action.equals(SENT)) {
            LOG.debugf("notify %s: %s delivered, %s", d.target.display(), d.message.key(), detail);
        } else {
            LOG.warnf("notify %s: %s not delivered, %s", d.target.display(), d.message.key(), detail);
        }
        report(d, action, detail);
    }

    /** Counts the outcome and hands it to the listener on the reporting thread. */
    private void report(Delivery d, String action, String detail) {
        (action.equals(SENT) ? sent : failed).incrementAndGet();
        Delivered done = new Delivered(d.message, d.target, action, detail, d.attempts);
        try {
            reporter.execute(() -> {
                try {
                    listener.accept(done);
                } catch (RuntimeException e) {
                    LOG.warnf("notify %s: the outcome listener failed: %s", d.target.display(), e.getClass().getSimpleName());
                }
            });
        } catch (RejectedExecutionException full) {
            LOG.warnf("notify %s: outcome not passed on (listener too slow or notifier closed): %s %s",
                    d.target.display(), action, detail);
        }
    }

    private Duration backoff(int attemptsMade, Duration retryAfter) {
        Duration delay = firstBackoff;
        for (int n = 1; n < attemptsMade && delay.compareTo(MAX_BACKOFF) < 0; n++) {
            delay = delay.multipliedBy(2);
        }
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter;
        }
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    private static String attempts(int n) {
        return n + (n == 1 ? " attempt" : " attempts");
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
