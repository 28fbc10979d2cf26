package dev.mediawatch.agent.commands;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.mediawatch.agent.activity.ActivityWatch;
import dev.mediawatch.agent.compose.ComposeWatch;
import dev.mediawatch.agent.config.AgentIdentity;
import dev.mediawatch.agent.containers.ContainerWatch;
import dev.mediawatch.agent.host.HostWatch;
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
import dev.mediawatch.runtime.mqtt.Inbox;
import dev.mediawatch.runtime.mqtt.MqttSession;
import io.quarkus.runtime.StartupEvent;

/**
 * Commands to this agent on {@code <prefix>/<host>/cmd/<command>}. The event loop hands them to the command inbox
 * (a few waiting per command topic, in order; a flood sheds the oldest, counted); they are carried out on its worker,
 * which only starts work on the collectors' own threads. A bad command is refused, counted and logged at a bounded
 * rate.
 */
@ApplicationScoped
public class CommandListener {

    private static final Logger LOG = Logger.getLogger(CommandListener.class);

    private final AgentIdentity identity;
    private final ContainerWatch containers;
    private final HostWatch host;
    private final ComposeWatch compose;
    private final ActivityWatch activity;
    private final MeterRegistry registry;
    private final LogThrottle logThrottle = new LogThrottle(Duration.ofSeconds(10));

    public CommandListener(AgentIdentity identity, ContainerWatch containers, HostWatch host,
            ComposeWatch compose, ActivityWatch activity, MeterRegistry registry) {
        this.activity = activity;
        this.host = host;
        this.compose = compose;
        this.identity = identity;
        this.containers = containers;
        this.registry = registry;
    }

    /** Commands waiting per agent, at most; beyond, the oldest is shed. */
    static final int WAITING = 32;

    void onStart(@Observes StartupEvent event, MqttSession session, Inbox inbox) {
        Inbox.Lane lane = inbox.lane("command", Inbox.Mode.QUEUE, WAITING, this::onCommand);
        session.subscribe(identity.topics().commandFilter(identity.host()), (t, p, r) -> lane.offer(t, p));
    }

    void onCommand(String topic, byte[] payload) {
        Optional<Command> command = identity.topics().parseCommand(identity.host(), topic);
        if (command.isEmpty()) {
            reject(RejectReason.BAD_TOPIC, "unknown command topic " + Text.printable(topic, 120));
            return;
        }
        try {
            switch (command.get()) {
                case REFRESH -> {
                    CommandRequest request = ContractJson.readCommand(payload, command.get());
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
                    ThrottleRequest request = ContractJson.readThrottle(payload);
                    if (!activity.throttle(request)) {
                        reject("not-allowed", "command throttle (request " + request.requestId()
                                + ") refused: throttling is not allowed on this agent (mediawatch.throttle.allowed)");
                        return;
                    }
                    LOG.debugf("command throttle %s (request %s)", request.action(), request.requestId());
                }
                case MITIGATION -> {
                    reject(RejectReason.BAD_TOPIC, "command mitigation is for the aggregator, not an agent");
                    return;
                }
            }
            Counter.builder("mediawatch_agent_commands_total").tag("command", command.get().wire())
                    .description("commands accepted").register(registry).increment();
        } catch (PayloadRejected e) {
            reject(e.reason(), "command " + command.get().wire() + " refused: " + e.getMessage());
        }
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
