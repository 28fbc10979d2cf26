package dev.mediawatch.aggregator.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.mediawatch.runtime.config.Values;
import io.quarkus.runtime.StartupEvent;

/**
 * The checks of the aggregator's configuration that relate several values. Each single value is checked by its
 * converter where {@link AggregatorConfig} declares it, before any bean is built; these run first at startup, before
 * every other startup observer (the embedded broker starts at priority 10), and stop it naming every key involved.
 */
@Singleton
public class AggregatorConfigCheck {

    void onStart(@Observes @Priority(1) StartupEvent event, AggregatorConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** What is wrong between the values, one sentence each naming the keys; empty when nothing is. */
    static List<String> problems(AggregatorConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.mqtt().tls() && config.mqtt().host().isEmpty()) {
            problems.add("mediawatch.mqtt.tls is true but mediawatch.mqtt.host is not set: the embedded broker speaks "
                    + "plain MQTT on loopback only; set mediawatch.mqtt.host to a TLS broker");
        }
        AggregatorConfig.Acceptance acceptance = config.acceptance();
        if (acceptance.tunnelInterval().compareTo(acceptance.tunnelTimeout()) <= 0) {
            problems.add("mediawatch.acceptance.tunnel-interval: " + human(acceptance.tunnelInterval())
                    + " must be longer than mediawatch.acceptance.tunnel-timeout (" + human(acceptance.tunnelTimeout())
                    + ")");
        }
        // Renewed no more often than the lease runs, the limits would lapse between two renewals.
        AggregatorConfig.Mitigation mitigation = config.mitigation();
        if (mitigation.renewEvery().compareTo(mitigation.lease()) >= 0) {
            problems.add("mediawatch.mitigation.renew-every: " + human(mitigation.renewEvery())
                    + " must be shorter than mediawatch.mitigation.lease (" + human(mitigation.lease())
                    + "), or the limits lapse between renewals");
        }
        return problems;
    }

    private static String human(Duration d) {
        return Values.human(d);
    }
}
