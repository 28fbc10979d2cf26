package dev.mediawatch.aggregator.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Client side of {@code scripts/bench/web.sh}: the aggregator's web page ({@code GET /}) and its live updates
 * ({@code GET /api/status/stream}, server-sent events). Plain HTTP/1.1 on blocking sockets, no client library in the
 * way. A plain {@code main} in the test sources: nothing of it ships.
 *
 * <p>{@code --mode page}: {@code --warmup} then {@code --requests} sequential {@code GET <path>} on one keep-alive
 * connection; per request the time from the write to the response's first byte (the page is rendered whole before
 * its first byte is written, so this is the server's time plus a loopback round trip) and to the body's last byte.
 * Prints {@code @page key=value ...}: percentiles in ms, body bytes, the {@code Content-Encoding} the server chose
 * (with {@code --gzip} the request says {@code Accept-Encoding: gzip}), the decoded size, and what gzip (level 6, as
 * Vert.x compresses) would make of the body.
 *
 * <p>{@code --mode events}: opens the stream once and prints {@code @event name=... wire_bytes=... html_bytes=...
 * gzip_bytes=...} for its first {@code status} and {@code charts} events.
 *
 * <p>{@code --mode live}: {@code --pages} connections on the stream read for {@code --seconds} after all of them had
 * their first {@code status} event and {@code --settle-seconds} more; counted over that window only: events by name
 * and bytes (SSE text, and on the wire with HTTP chunk framing), per page. With {@code --flap-host},
 * {@code --flap-service} and {@code --flap-log} (the {@code @flap <epoch-us> <seq> <state>} lines of
 * {@link StatusLoadPublisher}), every {@code status} event in which that service's {@code data-state} changed is
 * matched to the last flap to that state published before it: the latency from the flap's publish to the page's
 * event. With {@code --cpu name=pid,...} (and {@code --clk-tck}) it reads those processes' CPU time
 * ({@code /proc/<pid>/stat} utime + stime) at the window's start and end, and the machine's ({@code /proc/stat}).
 * {@code --pages 0} measures the same window with no page open. Prints {@code @live key=value ...}.
 *
 * <pre>
 * java -cp ... dev.mediawatch.aggregator.bench.WebPageLoad --mode page --port 8470 --requests 200 --warmup 200
 * java -cp ... dev.mediawatch.aggregator.bench.WebPageLoad --mode live --port 8470 --pages 50 --seconds 120 \
 *     --flap-host streaming-stack --flap-service jellyfin --flap-log flap.out --cpu aggregator=1234 --clk-tck 100
 * </pre>
 */
public final class WebPageLoad {

