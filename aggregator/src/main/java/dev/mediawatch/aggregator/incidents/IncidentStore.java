package dev.mediawatch.aggregator.incidents;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.jboss.logging.Logger;

import dev.mediawatch.contract.ContentionWindow;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.IncidentAction;
import dev.mediawatch.contract.Text;

/**
 * The incident timeline behind {@code GET /api/incidents}, kept across restarts in one append-only journal file
 * with no server and no database dependency (decision 0008).
 *
 * <p>Each upsert appends the incident's newest version as one line ({@link JournalCodec}: CRC32, length, JSON)
 * and forces it to disk before returning; the last line of an id wins. On open the journal is read up to its
 * first torn or corrupt line, and the live records are compacted into {@code <file>.tmp}, forced, and renamed
 * over the journal atomically (then the directory is forced), which also drops the torn tail. The same
 * compaction runs when the journal outgrows {@code maxFileBytes} and holds at least as much superseded as live
 * data. So a {@code kill -9} at any instant leaves either the old or the new journal, each of them complete up to
 * the last confirmed upsert. A dropped tail that held complete lines (corruption rather than a torn last
 * append) is first copied to {@code <file>.corrupt-<time>}, so nothing is lost unseen.
 *
 * <p>Bounds: incidents cleared more than {@code retention} ago are dropped (open ones are always kept), at most
 * {@code maxIncidents} (the oldest cleared ones go first), at most {@value #MAX_ACTIONS} actions per incident
 * (the first and last halves), at most {@value JournalCodec#MAX_RECORD_BYTES} bytes per record (a larger one
 * is kept without its evidence).
 *
 * <p>Nothing here throws at its caller for I/O: when the disk fails (unwritable, full, gone) the store keeps
 * every incident in memory, {@link #health()} says why in one line naming the path, and the next upsert at
 * least {@link #RETRY_INTERVAL} later reads the journal again, merges what is in memory, and rewrites it.
 * Calls are expected from one thread (the detector's) but every method is synchronized.
 *
 * <p>Beside the journal, in {@code <file>.windows/}, the detector's windows of each incident (from
 * {@link #WINDOWS_BEFORE_RAISE} before its raise to its clear) are kept one file per incident, written whole and
 * atomically at the raise ({@link #windowsStart}), at least every minute while open ({@link #windowsAdd}), at the
 * clear ({@link #windowsEnd}) and at {@link #close()}: at most {@value IncidentWindows#MAX_WINDOWS} windows per
 * incident (a longer one thinned to keep its shape), for the newest {@value IncidentWindows#MAX_INCIDENTS} incidents
 * only, removed with their incident. Apart from the journal: a lost or damaged windows file costs that incident's
 * chart, never its record, and is reported by {@link #windowsHealth()}, not {@link #health()}. Reading a closed
 * incident's windows ({@link #windows(String)}) reads its file without holding this store's lock.
 */
public final class IncidentStore implements AutoCloseable {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final int DEFAULT_MAX_INCIDENTS = 10_000;
    public static final long DEFAULT_MAX_FILE_BYTES = 16L * 1024 * 1024;
    /** Actions kept per incident: the first half and the last half of a longer list. */
    public static final int MAX_ACTIONS = Incident.MAX_ACTIONS;
    /** How often a failed store tries its file again (on an upsert). */
    public static final Duration RETRY_INTERVAL = Duration.ofMinutes(1);
    /** An incident's windows start this long before its raise. */
    public static final Duration WINDOWS_BEFORE_RAISE = IncidentWindows.BEFORE_RAISE;

    /**
     * An incident's detector windows as kept, oldest first.
     *
     * @param windows the windows, at most {@value IncidentWindows#MAX_WINDOWS}
     * @param stride  how many detector windows each stands for: 1, or a power of two for a long incident thinned
     */
    public record Windows(List<ContentionWindow> windows, int stride) {
        public Windows {
            windows = List.copyOf(windows);
        }
    }

