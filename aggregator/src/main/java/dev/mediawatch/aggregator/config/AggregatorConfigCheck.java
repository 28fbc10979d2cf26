package dev.mediawatch.aggregator.config;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.mediawatch.runtime.config.ConfigProblems;
import io.quarkus.runtime.StartupEvent;

/**
 * The checks of the aggregator's configuration that relate several values. Each single value is checked by its
 * converter where {@link AggregatorConfig} declares it, before any bean is built; these run first at startup, before
 * every other startup observer (the embedded broker starts at priority 10), and stop it naming every key involved.
 */
@Singleton
public class AggregatorConfigCheck {

    void onStart(@Observes @Priority(1) StartupEvent event, AggregatorConfig config) {
        check(config).stopIfAny();
    }

    /** What is wrong between the values, one sentence each naming the keys; empty when nothing is. */
    static List<String> problems(AggregatorConfig config) {
        return check(config).list();
    }

    private static ConfigProblems check(AggregatorConfig config) {
        ConfigProblems problems = new ConfigProblems();
        if (config.mqtt().tls() && config.mqtt().host().isEmpty()) {
            problems.add("mediawatch.mqtt.tls is true but mediawatch.mqtt.host is not set: the embedded broker speaks "
                    + "plain MQTT on loopback only; set mediawatch.mqtt.host to a TLS broker");
        }
        AggregatorConfig.Acceptance acceptance = config.acceptance();
        problems.longer("mediawatch.acceptance.tunnel-interval", acceptance.tunnelInterval(),
                "mediawatch.acceptance.tunnel-timeout", acceptance.tunnelTimeout(), null);
        // Renewed no more often than the lease runs, the limits would lapse between two renewals.
        AggregatorConfig.Mitigation mitigation = config.mitigation();
        problems.shorter("mediawatch.mitigation.renew-every", mitigation.renewEvery(), "mediawatch.mitigation.lease",
                mitigation.lease(), "or the limits lapse between renewals");
        return problems;
    }
}
