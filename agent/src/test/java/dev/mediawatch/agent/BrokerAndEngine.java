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

    private TestBroker broker;
    private String dockerHostOverride;

    @Override
    public void init(Map<String, String> initArgs) {
        dockerHostOverride = initArgs.get(DOCKER_HOST_ARG);
    }

    @Override
    public Map<String, String> start() {
        String dockerHost = dockerHostOverride != null ? dockerHostOverride : TestServices.dockerHost();
        broker = TestBroker.start();
        return Map.of(
                "mediawatch.host-id", HOST,
                "mediawatch.role", "download",
                "mediawatch.mqtt.host", broker.host(),
                "mediawatch.mqtt.port", Integer.toString(broker.port()),
                "mediawatch.docker.host", dockerHost,
                "mediawatch.publish.interval", "2s");
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
    }
}
