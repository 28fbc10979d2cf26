package dev.mediawatch.aggregator.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.mediawatch.aggregator.status.StatusService;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/status}: the last built status, schema {@code mediawatch.status} (docs/contract.md), gzip when
 * the client takes it, with an entity tag so a poller that sends {@code If-None-Match} gets {@code 304} until the
 * next build.
 *
 * <p>A plain Vert.x route on the event loop rather than a JAX-RS method, for one reason: JAX-RS hands a
 * {@code byte[]} to Vert.x, which copies it into a new buffer for every response. With a thousand hosts the
 * status is 4.5 MB, so 200 requests a second copied 900 MB/s of short-lived arrays too large for the young
 * generation's regions, and the GC pauses they caused were the p99 (docs/benchmarks.md, fleet load). Here each build's bytes
 * are wrapped once and every response writes the same read-only bytes.
 */
@ApplicationScoped
public class StatusRoute {

    static final String PATH = "/api/status";

    private final StatusService status;
    /** Start time in the tag: a restarted aggregator's build 1 is not the old one's. */
    private final String epoch = Long.toString(System.currentTimeMillis(), 36);
    private volatile Encoded encoded;

    /** One build's bytes, wrapped for writing to any number of responses (Vert.x duplicates per write). */
    private record Encoded(StatusService.Snapshot snapshot, String tag, Buffer json, String gzipTag, Buffer gzip) {
    }

    public StatusRoute(StatusService status) {
        this.status = status;
    }

    void register(@Observes Router router) {
        // Before the JAX-RS handler, which serves every other path.
        router.get(PATH).order(-10).handler(this::serve);
    }

    void serve(RoutingContext ctx) {
        Encoded e = encoded(status.snapshot());
        boolean gzip = acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING));
        String tag = gzip ? e.gzipTag() : e.tag();
        HttpServerResponse response = ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Vary", "Accept-Encoding")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader(HttpHeaders.ETAG, tag);
        if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), tag)) {
            response.setStatusCode(304).end();
            return;
        }
        if (gzip) {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        response.end(gzip ? e.gzip() : e.json());
    }

    private Encoded encoded(StatusService.Snapshot s) {
        Encoded e = encoded;
        if (e == null || e.snapshot() != s) {
            String tag = "\"" + epoch + "-" + s.sequence() + "\"";
            // gzip() was computed on the status thread; here it is only read.
            e = new Encoded(s, tag, wrap(s.json()), "\"" + epoch + "-" + s.sequence() + "-gz\"", wrap(s.gzip()));
            encoded = e; // a race between two event loops costs one more wrap, nothing else
        }
        return e;
    }

    private static Buffer wrap(byte[] bytes) {
        // Unreleasable: each response writes a duplicate, and Netty's release after writing must not free the
        // bytes the next response needs.
        return Buffer.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes)));
    }

    /** {@code gzip} listed in Accept-Encoding and not refused with {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.split(";");
            String coding = p[0].strip();
            if (coding.equalsIgnoreCase("gzip") || coding.equals("*")) {
                for (int i = 1; i < p.length; i++) {
                    String param = p[i].strip().replace(" ", "");
                    if (param.matches("(?i)q=0(\\.0{0,3})?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** If-None-Match holds {@code tag} (or {@code *}); weak tags compare by their opaque part (RFC 9110 8.8.3.2). */
    static boolean matches(String ifNoneMatch, String tag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String t : ifNoneMatch.split(",")) {
            String c = t.strip();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals(tag)) {
                return true;
            }
        }
        return false;
    }
}
