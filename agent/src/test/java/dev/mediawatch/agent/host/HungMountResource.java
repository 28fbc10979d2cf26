package dev.mediawatch.agent.host;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.mediawatch.agent.fs.HungMount;

/**
 * A real FUSE mount whose statfs can be made to block ({@link HungMount}), watched by the agent under test
 * together with the root filesystem, sampled every second with a 500 ms call timeout; also audited as a
 * compose directory every second, beside one that answers ({@link #composeDir}).
 */
public class HungMountResource implements QuarkusTestResourceLifecycleManager {

    /** Marks the test's {@link HungMount} field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectHungMount {
    }

    private HungMount mount;

    @Override
    public Map<String, String> start() {
        Path compose;
        try {
            Path dir = Files.createTempDirectory("mediawatch-hung-");
            mount = HungMount.start(dir);
            compose = composeDir(mount);
            Files.createDirectories(compose);
            Files.writeString(compose.resolve(".env"), "BESIDE_THE_HUNG_ONE_TOKEN=x\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // The hung mount is also a compose directory, audited beside one that answers.
        return Map.of("mediawatch.mounts.watch", mount.mountPoint() + ":fuse:ro,/",
                "mediawatch.mounts.interval", "1s",
                "mediawatch.mounts.timeout", "500ms",
                "mediawatch.compose.dirs", mount.mountPoint() + "," + compose,
                "mediawatch.compose.audit-interval", "1s");
    }

    /** A compose directory that answers, beside the hung mount. */
    public static Path composeDir(HungMount mount) {
        return mount.mountPoint().getParent().resolve("compose");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(mount, new TestInjector.AnnotatedAndMatchesType(InjectHungMount.class, HungMount.class));
    }

    @Override
    public void stop() {
        if (mount != null) {
            try {
                mount.close(); // releases the hang first, then unmounts
                Path dir = mount.mountPoint().getParent();
                try (var files = Files.walk(dir)) {
                    for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        if (!p.equals(dir)) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
                Files.deleteIfExists(dir);
            } catch (Exception e) {
                throw new IllegalStateException("could not remove the FUSE test mount " + mount.mountPoint(), e);
            }
        }
    }
}
