package dev.mediawatch.runtime.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An app's one JDK {@link HttpClient} for all its outbound calls. Every client has a selector thread of its own
 * ({@code HttpClient-N-SelectorManager}) and, unless given one, a cached pool of worker threads; one per app keeps
 * that to one selector and a small fixed pool of named daemon threads ({@code <name>-1}, {@code <name>-2}) that take
 * the client's hand-offs from the selector and its asynchronous exchanges.
 *
 * <p>The client follows no redirect (a caller that wants one follows it itself, deciding where it may go), keeps no
 * cookies (a caller that needs a session keeps its own, so no other caller is ever sent it: a cookie jar is per host,
 * not per port, and would hand one service's session to every other service on the same host) and has a connect
 * timeout; each request still carries its own {@link java.net.http.HttpRequest#timeout() timeout}, which covers the
 * connect as well. Java 17's client has no {@code close()}: {@link #close(HttpClient)} shuts its executor down, after
 * which the selector thread ends once the client is unreachable.
 */
public final class OutboundHttp {

    private OutboundHttp() {
    }

    /**
     * @param threadName     the executor's threads are named {@code threadName-1} ... {@code threadName-threads}
     * @param threads        how many, at least 1
     * @param connectTimeout bounds each connection attempt
     */
    public static HttpClient client(String threadName, int threads, Duration connectTimeout) {
        Objects.requireNonNull(threadName, "threadName");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** Shuts down the executor of a client made by {@link #client}; calls still under way fail. */
    public static void close(HttpClient client) {
        client.executor().ifPresent(e -> {
            if (e instanceof ExecutorService service) {
                service.shutdownNow();
            }
        });
    }
}
