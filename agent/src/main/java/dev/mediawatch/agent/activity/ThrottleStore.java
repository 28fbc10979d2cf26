package dev.mediawatch.agent.activity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.runtime.store.AtomicFile;
import dev.mediawatch.contract.ThrottleState;

/**
 * Where an active throttle is remembered across a crash: the {@link ThrottleState} (limits set, limits to
 * restore, containers paused) as JSON in one file, written before any limit is changed so that an agent
 * killed at any moment finds on its next start what it has to put back. Written whole and atomically (a
 * temporary file beside it, forced to disk, then moved over it), so a reader sees the old record or the new
 * one, never half of one. Holds limits and container names only, never a key or password.
 *
 * <p>A file that cannot be read or parsed is logged once, naming it, and treated as no throttle: there is
 * nothing trustworthy to restore, and refusing to start would help nobody.
 */
public final class ThrottleStore {

    private static final Logger LOG = Logger.getLogger(ThrottleStore.class);
    /** A record is a few hundred bytes; anything far larger is not ours. */
    private static final long MAX_BYTES = 64 * 1024;

    private final Path file;

    public ThrottleStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /** The active throttle on disk; empty when there is none or the file is unusable. */
    public Optional<ThrottleState> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                LOG.warnf("throttle state file %s is %d bytes, not a throttle record: ignored, nothing to restore",
                        file, Files.size(file));
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            ThrottleState state = ContractJson.mapper().readValue(bytes, ThrottleState.class);
            if (!state.active()) {
                return Optional.empty();
            }
            return Optional.of(state);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("throttle state file %s is unreadable or corrupt (%s): ignored, nothing to restore", file,
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** Writes {@code state} atomically; on return it is on disk. */
    public void save(ThrottleState state) throws IOException {
        Objects.requireNonNull(state, "state");
        AtomicFile.write(file, ContractJson.write(state));
    }

    /** Removes the record: nothing is owed any more. */
    public void clear() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp"));
        AtomicFile.forceDirectory(file.toAbsolutePath().getParent());
    }
}
