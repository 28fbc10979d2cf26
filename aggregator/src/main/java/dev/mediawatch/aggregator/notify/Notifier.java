package dev.mediawatch.aggregator.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.IncidentAction;

/**
 * Optional outbound notifications when an alert is raised or cleared: one HTTP POST per target (a JSON webhook
 * with the {@link AlertState}, or an ntfy message with {@code Title}, {@code Priority} and {@code Tags}).
 *
 * <p>{@link #notify(AlertState)} never blocks: it queues one delivery per target and returns. Deliveries run on
 * this notifier's own two threads, each attempt with {@code timeout} on connect and on the response. Connect
 * errors, timeouts, 5xx and 429 are retried up to {@code maxAttempts} with exponential backoff from
 * {@code firstBackoff} (a {@code Retry-After} in seconds is honoured, both capped at {@link #MAX_BACKOFF}); other
 * 4xx and 3xx are final. Each delivery carries {@value #DELIVERY_HEADER}: {@code <alert id>:<state>:<since epoch
 * s>}, the same on every retry, so a receiver can drop the duplicate a lost response causes.
 *
 * <p>Bounds: at most {@value #MAX_PENDING} deliveries waiting (queued or between retries; over that the oldest is
 * dropped and counted), and the same (alert id, state, since) goes to a target at most once, remembered for the
 * last {@value #MAX_REMEMBERED} deliveries. Each delivery's final outcome is handed to {@code actions} as an
 * {@link IncidentAction} {@code notify.sent} or {@code notify.failed} ({@code "<target>: HTTP 200 after 2
 * attempts"}), on a notifier thread: hand it over to your own thread. Tokens and URL queries never appear in
 * logs, actions or exceptions.
 */
public final class Notifier implements AutoCloseable {

    public static final String DELIVERY_HEADER = "X-Mediawatch-Delivery";
    public static final String SENT = "notify.sent";
    public static final String FAILED = "notify.failed";
    public static final int MAX_PENDING = 100;
    public static final int MAX_REMEMBERED = 1_000;
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private static final Logger LOG = Logger.getLogger(Notifier.class);

    private final List<NotifyTarget> targets;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final BiConsumer<AlertState, IncidentAction> actions;
    private final Clock clock;

