package dev.mediawatch.aggregator.baseline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.zip.CRC32;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mediawatch.runtime.store.AtomicFile;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostId;

/**
 * Keeps the learned baselines across restarts in one JSON file with the incident store's promises: a save writes a
 * new file beside the old one, forces it to disk and renames it over the old one, so a crash (even {@code kill -9}
 * in the middle of a save) leaves either the old file or the new one, never a mix. A file that cannot be read (not
 * JSON, a wrong checksum, a digest that does not decode, an unknown version) is moved aside as
 * {@code <file>.broken-<time>}, reported ({@link #health()}), and learning starts again: never a crash.
 *
 * <p>Format: {@code {"schema":"mediawatch.baselines-store","version":1,"savedAt":...,"crc32":...,"entries":[...]}},
 * each entry a host's signal with its daily t-digests (base64 of t-digest's small encoding); {@code crc32} is over
 * the entries as written.
 */
public final class BaselineStore {

    private static final Logger LOG = Logger.getLogger(BaselineStore.class);
    static final String SCHEMA = "mediawatch.baselines-store";
    static final int VERSION = 1;
    /** A store larger than this is not read: 1,000 hosts of 7 signals over 7 days are about 5 MB. */
    static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final DateTimeFormatter ASIDE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    /** The file, as written. */
    @JsonPropertyOrder({ "schema", "version", "savedAt", "crc32", "entries" })
    record Stored(String schema, int version, Instant savedAt, long crc32, List<Entry> entries) {
    }

    /** One host's signal: its kept days. */
    @JsonPropertyOrder({ "host", "side", "signal", "days" })
    record Entry(String host, String side, String signal, List<DayEntry> days) {
    }

    /** One UTC day of calm. */
    @JsonPropertyOrder({ "epochDay", "samples", "seconds", "first", "last", "digest" })
    record DayEntry(long epochDay, long samples, double seconds, Instant first, Instant last, String digest) {
    }

    private final Path file;
    private final ObjectMapper json = ContractJson.mapper().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private volatile String health = "ok";

    public BaselineStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** {@code ok}, or one line saying why the baselines are not being kept. */
    public String health() {
        return health;
    }

    /** Reads the file into {@code into}; a missing file is a first start, a broken one is moved aside and reported. */
    public void load(Baselines into) {
        byte[] bytes;
        try {
            java.util.Optional<byte[]> read = AtomicFile.read(file, MAX_BYTES);
            if (read.isEmpty()) {
                return; // a first start
            }
            bytes = read.get();
        } catch (IOException e) {
            broken("cannot read " + file + " (" + e.getClass().getSimpleName() + ")", false);
            return;
        }
        try {
            Stored s = json.readValue(bytes, Stored.class);
            if (!SCHEMA.equals(s.schema()) || s.version() != VERSION) {
                throw new IllegalArgumentException("schema " + s.schema() + " version " + s.version() + " is not "
                        + SCHEMA + " version " + VERSION);
            }
            List<Entry> entries = s.entries() == null ? List.of() : s.entries();
            if (crc(entries) != s.crc32()) {
                throw new IllegalArgumentException("checksum does not match");
            }
            for (Entry e : entries) {
                HostId.of(e.host());
                for (DayEntry d : e.days()) {
                    CalmHistory.decode(d.digest());
                }
            }
            into.restore(entries);
            LOG.infof("baselines read from %s: %d host signal(s)", file, entries.size());
        } catch (IOException | RuntimeException e) {
            broken(file + " is broken (" + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : dev.mediawatch.contract.Text.printable(e.getMessage().lines().findFirst().orElse(""), 160)) + ")", true);
        }
    }

    private void broken(String why, boolean moveAside) {
        String where = "";
        if (moveAside) {
            Path aside = file.resolveSibling(file.getFileName() + ".broken-" + ASIDE.format(Instant.now()));
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                where = "; moved to " + aside;
            } catch (IOException e) {
                where = "; could not move it aside (" + e.getClass().getSimpleName() + ")";
            }
        }
        health = why + where + "; learning starts again";
        LOG.warnf("baselines: %s", health);
    }

    /** Writes every history: new file, forced to disk, renamed over the old one. Never throws. */
    public void save(Baselines from, Instant now) {
        List<Entry> entries = from.entries();
        try {
            AtomicFile.write(file, json.writeValueAsBytes(new Stored(SCHEMA, VERSION, now, crc(entries), entries)));
            if (!"ok".equals(health) && !health.endsWith("learning starts again")) {
                LOG.infof("baselines are being kept again in %s", file);
            }
            health = health.endsWith("learning starts again") ? health : "ok";
        } catch (IOException | RuntimeException e) {
            String why = "cannot write " + file + " (" + e.getClass().getSimpleName() + ")";
            if (!why.equals(health)) {
                LOG.warnf("baselines: %s; they are kept in memory and written again at the next save", why);
            }
            health = why;
        }
    }

    private long crc(List<Entry> entries) {
        try {
            CRC32 c = new CRC32();
            c.update(json.writeValueAsBytes(entries));
            return c.getValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
