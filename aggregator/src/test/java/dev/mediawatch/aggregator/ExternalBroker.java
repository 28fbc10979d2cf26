package dev.mediawatch.aggregator;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** An in-process broker the aggregator uses as its external broker; the test publishes as the agents would. */
public class ExternalBroker implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectBroker {
    }

    private TestBroker broker;

    @Override
    public Map<String, String> start() {
        broker = TestBroker.start();
        return Map.of("mediawatch.mqtt.host", broker.host(), "mediawatch.mqtt.port", Integer.toString(broker.port()),
                "mediawatch.status.max-hosts", "12", "mediawatch.refresh.timeout", "3s");
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
