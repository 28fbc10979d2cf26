package dev.mediawatch.agent.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Compose directories on real files for the agent under test, holding a distinctive secret value, and the
 * agent's log written to a file, so a test can show the value reaches neither the wire nor the log.
 */
public class ComposeDirsResource implements QuarkusTestResourceLifecycleManager {

    /** Marks the test's {@link ComposeDirs} field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectComposeDirs {
    }

    /**
     * @param root   where the directories are: {@code stacks} (subdirectories {@code download}, {@code streaming}),
     *               {@code single}, and {@code missing} (configured, never created)
     * @param value  the secret value written into the files
     * @param log    the agent's log file
     */
    public record ComposeDirs(Path root, String value, Path log) {
        public String dir(String name) {
            return root.resolve(name).toString();
        }
    }

    public static final String ADDRESS = "media-vm.lan";

    private ComposeDirs dirs;

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory("mediawatch-compose-");
            String value = "s3cr3t-" + UUID.randomUUID();
            write(root.resolve("stacks/download/.env"), "PUID=1000\nSABNZBD_API_KEY=" + value + "\nexport DB_PASSWORD=\""
                    + value + "\"\nRADARR_API_KEY=${RADARR_API_KEY}\n");
            write(root.resolve("stacks/streaming/.env"), "PUID=1000\nTZ=Europe/Berlin\n");
            write(root.resolve("single/.env"), "JELLYFIN_TOKEN='" + value + "'\n");
            dirs = new ComposeDirs(root, value, root.resolve("agent.log"));
            return Map.of(
                    "mediawatch.compose.dirs", dirs.dir("stacks") + "," + dirs.dir("single") + "," + dirs.dir("missing"),
                    "mediawatch.compose.audit-interval", "60s",
                    "mediawatch.address", ADDRESS,
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", dirs.log().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(dirs, new TestInjector.AnnotatedAndMatchesType(InjectComposeDirs.class, ComposeDirs.class));
    }

    @Override
    public void stop() {
        if (dirs == null) {
            return;
        }
        try (var walk = Files.walk(dirs.root())) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
