package dev.mediawatch.agent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the agent's disk report at the block device that holds the test's scratch directory (where fio
 * makes its load), sampled every second.
 */
public class ContentionResource implements QuarkusTestResourceLifecycleManager {

    /** Where fio writes: under the build directory, on the same disk as the checkout. */
    public static Path scratch() {
        return Path.of(System.getProperty("mwtest.repo", "..")).toAbsolutePath().normalize()
                .resolve("agent/target/contention");
    }

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(scratch());
            return Map.of("mediawatch.io.disks", device(scratch()), "mediawatch.mounts.interval", "1s",
                    "mediawatch.mounts.timeout", "500ms", "mediawatch.mounts.watch", "none");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The whole-disk device name (vda, sda, nvme0n1) behind a path, from its st_dev via sysfs. */
    static String device(Path p) throws IOException {
        long dev = (Long) Files.getAttribute(p, "unix:dev");
        // glibc's makedev encoding
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        Path sys = Path.of("/sys/dev/block/" + major + ":" + minor).toRealPath();
        if (Files.exists(sys.resolve("partition"))) {
            sys = sys.getParent();
        }
        return sys.getFileName().toString();
    }

    @Override
    public void stop() {
    }
}
