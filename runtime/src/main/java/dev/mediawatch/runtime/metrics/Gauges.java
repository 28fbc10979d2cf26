package dev.mediawatch.runtime.metrics;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Registers a gauge so that the newest owner wins. Micrometer ignores a second gauge with the same id and
 * keeps reading the first object, and Quarkus tests restart the app in one JVM with one global registry:
 * without this, a restarted app's gauges would report the previous instance's numbers.
 */
public final class Gauges {

    private Gauges() {
    }

    public static <T> void replace(MeterRegistry registry, String name, String description, Tags tags, T owner,
            ToDoubleFunction<T> value) {
        Meter old = registry.find(name).tags(tags).gauge();
        if (old != null) {
            registry.remove(old);
        }
        Gauge.builder(name, owner, value).tags(tags).description(description).register(registry);
    }

    /** The same for a counter read from its owner (a {@code FunctionCounter}). */
    public static <T> void replaceCounter(MeterRegistry registry, String name, String description, T owner,
            ToDoubleFunction<T> value) {
        Meter old = registry.find(name).functionCounter();
        if (old != null) {
            registry.remove(old);
        }
        io.micrometer.core.instrument.FunctionCounter.builder(name, owner, value).description(description)
                .register(registry);
    }
}
