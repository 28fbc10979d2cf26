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
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPInputStream;

/**
 * Open-loop HTTP load for {@code scripts/bench/status-load.sh}: {@code GET <path>} at a fixed rate, scheduled by
 * the clock (request i is due at start + i / rate whatever happened to the earlier ones), on a pool of keep-alive
 * connections, each a blocking socket on its own thread (plain HTTP/1.1, no client library in the way). Latency
 * is from the time a request was <em>due</em> to its body's last byte, so time spent waiting for a free connection
 * counts (no coordinated omission); the service time (from the write) and the scheduler's own lag are printed
 * beside it. The first {@code --warmup-seconds} are sent the same way but not counted.
 *
 * <p>Prints {@code @http key=value ...} (counts, latency percentiles in ms, body sizes, errors by kind) and
 * {@code @http-bucket ...} lines (per 10 s of the window) so a spike can be placed in time.
 *
 * <pre>
 * java -cp ... dev.mediawatch.aggregator.bench.StatusHttpLoad --port 8470 --rate 200 --seconds 180 [--gzip]
 * </pre>
 */
public final class StatusHttpLoad {

    private record Req(int index, long due) {
    }

    private final String host;
    private final int port;
    private final String path;
    private final boolean gzip;
    private final int timeoutMs;
    private final byte[] request;
    private final LinkedBlockingQueue<Req> queue = new LinkedBlockingQueue<>();
    private final AtomicLong done = new AtomicLong();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final AtomicLong errIo = new AtomicLong();
    private final AtomicLong errTimeout = new AtomicLong();
    private final AtomicLong errStatus = new AtomicLong();
    private final AtomicLong errEncoding = new AtomicLong();
    private volatile byte[] sample;
    private volatile String sampleEncoding;
    private double clientCpuPct;

    // Per request, by index (written by one worker each, read after all are done).
    private long[] latency;
    private long[] service;
    private long[] lag;
    private long[] bytes;
    private boolean[] ok;

    StatusHttpLoad(String host, int port, String path, boolean gzip, int timeoutMs) {
        this.host = host;
        this.port = port;
        this.path = path;
        this.gzip = gzip;
        this.timeoutMs = timeoutMs;
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: application/json\r\n"
                + (gzip ? "Accept-Encoding: gzip\r\n" : "") + "User-Agent: mediawatch-status-load\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = StatusLoadPublisher.parse(args);
        boolean gzip = a.containsKey("gzip");
        StatusHttpLoad load = new StatusHttpLoad(a.getOrDefault("host", "127.0.0.1"), Integer.parseInt(StatusLoadPublisher.req(a, "port")),
                a.getOrDefault("path", "/api/status"), gzip, Integer.parseInt(a.getOrDefault("timeout-ms", "10000")));
        load.run(a.getOrDefault("label", gzip ? "gzip" : "plain"), Double.parseDouble(a.getOrDefault("rate", "200")),
                Double.parseDouble(a.getOrDefault("seconds", "180")), Double.parseDouble(a.getOrDefault("warmup-seconds", "10")),
                Integer.parseInt(a.getOrDefault("connections", "16")));
    }

    void run(String label, double rate, double seconds, double warmupSeconds, int connections) throws InterruptedException {
        int warm = (int) Math.round(rate * warmupSeconds);
        int total = warm + (int) Math.round(rate * seconds);
        latency = new long[total];
        service = new long[total];
        lag = new long[total];
        bytes = new long[total];
        ok = new boolean[total];
        Thread[] workers = new Thread[connections];
        for (int i = 0; i < connections; i++) {
            workers[i] = new Thread(this::work, "http-load-" + i);
            workers[i].setDaemon(true);
            workers[i].start();
        }
        double step = 1e9 / rate;
        long start = System.nanoTime() + 50_000_000L;
        long startEpochMs = System.currentTimeMillis() + 50;
        long cpu0 = 0;
        long wall0 = 0;
        for (int i = 0; i < total; i++) {
            if (i == warm) {
                cpu0 = processCpuNanos();
                wall0 = System.nanoTime();
            }
            long due = start + (long) (i * step);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            queue.add(new Req(i, due));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs + 5_000L);
        while (done.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        clientCpuPct = 100.0 * (processCpuNanos() - cpu0) / Math.max(1, System.nanoTime() - wall0);
        long windowStart = startEpochMs + (long) (warm * step / 1e6);
        long windowEnd = startEpochMs + (long) (total * step / 1e6);
        report(label, warm, total, windowStart, windowEnd, step);
    }

    private void work() {
        Socket socket = null;
        InputStream in = null;
        OutputStream out = null;
        byte[] buf = new byte[256 * 1024];
        while (true) {
            Req r;
            try {
                r = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            long sent = System.nanoTime();
            lag[r.index()] = sent - r.due();
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.setReceiveBufferSize(1 << 20);
                    socket.connect(new InetSocketAddress(host, port), timeoutMs);
                    socket.setSoTimeout(timeoutMs);
                    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                    out = socket.getOutputStream();
                    connectionsOpened.incrementAndGet();
                }
                out.write(request);
                out.flush();
                Response resp = read(in, buf, sample == null);
                long end = System.nanoTime();
                latency[r.index()] = end - r.due();
                service[r.index()] = end - sent;
                bytes[r.index()] = resp.bodyBytes;
                if (resp.status != 200) {
                    errStatus.incrementAndGet();
                } else if (gzip != "gzip".equalsIgnoreCase(resp.encoding)) {
                    errEncoding.incrementAndGet();
                } else {
                    ok[r.index()] = true;
                    if (sample == null && resp.body != null) {
                        sampleEncoding = resp.encoding;
                        sample = resp.body;
                    }
                }
                if (resp.close) {
                    closeQuietly(socket);
                    socket = null;
                }
            } catch (SocketTimeoutException e) {
                errTimeout.incrementAndGet();
                closeQuietly(socket);
                socket = null;
            } catch (IOException | RuntimeException e) {
                errIo.incrementAndGet();
                closeQuietly(socket);
                socket = null;
            } finally {
                done.incrementAndGet();
            }
        }
    }

