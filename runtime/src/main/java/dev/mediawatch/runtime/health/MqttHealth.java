package dev.mediawatch.runtime.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import dev.mediawatch.runtime.mqtt.Inbox;
import dev.mediawatch.runtime.mqtt.MqttSession;

/**
 * The MQTT side of the app's health. Ready while connected, every subscription granted and every inbox working;
 * while not, the check says why (the phase, the problem, refused filters, a stuck inbox). Alive unless an inbox can
 * no longer work: a broker outage is not the app's ill health (restarting would not help), a dead worker is.
 */
public final class MqttHealth {

    private MqttHealth() {
    }

    static HealthCheckResponseBuilder describe(String name, MqttSession session) {
        MqttSession.Health h = session.health();
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name)
                .withData("phase", h.phase().name().toLowerCase(java.util.Locale.ROOT))
                .withData("since", java.time.Instant.ofEpochMilli(h.phaseSinceMillis()).toString())
                .withData("reconnects", h.reconnects())
                .withData("sendQueue", h.waiting())
                .withData("inFlight", h.inFlight())
                .withData("oldestUnsentMs", h.oldestWaitingMillis());
        if (h.problem() != null) {
            b.withData("problem", h.problem());
        }
        if (!h.refusedFilters().isEmpty()) {
            b.withData("refused", String.join(", ", h.refusedFilters()));
        }
        for (Inbox inbox : session.inboxes()) {
            Inbox.Health ih = inbox.health();
            b.withData(inbox.name() + "Pending", ih.pendingSlots());
            b.withData(inbox.name() + "LagMs", ih.oldestPendingMillis());
            if (ih.stuck() || !ih.alive()) {
                b.withData(inbox.name() + "Problem", ih.alive() ? "no progress" : "worker not running");
            }
        }
        return b;
    }

    static boolean inboxesWork(MqttSession session) {
        for (Inbox inbox : session.inboxes()) {
            Inbox.Health ih = inbox.health();
            if (!ih.alive() || ih.stuck()) {
                return false;
            }
        }
        return true;
    }

    /** Ready: connected, subscriptions granted, inboxes working. */
    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        private final MqttSession session;

        public Ready(MqttSession session) {
            this.session = session;
        }

        @Override
        public HealthCheckResponse call() {
            return describe("mediawatch-mqtt", session).status(session.health().up() && inboxesWork(session)).build();
        }
    }

    /** Alive: every inbox can work (whether or not the broker is there). */
    @Liveness
    @ApplicationScoped
    public static class Alive implements HealthCheck {
        private final MqttSession session;

        public Alive(MqttSession session) {
            this.session = session;
        }

        @Override
        public HealthCheckResponse call() {
            return describe("mediawatch-mqtt-workers", session).status(inboxesWork(session)).build();
        }
    }
}
