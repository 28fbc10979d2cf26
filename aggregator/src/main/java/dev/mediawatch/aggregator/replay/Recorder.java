package dev.mediawatch.aggregator.replay;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;

import org.jboss.logging.Logger;

import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.contract.Topics;

/**
 * Records every accepted agent message that feeds the detector (availability, state, mounts, io, activity), one JSON
 * line each, so a night's stutter can be replayed ({@link Replay}) and attached to a bug report:
 *
 * <pre>{"at":"2026-12-01T21:03:30.123Z","topic":"mediawatch/streaming-stack/io","payload":{...}}</pre>
 *
 * {@code at} is the aggregator's receive time (its clock when the message was read), {@code topic} as received, and
 * {@code payload} the contract payload as received: the JSON object itself, the availability word as a JSON string,
 * or {@code null} for an empty payload (a retained message deleted). Each detector window adds a line where it read the
 * hosts, between the messages it saw and those it did not, so a replay decides each window on exactly what the live
 * detector read:
 *
 * <pre>{"at":"2026-12-01T21:03:35.002Z","window":"2026-12-01T21:03:35Z"}</pre>
 *
 * Size-bounded: beyond {@code maxBytes} the file
 * is rotated to {@code <file>.1} (and {@code .1} to {@code .2}, ...), {@code keep} rotated files kept. A write that
 * fails is logged at a bounded rate and costs that line, never the ingest. Called on the ingest worker and the
 * detector's thread, in the order {@link dev.mediawatch.aggregator.ingest.Ingest} keeps.
 */
public final class Recorder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Recorder.class);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final Clock clock;
    private final LogThrottle failureLog = new LogThrottle(Duration.ofMinutes(1));
    private OutputStream out;
    private long size;

    /**
     * @param file     the recording; its directory is created when missing
     * @param maxBytes the file is rotated beyond this: at least 4096, as the configuration mapping checks
     *                 {@code mediawatch.recording.max-bytes}
     * @param keep     rotated files kept besides the current one, 0 or more
     * @param clock    the receive time of each line
     */
    public Recorder(Path file, long maxBytes, int keep, Clock clock) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /** One accepted snapshot message. Never throws. */
    public synchronized void record(String topic, Topics.Kind kind, byte[] payload) {
        write(line(clock.instant().toString(), topic, kind, payload));
    }

    /** The detector's window {@code at} read the hosts here. Never throws. */
    public synchronized void window(java.time.Instant at) {
        write(("{\"at\":\"" + clock.instant() + "\",\"window\":\"" + at + "\"}\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void write(byte[] line) {
        try {
            if (out == null) {
                open();
            }
            if (size > 0 && size + line.length > maxBytes) {
                rotate();
            }
            out.write(line);
            out.flush();
            size += line.length;
        } catch (IOException | RuntimeException e) {
            long held = failureLog.tryLog(System.nanoTime());
            if (held >= 0) {
                LOG.warnf("recording to %s failed (%s); that message is not in the recording%s", file,
                        e.getClass().getSimpleName(), held > 0 ? "; " + held + " more since the last such line" : "");
            }
            closeQuietly();
        }
    }

    static byte[] line(String at, String topic, Topics.Kind kind, byte[] payload) {
        StringBuilder head = new StringBuilder(64 + topic.length());
        head.append("{\"at\":\"").append(at).append("\",\"topic\":");
        appendString(head, topic);
        head.append(",\"payload\":");
        byte[] body;
        if (payload == null || payload.length == 0) {
            body = NULL;
        } else if (kind == Topics.Kind.AVAILABILITY) {
            StringBuilder word = new StringBuilder();
            appendString(word, new String(payload, StandardCharsets.UTF_8).strip());
            body = word.toString().getBytes(StandardCharsets.UTF_8);
        } else {
            body = oneLine(payload); // accepted: a JSON object; kept byte for byte but for line breaks
        }
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[h.length + body.length + 2];
        System.arraycopy(h, 0, line, 0, h.length);
        System.arraycopy(body, 0, line, h.length, body.length);
        line[line.length - 2] = '}';
        line[line.length - 1] = '\n';
        return line;
    }

    /** JSON allows line breaks between tokens (never inside strings): they become spaces, one line per record. */
    private static byte[] oneLine(byte[] json) {
        byte[] copy = null;
        for (int i = 0; i < json.length; i++) {
            if (json[i] == '\n' || json[i] == '\r') {
                if (copy == null) {
                    copy = json.clone();
                }
                copy[i] = ' ';
            }
        }
        return copy == null ? json : copy;
    }

    private static void appendString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private void open() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                64 * 1024);
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        closeQuietly();
        for (int i = keep; i >= 1; i--) {
            Path from = i == 1 ? file : rotated(i - 1);
            try {
                Files.move(from, rotated(i), StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException absent) {
                // nothing to shift at this position
            }
        }
        if (keep == 0) {
            Files.deleteIfExists(file);
        }
        open();
    }

    Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // the line is already counted as lost
            }
            out = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