    private static final class Response {
        int status;
        long bodyBytes;
        String encoding;
        boolean close;
        byte[] body;
    }

    /** One HTTP/1.1 response: status line, headers, then the body (Content-Length or chunked), read to its end. */
    private static Response read(InputStream in, byte[] buf, boolean keep) throws IOException {
        Response r = new Response();
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("bad status line: " + statusLine);
        }
        r.status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "content-encoding" -> r.encoding = value;
                case "connection" -> r.close = value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        ByteArrayOutputStream copy = keep ? new ByteArrayOutputStream() : null;
        if (chunked) {
            while (true) {
                String sizeLine = line(in);
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    for (String t = line(in); !t.isEmpty(); t = line(in)) {
                        // trailers
                    }
                    break;
                }
                r.bodyBytes += skip(in, buf, size, copy);
                line(in);
            }
        } else if (length >= 0) {
            r.bodyBytes = skip(in, buf, length, copy);
        } else {
            throw new IOException("response without length");
        }
        if (copy != null) {
            r.body = copy.toByteArray();
        }
        return r;
    }

    private static long skip(InputStream in, byte[] buf, long n, ByteArrayOutputStream copy) throws IOException {
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

    private static String line(InputStream in) throws IOException {
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

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void report(String label, int warm, int total, long windowStartMs, long windowEndMs, double step) {
        int n = total - warm;
        long[] lat = new long[n];
        long[] svc = new long[n];
        long[] lg = new long[n];
        long[] sz = new long[n];
        int good = 0;
        for (int i = warm; i < total; i++) {
            lg[i - warm] = lag[i];
            if (ok[i]) {
                lat[good] = latency[i];
                svc[good] = service[i];
                sz[good] = bytes[i];
                good++;
            }
        }
        long notDone = total - done.get();
        long[] l = Arrays.copyOf(lat, good);
        long[] s = Arrays.copyOf(svc, good);
        long[] b = Arrays.copyOf(sz, good);
        Arrays.sort(l);
        Arrays.sort(s);
        Arrays.sort(b);
        Arrays.sort(lg);
        long decoded = -1;
        byte[] smp = sample;
        if (smp != null) {
            try (InputStream z = "gzip".equalsIgnoreCase(sampleEncoding) ? new GZIPInputStream(new ByteArrayInputStream(smp))
                    : new ByteArrayInputStream(smp)) {
                decoded = z.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                decoded = -2;
            }
        }
        System.out.printf(Locale.ROOT,
                "@http label=%s window_start_ms=%d window_end_ms=%d requests=%d ok=%d errors=%d err_io=%d err_timeout=%d"
                        + " err_status=%d err_encoding=%d not_finished=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f"
                        + " max_ms=%.2f mean_ms=%.2f service_p50_ms=%.2f service_p99_ms=%.2f send_lag_p99_ms=%.2f send_lag_max_ms=%.2f"
                        + " bytes_min=%d bytes_median=%d bytes_max=%d decoded_bytes=%d connections_opened=%d client_cpu_pct=%.0f%n",
                label, windowStartMs, windowEndMs, n, good, n - good, errIo.get(), errTimeout.get(), errStatus.get(),
                errEncoding.get(), notDone, ms(pct(l, 0.50)), ms(pct(l, 0.90)), ms(pct(l, 0.99)), ms(pct(l, 0.999)),
                ms(good == 0 ? -1 : l[good - 1]), good == 0 ? -1 : Arrays.stream(l).average().orElse(0) / 1e6,
                ms(pct(s, 0.50)), ms(pct(s, 0.99)), ms(pct(lg, 0.99)), ms(lg.length == 0 ? -1 : lg[lg.length - 1]),
                good == 0 ? -1 : b[0], pct(b, 0.5), good == 0 ? -1 : b[good - 1], decoded, connectionsOpened.get(), clientCpuPct);
        // Per 10 s of the window, by due time.
        int perBucket = (int) Math.round(10e9 / step);
        for (int from = warm, k = 0; from < total; from += perBucket, k++) {
            int to = Math.min(total, from + perBucket);
            long[] bl = new long[to - from];
            int m = 0;
            int errs = 0;
            for (int i = from; i < to; i++) {
                if (ok[i]) {
                    bl[m++] = latency[i];
                } else {
                    errs++;
                }
            }
            long[] sorted = Arrays.copyOf(bl, m);
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "@http-bucket label=%s t_s=%d n=%d errors=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n",
                    label, k * 10, m, errs, ms(pct(sorted, 0.5)), ms(pct(sorted, 0.99)), ms(m == 0 ? -1 : sorted[m - 1]));
        }
        System.out.flush();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
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
