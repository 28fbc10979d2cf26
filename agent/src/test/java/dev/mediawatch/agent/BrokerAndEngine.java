package dev.mediawatch.agent;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import dev.mediawatch.testing.TestBroker;
import dev.mediawatch.testing.TestServices;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The agent's real surroundings for a {@code @QuarkusTest}: an in-process broker (Moquette) that records what
 * the agent publishes, and the real dockerd that scripts/test.sh starts (the test fails loudly without it).
 */
public class BrokerAndEngine implements QuarkusTestResourceLifecycleManager {

    /** Marks the test's {@link TestBroker} field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectBroker {
    }

    public static final String HOST = "test-agent";

    /** Init arg: point the agent at this engine address instead of the test dockerd. */
    public static final String DOCKER_HOST_ARG = "docker-host";
    /**
     * Init arg: a catalogue on the test class path; {@code ${probePort}} in it becomes the port of a loopback
     * HTTP server answering {@code /ping} with 200 and {@code /broken} with 500.
     */
    public static final String CATALOGUE_ARG = "catalogue";

    private TestBroker broker;
    private String dockerHostOverride;
    private String catalogueResource;
    private final Map<String, String> extraConfig = new java.util.HashMap<>();
    private com.sun.net.httpserver.HttpServer probeServer;

    @Override
    public void init(Map<String, String> initArgs) {
        dockerHostOverride = initArgs.get(DOCKER_HOST_ARG);
        catalogueResource = initArgs.get(CATALOGUE_ARG);
        // Any other init arg named like a config key is passed on as one.
        initArgs.forEach((k, v) -> {
            if (k.startsWith("mediawatch.")) {
                extraConfig.put(k, v);
            }
        });
    }

    private String writeCatalogue() {
        try {
            probeServer = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            probeServer.createContext("/ping", x -> {
                x.sendResponseHeaders(200, -1);
                x.close();
            });
            probeServer.createContext("/broken", x -> {
                x.sendResponseHeaders(500, -1);
                x.close();
            });
            probeServer.start();
            String text;
            try (java.io.InputStream in = BrokerAndEngine.class.getResourceAsStream(catalogueResource)) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            java.nio.file.Path file = java.nio.file.Files.createTempFile("media.services.", ".yaml");
            file.toFile().deleteOnExit();
            java.nio.file.Files.writeString(file, text.replace("${probePort}",
                    Integer.toString(probeServer.getAddress().getPort())));
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        String dockerHost = dockerHostOverride != null ? dockerHostOverride : TestServices.dockerHost();
        broker = TestBroker.start();
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "mediawatch.host-id", HOST,
                "mediawatch.role", "download",
                "mediawatch.mqtt.host", broker.host(),
                "mediawatch.mqtt.port", Integer.toString(broker.port()),
                "mediawatch.docker.host", dockerHost,
                "mediawatch.publish.interval", "2s",
                "mediawatch.probes.interval", "1s",
                "mediawatch.probes.timeout", "1s"));
        if (catalogueResource != null) {
            config.put("mediawatch.catalogue", writeCatalogue());
        }
        config.putAll(extraConfig);
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(broker, new TestInjector.AnnotatedAndMatchesType(InjectBroker.class, TestBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        if (probeServer != null) {
            probeServer.stop(0);
        }
    }
}
