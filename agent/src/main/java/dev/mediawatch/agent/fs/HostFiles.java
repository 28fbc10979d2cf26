package dev.mediawatch.agent.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one way the agent reaches host files: every {@code /proc}, {@code /sys} and mount path is resolved
 * under {@code mediawatch.host-root}, as node_exporter's {@code --path.rootfs}. On the host the root is
 * {@code /}; in a container it is where the host's root is mounted ({@code /host}); in tests a fixture tree.
 *
 * <p>Mount tables are read from a process's view: {@code self} on the host (so a private mount namespace,
 * as in the tests, is seen as the agent sees it), and the host's PID 1 when the root is elsewhere, because
 * {@code self} inside a container is the container's namespace, not the host's.
 */
public final class HostFiles {

    /** No host file the agent reads comes near this; a mount table of 10,000 mounts is about 1.5 MiB. */
    private static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

    private final Path root;
    private final String mountView;
    private byte[] buffer = new byte[16 * 1024];

    public HostFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.mountView = this.root.getNameCount() == 0 ? "self" : "1";
    }

    public Path root() {
        return root;
    }

    /** A host path ({@code /proc/diskstats}, {@code /mnt/media}) as this process reaches it. */
    public Path path(String hostPath) {
        String relative = hostPath.startsWith("/") ? hostPath.substring(1) : hostPath;
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    /** {@code /proc/<self or 1>/<file>}: the mount namespace's view the agent judges mounts by. */
    public String mountView(String file) {
        return "/proc/" + mountView + "/" + file;
    }

    /**
     * Reads a small host file (a {@code /proc} or {@code /sys} file: never a path on a watched mount, which
     * could hang). Null when it does not exist.
     *
     * @throws IOException when it exists but cannot be read
     */
    public String read(String hostPath) throws IOException {
        try (InputStream in = Files.newInputStream(path(hostPath))) {
            synchronized (this) {
                // /proc files report size 0, so Files.readAllBytes starts each read with a fresh 8 KiB buffer:
                // with ~70 reads every 5 s that was more than half of all the agent allocated. One buffer,
                // grown when a file (a long mountinfo) needs it, is reused instead.
                int n = 0;
                while (true) {
                    int r = in.read(buffer, n, buffer.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                    if (n == buffer.length) {
                        if (buffer.length >= MAX_FILE_BYTES) {
                            throw new IOException(hostPath + " is larger than " + MAX_FILE_BYTES + " bytes");
                        }
                        buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                    }
                }
                return new String(buffer, 0, n, StandardCharsets.US_ASCII);
            }
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** A file larger than the caller allows; it was not read. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        public TooLarge(String hostPath, long limit) {
            super(hostPath + " is larger than " + limit + " bytes");
        }
    }

    /** A path that is not a regular file (a directory, a FIFO, a device); it was not read. */
    public static final class NotRegular extends IOException {
        private static final long serialVersionUID = 1L;

        public NotRegular(String hostPath) {
            super(hostPath + " is not a regular file");
        }
    }

    /**
     * Reads a regular file of at most {@code maxBytes}, as bytes, into an array of its own: for files that may
     * live on a mount that hangs (compose {@code .env} files on NFS), read on a thread that may be abandoned.
     * Unlike {@link #read} it holds no lock and shares no buffer, so a read stuck in the kernel holds up only
     * its own thread. Null when the file does not exist.
     *
     * @throws TooLarge   when the file is larger than {@code maxBytes} (checked before reading, and while reading,
     *                    for a file that grows)
     * @throws NotRegular when it is not a regular file
     * @throws IOException when it cannot be read
     */
    public byte[] readBounded(String hostPath, int maxBytes) throws IOException {
        Path p = path(hostPath);
        java.nio.file.attribute.BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!attributes.isRegularFile()) {
            // A FIFO would block the open until a writer comes; a device could be anything.
            throw new NotRegular(hostPath);
        }
        if (attributes.size() > maxBytes) {
            throw new TooLarge(hostPath, maxBytes);
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new TooLarge(hostPath, maxBytes);
            }
            return bytes;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Like {@link #read} but null on any error: for optional, per-process files that come and go. */
    /**
     * The NFS client statistics: {@code /proc/<self or 1>/mountstats}. PID 1's file is root's (mode 0400): an agent
     * without privileges whose host root is a bind of {@code /} (the systemd unit) cannot read it, and then reads its
     * own {@code /proc/self/mountstats} instead. Its mount namespace is a copy of the host's, so it lists the same NFS
     * mounts at the same paths with the same per-superblock counters, and no capability is needed. Said once in the
     * log; null when neither can be read.
     */
    public String mountStats() {
        String view = mountView("mountstats");
        try {
            return read(view);
        } catch (IOException | SecurityException e) {
            if (!mountView.equals("1")) {
                return null;
            }
            try {
                String own = readAbsolute(Path.of("/proc/self/mountstats"));
                if (!ownMountStatsSaid) {
                    ownMountStatsSaid = true;
                    org.jboss.logging.Logger.getLogger(HostFiles.class).infof("cannot read %s under the host root (%s):"
                            + " NFS statistics come from the agent's own /proc/self/mountstats (the same NFS mounts and"
                            + " counters)", view, e.getClass().getSimpleName());
                }
                return own;
            } catch (IOException | SecurityException again) {
                return null;
            }
        }
    }

    private volatile boolean ownMountStatsSaid;

    private String readAbsolute(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES);
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    public String readQuietly(String hostPath) {
        try {
            return read(hostPath);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
