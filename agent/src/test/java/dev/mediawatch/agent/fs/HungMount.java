package dev.mediawatch.agent.fs;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.mediawatch.testing.TestTier;

/**
 * A real FUSE filesystem whose {@code statfs} blocks, uninterruptibly, while a flag file exists: a dead NFS
 * hard mount for tests ({@code scripts/testfs/hangfs.py}, Debian's fuse3 + python3-fusepy, installed by
 * {@code scripts/services.sh}). Fails loudly when they are missing.
 *
 * <p>{@link #close()} releases the hang before it unmounts: a thread blocked in {@code statvfs} can only be
 * freed by the filesystem answering, and the JVM cannot exit while one is stuck.
 */
public final class HungMount implements AutoCloseable {

    private final Path mountPoint;
    private final Path flag;
    private final Process process;

    private HungMount(Path mountPoint, Path flag, Process process) {
        this.mountPoint = mountPoint;
        this.flag = flag;
        this.process = process;
    }

    /** Mounts the filesystem on {@code dir/mnt}, answering (not hung) until {@link #hang()}. */
    public static HungMount start(Path dir) throws IOException {
        TestTier.requireReal("a FUSE mount (HungMount)");
        Path repo = Path.of(System.getProperty("mwtest.repo", "..")).toAbsolutePath().normalize();
        Path script = repo.resolve("scripts/testfs/hangfs.py");
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python) || !Files.isExecutable(Path.of("/usr/bin/fusermount3"))) {
            throw new IllegalStateException("the hung-mount test needs /usr/bin/python3, fuse3 and python3-fusepy: "
                    + "run scripts/services.sh start (it installs them)");
        }
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        Path flag = dir.resolve("hang");
        Process p = new ProcessBuilder(python.toString(), script.toString(), mnt.toString(), flag.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("hangfs.log").toFile()).start();
        HungMount m = new HungMount(mnt, flag, p);
        try {
            await("FUSE mounted on " + mnt).atMost(Duration.ofSeconds(15)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("hangfs.py exited " + p.exitValue() + ": "
                            + Files.readString(dir.resolve("hangfs.log")));
                }
                return m.mounted();
            });
        } catch (RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        return m;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** From now on statfs blocks. */
    public void hang() throws IOException {
        Files.writeString(flag, "");
    }

    /** statfs answers again; blocked callers return. */
    public void release() throws IOException {
        Files.deleteIfExists(flag);
    }

    boolean mounted() throws IOException {
        String needle = " " + mountPoint + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .anyMatch(l -> l.contains(needle) && l.contains(" - fuse"));
    }

    @Override
    public void close() throws Exception {
        release();
        new ProcessBuilder("fusermount3", "-u", mountPoint.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
