package dev.mediawatch.runtime.mqtt;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.runtime.metrics.Gauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Takes messages off the MQTT event loop and hands them, one at a time, to their handler on a worker thread of its
 * own, so decoding and checking can never slow the connection down, and no volume of messages can make anything
 * fail: what cannot be kept is shed, counted and logged at a bounded rate.
 *
 * <ul>
 * <li>A {@link Mode#LATEST} lane keeps only the newest message per topic: a retained snapshot (a host's state,
 * mounts, ...) replaces the one that waits for the same topic, in its place in the line. A flood on one topic costs
 * one slot, however long it lasts.</li>
 * <li>A {@link Mode#QUEUE} lane keeps every message, in order, up to a limit per source (the host a topic names);
 * beyond it the oldest of that source is shed.</li>
 * </ul>
 *
 * Work is taken slot by slot in turn (a slot is one topic of a latest lane, or one source of a queue lane), so a
 * source that floods gets its turn like any other and no more. Sources the app already knows ({@code trusted}) and
 * the rest wait in two lines served alternately, and the rest may hold at most a share of the slots: a crowd of
 * made-up hosts can neither push out nor delay a real one by more than one message each.
 *
 * <p>The worker is watched: if it dies it is started again (three times a minute at most), and if it stops making
 * progress for {@code stuckAfter} with work waiting, the app is told ({@code onFatal}: exit so that systemd starts it
 * again) rather than left silently blind.
 */
public final class Inbox implements AutoCloseable {

    /** Handles one message on the worker thread. */
    @FunctionalInterface
    public interface Handler {
        void handle(String topic, byte[] payload);
    }

    public enum Mode {
        LATEST, QUEUE
    }

    /** Bounds of the whole inbox. */
    public record Limits(int maxSlots, int maxUntrustedSlots, long maxBytes, Duration stuckAfter) {
        public static Limits defaults() {
            return new Limits(20_000, 2_000, 64L * 1024 * 1024, Duration.ofSeconds(60));
        }
    }

    /** A snapshot for health checks. */
    public record Health(boolean alive, int pendingSlots, long pendingBytes, long oldestPendingMillis, long restarts,
            boolean stuck) {
    }

    /** Shed reasons, as metric labels. */
    public static final String SUPERSEDED = "superseded";
    public static final String QUEUE_FULL = "queue-full";
    public static final String LIMIT = "limit";
    /** The host label of sheds beyond {@link #MAX_HOST_LABELS} distinct unknown sources. */
    public static final String OTHER = "other";
    static final int MAX_HOST_LABELS = 100;

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    /** One lane: a kind of message (a metric label), its mode and its handler. */
    public final class Lane {
        final String kind;
        final Mode mode;
        final int perSourceLimit;
        final Handler handler;
        final Counter delivered;
        final Counter handled;
        final LogThrottle shedLog = new LogThrottle(Duration.ofSeconds(10));
        final LogThrottle supersededLog = new LogThrottle(Duration.ofMinutes(1));
        final AtomicLong supersededSinceLog = new AtomicLong();

        private Lane(String kind, Mode mode, int perSourceLimit, Handler handler) {
            this.kind = kind;
            this.mode = mode;
            this.perSourceLimit = perSourceLimit;
            this.handler = handler;
            this.delivered = Counter.builder("mediawatch_inbox_delivered_total").tag("inbox", name).tag("kind", kind)
                    .description("messages the broker delivered, by inbox and kind").register(meters);
            this.handled = Counter.builder("mediawatch_inbox_handled_total").tag("inbox", name).tag("kind", kind)
                    .description("messages handed to their handler, by inbox and kind").register(meters);
        }

        /** Takes a message; never blocks, never throws. Call it from the MQTT event loop. */
        public void offer(String topic, byte[] payload) {
            Inbox.this.offer(this, topic, payload);
        }

        public String kind() {
            return kind;
        }
    }

    private static final class Message {
        final String topic;
        final byte[] payload;

        Message(String topic, byte[] payload) {
            this.topic = topic;
            this.payload = payload;
        }
    }

    /** A topic of a latest lane, or a source of a queue lane, with work waiting. */
    private static final class Slot {
        final Lane lane;
        final String key;
        final String source;
        final boolean trusted;
        Message latest;
        ArrayDeque<Message> queue;
        long sinceNanos;

        Slot(Lane lane, String key, String source, boolean trusted, long sinceNanos) {
            this.lane = lane;
            this.key = key;
            this.source = source;
            this.trusted = trusted;
            this.sinceNanos = sinceNanos;
        }
    }

    private record SlotKey(Lane lane, String key) {
    }

    private final String name;
    private final Function<String, String> sourceOf;
    private final Predicate<String> trusted;
    private final Limits limits;
    private final MeterRegistry meters;
    private final Runnable onFatal;
    private final LongSupplier nanoTime;
    private final List<Lane> lanes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Map<SlotKey, Slot> slots = new HashMap<>();
    private final ArrayDeque<Slot> readyTrusted = new ArrayDeque<>();
    private final ArrayDeque<Slot> readyOther = new ArrayDeque<>();
    private boolean trustedTurn = true;
    private int untrustedSlots;
    private long bytes;
    private final Map<String, Counter> shedCounters = new HashMap<>();
    private final Set<String> hostLabels = new HashSet<>();
    private final Counter failures;
    private final Counter restartsCounter;
    private final LogThrottle failureLog = new LogThrottle(Duration.ofSeconds(10));
    private final ArrayDeque<Long> recentRestarts = new ArrayDeque<>();
    private volatile Thread worker;
    private volatile boolean closed;
    private volatile long lastProgressNanos;
    private volatile boolean busy;
    private volatile boolean fatal;
    private long restarts;

    /**
     * @param name     the worker thread is {@code mediawatch-<name>}; the {@code inbox} metric label
     * @param sourceOf the source (host) a topic names, a short bounded string (a metric label); never null
     * @param trusted  whether a source is already known to the app
     * @param onFatal  called once if the worker cannot be kept going (the app exits so that systemd restarts it)
     */
    public Inbox(String name, Function<String, String> sourceOf, Predicate<String> trusted, Limits limits,
            MeterRegistry meters, Runnable onFatal) {
        this(name, sourceOf, trusted, limits, meters, onFatal, System::nanoTime);
    }

    Inbox(String name, Function<String, String> sourceOf, Predicate<String> trusted, Limits limits, MeterRegistry meters,
            Runnable onFatal, LongSupplier nanoTime) {
        this.name = name;
        this.sourceOf = sourceOf;
        this.trusted = trusted;
        this.limits = limits;
        this.meters = meters;
        this.onFatal = onFatal;
        this.nanoTime = nanoTime;
        this.lastProgressNanos = nanoTime.getAsLong();
        Tags tags = Tags.of("inbox", name);
        this.failures = Counter.builder("mediawatch_inbox_handler_failures_total").tags(tags)
                .description("messages whose handler failed (a bug: that message is lost, nothing else)").register(meters);
        this.restartsCounter = Counter.builder("mediawatch_inbox_worker_restarts_total").tags(tags)
                .description("times the inbox worker died and was started again").register(meters);
        Gauges.replace(meters, "mediawatch_inbox_pending", "topics and sources with messages waiting", tags, this,
                i -> i.health().pendingSlots());
        Gauges.replace(meters, "mediawatch_inbox_pending_bytes", "payload bytes waiting", tags, this,
                i -> i.health().pendingBytes());
        Gauges.replace(meters, "mediawatch_inbox_lag_seconds", "how long the oldest waiting message has waited", tags,
                this, i -> i.health().oldestPendingMillis() / 1000.0);
    }

    /** Adds a lane; before {@link #start()}. {@code perSourceLimit} bounds a queue lane per source. */
    public Lane lane(String kind, Mode mode, int perSourceLimit, Handler handler) {
        if (perSourceLimit < 1) {
            throw new IllegalArgumentException("perSourceLimit must be positive");
        }
        Lane lane = new Lane(kind, mode, perSourceLimit, handler);
        lanes.add(lane);
        return lane;
    }

    public void start() {
        startWorker();
    }

    // ---- the way in (event loop) ----------------------------------------------------------------------------

    void offer(Lane lane, String topic, byte[] payload) {
        lane.delivered.increment();
        if (closed) {
            return;
        }
        String source = sourceOf.apply(topic);
        String key = lane.mode == Mode.LATEST ? topic : source;
        long now = nanoTime.getAsLong();
        String shedReason = null;
        boolean superseded = false;
        boolean shedTrusted = false;
        lock.lock();
        try {
            SlotKey k = new SlotKey(lane, key);
            Slot slot = slots.get(k);
            if (slot != null) {
                if (lane.mode == Mode.LATEST) {
                    bytes += payload.length - slot.latest.payload.length;
                    slot.latest = new Message(topic, payload);
                    superseded = true;
                    shedTrusted = slot.trusted;
                } else {
                    if (slot.queue.size() >= lane.perSourceLimit) {
                        Message oldest = slot.queue.pollFirst();
                        bytes -= oldest.payload.length;
                        shedReason = QUEUE_FULL;
                        shedTrusted = slot.trusted;
                    }
                    slot.queue.addLast(new Message(topic, payload));
                    bytes += payload.length;
                }
            } else {
                boolean isTrusted = trusted.test(source);
                if (slots.size() >= limits.maxSlots() || !isTrusted && untrustedSlots >= limits.maxUntrustedSlots()
                        || bytes + payload.length > limits.maxBytes()) {
                    shedReason = LIMIT;
                    shedTrusted = isTrusted;
                } else {
                    slot = new Slot(lane, key, source, isTrusted, now);
                    if (lane.mode == Mode.LATEST) {
                        slot.latest = new Message(topic, payload);
                    } else {
                        slot.queue = new ArrayDeque<>();
                        slot.queue.addLast(new Message(topic, payload));
                    }
                    bytes += payload.length;
                    slots.put(k, slot);
                    if (isTrusted) {
                        readyTrusted.addLast(slot);
                    } else {
                        untrustedSlots++;
                        readyOther.addLast(slot);
                    }
                    work.signal();
                }
            }
            if (superseded || shedReason != null) {
                countShed(lane, source, shedTrusted, superseded ? SUPERSEDED : shedReason);
            }
        } finally {
            lock.unlock();
        }
        if (superseded) {
            lane.supersededSinceLog.incrementAndGet();
            if (lane.supersededSinceLog.get() >= 100) {
                long held = lane.supersededLog.tryLog(now);
                if (held >= 0) {
                    LOG.infof("%s: %d %s messages were replaced by newer ones for the same topic before they were read "
                            + "(a source publishing faster than it is read; only the newest counts)", name,
                            lane.supersededSinceLog.getAndSet(0), lane.kind);
                }
            }
        } else if (shedReason != null) {
            long held = lane.shedLog.tryLog(now);
            if (held >= 0) {
                LOG.warnf("%s: shed a %s message from %s (%s)%s", name, lane.kind, source,
                        shedReason.equals(QUEUE_FULL) ? "more than " + lane.perSourceLimit + " waiting from that source"
                                : "the inbox is full: too many topics or bytes waiting",
                        held > 0 ? "; " + held + " more shed since the last such line" : "");
            }
        }
    }

    /** Under the lock. Host labels are bounded: known sources, then the first {@link #MAX_HOST_LABELS} others. */
    private void countShed(Lane lane, String source, boolean sourceTrusted, String reason) {
        String host = source;
        if (!hostLabels.contains(source)) {
            if (sourceTrusted || hostLabels.size() < MAX_HOST_LABELS) {
                hostLabels.add(source);
            } else {
                host = OTHER;
            }
        }
        String id = lane.kind + "\u0000" + host + "\u0000" + reason;
        shedCounters.computeIfAbsent(id, x -> Counter.builder("mediawatch_inbox_shed_total").tag("inbox", name)
                .tag("kind", lane.kind).tag("host", x.substring(lane.kind.length() + 1, x.lastIndexOf('\u0000')))
                .tag("reason", reason).description("messages not handled: replaced by a newer one for the same topic "
                        + "(superseded), beyond a source's queue (queue-full) or the inbox's bounds (limit)")
                .register(meters)).increment();
    }

    // ---- the worker -----------------------------------------------------------------------------------------

    private record Work(Lane lane, Message message) {
    }

    private Work take() throws InterruptedException {
        lock.lock();
        try {
            while (readyTrusted.isEmpty() && readyOther.isEmpty()) {
                busy = false;
                lastProgressNanos = nanoTime.getAsLong();
                work.await();
                if (closed) {
                    return null;
                }
            }
            busy = true;
            lastProgressNanos = nanoTime.getAsLong(); // the clock of this message starts now, not at the last one
            ArrayDeque<Slot> line;
            if (readyOther.isEmpty() || !readyTrusted.isEmpty() && trustedTurn) {
                line = readyTrusted;
            } else {
                line = readyOther;
            }
            trustedTurn = line != readyTrusted;
            Slot slot = line.pollFirst();
            Message m;
            boolean done;
            if (slot.lane.mode == Mode.LATEST) {
                m = slot.latest;
                done = true;
            } else {
                m = slot.queue.pollFirst();
                done = slot.queue.isEmpty();
            }
            bytes -= m.payload.length;
            if (done) {
                slots.remove(new SlotKey(slot.lane, slot.key));
                if (!slot.trusted) {
                    untrustedSlots--;
                }
            } else {
                slot.sinceNanos = nanoTime.getAsLong();
                line.addLast(slot); // its next message waits for its next turn
            }
            return new Work(slot.lane, m);
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (!closed) {
            Work w;
            try {
                w = take();
            } catch (InterruptedException e) {
                return;
            }
            if (w == null) {
                return;
            }
            try {
                w.lane.handler.handle(w.message.topic, w.message.payload);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                failures.increment();
                long held = failureLog.tryLog(nanoTime.getAsLong());
                if (held >= 0) {
                    LOG.errorf(t, "%s: handling a %s message failed (a bug; that message is lost)%s", name, w.lane.kind,
                            held > 0 ? "; " + held + " more since the last such line" : "");
                }
            }
            w.lane.handled.increment();
            lastProgressNanos = nanoTime.getAsLong();
        }
    }

    private void startWorker() {
        Thread t = new Thread(this::run, "mediawatch-" + name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> died(e));
        worker = t;
        t.start();
    }

    private void died(Throwable e) {
        if (closed) {
            return;
        }
        long now = nanoTime.getAsLong();
        boolean tooOften;
        synchronized (recentRestarts) {
            restarts++;
            recentRestarts.addLast(now);
            while (!recentRestarts.isEmpty() && now - recentRestarts.peekFirst() > TimeUnit.MINUTES.toNanos(1)) {
                recentRestarts.pollFirst();
            }
            tooOften = recentRestarts.size() > 3;
        }
        restartsCounter.increment();
        if (tooOften) {
            LOG.errorf(e, "%s: the worker died more than 3 times in a minute; giving up so the app can be restarted", name);
            giveUp();
            return;
        }
        LOG.errorf(e, "%s: the worker died; starting it again", name);
        startWorker();
    }

    /**
     * The watchdog: call it every few seconds (the app's timer). Calls {@code onFatal} once when work has waited
     * with no progress for {@code stuckAfter}: a handler that never returns cannot be taken back.
     */
    public void check() {
        Health h = health();
        if (h.stuck() && !fatal) {
            LOG.errorf("%s: no message handled for %d s with %d waiting (a handler that never returns?); giving up so "
                    + "the app can be restarted", name, limits.stuckAfter().toSeconds(), h.pendingSlots());
            giveUp();
        }
    }

    private void giveUp() {
        if (!fatal) {
            fatal = true;
            onFatal.run();
        }
    }

    public Health health() {
        long now = nanoTime.getAsLong();
        int pending;
        long pendingBytes;
        long oldest = -1;
        lock.lock();
        try {
            pending = slots.size();
            pendingBytes = bytes;
            Slot a = readyTrusted.peekFirst();
            Slot b = readyOther.peekFirst();
            if (a != null) {
                oldest = a.sinceNanos;
            }
            if (b != null && (oldest == -1 || b.sinceNanos - oldest < 0)) {
                oldest = b.sinceNanos;
            }
        } finally {
            lock.unlock();
        }
        Thread t = worker;
        boolean alive = t != null && t.isAlive() && !fatal;
        boolean stuck = pending > 0 && busy && now - lastProgressNanos > limits.stuckAfter().toNanos()
                || pending > 0 && !alive;
        long restartsNow;
        synchronized (recentRestarts) {
            restartsNow = restarts;
        }
        return new Health(alive, pending, pendingBytes, oldest < 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(now - oldest),
                restartsNow, stuck);
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }
}