    private static final String STREAM = "/api/status/stream";
    private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);

    private final String host;
    private final int port;
    private final int timeoutMs;

    WebPageLoad(String host, int port, int timeoutMs) {
        this.host = host;
        this.port = port;
        this.timeoutMs = timeoutMs;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = StatusLoadPublisher.parse(args);
        WebPageLoad w = new WebPageLoad(a.getOrDefault("host", "127.0.0.1"), Integer.parseInt(StatusLoadPublisher.req(a, "port")),
                Integer.parseInt(a.getOrDefault("timeout-ms", "10000")));
        String label = a.getOrDefault("label", "");
        switch (StatusLoadPublisher.req(a, "mode")) {
            case "page" -> w.page(label, a.getOrDefault("path", "/"), a.containsKey("gzip"),
                    Integer.parseInt(a.getOrDefault("warmup", "200")), Integer.parseInt(a.getOrDefault("requests", "200")));
            case "events" -> w.events(label);
            case "live" -> w.live(label, Integer.parseInt(a.getOrDefault("pages", "50")),
                    Double.parseDouble(a.getOrDefault("seconds", "120")), Double.parseDouble(a.getOrDefault("settle-seconds", "5")),
                    a.get("flap-host"), a.get("flap-service"), a.get("flap-log"), a.getOrDefault("cpu", ""),
                    Integer.parseInt(a.getOrDefault("clk-tck", "100")));
            default -> throw new IllegalArgumentException("--mode page|events|live");
        }
        System.out.flush();
    }

    // --- GET / ------------------------------------------------------------------------------------------------

    private void page(String label, String path, boolean gzip, int warmup, int requests) throws IOException {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: text/html\r\n"
                + (gzip ? "Accept-Encoding: gzip\r\n" : "") + "User-Agent: mediawatch-web-bench\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long[] first = new long[requests];
        long[] last = new long[requests];
        long[] size = new long[requests];
        int bad = 0;
        int reconnects = 0;
        String encoding = null;
        byte[] sample = null;
        Socket socket = null;
        InputStream in = null;
        OutputStream out = null;
        try {
            for (int i = 0; i < warmup + requests; i++) {
                if (socket == null) {
                    socket = connect();
                    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                    out = socket.getOutputStream();
                    reconnects++;
                }
                boolean keep = i == warmup + requests - 1;
                long t0 = System.nanoTime();
                out.write(request);
                out.flush();
                Response r = Response.read(in, keep);
                long t2 = System.nanoTime();
                if (i >= warmup) {
                    int k = i - warmup;
                    first[k] = r.firstByteNanos - t0;
                    last[k] = t2 - t0;
                    size[k] = r.bodyBytes;
                }
                if (r.status != 200) {
                    bad++;
                }
                if (keep) {
                    encoding = r.encoding;
                    sample = r.body;
                }
                if (r.close) {
                    socket.close();
                    socket = null;
                }
            }
        } finally {
            if (socket != null) {
                socket.close();
            }
        }
        byte[] decoded = "gzip".equalsIgnoreCase(encoding) ? gunzip(sample) : sample;
        Arrays.sort(first);
        Arrays.sort(last);
        Arrays.sort(size);
        System.out.printf(Locale.ROOT,
                "@page label=%s path=%s accept_gzip=%s requests=%d non_200=%d connections=%d encoding=%s bytes_min=%d"
                        + " bytes_median=%d bytes_max=%d decoded_bytes=%d gzip6_bytes=%d ttfb_p50_ms=%.2f ttfb_p99_ms=%.2f"
                        + " ttlb_p50_ms=%.2f ttlb_p90_ms=%.2f ttlb_p99_ms=%.2f ttlb_max_ms=%.2f%n",
                label, path, gzip, requests, bad, reconnects, encoding == null ? "identity" : encoding, size[0], pct(size, 0.5),
                size[requests - 1], decoded.length, gzip(decoded), ms(pct(first, 0.5)), ms(pct(first, 0.99)),
                ms(pct(last, 0.5)), ms(pct(last, 0.9)), ms(pct(last, 0.99)), ms(last[requests - 1]));
    }

    // --- the stream's first events ----------------------------------------------------------------------------

    private void events(String label) throws IOException, InterruptedException {
        Page p = new Page(0, null, null);
        CountDownLatch both = new CountDownLatch(1);
        p.onEvent = (name, wire, data) -> {
            if (("status".equals(name) || "charts".equals(name)) && !p.firstSeen.containsKey(name)) {
                byte[] html = data.getBytes(StandardCharsets.UTF_8);
                p.firstSeen.put(name, String.format(Locale.ROOT, "@event label=%s name=%s wire_bytes=%d html_bytes=%d gzip6_bytes=%d",
                        label, name, wire, html.length, gzip(html)));
                if (p.firstSeen.size() == 2) {
                    both.countDown();
                }
            }
        };
        Thread t = new Thread(p, "sse-events");
        t.setDaemon(true);
        t.start();
        boolean ok = both.await(timeoutMs, TimeUnit.MILLISECONDS);
        p.close();
        p.firstSeen.values().forEach(System.out::println);
        if (!ok) {
            throw new IllegalStateException("the stream sent no status and charts event within " + timeoutMs + " ms"
                    + (p.failure == null ? "" : ": " + p.failure));
        }
    }

    // --- many pages on live updates ---------------------------------------------------------------------------

    private void live(String label, int pages, double seconds, double settleSeconds, String flapHost, String flapService,
            String flapLog, String cpu, int clkTck) throws Exception {
        Pattern flapRow = flapHost == null ? null
                : Pattern.compile("data-service=\"" + Pattern.quote(flapService) + "\" data-state=\"([^\"]*)\"");
        String hostMark = flapHost == null ? null : "data-host=\"" + flapHost + "\"";
        List<Page> open = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(pages);
        for (int i = 0; i < pages; i++) {
            Page p = new Page(i, hostMark, flapRow);
            p.ready = ready;
            open.add(p);
            Thread t = new Thread(p, "sse-" + i);
            t.setDaemon(true);
            t.start();
        }
        if (!ready.await(timeoutMs, TimeUnit.MILLISECONDS)) {
            long refused = open.stream().filter(p -> p.refused).count();
            throw new IllegalStateException((pages - ready.getCount()) + " of " + pages + " pages had their first status event ("
                    + refused + " refused)");
        }
        Thread.sleep((long) (settleSeconds * 1000));
        Map<String, long[]> cpu0 = cpuTicks(cpu);
        long[] machine0 = machineTicks();
        long self0 = selfCpuNanos();
        long t0 = System.nanoTime();
        long epoch0 = System.currentTimeMillis();
        for (Page p : open) {
            p.mark();
        }
        Thread.sleep((long) (seconds * 1000));
        long t1 = System.nanoTime();
        long epoch1 = System.currentTimeMillis();
        Map<String, long[]> cpu1 = cpuTicks(cpu);
        long[] machine1 = machineTicks();
        long self1 = selfCpuNanos();
        List<Page.Counts> counts = new ArrayList<>();
        for (Page p : open) {
            counts.add(p.counts());
        }
        for (Page p : open) {
            p.close();
        }
        double secs = (t1 - t0) / 1e9;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "@live label=%s pages=%d window_s=%.1f window_start_ms=%d window_end_ms=%d", label,
                pages, secs, epoch0, epoch1));
        for (Map.Entry<String, long[]> e : cpu0.entrySet()) {
            long[] b = cpu1.get(e.getKey());
            boolean same = b != null && e.getValue()[1] >= 0 && b[1] == e.getValue()[1];
            out.append(String.format(Locale.ROOT, " cpu_%s_pct=%s", e.getKey(),
                    same ? String.format(Locale.ROOT, "%.1f", (b[0] - e.getValue()[0]) * 100.0 / clkTck / secs) : "n/a"));
        }
        out.append(String.format(Locale.ROOT, " cpu_clients_pct=%.1f machine_busy_pct=%.1f cores=%d",
                (self1 - self0) / 1e7 / secs, 100.0 * (machine1[0] - machine0[0]) / Math.max(1, machine1[1] - machine0[1]),
                Runtime.getRuntime().availableProcessors()));
        if (pages > 0) {
            long alive = open.stream().filter(p -> p.failure == null).count();
            out.append(" pages_alive_at_end=").append(alive);
            for (String name : List.of("status", "charts", "ping")) {
                double[] perPage = counts.stream().mapToDouble(c -> c.events().getOrDefault(name, 0L) / secs).sorted().toArray();
                out.append(String.format(Locale.ROOT, " %s_per_s_mean=%.3f %s_per_s_min=%.3f %s_per_s_max=%.3f", name,
                        mean(perPage), name, perPage[0], name, perPage[perPage.length - 1]));
                double[] bytes = counts.stream().mapToDouble(c -> c.eventBytes().getOrDefault(name, 0L) / secs).toArray();
                out.append(String.format(Locale.ROOT, " %s_bytes_per_s_mean=%.0f", name, mean(bytes)));
                long n = counts.stream().mapToLong(c -> c.events().getOrDefault(name, 0L)).sum();
                long b = counts.stream().mapToLong(c -> c.eventBytes().getOrDefault(name, 0L)).sum();
                out.append(String.format(Locale.ROOT, " %s_bytes_mean=%d", name, n == 0 ? 0 : b / n));
            }
            out.append(String.format(Locale.ROOT, " sse_bytes_per_s_mean=%.0f wire_bytes_per_s_mean=%.0f",
                    mean(counts.stream().mapToDouble(c -> c.sseBytes() / secs).toArray()),
                    mean(counts.stream().mapToDouble(c -> c.wireBytes() / secs).toArray())));
            String failures = open.stream().filter(p -> p.failure != null).map(p -> p.failure).distinct().limit(3)
                    .reduce((x, y) -> x + "; " + y).orElse("");
            if (!failures.isEmpty()) {
                out.append(" failures=\"").append(failures.replace('"', '\'')).append('"');
            }
        }
        if (flapLog != null && pages > 0) {
            out.append(' ').append(flapLatency(open, Path.of(flapLog), epoch0 * 1000, epoch1 * 1000));
        }
        System.out.println(out);
    }

    /** Latency of each seen change of the flapping service's state, from the flap's publish; within the window. */
    private static String flapLatency(List<Page> pages, Path log, long fromUs, long toUs) throws IOException {
        List<long[]> flaps = new ArrayList<>(); // {epoch us, 1 running / 0 other}
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split(" ");
            if (f.length == 4 && f[0].equals("@flap")) {
                flaps.add(new long[] { Long.parseLong(f[1]), "running".equals(f[3]) ? 1 : 0 });
            }
        }
        long flapsInWindow = flaps.stream().filter(f -> f[0] >= fromUs && f[0] < toUs).count();
        List<Long> latencies = new ArrayList<>();
        long unmatched = 0;
        long seen = 0;
        for (Page p : pages) {
            for (long[] change : p.changes()) {
                if (change[0] < fromUs || change[0] >= toUs) {
                    continue;
                }
                seen++;
                long best = -1;
                for (long[] f : flaps) {
                    if (f[0] <= change[0] && f[1] == change[1]) {
                        best = f[0];
                    }
                }
                if (best < 0) {
                    unmatched++;
                } else {
                    latencies.add(change[0] - best);
                }
            }
        }
        long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT,
                "flaps_in_window=%d changes_seen_per_page=%.1f unmatched=%d flap_latency_p50_ms=%.1f flap_latency_p90_ms=%.1f"
                        + " flap_latency_p99_ms=%.1f flap_latency_max_ms=%.1f",
                flapsInWindow, pages.isEmpty() ? 0 : (double) seen / pages.size(), unmatched, pct(l, 0.5) / 1e3,
                pct(l, 0.9) / 1e3, pct(l, 0.99) / 1e3, l.length == 0 ? -1 : l[l.length - 1] / 1e3);
    }

    interface EventSink {
        void event(String name, long wireBytes, String data);
    }

    /** One page on live updates: a thread reading the stream, counting, and noting the flapping service's changes. */
    private final class Page implements Runnable {
        private final int index;
        private final String hostMark;
        private final Pattern flapRow;
        private final Map<String, String> firstSeen = new TreeMap<>();
        EventSink onEvent;
        CountDownLatch ready;
        volatile boolean refused;
        volatile String failure;
        private volatile Socket socket;
        // Written by the page's thread; read under the lock.
        private final Map<String, Long> events = new TreeMap<>();
        private final Map<String, Long> eventBytes = new TreeMap<>();
        private final AtomicLong wire = new AtomicLong();
        private long sse;
        private final List<long[]> changes = new ArrayList<>();
        private String lastState;
        private Counts base = new Counts(Map.of(), Map.of(), 0, 0);

        Page(int index, String hostMark, Pattern flapRow) {
            this.index = index;
            this.hostMark = hostMark;
            this.flapRow = flapRow;
        }

        record Counts(Map<String, Long> events, Map<String, Long> eventBytes, long sseBytes, long wireBytes) {
        }

        synchronized Counts counts() {
            Map<String, Long> e = new TreeMap<>();
            Map<String, Long> b = new TreeMap<>();
            events.forEach((k, v) -> e.put(k, v - base.events().getOrDefault(k, 0L)));
            eventBytes.forEach((k, v) -> b.put(k, v - base.eventBytes().getOrDefault(k, 0L)));
            return new Counts(e, b, sse - base.sseBytes(), wire.get() - base.wireBytes());
        }

        synchronized void mark() {
            base = new Counts(new TreeMap<>(events), new TreeMap<>(eventBytes), sse, wire.get());
        }

        synchronized List<long[]> changes() {
            return List.copyOf(changes);
        }

        void close() {
            Socket s = socket;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        @Override
        public void run() {
            try (Socket s = connect()) {
                socket = s;
                s.setSoTimeout(0); // pings come every 15 s; the window ends by closing the socket
                OutputStream out = s.getOutputStream();
                out.write(("GET " + STREAM + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: text/event-stream\r\n"
                        + "User-Agent: mediawatch-web-bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = new CountingStream(new BufferedInputStream(s.getInputStream(), 64 * 1024), wire);
                Response head = Response.head(in);
                if (head.status != 200) {
                    refused = head.status == 503;
                    throw new IOException("status " + head.status);
                }
                if (!head.chunked) {
                    throw new IOException("the stream is not chunked");
                }
                readEvents(in);
            } catch (IOException | RuntimeException e) {
                if (failure == null && !(e instanceof java.net.SocketException && socket != null && socket.isClosed())) {
                    failure = "page " + index + ": " + e;
                }
            }
        }

        /**
         * Reads the chunked stream in bulk and cuts it into events (blocks ended by a blank line), without decoding
         * what it does not look at: 50 pages of a 100-VM status must not cost the client more than the server.
         */
        private void readEvents(InputStream in) throws IOException {
            byte[] buf = new byte[64 * 1024];
            int len = 0;
            int scan = 1;
            while (true) {
                int size = Integer.parseInt(Response.line(in).split(";", 2)[0].trim(), 16);
                if (size == 0) {
                    throw new EOFException("the stream ended");
                }
                if (len + size > buf.length) {
                    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + size));
                }
                if (in.readNBytes(buf, len, size) < size) {
                    throw new EOFException("the stream ended in a chunk");
                }
                len += size;
                Response.line(in); // the chunk's CRLF
                int start = 0;
                for (int i = Math.max(scan, 1); i < len; i++) {
                    if (buf[i] == '\n' && buf[i - 1] == '\n' && i - 1 >= start) {
                        block(buf, start, i + 1);
                        start = i + 1;
                        i = start;
                    }
                }
                System.arraycopy(buf, start, buf, 0, len - start);
                len -= start;
                scan = Math.max(len, 1);
            }
        }

        /** One event, {@code buf[from, to)}: {@code event: <name>} and {@code data: ...} lines, then a blank line. */
        private void block(byte[] buf, int from, int to) {
            String name = null;
            if (startsWith(buf, from, EVENT)) {
                int nl = from;
                while (buf[nl] != '\n') {
                    nl++;
                }
                name = new String(buf, from + EVENT.length, nl - from - EVENT.length, StandardCharsets.US_ASCII).strip();
            }
            if (name == null) {
                return; // "retry: 3000" and comments
            }
            Instant at = Instant.now();
            if (onEvent != null) {
                StringBuilder data = new StringBuilder();
                for (String l : new String(buf, from, to - from, StandardCharsets.UTF_8).split("\n")) {
                    if (l.startsWith("data:")) {
                        data.append(data.length() > 0 ? "\n" : "").append(l.startsWith("data: ") ? l.substring(6) : l.substring(5));
                    }
                }
                onEvent.event(name, to - from, data.toString());
            }
            String state = "status".equals(name) && flapRow != null
                    ? flapState(new String(buf, from, to - from, StandardCharsets.ISO_8859_1)) : null;
            synchronized (this) {
                events.merge(name, 1L, Long::sum);
                eventBytes.merge(name, (long) (to - from), Long::sum);
                sse += to - from;
                if (state != null) {
                    if (lastState != null && !state.equals(lastState)) {
                        changes.add(new long[] { at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000, "running".equals(state) ? 1 : 0 });
                    }
                    lastState = state;
                }
            }
            if ("status".equals(name) && ready != null) {
                CountDownLatch r = ready;
                ready = null;
                r.countDown();
            }
        }

        private static boolean startsWith(byte[] buf, int from, byte[] prefix) {
            if (buf.length - from < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (buf[from + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        /** The flapping service's {@code data-state} in its host's part of the status, or null when absent. */
        private String flapState(String html) {
            int at = html.indexOf(hostMark);
            if (at < 0) {
                return null;
            }
            int end = html.indexOf("<details", at + hostMark.length());
            Matcher m = flapRow.matcher(html).region(at, end < 0 ? html.length() : end);
            return m.find() ? m.group(1) : null;
        }
    }

    /** Counts every byte read from the connection, HTTP framing included. */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        private final AtomicLong count;

        CountingStream(InputStream in, AtomicLong count) {
            this.in = in;
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            if (c >= 0) {
                count.incrementAndGet();
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), timeoutMs);
        s.setSoTimeout(timeoutMs);
        return s;
    }

    /** One HTTP/1.1 response's head, and for {@link #read} its body (Content-Length or chunked). */
    private static final class Response {
        int status;
        String encoding;
        boolean close;
        boolean chunked;
        long length = -1;
        long firstByteNanos;
        long bodyBytes;
        byte[] body;

        static Response head(InputStream in) throws IOException {
            Response r = new Response();
            int c = in.read();
            r.firstByteNanos = System.nanoTime();
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            String statusLine = (char) c + line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("bad status line: " + statusLine);
            }
            r.status = Integer.parseInt(parts[1]);
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String value = h.substring(colon + 1).trim();
                switch (h.substring(0, colon).trim().toLowerCase(Locale.ROOT)) {
                    case "content-length" -> r.length = Long.parseLong(value);
                    case "transfer-encoding" -> r.chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "content-encoding" -> r.encoding = value;
                    case "connection" -> r.close = value.equalsIgnoreCase("close");
                    default -> {
                    }
                }
            }
            return r;
        }

        static Response read(InputStream in, boolean keep) throws IOException {
            Response r = head(in);
            ByteArrayOutputStream copy = keep ? new ByteArrayOutputStream() : null;
            if (r.chunked) {
                while (true) {
                    long size = Long.parseLong(line(in).split(";", 2)[0].trim(), 16);
                    if (size == 0) {
                        for (String t = line(in); !t.isEmpty(); t = line(in)) {
                            // trailers
                        }
                        break;
                    }
                    r.bodyBytes += body(in, size, copy);
                    line(in);
                }
            } else if (r.length >= 0) {
                r.bodyBytes = body(in, r.length, copy);
            } else {
                throw new IOException("response without length");
            }
            r.body = copy == null ? null : copy.toByteArray();
            return r;
        }

        private static long body(InputStream in, long n, ByteArrayOutputStream copy) throws IOException {
            byte[] buf = new byte[64 * 1024];
            long left = n;
            while (left > 0) {
                int got = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (got < 0) {
                    throw new EOFException("body ended " + left + " bytes early");
                }
                if (copy != null) {
                    copy.write(buf, 0, got);
                }
                left -= got;
            }
            return n;
        }

        static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    int len = sb.length();
                    if (len > 0 && sb.charAt(len - 1) == '\r') {
                        sb.setLength(len - 1);
                    }
                    return sb.toString();
                }
                sb.append((char) c);
                if (sb.length() > 16 * 1024) {
                    throw new IOException("header line too long");
                }
            }
            throw new EOFException("connection closed");
        }
    }

    // --- CPU ----------------------------------------------------------------------------------------------------

    /** name -> {utime + stime in ticks, start time in ticks} for each {@code name=pid} (a pid gone reads as absent). */
    private static Map<String, long[]> cpuTicks(String spec) {
        Map<String, long[]> out = new TreeMap<>();
        for (String item : spec.split(",")) {
            String[] kv = item.split("=", 2);
            if (kv.length != 2 || kv[1].isBlank()) {
                continue;
            }
            try {
                // /proc/<pid>/stat: "pid (comm) state ..." with utime, stime the 14th and 15th fields and starttime the
                // 22nd (proc(5)); comm may hold spaces, so count from the last ')'.
                String stat = Files.readString(Path.of("/proc", kv[1].trim(), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.put(kv[0], new long[] { Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[19]) });
            } catch (IOException | RuntimeException e) {
                out.put(kv[0], new long[] { 0, -1 });
            }
        }
        return out;
    }

    /** The machine's {busy, total} ticks over all cores from /proc/stat's {@code cpu} line (proc(5)). */
    private static long[] machineTicks() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long user = Long.parseLong(f[1]), nice = Long.parseLong(f[2]), system = Long.parseLong(f[3]);
                long idle = Long.parseLong(f[4]), iowait = Long.parseLong(f[5]), irq = Long.parseLong(f[6]);
                long softirq = Long.parseLong(f[7]), steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                long busy = user + nice + system + irq + softirq + steal;
                return new long[] { busy, busy + idle + iowait };
            }
        }
        return new long[] { 0, 1 };
    }

    private static long selfCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    // --- figures ------------------------------------------------------------------------------------------------

    private static long gzip(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // in memory: cannot happen
        }
        return b.size();
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return z.readAllBytes();
        }
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    /** The value at quantile q (nearest rank), or -1 when empty. */
    private static long pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private static double ms(long nanos) {
        return nanos < 0 ? -1 : nanos / 1e6;
    }
}
