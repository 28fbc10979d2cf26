package dev.mediawatch.aggregator.status;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.ingest.Ingest;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.aggregator.config.Gauges;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.MeterRegistry;

/** Holds the registry and builds the status on demand; the Quarkus-facing wiring of the plain classes. */
@ApplicationScoped
public class StatusService {

    private final HostRegistry registry;
    private final StatusBuilder builder;
    private final Ingest ingest;
    private final Clock clock = Clock.systemUTC();

    public StatusService(AggregatorConfig config, MeterRegistry meters) {
        Topics topics;
        try {
            topics = Topics.withPrefix(config.topicPrefix());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mediawatch.topic-prefix: " + e.getMessage(), e);
        }
        this.registry = new HostRegistry(clock, config.status().maxHosts(), config.status().recentEvents());
        this.builder = new StatusBuilder(config.status().staleAfter(), config.status().downAfter());
        this.ingest = new Ingest(topics, registry, meters);
        for (HostHealth h : HostHealth.values()) {
            Gauges.replace(meters, "mediawatch_hosts", "hosts by status", Tags.of("status", h.wire()), this,
                    s -> s.count(h));
        }
    }

    public Ingest ingest() {
        return ingest;
    }

    public HostRegistry registry() {
        return registry;
    }

    public StatusReport report() {
        return builder.build(registry.hosts(), clock.instant());
    }

    private double count(HostHealth health) {
        return report().hosts().stream().filter(h -> h.status() == health).count();
    }
}
