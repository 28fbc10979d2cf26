package dev.mediawatch.aggregator.incidents;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mediawatch.contract.ContentionWindow;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.contract.SignalValue;
import dev.mediawatch.contract.Text;
import dev.mediawatch.runtime.store.AtomicFile;

/**
 * The detector's windows of each incident, from {@link #BEFORE_RAISE} before its raise to its clear, one file per
 * incident in a directory beside the journal ({@code <journal>.windows/<incident id>.json}); part of
 * {@link IncidentStore}, which says when an incident is pruned. Decision 0008 says why.
 *
 * <p>A file is written whole with {@link AtomicFile} (new file, forced, renamed over the old, directory forced), so a
 * crash leaves the previous version or the new one: at the raise (with the windows before it), then once a window
 * is at least {@link #WRITE_EVERY} newer than the last write while the incident is open, at the clear, and at a
 * graceful stop. A {@code kill -9} loses at most the last minute of an open incident's windows. The content is one
 * journal line ({@link JournalCodec#line(byte[])}: CRC, length, JSON), so a damaged file is told from a whole one.
 *
 * <p>Bounds: at most {@value #MAX_WINDOWS} windows per incident (when full, each pair becomes the window of the two
 * with the higher score and each window kept from then on stands for twice as many, so a long incident keeps its
 * shape at an even resolution); at most {@value ContentionWindow#MAX_SIGNALS} signals per window; windows only for the
 * newest {@value #MAX_INCIDENTS} incidents (by raise), older ones keep their record without windows. A signal is a key
 * into the file's own table, a value, a threshold and a bit; measured, a window is about 300 bytes with the 8 signals
 * of two hosts and 650 bytes with 16 signals of full double precision, so a file is at most about 470 KB, the
 * directory stays under about 47 MB, and the write a minute of an open incident (with its fsync) takes about 10 ms
 * on the detector's thread.
 *
 * <p>A file that cannot be read (damaged, not ours) is reported in {@link #health()}, logged at most once a minute,
 * and skipped: its incident answers without windows. It never stops the store from opening.
 */
final class IncidentWindows {

    /** Windows kept before an incident's raise. */
    static final Duration BEFORE_RAISE = Duration.ofMinutes(5);
    /** An open incident's windows are written at least this often (in window time). */
    static final Duration WRITE_EVERY = Duration.ofMinutes(1);
    /** The most windows kept per incident: an hour of 5 s windows. */
    static final int MAX_WINDOWS = 720;
    /** Incidents that keep their windows: the newest by raise. */
    static final int MAX_INCIDENTS = 100;
    /** A windows file larger than this is not read: 720 windows of 16 signals are about 470 KB. */
    static final long MAX_FILE_BYTES = 8L * 1024 * 1024;
    static final String SCHEMA = "mediawatch.incident-windows";
    static final int VERSION = 1;
    private static final String SUFFIX = ".json";
    /** What an incident id must look like to name a file: {@code <alert>-<yyyyMMdd'T'HHmmss'Z'>}, nothing else. */
    private static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");

    private static final Logger LOG = Logger.getLogger(IncidentWindows.class);

    /** One file, as written. */
    @JsonPropertyOrder({ "schema", "version", "incident", "stride", "keys", "windows" })
    record Stored(String schema, int version, String incident, int stride, List<StoredKey> keys, List<Row> windows) {
    }

    /** A signal's identity, listed once per file. */
    @JsonPropertyOrder({ "name", "side", "host", "unit" })
    record StoredKey(String name, String side, String host, String unit) {
    }

    /**
     * One window; its signals as parallel arrays: {@code k} the key's index in the file's table, {@code v} the value,
     * {@code t} the threshold, and bit {@code i} of {@code c} set when signal {@code i} was crossed.
     */
    @JsonPropertyOrder({ "at", "score", "pressure", "degradation", "state", "watching", "stutter", "degraded", "k", "v",
            "t", "c" })
    record Row(Instant at, int score, int pressure, int degradation, String state, boolean watching, boolean stutter,
            boolean degraded, int[] k, double[] v, double[] t, int c) {
    }

    /** An incident's windows as kept: oldest first, each standing for {@code stride} detector windows. */
    record Kept(List<ContentionWindow> windows, int stride) {
    }

    /**
     * An open incident's windows, thinned to at most {@link #MAX_WINDOWS}: full, each pair becomes its higher-score
     * window and the stride doubles; new windows are then taken as groups of {@code stride}, the group's highest score
     * kept (the group in progress shows as the last window).
     */
    static final class Thinned {
        private final int max;
        private final List<ContentionWindow> kept = new ArrayList<>();
        private int stride = 1;
        private ContentionWindow pending;
        private int pendingCount;

