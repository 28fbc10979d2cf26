package dev.mediawatch.agent.activity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.mediawatch.testing.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The media services around an agent under {@code @QuarkusTest} (beside {@code BrokerAndEngine}): a real
 * qBittorrent that wants a login ({@link QbittorrentNox}), SABnzbd's API from recorded answers
 * ({@link SabnzbdFake}: SABnzbd cannot run here), Radarr's history from recorded answers ({@link ArrFake}: Radarr
 * cannot run here either; its imports are asked hourly, so only a refresh asks again within a test) and a
 * Jellyfin URL where nothing listens. Their secrets are
 * handed to the agent as configuration named like the environment variables, which is where the agent's
 * {@link ActivityKeys} look (the environment is one of the configuration's sources). Init args named like
 * {@code mediawatch.*} keys are passed on as configuration.
 */
public class ActivityWatchResource implements QuarkusTestResourceLifecycleManager {

    static final String SAB_KEY = "5ab0key0f0r0the0activity0test0aa";
    static final String QBT_USER = "mediawatch";
    static final String QBT_PASSWORD = "qbt-pass-for-the-activity-test";
    static final String JELLYFIN_KEY = "jellyfin0key0for0the0activity000";
    static final String RADARR_KEY = "4ad4a440e1a2b3c4d5e6f708192a3b4c";
    /** The post-processing container the tests run (a fixed name: the configuration is read at boot). */
    static final String POST_PROCESSOR = "unpackerr-activity-test";

    /** What the test can look at. */
    public record Services(SabnzbdFake sabnzbd, QbittorrentNox qbittorrent, Path stateFile, ArrFake radarr) {
    }

    /** Marks the test's {@link Services} field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectServices {
    }

    private final Map<String, String> extra = new HashMap<>();
    private Services services;
    private Path dir;

    @Override
    public void init(Map<String, String> initArgs) {
        initArgs.forEach((k, v) -> {
            if (k.startsWith("mediawatch.")) {
                extra.put(k, v);
            }
        });
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("mw-activity-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SabnzbdFake sab = new SabnzbdFake(SAB_KEY);
        sab.limit(8L * 1024 * 1024);
        QbittorrentNox qbt = QbittorrentNox.withLogin(QBT_USER, QBT_PASSWORD);
        ArrFake radarr = new ArrFake("radarr", RADARR_KEY).history("history-page.json");
        services = new Services(sab, qbt, dir.resolve("throttle.json"), radarr);
        Map<String, String> config = new HashMap<>();
        config.put("mediawatch.activity.sabnzbd.url", sab.base().toString());
        config.put("mediawatch.activity.qbittorrent.url", qbt.base().toString());
        config.put("mediawatch.activity.jellyfin.url", "http://127.0.0.1:" + Ports.free());
        config.put("mediawatch.activity.radarr.url", radarr.base().toString());
        config.put("mediawatch.activity.imports.interval", "1h");
        config.put("mediawatch.activity.interval", "1s");
        config.put("mediawatch.activity.timeout", "500ms");
        config.put("mediawatch.activity.post-processing", POST_PROCESSOR);
        config.put("mediawatch.throttle.state-file", services.stateFile().toString());
        config.put(ActivityKeys.SABNZBD_API_KEY, SAB_KEY);
        config.put(ActivityKeys.QBITTORRENT_USER, QBT_USER);
        config.put(ActivityKeys.QBITTORRENT_PASSWORD, QBT_PASSWORD);
        config.put(ActivityKeys.JELLYFIN_API_KEY, JELLYFIN_KEY);
        config.put(ActivityKeys.RADARR_API_KEY, RADARR_KEY);
        config.putAll(extra);
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(services, new TestInjector.AnnotatedAndMatchesType(InjectServices.class, Services.class));
    }

    @Override
    public void stop() {
        if (services != null) {
            services.sabnzbd().close();
            services.qbittorrent().close();
            services.radarr().close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // A temp directory left behind is harmless.
            }
        }
    }
}