    private static final Logger LOG = Logger.getLogger(IncidentStore.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path file;
    private final Path dir;
    private final Path tmp;
    private final Path lockFile;
    private final Clock clock;
    private final Duration retention;
    private final int maxIncidents;
    private final long maxFileBytes;
    private final IncidentWindows windows;

    private final Map<String, Incident> byId = new HashMap<>();
    private final TreeMap<Key, Incident> byRaised = new TreeMap<>();
    /** Ids a bound dropped since the last rewrite: the journal may still hold an older version of them. */
    private final Set<String> prunedUnsaved = new HashSet<>();

    private FileChannel lockChannel;
    private FileLock lock;
    private FileChannel journal;
    private long journalBytes;
    private long compactAt;
    // Written under the lock, read by health() without it: a metrics scrape never waits for a compaction.
    private volatile boolean opened;
    private volatile boolean closed;
    private volatile String problem;
    private volatile int held;
    private String lastLoggedProblem;
    private Instant nextRetry = Instant.MIN;
    private long droppedBytes;
    private long compactions;

    /**
     * @param file         the journal; its directory is created when missing
     * @param clock        for retention and the retry interval
     * @param retention    cleared incidents older than this are dropped
     * @param maxIncidents the most incidents kept (oldest cleared dropped first)
     * @param maxFileBytes the journal size above which it is compacted (once it is also half superseded data)
     */
    public IncidentStore(Path file, Clock clock, Duration retention, int maxIncidents, long maxFileBytes) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
        this.dir = this.file.getParent();
        this.tmp = sibling(".tmp");
        this.lockFile = sibling(".lock");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        if (maxIncidents < 1) {
            throw new IllegalArgumentException("maxIncidents must be at least 1, was " + maxIncidents);
        }
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException("maxFileBytes must be at least 1, was " + maxFileBytes);
        }
        this.maxIncidents = maxIncidents;
        this.maxFileBytes = maxFileBytes;
        this.windows = new IncidentWindows(sibling(".windows"));
    }

    /** The defaults: 30 days, 10,000 incidents, 16 MiB. */
    public IncidentStore(Path file, Clock clock) {
        this(file, clock, DEFAULT_RETENTION, DEFAULT_MAX_INCIDENTS, DEFAULT_MAX_FILE_BYTES);
    }

    /** Loads the journal and compacts it. Never throws: a broken, unreadable or unwritable store shows in {@link #health()}. */
    public synchronized void open() {
        if (closed || opened) {
            return;
        }
        opened = true;
        tryRecover("cannot open");
    }

    /**
     * Stores the incident's newest version (replacing any of the same id), on disk before returning when the
     * store works. Never throws: on an I/O failure it is kept in memory and {@link #health()} says why.
     */
    public synchronized void upsert(Incident incident) {
        if (incident == null) {
            LOG.warn("incident store: upsert(null) ignored");
            return;
        }
        try {
            Normalized n = normalize(incident);
            put(n.incident());
            prune(clock.instant());
            if (closed || !opened) {
                return; // memory only until open(); nothing more after close()
            }
            if (journal == null) {
                if (!clock.instant().isBefore(nextRetry)) {
                    tryRecover("cannot write"); // rewrites everything held, this one included
                }
                return;
            }
            append(n.line());
            if (journalBytes > compactAt) {
                try {
                    rewrite();
                } catch (IOException | RuntimeException e) {
                    fail("cannot compact", e);
                }
            }
        } catch (IOException | RuntimeException e) {
            fail("cannot write", e);
        }
    }

    /**
     * Incidents raised at or after {@code since}, or still open, newest raise first, at most {@code limit}
     * (ask for one more than you show to know whether there were more).
     */
    public synchronized List<Incident> since(Instant since, int limit) {
        Objects.requireNonNull(since, "since");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        prune(clock.instant());
        List<Incident> out = new ArrayList<>(Math.min(limit, byId.size()));
        for (Incident i : byRaised.descendingMap().values()) {
            if (out.size() >= limit) {
                break;
            }
            if (!i.raisedAt().isBefore(since) || i.open()) {
                out.add(i);
            }
        }
        return out;
    }

    public synchronized Optional<Incident> get(String id) {
        prune(clock.instant());
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * An incident was raised: its windows are kept from {@code first} on (the detector's windows from
     * {@link #WINDOWS_BEFORE_RAISE} before the raise to the raise's own), written now. Ignored for an incident this
     * store does not hold (upsert it first) and after {@link #close()}.
     */
    public void windowsStart(String incidentId, List<ContentionWindow> first) {
        Objects.requireNonNull(first, "first");
        Incident i;
        synchronized (this) {
            i = closed || incidentId == null ? null : byId.get(incidentId);
        }
        if (i != null) {
            windows.start(i.id(), i.raisedAt(), first);
        }
    }

    /**
     * One more window of an open incident (ignored when its windows were not started, or the window is not newer
     * than the last); written when the last write is a minute older (window time).
     */
    public void windowsAdd(String incidentId, ContentionWindow window) {
        if (incidentId != null && window != null) {
            windows.add(incidentId, window);
        }
    }

    /** The incident cleared: its windows are written a last time, and no more are taken. */
    public void windowsEnd(String incidentId) {
        if (incidentId != null) {
            windows.end(incidentId);
        }
    }

    /**
     * The windows kept for an incident, oldest first: empty when it is unknown, not among the newest
     * {@value IncidentWindows#MAX_INCIDENTS}, or its file is unreadable. Does not wait for the detector: a closed
     * incident's file is read without holding this store's lock.
     */
    public Optional<Windows> windows(String incidentId) {
        return windows.read(incidentId).map(k -> new Windows(k.windows(), k.stride()));
    }

    /** {@code ok}, or one line on the windows files that could not be written or read (the directory named). */
    public String windowsHealth() {
        return windows.health();
    }

    /**
     * {@code ok}, or one line saying why incidents are not being kept on disk (the path named). Does not wait
     * for an upsert or compaction under way.
     */
    public String health() {
        String problem = this.problem;
        if (closed) {
            return "incident store " + file + ": closed";
        }
        if (!opened) {
            return "incident store " + file + ": not opened yet";
        }
        if (problem != null) {
            return problem + "; " + held + " incidents kept in memory only, tried again every "
                    + RETRY_INTERVAL.toSeconds() + " s";
        }
        return "ok";
    }

    /** How many incidents are held. */
    public int size() {
        return held;
    }

    /** Bytes of torn or corrupt journal tails dropped since this store was made. */
    public synchronized long droppedBytes() {
        return droppedBytes;
    }

    /** Compactions (rewrites of the journal) done since this store was made, the one on open included. */
    public synchronized long compactions() {
        return compactions;
    }

    /** Releases the journal and its lock; incidents stay readable from memory. */
    @Override
    public synchronized void close() {
        if (!closed) {
            windows.close();
        }
        closed = true;
        closeJournal();
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debugf("incident store %s: closing the lock: %s", file, e);
        }
        lock = null;
        lockChannel = null;
    }

    @Override
    public String toString() {
        return "IncidentStore[" + file + "]";
    }

    // ---- disk ----

    /**
     * Makes the journal hold exactly what memory holds, plus whatever the file has that memory does not
     * (memory is never older than the file for an id: only this store writes it): read it, merge, rewrite.
     */
    private void tryRecover(String what) {
        try {
            recover();
            Map<String, Instant> raised = new HashMap<>();
            byId.values().forEach(i -> raised.put(i.id(), i.raisedAt()));
            windows.sync(raised);
            if (problem != null) {
                LOG.infof("incident store %s: working again, %d incidents on disk", file, byId.size());
            }
            problem = null;
            lastLoggedProblem = null;
        } catch (IOException | RuntimeException e) {
            fail(what, e);
        }
    }

    private void recover() throws IOException {
        closeJournal();
        Files.createDirectories(dir);
        lock();
        if (Files.exists(file)) {
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + " is not a regular file");
            }
            JournalCodec.Read read = JournalCodec.read(file);
            if (read.badReason() != null) {
                droppedBytes += read.droppedBytes();
                if (read.tailLines()) {
                    // Complete lines follow the bad one: corruption, not a torn append. Keep a copy to look at.
                    Path saved = saveTail(read.validBytes());
                    LOG.warnf("incident store %s: dropped %d bytes at offset %d after a %s; saved to %s", file,
                            read.droppedBytes(), read.validBytes(), read.badReason(), saved);
                } else {
                    String why = read.badReason().equals(JournalCodec.TORN) ? "" : " (" + read.badReason() + ")";
                    LOG.warnf("incident store %s: dropped %d bytes of a torn write at offset %d%s", file,
                            read.droppedBytes(), read.validBytes(), why);
                }
            }
            // Memory is never older than the file for an id (only this store writes it), and an id a bound
            // dropped while the file could not be written must not come back from it.
            Set<String> held = new HashSet<>(byId.keySet());
            for (Incident i : read.incidents()) {
                if (!held.contains(i.id()) && !prunedUnsaved.contains(i.id())) {
                    put(normalize(i).incident());
                }
            }
        }
        prune(clock.instant());
        rewrite();
    }

    private void lock() throws IOException {
        if (lock != null) {
            return;
        }
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (l == null) {
            channel.close();
            throw new IOException("in use by another incident store (" + lockFile + " is locked)");
        }
        lockChannel = channel;
        lock = l;
    }

    private Path saveTail(long from) throws IOException {
        String base = ".corrupt-" + STAMP.format(clock.instant());
        Path target = sibling(base);
        for (int n = 2; Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) && n < 100; n++) {
            target = sibling(base + "-" + n);
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            long pos = from;
            while (pos < size) {
                pos += in.transferTo(pos, size - pos, out);
            }
            out.force(true);
        }
        return target;
    }

    private void append(byte[] line) throws IOException {
        long start = journalBytes;
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                journal.write(buffer);
            }
            journal.force(true);
            journalBytes += line.length;
        } catch (IOException e) {
            // A partial line would hide every later append from the next open: cut it off if the disk lets us.
            try {
                journal.truncate(start);
                journal.force(true);
            } catch (IOException | RuntimeException ignored) {
                // The next open drops it as a torn write.
            }
            throw e;
        }
    }

    /** Writes the live records to the .tmp file, forces it, renames it over the journal, forces the directory. */
    private void rewrite() throws IOException {
        closeJournal();
        try {
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                    OutputStream out = new BufferedOutputStream(fos, 64 * 1024)) {
                for (Incident i : byRaised.values()) {
                    out.write(normalize(i).line());
                }
                out.flush();
                fos.getChannel().force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // The journal is untouched; a half-written copy would only hold space on a disk that may be full.
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException | RuntimeException ignored) {
                // Overwritten by the next rewrite, ignored by the next open.
            }
            throw e;
        }
        forceDirectory();
        journal = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        journalBytes = journal.size();
        // Half superseded before the next rewrite: compaction costs O(1) per appended byte even when the live
        // records alone are over maxFileBytes.
        compactAt = Math.max(maxFileBytes, 2 * journalBytes);
        compactions++;
        prunedUnsaved.clear();
    }

    /** Makes the rename durable: without it a power cut can bring back the old journal after new appends. */
    private void forceDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private void closeJournal() {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                LOG.debugf("incident store %s: closing the journal: %s", file, e);
            }
            journal = null;
        }
    }

    private void fail(String what, Exception e) {
        closeJournal();
        problem = "incident store " + file + ": " + what + ": " + describe(e);
        nextRetry = clock.instant().plus(RETRY_INTERVAL);
        if (!problem.equals(lastLoggedProblem)) {
            LOG.warnf("%s; keeping incidents in memory and trying again every %d s", problem,
                    RETRY_INTERVAL.toSeconds());
            lastLoggedProblem = problem;
        }
    }

    /** One line: the exception's kind and its message (NIO messages name the path), no stack trace. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof AccessDeniedException) {
            return "permission denied (" + Text.printable(message, 300) + ")";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file (" + Text.printable(message, 300) + ")";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "exists and is not a directory (" + Text.printable(message, 300) + ")";
        }
        return message == null ? kind : Text.printable(message, 300) + " (" + kind + ")";
    }

    private Path sibling(String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    // ---- memory ----

    private record Key(Instant raisedAt, String id) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = raisedAt.compareTo(o.raisedAt);
            return c != 0 ? c : id.compareTo(o.id);
        }
    }

    private record Normalized(Incident incident, byte[] line) {
    }

    private void put(Incident incident) {
        prunedUnsaved.remove(incident.id());
        Incident old = byId.put(incident.id(), incident);
        if (old != null) {
            byRaised.remove(new Key(old.raisedAt(), old.id()));
        }
        byRaised.put(new Key(incident.raisedAt(), incident.id()), incident);
        held = byId.size();
    }

    private void remove(Incident incident) {
        prunedUnsaved.add(incident.id());
        windows.forget(incident.id());
        byId.remove(incident.id());
        byRaised.remove(new Key(incident.raisedAt(), incident.id()));
        held = byId.size();
    }

    /** Applies retention (cleared longer ago than it) and the count bound (oldest cleared first, then oldest). */
    private void prune(Instant now) {
        Instant cutoff = now.minus(retention);
        byId.values().removeIf(i -> {
            boolean expired = i.clearedAt() != null && i.clearedAt().isBefore(cutoff);
            if (expired) {
                byRaised.remove(new Key(i.raisedAt(), i.id()));
                prunedUnsaved.add(i.id());
                windows.forget(i.id());
            }
            return expired;
        });
        held = byId.size();
        while (byId.size() > maxIncidents) {
            Incident victim = null;
            for (Iterator<Incident> it = byRaised.values().iterator(); it.hasNext();) {
                Incident i = it.next();
                if (!i.open()) {
                    victim = i;
                    break;
                }
            }
            remove(victim != null ? victim : byRaised.firstEntry().getValue());
        }
    }

    /** Caps the actions and the record size; returns the incident as kept and its journal line. */
    private static Normalized normalize(Incident incident) {
        Incident i = incident;
        if (i.actions().size() > MAX_ACTIONS) {
            i = i.withActions(Incident.boundedActions(i.actions()));
        }
        byte[] json = JournalCodec.json(i);
        if (json.length > JournalCodec.MAX_RECORD_BYTES) {
            LOG.warnf("incident %s is %d bytes encoded, more than %d: kept without its evidence",
                    Text.printable(i.id(), 100), json.length, JournalCodec.MAX_RECORD_BYTES);
            i = i.withMessage(Text.printable(i.message(), 1000)).withoutEvidence();
            json = JournalCodec.json(i);
            if (json.length > JournalCodec.MAX_RECORD_BYTES) {
                List<IncidentAction> shortActions = i.actions().stream()
                        .map(a -> new IncidentAction(a.at(), Text.printable(a.action(), 100),
                                Text.printable(a.detail(), 1000)))
                        .toList();
                i = i.withActions(shortActions);
                json = JournalCodec.json(i);
            }
        }
        return new Normalized(i, JournalCodec.line(json));
    }
}