        Thinned(int max) {
            if (max < 2) {
                throw new IllegalArgumentException("max must be at least 2, was " + max);
            }
            this.max = max;
        }

        void add(ContentionWindow w) {
            if (pendingCount == 0 && kept.size() >= max) {
                List<ContentionWindow> halved = new ArrayList<>(max / 2 + 1);
                for (int i = 0; i < kept.size(); i += 2) {
                    halved.add(i + 1 < kept.size() ? higher(kept.get(i), kept.get(i + 1)) : kept.get(i));
                }
                kept.clear();
                kept.addAll(halved);
                stride *= 2;
            }
            pending = pending == null ? w : higher(pending, w);
            if (++pendingCount == stride) {
                kept.add(pending);
                pending = null;
                pendingCount = 0;
            }
        }

        /** The higher score; the earlier of two equal ones. */
        private static ContentionWindow higher(ContentionWindow a, ContentionWindow b) {
            return b.score() > a.score() ? b : a;
        }

        List<ContentionWindow> windows() {
            List<ContentionWindow> out = new ArrayList<>(kept.size() + 1);
            out.addAll(kept);
            if (pending != null) {
                out.add(pending);
            }
            return out;
        }

        int stride() {
            return stride;
        }
    }

    /** An open incident. */
    private static final class Open {
        final String id;
        final Thinned windows = new Thinned(MAX_WINDOWS);
        Instant newest;
        Instant lastWrite;
        boolean dirty;

        Open(String id) {
            this.id = id;
        }
    }

