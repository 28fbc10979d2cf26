package dev.mediawatch.aggregator.api;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.mediawatch.aggregator.status.StatusService;
import dev.mediawatch.contract.HostHealth;
import dev.mediawatch.contract.StatusReport;

/**
 * Ready while the status is being built (the broker connection has its own check from the MQTT connector).
 * Hosts being down is the status's news, not the aggregator's ill health: the counts are data, not the verdict.
 */
@Readiness
@ApplicationScoped
public class StatusHealth implements HealthCheck {

    static final long MAX_AGE_SECONDS = 10;

    private final StatusService status;

    public StatusHealth(StatusService status) {
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        long ageMs = TimeUnit.NANOSECONDS.toMillis(status.ageNanos());
        StatusReport r = status.report();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("mediawatch-status")
                .status(ageMs <= MAX_AGE_SECONDS * 1000)
                .withData("builtMsAgo", ageMs);
        for (HostHealth h : HostHealth.values()) {
            b.withData("hosts" + h.wire().substring(0, 1).toUpperCase() + h.wire().substring(1),
                    r.hosts().stream().filter(x -> x.status() == h).count());
        }
        return b.withData("openAlerts", r.alerts().size()).build();
    }
}