    private final ScheduledThreadPoolExecutor executor;
    private final ThreadPoolExecutor reporter;
    private final ExecutorService httpExecutor;
    private final HttpClient http;

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
     * @param targets      where to deliver (names unique); none makes {@link #notify} a no-op
     * @param timeout      per attempt, on connect and on the response headers
     * @param maxAttempts  attempts per delivery, at least 1
     * @param firstBackoff the wait before the second attempt; doubled for each further one
     * @param actions      told of each delivery's final outcome, on a notifier thread
     */
    public Notifier(List<NotifyTarget> targets, Duration timeout, int maxAttempts, Duration firstBackoff,
            Consumer<IncidentAction> actions) {
        this(targets, timeout, maxAttempts, firstBackoff, adapt(actions), Clock.systemUTC());
    }

    /** The same, telling {@code actions} also which alert each outcome is about, with the clock for its time. */
    public Notifier(List<NotifyTarget> targets, Duration timeout, int maxAttempts, Duration firstBackoff,
            BiConsumer<AlertState, IncidentAction> actions, Clock clock) {
        this.targets = List.copyOf(Objects.requireNonNull(targets, "targets"));
        Set<String> names = new HashSet<>();
        for (NotifyTarget t : this.targets) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("two notify targets are named '" + t.name() + "'");
            }
        }
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
        this.actions = Objects.requireNonNull(actions, "actions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = new ScheduledThreadPoolExecutor(2, daemonThreads("mediawatch-notify-"));
        executor.setRemoveOnCancelPolicy(true);
        // Outcomes go out in order on their own thread: a slow listener never holds a delivery thread, and a
        // delivery held by a slow receiver never delays the news of a drop. Bounded like the deliveries.
        this.reporter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(4 * MAX_PENDING), daemonThreads("mediawatch-notify-report-"));
        if (this.targets.isEmpty()) {
            this.httpExecutor = null;
            this.http = null;
        } else {
            this.httpExecutor = Executors.newFixedThreadPool(2, daemonThreads("mediawatch-notify-http-"));
            this.http = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(httpExecutor)
                    .build();
        }
    }

    private static BiConsumer<AlertState, IncidentAction> adapt(Consumer<IncidentAction> actions) {
        Objects.requireNonNull(actions, "actions");
        return (alert, action) -> actions.accept(action);
    }

    /**
     * Non-blocking: queues one delivery per target. The same (alert id, state, since) is delivered at most once
     * per target, ever (dedup set bounded).
     */
    public void notify(AlertState alert) {
        Objects.requireNonNull(alert, "alert");
        String deliveryId = deliveryId(alert);
        List<Delivery> overflow = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                LOG.debugf("notifier closed: %s not sent", deliveryId);
                return;
            }
            for (NotifyTarget target : targets) {
                if (!remembered.add(target.name() + '\n' + deliveryId)) {
                    duplicates.incrementAndGet();
                    continue;
                }
                Delivery d = new Delivery(target, alert, deliveryId);
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
                d.next = schedule(d, Duration.ZERO);
            }
        }
        for (Delivery d : overflow) {
            LOG.warnf("notify %s: queue of %d full, dropped %s (%d attempts made)", d.target.name(), MAX_PENDING,
                    d.deliveryId, d.attempts);
            report(d, FAILED, "dropped, queue full after " + attempts(d.attempts));
        }
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

    /** Notifications not delivered again because that (alert, state, since) already went to that target. */
    public long duplicates() {
        return duplicates.get();
    }

    /** HTTP attempts made, retries included. */
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
        executor.shutdownNow();
        if (httpExecutor != null) {
            httpExecutor.shutdownNow();
        }
        for (Delivery d : abandoned) {
            report(d, FAILED, "not sent, notifier closed after " + attempts(d.attempts));
        }
        reporter.shutdown(); // what was reported still reaches the listener
    }

    @Override
    public String toString() {
        return "Notifier" + targets;
    }

    // ---- delivery ----

    private static final class Delivery {
        final NotifyTarget target;
        final AlertState alert;
        final String deliveryId;
        int attempts;
        boolean inFlight;
        boolean done;
        ScheduledFuture<?> next;

        Delivery(NotifyTarget target, AlertState alert, String deliveryId) {
            this.target = target;
            this.alert = alert;
            this.deliveryId = deliveryId;
        }
    }

    /** How one attempt ended. {@code what} is safe to show: a status or a kind of failure, never a URL. */
    private record Outcome(boolean delivered, boolean retry, String what, Duration retryAfter) {
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

    private ScheduledFuture<?> schedule(Delivery d, Duration delay) {
        try {
            return executor.schedule(() -> attempt(d), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            return null;
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
        Outcome outcome = send(d);
        String finalAction = null;
        synchronized (lock) {
            d.inFlight = false;
            if (d.done) {
                return; // closed while under way: close() reported it
            }
            if (outcome.delivered()) {
                finalAction = SENT;
            } else if (outcome.retry() && d.attempts < maxAttempts && !closed) {
                Duration delay = backoff(d.attempts, outcome.retryAfter());
                LOG.debugf("notify %s: %s on attempt %d for %s, again in %d ms", d.target.name(), outcome.what(),
                        d.attempts, d.deliveryId, delay.toMillis());
                d.next = schedule(d, delay);
                return;
            } else {
                finalAction = FAILED;
            }
            d.done = true;
            pending.remove(d);
        }
        String detail = outcome.what() + " after " + attempts(d.attempts);
        if (finalAction.equals(SENT)) {
            LOG.debugf("notify %s: %s delivered, %s", d.target.name(), d.deliveryId, detail);
        } else {
            LOG.warnf("notify %s (%s %s): %s not delivered, %s", d.target.name(), d.target.kind(), d.target.safeUrl(),
                    d.deliveryId, detail);
        }
        report(d, finalAction, detail);
    }

    /** Counts the outcome and hands it to the listener on the reporting thread. */
    private void report(Delivery d, String action, String detail) {
        (action.equals(SENT) ? sent : failed).incrementAndGet();
        IncidentAction done = new IncidentAction(clock.instant(), action, d.target.name() + ": " + detail);
        try {
            reporter.execute(() -> {
                try {
                    actions.accept(d.alert, done);
                } catch (RuntimeException e) {
                    LOG.warnf("notify %s: the outcome listener failed: %s", d.target.name(), e.getClass().getSimpleName());
                }
            });
        } catch (RejectedExecutionException full) {
            LOG.warnf("notify %s: outcome not passed on (listener too slow or notifier closed): %s %s", d.target.name(),
                    action, detail);
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

    private Outcome send(Delivery d) {
        HttpRequest request;
        try {
            request = request(d);
        } catch (RuntimeException e) {
            return new Outcome(false, false, "cannot build the request (" + e.getClass().getSimpleName() + ")", null);
        }
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            // Only the status matters; closing without reading never waits for a body that trickles in.
            response.body().close();
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Outcome(true, false, "HTTP " + status, null);
            }
            boolean retry = status >= 500 || status == 429;
            return new Outcome(false, retry, "HTTP " + status, retryAfter(response));
        } catch (HttpConnectTimeoutException e) {
            return new Outcome(false, true, "connect timed out", null);
        } catch (HttpTimeoutException e) {
            return new Outcome(false, true, "timed out", null);
        } catch (ConnectException e) {
            return new Outcome(false, true, "connection refused", null);
        } catch (IOException e) {
            return new Outcome(false, true, "I/O error (" + e.getClass().getSimpleName() + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, false, "interrupted", null);
        } catch (RuntimeException e) {
            return new Outcome(false, false, "failed (" + e.getClass().getSimpleName() + ")", null);
        }
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::trim).filter(v -> v.matches("\\d{1,6}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(null);
    }

    private HttpRequest request(Delivery d) {
        AlertState alert = d.alert;
        HttpRequest.Builder b = HttpRequest.newBuilder(d.target.url())
                .timeout(timeout)
                .header(DELIVERY_HEADER, headerSafe(d.deliveryId))
                .header("User-Agent", "mediawatch");
        d.target.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        if (NotifyTarget.WEBHOOK.equals(d.target.kind())) {
            b.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ContractJson.write(alert)));
        } else {
            b.header("Content-Type", "text/plain; charset=utf-8")
                    .header("Title", headerSafe(ntfyTitle(alert)))
                    .header("Priority", Integer.toString(ntfyPriority(alert)))
                    .header("Tags", headerSafe(ntfyTags(alert)))
                    .POST(HttpRequest.BodyPublishers.ofString(ntfyMessage(alert), StandardCharsets.UTF_8));
        }
        return b.build();
    }

    // ---- message text ----

    static String deliveryId(AlertState alert) {
        return alert.id() + ":" + alert.state() + ":" + (alert.since() == null ? 0 : alert.since().getEpochSecond());
    }

    /** 5 for a critical raise, 3 for a warning raise, 2 for a clear (ntfy: max, default, low). */
    static int ntfyPriority(AlertState alert) {
        if (!alert.raised()) {
            return 2;
        }
        return alert.severity() == AlertSeverity.CRITICAL ? 5 : 3;
    }

    static String ntfyTitle(AlertState alert) {
        String what = switch (alert.id()) {
            case AlertState.STUTTER -> "Streaming stutter during downloads";
            case AlertState.STREAMING_DEGRADED -> "Streaming degraded";
            default -> alert.id();
        };
        return (alert.raised() ? "" : "Cleared: ") + what;
    }

    static String ntfyTags(AlertState alert) {
        String emoji = !alert.raised() ? "white_check_mark"
                : alert.severity() == AlertSeverity.CRITICAL ? "rotating_light" : "warning";
        return emoji + ",mediawatch," + alert.id();
    }

    static String ntfyMessage(AlertState alert) {
        StringBuilder m = new StringBuilder(alert.message());
        if (alert.raised()) {
            m.append("\nSince ").append(alert.since());
        } else {
            m.append("\nCleared at ").append(alert.clearedAt()).append(", raised ").append(alert.since());
        }
        if (alert.incidentId() != null) {
            m.append("\nIncident ").append(alert.incidentId());
        }
        return m.toString();
    }

    /** HTTP header values: printable ASCII only (ntfy takes UTF-8 in the body, not reliably in headers). */
    private static String headerSafe(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), 250));
        for (int i = 0; i < value.length() && out.length() < 250; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
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