    private record Key(Instant raisedAt, String id) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = raisedAt.compareTo(o.raisedAt);
            return c != 0 ? c : id.compareTo(o.id);
        }
    }

    private final Path dir;
    private final ObjectMapper json = ContractJson.mapper().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final LogThrottle log = new LogThrottle(Duration.ofMinutes(1));

    // Guarded by "this".
    private final Map<String, Open> open = new LinkedHashMap<>();
    /** Incidents with windows (a file, or open), newest last; at most MAX_INCIDENTS. */
    private final TreeMap<Key, String> kept = new TreeMap<>();
    private final Map<String, Key> keyOf = new HashMap<>();
    /** Files found unreadable, and why, by id; only ids in {@link #kept}. */
    private final Map<String, String> unreadable = new TreeMap<>();
    private String writeProblem;
    private boolean closed;
    private volatile String health = "ok";

    IncidentWindows(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    Path dir() {
        return dir;
    }

    /**
     * Takes stock of the directory against the incidents the journal holds (id to raise): files of incidents it no
     * longer holds and leftover {@code .tmp} files are removed, files beyond the newest {@value #MAX_INCIDENTS}
     * too, and every file's frame (length, CRC) is checked, a damaged one reported. Only after the journal was read
     * whole: files are never removed on the word of a journal that could not be read.
     */
    synchronized void sync(Map<String, Instant> incidents) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(SUFFIX + ".tmp")) {
                    Files.deleteIfExists(f);
                    continue;
                }
                if (!name.endsWith(SUFFIX)) {
                    continue;
                }
                String id = name.substring(0, name.length() - SUFFIX.length());
                Instant raised = FILE_ID.matcher(id).matches() ? incidents.get(id) : null;
                if (raised == null) {
                    if (FILE_ID.matcher(id).matches() && !open.containsKey(id)) {
                        Files.deleteIfExists(f); // its incident was pruned while we were not running
                    }
                    continue;
                }
                index(id, raised);
                check(id, f);
            }
        } catch (IOException | RuntimeException e) {
            problem("cannot list " + dir + ": " + IncidentStore.describe(e), null);
        }
        bound();
        updateHealth();
    }

    /** The incident was raised: its windows from {@code first} on (those before the raise and the raise's own). */
    synchronized void start(String id, Instant raisedAt, List<ContentionWindow> first) {
        if (closed || !FILE_ID.matcher(id).matches() || open.containsKey(id)) {
            return;
        }
        Open o = new Open(id);
        for (ContentionWindow w : first) {
            take(o, w);
        }
        open.put(id, o);
        unreadable.remove(id);
        index(id, raisedAt);
        bound();
        if (open.containsKey(id)) {
            write(o, o.newest);
        }
        updateHealth();
    }

    /** One more window of an open incident; written when the last write is {@link #WRITE_EVERY} older. */
    synchronized void add(String id, ContentionWindow w) {
        Open o = closed ? null : open.get(id);
        if (o == null || !take(o, w)) {
            return;
        }
        if (o.lastWrite == null || !w.at().isBefore(o.lastWrite.plus(WRITE_EVERY))) {
            write(o, w.at());
            updateHealth();
        }
    }

    /** The incident cleared: its windows are written a last time and no more are taken. */
    synchronized void end(String id) {
        Open o = closed ? null : open.remove(id);
        if (o != null && o.dirty) {
            write(o, o.newest);
            updateHealth();
        }
    }

    /** The incident was pruned: its windows go too. */
    synchronized void forget(String id) {
        open.remove(id);
        unreadable.remove(id);
        Key k = keyOf.remove(id);
        if (k != null) {
            kept.remove(k);
        }
        if (FILE_ID.matcher(id).matches()) {
            delete(id);
        }
        updateHealth();
    }

    /** Writes every open incident's windows (a graceful stop); nothing more is taken after. */
    synchronized void close() {
        for (Open o : open.values()) {
            if (o.dirty) {
                write(o, o.newest);
            }
        }
        open.clear();
        closed = true;
        updateHealth();
    }

    /**
     * The windows kept for an incident, oldest first; empty when there are none (unknown, beyond the newest
     * {@value #MAX_INCIDENTS}, or unreadable). An open incident's come from memory, a closed one's from its file, read
     * without holding the lock the detector's writes take.
     */
    Optional<Kept> read(String id) {
        if (id == null || !FILE_ID.matcher(id).matches()) {
            return Optional.empty();
        }
        synchronized (this) {
            Open o = open.get(id);
            if (o != null) {
                List<ContentionWindow> ws = o.windows.windows();
                return ws.isEmpty() ? Optional.empty() : Optional.of(new Kept(ws, o.windows.stride()));
            }
            if (unreadable.containsKey(id)) {
                return Optional.empty();
            }
        }
        Path f = file(id);
        try {
            Optional<byte[]> bytes = AtomicFile.read(f, MAX_FILE_BYTES);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            Kept k = decode(id, bytes.get());
            return k.windows().isEmpty() ? Optional.empty() : Optional.of(k);
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (keyOf.containsKey(id)) {
                    unreadable.put(id, reason(e));
                }
                problem(f + " is unreadable (" + reason(e) + "); skipped", null);
                updateHealth();
            }
            return Optional.empty();
        }
    }

    /** {@code ok}, or one line on what failed: files that could not be written or read. */
    String health() {
        return health;
    }

    // ---- memory ----

    /** Takes a window newer than the last one taken (at most 16 signals of it); false when it is not newer. */
    private static boolean take(Open o, ContentionWindow w) {
        if (o.newest != null && !w.at().isAfter(o.newest)) {
            return false;
        }
        o.windows.add(w.withTopSignals(ContentionWindow.MAX_SIGNALS));
        o.newest = w.at();
        o.dirty = true;
        return true;
    }

    private void index(String id, Instant raisedAt) {
        if (keyOf.containsKey(id)) {
            return;
        }
        Key k = new Key(raisedAt, id);
        keyOf.put(id, k);
        kept.put(k, id);
    }

    /** Only the newest MAX_INCIDENTS keep windows. */
    private void bound() {
        while (kept.size() > MAX_INCIDENTS) {
            String oldest = kept.pollFirstEntry().getValue();
            keyOf.remove(oldest);
            open.remove(oldest);
            unreadable.remove(oldest);
            delete(oldest);
        }
    }

    // ---- disk ----

    private Path file(String id) {
        return dir.resolve(id + SUFFIX);
    }

    private void write(Open o, Instant at) {
        o.lastWrite = at;
        Path f = file(o.id);
        try {
            AtomicFile.write(f, JournalCodec.line(json.writeValueAsBytes(encode(o.id, o.windows))));
            o.dirty = false;
            if (writeProblem != null) {
                LOG.infof("incident windows %s: written again", dir);
            }
            writeProblem = null;
        } catch (IOException | RuntimeException e) {
            // Kept in memory and tried again a minute later (or at the clear).
            problem("cannot write " + f + ": " + IncidentStore.describe(e), "write");
        }
    }

    private void delete(String id) {
        Path f = file(id);
        try {
            Files.deleteIfExists(f);
            Files.deleteIfExists(f.resolveSibling(f.getFileName() + ".tmp"));
        } catch (IOException e) {
            problem("cannot remove " + f + ": " + IncidentStore.describe(e), null);
        }
    }

    /** Checks a file's frame without decoding it: a damaged one is reported now rather than when it is asked for. */
    private void check(String id, Path f) {
        try {
            Optional<byte[]> bytes = AtomicFile.read(f, MAX_FILE_BYTES);
            if (bytes.isPresent()) {
                JournalCodec.unframe(bytes.get());
            }
        } catch (NoSuchFileException gone) {
            // removed meanwhile: nothing to check
        } catch (IOException | RuntimeException e) {
            unreadable.put(id, reason(e));
            problem(f + " is unreadable (" + reason(e) + "); skipped", null);
        }
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : Text.printable(e.getMessage().lines().findFirst().orElse(""), 160);
    }

    /** Logs at most once a minute; a write problem stays in {@link #health()} until a write works. */
    private void problem(String line, String kind) {
        if ("write".equals(kind)) {
            writeProblem = line;
        }
        long held = log.tryLog(System.nanoTime());
        if (held >= 0) {
            LOG.warnf("incident windows: %s%s", line, held > 0 ? " (" + held + " more since the last such line)" : "");
        }
    }

    private void updateHealth() {
        List<String> parts = new ArrayList<>(2);
        if (writeProblem != null) {
            parts.add(writeProblem);
        }
        if (!unreadable.isEmpty()) {
            Map.Entry<String, String> first = unreadable.entrySet().iterator().next();
            parts.add(unreadable.size() + (unreadable.size() == 1 ? " file" : " files") + " unreadable, skipped ("
                    + file(first.getKey()) + ": " + first.getValue() + ")");
        }
        health = parts.isEmpty() ? "ok" : "incident windows " + dir + ": " + String.join("; ", parts);
    }

    // ---- format ----

    private static Stored encode(String id, Thinned thinned) {
        Map<StoredKey, Integer> keys = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        for (ContentionWindow w : thinned.windows()) {
            int n = w.signals().size();
            int[] k = new int[n];
            double[] v = new double[n];
            double[] t = new double[n];
            int c = 0;
            for (int i = 0; i < n; i++) {
                SignalValue s = w.signals().get(i);
                k[i] = keys.computeIfAbsent(new StoredKey(s.name(), s.side(), s.host() == null ? null : s.host().value(),
                        s.unit()), x -> keys.size());
                v[i] = s.value();
                t[i] = s.threshold();
                c |= s.crossed() ? 1 << i : 0;
            }
            rows.add(new Row(w.at(), w.score(), w.pressure(), w.degradation(), w.state(), w.watching(), w.stutter(),
                    w.degraded(), k, v, t, c));
        }
        return new Stored(SCHEMA, VERSION, id, thinned.stride(), List.copyOf(keys.keySet()), rows);
    }

    private Kept decode(String id, byte[] file) throws IOException {
        Stored s = json.readValue(JournalCodec.unframe(file), Stored.class);
        if (!SCHEMA.equals(s.schema()) || s.version() != VERSION) {
            throw new IllegalArgumentException("schema " + s.schema() + " version " + s.version() + " is not " + SCHEMA
                    + " version " + VERSION);
        }
        if (!id.equals(s.incident())) {
            throw new IllegalArgumentException("holds the windows of " + Text.printable(s.incident(), 100));
        }
        List<StoredKey> keys = s.keys() == null ? List.of() : s.keys();
        List<HostId> hosts = new ArrayList<>(keys.size());
        for (StoredKey k : keys) {
            hosts.add(k.host() == null ? null : HostId.of(k.host()));
        }
        List<ContentionWindow> out = new ArrayList<>();
        for (Row r : s.windows() == null ? List.<Row>of() : s.windows()) {
            int n = r.k() == null ? 0 : r.k().length;
            if (n > ContentionWindow.MAX_SIGNALS || r.v() == null || r.t() == null || r.v().length != n
                    || r.t().length != n) {
                throw new IllegalArgumentException("a window's signals do not add up");
            }
            List<SignalValue> signals = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                StoredKey k = keys.get(r.k()[i]);
                signals.add(new SignalValue(k.name(), k.side(), hosts.get(r.k()[i]), r.v()[i], k.unit(), r.t()[i],
                        (r.c() & 1 << i) != 0));
            }
            out.add(new ContentionWindow(r.at(), r.score(), r.pressure(), r.degradation(), r.state(), r.watching(),
                    r.stutter(), r.degraded(), signals));
        }
        return new Kept(out, Math.max(1, s.stride()));
    }
}
