package dev.mediawatch.runtime.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A small state file written whole: the new content goes to {@code <file>.tmp}, is forced to disk and renamed over
 * the file, and the directory is forced too, so a crash at any moment (even {@code kill -9} in the middle of a write)
 * leaves the old content or the new, never a mix. A filesystem that cannot rename atomically is an error, not a
 * silent risk. For the agent's throttle record and the aggregator's learned baselines and acceptance memory; the
 * incident journal, which appends, has its own format.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    public static void write(Path file, byte[] content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot replace " + file + " atomically", e);
        }
        forceDirectory(parent);
    }

    /** Forces a directory's entries (a rename, a removal) to disk, where the filesystem can. */
    public static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some filesystems cannot sync a directory; the rename is still atomic.
        }
    }

    /** The file's content; empty when it does not exist. Refuses (IOException) a file larger than {@code maxBytes}. */
    public static Optional<byte[]> read(Path file, long maxBytes) throws IOException {
        try {
            if (Files.size(file) > maxBytes) {
                throw new IOException("larger than " + maxBytes + " bytes");
            }
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException first) {
            return Optional.empty();
        }
    }
}
