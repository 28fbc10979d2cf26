package dev.mediawatch.agent.publish;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.mediawatch.agent.config.AgentConfig;
import dev.mediawatch.agent.config.AgentIdentity;
import dev.mediawatch.mqtt.MqttConnectionSecurity;
import dev.mediawatch.runtime.Fatal;
import dev.mediawatch.runtime.mqtt.Inbox;
import dev.mediawatch.runtime.mqtt.MqttSession;
import dev.mediawatch.runtime.mqtt.MqttSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The agent's one MQTT session and the inbox of its commands. The session's presence is the agent's own
 * {@code <prefix>/<host>/availability}: online on every connect and every publish interval, and again whenever an
 * old connection's last will says offline (docs/decisions/0002-availability-self-watch.md); the last will says
 * offline; a clean stop says it itself. When the broker acknowledges the first online after a connect,
 * {@link BrokerReachable} is fired so the events that waited and the state go out at once.
 */
public class MqttSetup {

    @Produces
    @Singleton
    MqttSession session(AgentConfig config, AgentIdentity identity, Vertx vertx, MeterRegistry meters,
            Event<BrokerReachable> reachable) {
        MqttSession session = new MqttSession(vertx, settings(config, identity), meters);
        session.onReachable(() -> reachable.fire(new BrokerReachable()));
        return session;
    }

    static MqttSettings settings(AgentConfig config, AgentIdentity identity) {
        AgentConfig.Mqtt mqtt = config.mqtt();
        MqttConnectionSecurity security = MqttConnectionSecurity.resolve("mediawatch.mqtt", mqtt.password(),
                mqtt.passwordFile(), mqtt.tls(), mqtt.caFile());
        // A fixed client id: a restarted agent takes over its old session at once, and a broker ACL can pin the id
        // to the host's user.
        return MqttSettings.of(mqtt.host(), mqtt.port(), mqtt.clientId().orElse("mediawatch-agent-" + identity.host()),
                mqtt.username(), security, mqtt.keepAliveSeconds(), MqttSettings.DEFAULT_MAX_IN_FLIGHT,
                identity.topics().availability(identity.host()), config.publish().interval());
    }

    /** The agent's commands wait here, a few per topic, for the {@code mediawatch-commands} worker. */
    @Produces
    @Singleton
    Inbox commandInbox(MqttSession session, AgentIdentity identity, MeterRegistry meters) {
        String own = identity.host().value();
        Inbox inbox = new Inbox("commands", topic -> own, source -> true,
                new Inbox.Limits(64, 64, 4L * 1024 * 1024, Duration.ofSeconds(60)), meters,
                () -> Fatal.exit("the command worker cannot go on"));
        session.watch(inbox);
        return inbox;
    }

    /** After every subscriber has registered (default priority). */
    void onStart(@Observes @Priority(3000) StartupEvent event, MqttSession session, Inbox inbox) {
        session.start(inbox);
    }

    /** First on the way out: offline said and the connection closed cleanly. */
    void onStop(@Observes @Priority(1) ShutdownEvent event, MqttSession session, Inbox inbox) {
        session.stop(inbox, Duration.ofSeconds(2));
    }
}
