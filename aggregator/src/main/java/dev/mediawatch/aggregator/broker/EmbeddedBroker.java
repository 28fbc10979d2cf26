package dev.mediawatch.aggregator.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * An MQTT broker inside the aggregator (Moquette), so one machine can run everything with nothing else
 * installed. It runs only when no external broker is configured (or when asked), listens on loopback unless
 * told otherwise, and keeps retained messages in memory: after a restart the agents republish within one
 * interval. For TLS, passwords and ACLs use Mosquitto (deploy/mosquitto).
 */
@Singleton
public class EmbeddedBroker {

    private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class);

    private final AggregatorConfig config;
    private Server server;

    public EmbeddedBroker(AggregatorConfig config) {
        this.config = config;
    }

    public boolean enabled() {
        return config.broker().embedded().orElse(config.mqtt().host().isEmpty());
    }

    /** Before the messaging connectors start (priority 1000), so the aggregator's own client finds it. */
    void onStart(@Observes @Priority(10) StartupEvent event) {
        if (!enabled()) {
            return;
        }
        Properties p = new Properties();
        p.setProperty("host", config.broker().bind());
        p.setProperty("port", Integer.toString(config.mqtt().port()));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("netty.mqtt.message_size", Integer.toString(1024 * 1024));
        Server s = new Server();
        try {
            s.startServer(new MemoryConfig(p), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded MQTT broker on " + config.broker().bind() + ":"
                    + config.mqtt().port() + " (is another broker on that port? set mediawatch.mqtt.host to use it)", e);
        }
        server = s;
        LOG.infof("embedded MQTT broker listening on %s:%d", config.broker().bind(), config.mqtt().port());
    }

    /**
     * After the MQTT connector has closed its clients (it does so on the same event at the default priority),
     * so the aggregator's own client does not try to reconnect to a broker that is gone. A singleton, not
     * application-scoped, so it is still there when the application context has been destroyed. Only when it was
     * built: a startup stopped by a bad configuration value builds no broker, and must not build one to stop it.
     */
    void onStop(@Observes(notifyObserver = Reception.IF_EXISTS) @Priority(5000) @Destroyed(ApplicationScoped.class)
            Object event) {
        if (server != null) {
            server.stopServer();
            server = null;
        }
    }
}
