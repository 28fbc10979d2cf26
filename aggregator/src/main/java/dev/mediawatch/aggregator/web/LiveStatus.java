package dev.mediawatch.aggregator.web;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.status.StatusService;
import dev.mediawatch.contract.LogThrottle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/status/stream}: the page's live updates as server-sent events. The status build hands each new
 * snapshot here; one thread ({@code mediawatch-live}) renders the page's live part once and writes the same bytes
 * to every open page, only when what a person would see changed: event {@code status} (the HTML of
 * {@code #status}) on a change, event {@code charts} (the 24-hour charts and incidents) at most once a minute or when
 * an alert is raised or cleared, event {@code ping} every 15 s so a page notices a connection gone quiet.
 *
 * <p>Bounds: at most {@code mediawatch.web.max-live} pages (one more gets {@code 503}); a page that does not read
 * (its connection's write queue full) is closed rather than buffered for. Nothing is rendered while no page is open.
 */
@ApplicationScoped
public class LiveStatus {

    private static final Logger LOG = Logger.getLogger(LiveStatus.class);
    static final String PATH = "/api/status/stream";
    static final long PING_SECONDS = 15;
    static final long CHARTS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final StatusService status;
    private final Pages pages;
    private final int maxLive;
    private final Set<HttpServerResponse> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final Counter refused;
    private final Counter dropped;
    private final LogThrottle failureLog = new LogThrottle(java.time.Duration.ofMinutes(1));
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mediawatch-live");
        t.setDaemon(true);
        return t;
    });
    // Written on the live thread, read by the event loop when a page opens:
    private volatile Buffer statusEvent;
    private volatile Buffer chartsEvent;
    // Live thread only:
    private String lastStatus;
    private String lastCharts;
    private String lastAlerts;
    private long chartsAt;

    public LiveStatus(StatusService status, Pages pages, AggregatorConfig config, MeterRegistry meters) {
        this.status = status;
        this.pages = pages;
        this.maxLive = config.web().maxLive();
        meters.gauge("mediawatch_web_live_pages", open, Set::size);
        this.refused = Counter.builder("mediawatch_web_live_refused_total")
                .description("pages refused live updates because mediawatch.web.max-live were open").register(meters);
        this.dropped = Counter.builder("mediawatch_web_live_dropped_total")
                .description("pages closed because they did not read their updates").register(meters);
    }

    void register(@Observes Router router) {
        router.get(PATH).order(-10).handler(this::open);
    }

    void onStart(@Observes StartupEvent event) {
        status.onBuilt(snapshot -> {
            if (!open.isEmpty() && pending.compareAndSet(false, true)) {
                submit(this::update);
            }
        });
        thread.scheduleAtFixedRate(this::ping, PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
        // Ended, not cut: the pages see a finished stream, say they lost the aggregator and try again.
        for (HttpServerResponse r : open) {
            if (!r.ended() && !r.closed()) {
                r.end();
            }
        }
        open.clear();
    }

    /** Pages open on live updates now. */
    public int pages() {
        return open.size();
    }

    /** Events written since start (all pages together). */
    public long sent() {
        return sent.get();
    }

    private void open(RoutingContext ctx) {
        HttpServerResponse r = ctx.response();
        if (open.size() >= maxLive) {
            refused.increment();
            r.setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").putHeader("Retry-After", "30")
                    .end(maxLive + " pages are open on live updates already (mediawatch.web.max-live)\n");
            return;
        }
        r.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream;charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").putHeader("X-Accel-Buffering", "no");
        // A reconnecting page waits 3 s, not the browser's default.
        r.write("retry: 3000\n\n");
        r.closeHandler(v -> open.remove(r));
        r.exceptionHandler(e -> open.remove(r));
        open.add(r);
        Buffer s = statusEvent;
        Buffer c = chartsEvent;
        if (s != null && c != null) {
            r.write(s);
            r.write(c);
        }
        // The page's first update, rendered now (the last rendering may be stale: nothing renders while no page is open).
        pending.set(true);
        submit(this::update);
    }

    private void submit(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException stopping) {
            pending.set(false);
        }
    }

    private void update() {
        pending.set(false);
        if (open.isEmpty()) {
            return;
        }
        try {
            PageView view = pages.view(false);
            String html = Templates.page$status(view).render();
            if (!html.equals(lastStatus)) {
                lastStatus = html;
                statusEvent = event("status", html);
                broadcast(statusEvent);
            }
            String alerts = view.contention() == null ? "" : String.join("\n", view.contention().raised());
            long now = System.nanoTime();
            if (lastCharts == null || !alerts.equals(lastAlerts) || now - chartsAt >= CHARTS_EVERY_NANOS) {
                lastAlerts = alerts;
                chartsAt = now;
                String charts = Templates.page$charts(pages.view(true)).render();
                if (!charts.equals(lastCharts)) {
                    lastCharts = charts;
                    chartsEvent = event("charts", charts);
                    broadcast(chartsEvent);
                }
            }
        } catch (RuntimeException e) {
            long held = failureLog.tryLog(System.nanoTime());
            if (held >= 0) {
                LOG.errorf(e, "rendering the live page failed%s", held > 0 ? " (" + held + " more since the last such line)" : "");
            }
        }
    }

    private void ping() {
        if (!open.isEmpty()) {
            broadcast(event("ping", ""));
        }
    }

    private void broadcast(Buffer event) {
        for (HttpServerResponse r : open) {
            if (r.closed() || r.ended()) {
                open.remove(r);
            } else if (r.writeQueueFull()) {
                // It has not read the last updates: closing it costs the page a reconnect, buffering would cost memory.
                open.remove(r);
                dropped.increment();
                r.close();
            } else {
                r.write(event); // Vert.x writes a duplicate: the same bytes for every page
                sent.incrementAndGet();
            }
        }
    }

    /** One server-sent event: every line of {@code data} prefixed, the event ended by a blank line. */
    static Buffer event(String name, String data) {
        StringBuilder b = new StringBuilder(data.length() + data.length() / 20 + 32);
        b.append("event: ").append(name).append('\n');
        int start = 0;
        while (true) {
            int nl = data.indexOf('\n', start);
            String line = nl < 0 ? data.substring(start) : data.substring(start, nl);
            b.append("data: ").append(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).append('\n');
            if (nl < 0) {
                break;
            }
            start = nl + 1;
        }
        b.append('\n');
        return Buffer.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(b.toString().getBytes(StandardCharsets.UTF_8))));
    }
}
