package dev.mediawatch.agent.publish;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.mediawatch.agent.activity.ActivityWatch;
import dev.mediawatch.agent.compose.ComposeWatch;
import dev.mediawatch.agent.config.AgentIdentity;
import dev.mediawatch.agent.containers.ContainerWatch;
import dev.mediawatch.contract.Command;
import dev.mediawatch.contract.CommandRequest;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.contract.PayloadRejected;
import dev.mediawatch.contract.RejectReason;
import dev.mediawatch.contract.Text;
import dev.mediawatch.contract.ThrottleRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.mqtt.ReceivingMqttMessageMetadata;

/**
 * Commands to this agent on {@code <prefix>/<host>/cmd/<command>}. Runs on the event loop and only enqueues
 * work; a bad command is refused, counted and logged at a bounded rate.
 */
@ApplicationScoped
public class CommandListener {

    private static final Logger LOG = Logger.getLogger(CommandListener.class);

    private final AgentIdentity identity;
    private final ContainerWatch containers;
    private final dev.mediawatch.agent.host.HostWatch host;
    private final ComposeWatch compose;
    private final ActivityWatch activity;
    private final MeterRegistry registry;
    private final LogThrottle logThrottle = new LogThrottle(Duration.ofSeconds(10));

    public CommandListener(AgentIdentity identity, ContainerWatch containers, dev.mediawatch.agent.host.HostWatch host,
            ComposeWatch compose, ActivityWatch activity, MeterRegistry registry) {
        this.activity = activity;
        this.host = host;
        this.compose = compose;
        this.identity = identity;
        this.containers = containers;
        this.registry = registry;
    }

    @Incoming("commands")
    public CompletionStage<Void> onCommand(Message<byte[]> message) {
        String topic = message.getMetadata(ReceivingMqttMessageMetadata.class).map(ReceivingMqttMessageMetadata::getTopic)
                .orElse("");
        Optional<Command> command = identity.topics().parseCommand(identity.host(), topic);
        if (command.isEmpty()) {
            reject(RejectReason.BAD_TOPIC, "unknown command topic " + Text.printable(topic, 120));
            return message.ack();
        }
        try {
            switch (command.get()) {
                case REFRESH -> {
                    CommandRequest request = ContractJson.readCommand(message.getPayload(), command.get());
                    LOG.infof("command %s (request %s)", command.get().wire(),
                            request.requestId() == null ? "-" : request.requestId());
                    // Mounts and I/O resampled first, the secrets audit asked again, the activity asked, then the
                    // state that answers the request (carrying its id).
                    host.refresh();
                    compose.refresh();
                    activity.refresh();
                    containers.refresh(request.requestId());
                }
                case THROTTLE -> {
                    // Renewed every few seconds while the aggregator holds the lease: logged at debug only.
                    ThrottleRequest request = ContractJson.readThrottle(message.getPayload());
                    if (!activity.throttle(request)) {
                        reject("not-allowed", "command throttle (request " + request.requestId()
                                + ") refused: throttling is not allowed on this agent (mediawatch.throttle.allowed)");
                        return message.ack();
                    }
                    LOG.debugf("command throttle %s (request %s)", request.action(), request.requestId());
                }
                case MITIGATION -> {
                    reject(RejectReason.BAD_TOPIC, "command mitigation is for the aggregator, not an agent");
                    return message.ack();
                }
            }
            Counter.builder("mediawatch_agent_commands_total").tag("command", command.get().wire())
                    .description("commands accepted").register(registry).increment();
        } catch (PayloadRejected e) {
            reject(e.reason(), "command " + command.get().wire() + " refused: " + e.getMessage());
        }
        return message.ack();
    }

    private void reject(RejectReason reason, String why) {
        reject(reason.wire(), why);
    }

    /** {@code reason}: a {@link RejectReason}'s wire name, or {@code not-allowed} (a throttle where none is allowed). */
    private void reject(String reason, String why) {
        Counter.builder("mediawatch_agent_commands_rejected_total").tag("reason", reason)
                .description("commands refused, by reason").register(registry).increment();
        long held = logThrottle.tryLog(System.nanoTime());
        if (held >= 0) {
            LOG.warnf("%s%s", why, held > 0 ? " (" + held + " more refused since the last such line)" : "");
        }
    }
}
