package dev.mediawatch.agent.probes;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.contract.ServiceProbe;
import dev.mediawatch.contract.Text;

/**
 * Asks each catalogue service's health endpoint whether it answers (the owner's {@code media.health.check}).
 * Asynchronous on the agent's shared JDK HTTP client, whose own threads also tell the listener (not the JVM's
 * common pool, where the client would otherwise complete them): {@link #probeAll()} only starts requests and
 * returns, so it is safe from the ticker. At most one probe per service is in flight; a service whose last probe
 * has not finished is skipped, never queued. Every probe ends within the timeout (the request timeout covers
 * connect and response headers). Plain Java with an injectable clock.
 */
public final class ProbeRunner implements AutoCloseable {

    /** Told of every finished probe, and whether its verdict changed. */
    public interface Listener {
        void probed(ServiceProbe result, ServiceProbe previous);
    }

    private record Target(CatalogueService service, URI uri) {
    }

    private final List<Target> targets;
    private final Duration timeout;
    private final Clock clock;
    private final Listener listener;
    private final Function<String, Optional<String>> apiKeys;
    private final HttpClient http;
    private final Map<String, AtomicBoolean> inFlight = new ConcurrentHashMap<>();
    private final Map<String, ServiceProbe> last = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param http      the agent's shared client; the listener is told on its executor's threads
     * @param probeHost where the services' ports are reached from the agent, usually {@code 127.0.0.1}
     * @param apiKeys   an API key per service name, sent as {@code X-Api-Key}; never logged or published
     */
    public ProbeRunner(HttpClient http, List<CatalogueService> services, String probeHost, Duration timeout,
            Clock clock, Function<String, Optional<String>> apiKeys, Listener listener) {
        List<Target> t = new ArrayList<>();
        for (CatalogueService s : services) {
            if (s.probe() != null) {
                t.add(new Target(s, URI.create("http://" + hostForUri(probeHost) + ":" + s.probe().port() + s.probe().path())));
                inFlight.put(s.name(), new AtomicBoolean());
            }
        }
        this.targets = List.copyOf(t);
        this.timeout = timeout;
        this.clock = clock;
        this.apiKeys = apiKeys;
        this.listener = listener;
        this.http = http;
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Starts a probe of every service that has none in flight; returns at once. Nothing once closed. */
    public void probeAll() {
        if (closed) {
            return;
        }
        for (Target t : targets) {
            AtomicBoolean busy = inFlight.get(t.service().name());
            if (busy.compareAndSet(false, true)) {
                start(t, busy);
            }
        }
    }

    private void start(Target t, AtomicBoolean busy) {
        HttpRequest.Builder request = HttpRequest.newBuilder(t.uri()).timeout(timeout).GET()
                .header("User-Agent", "mediawatch-agent");
        apiKeys.apply(t.service().name()).ifPresent(key -> request.header("X-Api-Key", key));
        long started = System.nanoTime();
        try {
            CompletableFuture<HttpResponse<Void>> probe = http.sendAsync(request.build(),
                    HttpResponse.BodyHandlers.discarding());
            BiConsumer<HttpResponse<Void>, Throwable> done = (response, error) -> {
                long ms = (System.nanoTime() - started) / 1_000_000;
                try {
                    finish(t, response, error, ms);
                } finally {
                    busy.set(false);
                }
            };
            // On the client's own threads, asked here rather than at construction: the client may be made on first use.
            Optional<Executor> listenerThreads = http.executor();
            if (listenerThreads.isEmpty()) {
                probe.whenComplete(done);
            } else {
                probe.whenCompleteAsync(done, listenerThreads.get());
            }
        } catch (RuntimeException e) {
            busy.set(false);
            finish(t, null, e, 0);
        }
    }

    private void finish(Target t, HttpResponse<Void> response, Throwable error, long ms) {
        Instant now = clock.instant();
        String url = t.uri().toString();
        int expect = t.service().probe().expectStatus();
        ServiceProbe result;
        if (error == null) {
            boolean up = response.statusCode() == expect;
            result = new ServiceProbe(t.service().name(), url, up, response.statusCode(), ms,
                    up ? null : "status " + response.statusCode() + ", expected " + expect, now);
        } else {
            result = new ServiceProbe(t.service().name(), url, false, null, null, describe(error), now);
        }
        ServiceProbe previous = last.put(t.service().name(), result);
        listener.probed(result, previous);
    }

    /** One line, no stack: what an operator needs to know why a probe failed. */
    static String describe(Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (e instanceof HttpTimeoutException) { // connect or response-headers timeout
            return "timeout";
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException) {
                return "connection refused";
            }
        }
        String message = e.getMessage();
        return Text.printable(e.getClass().getSimpleName() + (message == null ? "" : ": " + message), 120);
    }

    /** The last result of every probed service, sorted by service. */
    public List<ServiceProbe> results() {
        List<ServiceProbe> out = new ArrayList<>(last.values());
        out.sort(Comparator.comparing(ServiceProbe::service));
        return out;
    }

    public int targets() {
        return targets.size();
    }

    /** Starts no more probes (the client is the agent's: it is closed with the agent). */
    @Override
    public void close() {
        closed = true;
    }
}
