package dev.mediawatch.aggregator.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.IncidentAction;
import dev.mediawatch.contract.SignalValue;
import dev.mediawatch.contract.StutterEvidence;
import dev.mediawatch.testing.MutableClock;

/**
 * Deliveries to a real HTTP server ({@code com.sun.net.httpserver} on 127.0.0.1, an ephemeral port) that answers
 * what each test scripts: statuses in turn, or nothing until released (a slow receiver). Backoffs are a few
 * milliseconds; waiting is Awaitility's.
 */
class NotifierTest {

    static final Instant T0 = Instant.parse("2026-11-21T21:03:00Z");
    static final String TOKEN = "tk_S3cr3t-Notify-Token-42";

    /** One request as the server saw it. */
    record Seen(String method, String path, String query, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    HttpServer server;
    ExecutorService serverThreads;
    final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    volatile CountDownLatch hold = new CountDownLatch(0);
    final List<IncidentAction> actions = new CopyOnWriteArrayList<>();
    final List<Notifier> notifiers = new ArrayList<>();
    final List<String> logged = new CopyOnWriteArrayList<>();
    final MutableClock clock = new MutableClock(T0.plusSeconds(5));
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getLevel() + " " + r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    java.util.logging.Logger notifyLogger;
    Level levelBefore;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newFixedThreadPool(8);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
                seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(), headers, in.readAllBytes()));
            }
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Integer status = script.poll();
            int code = status == null ? 200 : status;
            if (code == 429) {
                exchange.getResponseHeaders().add("Retry-After", "0");
            }
            byte[] body = ("{\"status\":" + code + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        notifyLogger = java.util.logging.Logger.getLogger("dev.mediawatch.aggregator.notify");
        levelBefore = notifyLogger.getLevel();
        notifyLogger.setLevel(Level.ALL); // debug lines too: they must not leak the token either
        notifyLogger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        hold.countDown();
        notifiers.forEach(Notifier::close);
        server.stop(0);
        serverThreads.shutdownNow();
        notifyLogger.removeHandler(capture);
        notifyLogger.setLevel(levelBefore);
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    Notifier notifier(int maxAttempts, Duration timeout, NotifyTarget... targets) {
        Notifier n = new Notifier(List.of(targets), timeout, maxAttempts, Duration.ofMillis(5), actions::add);
        notifiers.add(n);
        return n;
    }

    Notifier notifier(NotifyTarget... targets) {
        return notifier(3, Duration.ofSeconds(5), targets);
    }

    NotifyTarget webhook(String name) {
        return new NotifyTarget(name, NotifyTarget.WEBHOOK, url("/hook/" + name), Optional.empty());
    }

    NotifyTarget ntfy(String name) {
        return new NotifyTarget(name, NotifyTarget.NTFY, url("/mediawatch-alerts"), Optional.of(TOKEN));
    }

    static AlertState stutter(String state, Instant since) {
        StutterEvidence evidence = new StutterEvidence(72,
                List.of(new SignalValue("nfs-write", SignalValue.DOWNLOAD, HostId.of("download-stack"), 9.5e7, "B/s",
                        5e7, true)),
                List.of("nfs-write", "io-psi"), List.of("nfs-read-rtt: no NFS statistics on streaming-stack"),
                List.of("sabnzbd"), List.of());
        boolean raised = AlertState.RAISED.equals(state);
        return AlertState.of(AlertState.STUTTER, state, AlertSeverity.CRITICAL,
                "Streaming stutter during downloads (nfs-write, io-psi crossed) \u2014 \u00e9t\u00e9", since,
                raised ? null : since.plusSeconds(300), "stutter-20261121T210300Z", evidence, null);
    }

    static AlertState degraded(String state) {
        return AlertState.of(AlertState.STREAMING_DEGRADED, state, AlertSeverity.WARNING, "Streaming degraded", T0,
                AlertState.RAISED.equals(state) ? null : T0.plusSeconds(60), null, null, null);
    }

    List<IncidentAction> awaitActions(int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> actions.size() >= n);
        return actions;
    }

    @Test
    void webhook_postsTheAlertJson_withDeliveryId() throws Exception {
        Notifier n = notifier(webhook("hook"));
        AlertState alert = stutter(AlertState.RAISED, T0);
        n.notify(alert);
        List<IncidentAction> done = awaitActions(1);

        assertThat(seen).hasSize(1);
        Seen s = seen.get(0);
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/hook/hook");
        assertThat(s.header("Content-Type")).isEqualTo("application/json");
        assertThat(s.header("Authorization")).isNull();
        assertThat(s.header(Notifier.DELIVERY_HEADER)).isEqualTo("stutter:raised:" + T0.getEpochSecond());
        assertThat(ContractJson.readAlert(s.body())).isEqualTo(alert);
        assertThat(done).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo(Notifier.SENT);
            assertThat(a.detail()).isEqualTo("hook: HTTP 200 after 1 attempt");
        });
        assertThat(n.sent()).isEqualTo(1);
    }

    @Test
    void ntfy_titlePriorityTagsAndBearer_plainTextBody() {
        Notifier n = notifier(ntfy("phone"));
        n.notify(stutter(AlertState.RAISED, T0));
        n.notify(degraded(AlertState.RAISED));
        n.notify(stutter(AlertState.CLEARED, T0));
        awaitActions(3);
        assertThat(actions).extracting(IncidentAction::action).containsOnly(Notifier.SENT);
        assertThat(seen).hasSize(3).allSatisfy(s -> {
            assertThat(s.path()).isEqualTo("/mediawatch-alerts");
            assertThat(s.header("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(s.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        });
        Seen raise = seen.stream().filter(s -> s.header(Notifier.DELIVERY_HEADER).startsWith("stutter:raised")).findFirst()
                .orElseThrow();
        assertThat(raise.header("Title")).isEqualTo("Streaming stutter during downloads");
        assertThat(raise.header("Priority")).isEqualTo("5");
        assertThat(raise.header("Tags")).isEqualTo("rotating_light,mediawatch,stutter");
        assertThat(raise.text()).startsWith("Streaming stutter during downloads (nfs-write, io-psi crossed) \u2014 \u00e9t\u00e9")
                .contains("Since 2026-11-21T21:03:00Z").contains("Incident stutter-20261121T210300Z");
        Seen warning = seen.stream().filter(s -> s.header(Notifier.DELIVERY_HEADER).startsWith("streaming-degraded"))
                .findFirst().orElseThrow();
        assertThat(warning.header("Priority")).isEqualTo("3");
        assertThat(warning.header("Tags")).startsWith("warning,");
        Seen clear = seen.stream().filter(s -> s.header(Notifier.DELIVERY_HEADER).startsWith("stutter:cleared"))
                .findFirst().orElseThrow();
        assertThat(clear.header("Priority")).isEqualTo("2");
        assertThat(clear.header("Title")).isEqualTo("Cleared: Streaming stutter during downloads");
        assertThat(clear.header("Tags")).startsWith("white_check_mark,");
        assertThat(clear.text()).contains("Cleared at 2026-11-21T21:08:00Z");
    }

    @Test
    void unavailableTwiceThenOk_deliveredOnce_threeAttempts_oneSent() {
        script.add(503);
        script.add(503);
        Notifier n = notifier(webhook("hook"));
        n.notify(stutter(AlertState.RAISED, T0));
        awaitActions(1);
        assertThat(seen).hasSize(3);
        assertThat(seen).extracting(s -> s.header(Notifier.DELIVERY_HEADER)).containsOnly("stutter:raised:" + T0.getEpochSecond());
        assertThat(actions).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo(Notifier.SENT);
            assertThat(a.detail()).isEqualTo("hook: HTTP 200 after 3 attempts");
        });
        assertThat(n.attempts()).isEqualTo(3);
        assertThat(n.pending()).isZero();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 3 && actions.size() == 1);
    }

    @Test
    void tooManyRequests_retried() {
        script.add(429);
        Notifier n = notifier(webhook("hook"));
        n.notify(stutter(AlertState.RAISED, T0));
        awaitActions(1);
        assertThat(actions.get(0).detail()).isEqualTo("hook: HTTP 200 after 2 attempts");
    }

    @Test
    void badRequest_notRetried_failed() {
        script.add(400);
        Notifier n = notifier(webhook("hook"));
        n.notify(stutter(AlertState.RAISED, T0));
        awaitActions(1);
        assertThat(seen).hasSize(1);
        assertThat(actions).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo(Notifier.FAILED);
            assertThat(a.detail()).isEqualTo("hook: HTTP 400 after 1 attempt");
        });
        assertThat(n.failed()).isEqualTo(1);
    }

    @Test
    void sameAlertTwice_deliveredOnce_otherStateOrRaiseDelivered() {
        Notifier n = notifier(webhook("a"), webhook("b"));
        n.notify(stutter(AlertState.RAISED, T0));
        n.notify(stutter(AlertState.RAISED, T0));
        awaitActions(2);
        n.notify(stutter(AlertState.RAISED, T0)); // after delivery too
        n.notify(stutter(AlertState.CLEARED, T0)); // the clear of that raise
        n.notify(stutter(AlertState.RAISED, T0.plusSeconds(3600))); // a later raise
        awaitActions(6);
        assertThat(seen).hasSize(6);
        assertThat(seen).extracting(s -> s.path() + " " + s.header(Notifier.DELIVERY_HEADER)).containsExactlyInAnyOrder(
                "/hook/a stutter:raised:" + T0.getEpochSecond(), "/hook/b stutter:raised:" + T0.getEpochSecond(),
                "/hook/a stutter:cleared:" + T0.getEpochSecond(), "/hook/b stutter:cleared:" + T0.getEpochSecond(),
                "/hook/a stutter:raised:" + (T0.getEpochSecond() + 3600),
                "/hook/b stutter:raised:" + (T0.getEpochSecond() + 3600));
        assertThat(n.duplicates()).isEqualTo(4);
    }

    @Test
    void serverDown_retriedThenFailed() throws Exception {
        URI down;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            down = URI.create("http://127.0.0.1:" + s.getLocalPort() + "/hook");
        } // closed: nothing listens there now
        Notifier n = notifier(new NotifyTarget("gone", NotifyTarget.WEBHOOK, down, Optional.of(TOKEN)));
        n.notify(stutter(AlertState.RAISED, T0));
        awaitActions(1);
        assertThat(actions).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo(Notifier.FAILED);
            assertThat(a.detail()).isEqualTo("gone: connection refused after 3 attempts");
        });
        assertThat(n.attempts()).isEqualTo(3);
    }

    @Test
    void slowServer_timeoutCountsAsAnAttempt() {
        hold = new CountDownLatch(1);
        Notifier n = notifier(2, Duration.ofMillis(300), webhook("slow"));
        long start = System.nanoTime();
        n.notify(stutter(AlertState.RAISED, T0));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("notify() does not wait").isLessThan(Duration.ofMillis(250));
        awaitActions(1);
        assertThat(actions).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo(Notifier.FAILED);
            assertThat(a.detail()).isEqualTo("slow: timed out after 2 attempts");
        });
        assertThat(seen).as("each attempt reached the server").hasSize(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void fullQueue_dropsTheOldestWaitingAndCountsIt() {
        hold = new CountDownLatch(1);
        Notifier n = notifier(1, Duration.ofSeconds(20), webhook("busy"));
        n.notify(stutter(AlertState.RAISED, T0));
        n.notify(stutter(AlertState.RAISED, T0.plusSeconds(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2); // both threads held by the server
        for (int k = 2; k < Notifier.MAX_PENDING + 22; k++) {
            n.notify(stutter(AlertState.RAISED, T0.plusSeconds(k)));
        }
        assertThat(n.pending()).isEqualTo(Notifier.MAX_PENDING);
        assertThat(n.dropped()).isEqualTo(22);
        await().atMost(Duration.ofSeconds(10)).until(() -> actions.size() >= 22);
        assertThat(actions).extracting(IncidentAction::detail).containsOnly("busy: dropped, queue full after 0 attempts");
        hold.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> actions.size() >= Notifier.MAX_PENDING + 22);
        assertThat(n.sent()).isEqualTo(Notifier.MAX_PENDING);
        assertThat(seen).hasSize(Notifier.MAX_PENDING);
        assertThat(seen).extracting(s -> s.header(Notifier.DELIVERY_HEADER))
                .contains("stutter:raised:" + T0.getEpochSecond()) // under way: never dropped
                .doesNotContain("stutter:raised:" + T0.plusSeconds(2).getEpochSecond(),
                        "stutter:raised:" + T0.plusSeconds(23).getEpochSecond()) // the oldest waiting: dropped
                .contains("stutter:raised:" + T0.plusSeconds(24).getEpochSecond(),
                        "stutter:raised:" + T0.plusSeconds(Notifier.MAX_PENDING + 21).getEpochSecond());
    }

    @Test
    void close_reportsWhatWaits_laterNotifyIgnored() {
        hold = new CountDownLatch(1);
        Notifier n = notifier(1, Duration.ofSeconds(20), webhook("x"));
        for (int k = 0; k < 5; k++) {
            n.notify(stutter(AlertState.RAISED, T0.plusSeconds(k)));
        }
        n.close();
        awaitActions(5);
        assertThat(actions).hasSize(5)
                .allSatisfy(a -> assertThat(a.detail()).startsWith("x: not sent, notifier closed after"));
        n.notify(stutter(AlertState.RAISED, T0.plusSeconds(99)));
        assertThat(n.pending()).isZero();
    }

    @Test
    void noTargets_noop() {
        Notifier n = notifier();
        n.notify(stutter(AlertState.RAISED, T0));
        assertThat(n.pending()).isZero();
        assertThat(actions).isEmpty();
    }

    @Test
    void tokenNeverInActionsLogsExceptionsOrToString() throws Exception {
        URI withQueryToken = URI.create(url("/alerts").toString() + "?auth=" + TOKEN);
        NotifyTarget target = new NotifyTarget("phone", NotifyTarget.NTFY, withQueryToken, Optional.of(TOKEN));
        script.add(500);
        script.add(500);
        script.add(500);
        script.add(401);
        Notifier n = notifier(target);
        n.notify(stutter(AlertState.RAISED, T0)); // 500 three times
        awaitActions(1);
        n.notify(stutter(AlertState.CLEARED, T0)); // 401
        awaitActions(2);
        n.notify(degraded(AlertState.RAISED)); // 200
        awaitActions(3);
        assertThat(seen).allSatisfy(s -> {
            assertThat(s.header("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(s.query()).isEqualTo("auth=" + TOKEN); // the URL's query is used, only never shown
        });
        assertThat(actions).extracting(IncidentAction::detail).containsExactlyInAnyOrder(
                "phone: HTTP 500 after 3 attempts", "phone: HTTP 401 after 1 attempt", "phone: HTTP 200 after 1 attempt");

        List<String> texts = new ArrayList<>();
        actions.forEach(a -> texts.add(a.toString()));
        texts.addAll(logged);
        texts.add(target.toString());
        texts.add(n.toString());
        texts.add(notifier(webhook("other")).toString());
        for (String bad : List.of("ntfy\r\nX-Evil: 1", "has space", "\u00e9\u00e9")) {
            try {
                new NotifyTarget("t", NotifyTarget.NTFY, url("/x"), Optional.of(TOKEN + bad));
            } catch (IllegalArgumentException e) {
                texts.add(e.getMessage());
            }
        }
        try {
            new NotifyTarget("t", NotifyTarget.NTFY, URI.create("http://user:" + TOKEN + "@127.0.0.1/x"), Optional.empty());
        } catch (IllegalArgumentException e) {
            texts.add(e.getMessage());
        }
        assertThat(logged).as("the failures were logged").anyMatch(l -> l.contains("HTTP 500"));
        assertThat(texts).hasSizeGreaterThan(10).noneMatch(t -> t.contains(TOKEN)).noneMatch(t -> t.contains("S3cr3t"));
        assertThat(target.toString()).contains("token=(set)").contains("/alerts").doesNotContain("auth=");
    }

    @Test
    void badTargetsAndSettings_clearErrors() {
        assertThatThrownBy(() -> new NotifyTarget("x", "email", url("/x"), Optional.empty()))
                .hasMessageContaining("kind must be 'webhook' or 'ntfy'");
        assertThatThrownBy(() -> new NotifyTarget("x", NotifyTarget.WEBHOOK, URI.create("/relative"), Optional.empty()))
                .hasMessageContaining("absolute http(s) URL");
        assertThatThrownBy(() -> new NotifyTarget("x", NotifyTarget.WEBHOOK, URI.create("ftp://h/x"), Optional.empty()))
                .hasMessageContaining("absolute http(s) URL");
        assertThatThrownBy(() -> new NotifyTarget("x", NotifyTarget.WEBHOOK, URI.create("http://u:pw@h/x"), Optional.empty()))
                .hasMessageContaining("credentials").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> new NotifyTarget("", NotifyTarget.WEBHOOK, url("/x"), Optional.empty()))
                .hasMessageContaining("name");
        assertThat(new NotifyTarget("x", NotifyTarget.WEBHOOK, url("/x"), null).token()).isEmpty();
        assertThat(new NotifyTarget("x", NotifyTarget.WEBHOOK, url("/x"), Optional.of(" ")).token()).isEmpty();
        assertThatThrownBy(() -> notifier(webhook("same"), webhook("same"))).hasMessageContaining("two notify targets");
        assertThatThrownBy(() -> new Notifier(List.of(), Duration.ZERO, 1, Duration.ZERO, a -> { }))
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> new Notifier(List.of(), Duration.ofSeconds(1), 0, Duration.ZERO, a -> { }))
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> notifier(webhook("y")).notify(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void outcomeListenerGetsTheAlert_andTheClockTime() {
        List<String> seenBy = new CopyOnWriteArrayList<>();
        Notifier n = new Notifier(List.of(webhook("hook")), Duration.ofSeconds(5), 1, Duration.ZERO,
                (alert, action) -> seenBy.add(alert.incidentId() + " " + action.at() + " " + action.action()), clock);
        notifiers.add(n);
        n.notify(stutter(AlertState.RAISED, T0));
        await().atMost(Duration.ofSeconds(10)).until(() -> !seenBy.isEmpty());
        assertThat(seenBy).containsExactly("stutter-20261121T210300Z " + clock.instant() + " notify.sent");
    }
}
