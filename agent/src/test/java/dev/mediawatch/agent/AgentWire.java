package dev.mediawatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.PayloadRejected;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.TestBroker;

/** What the test agent put on the wire, read back through the contract (so it is also checked against it). */
record AgentWire(TestBroker broker, Topics topics, HostId host) {

    static AgentWire of(TestBroker broker) {
        return new AgentWire(broker, Topics.defaults(), HostId.of(BrokerAndEngine.HOST));
    }

    /** The newest retained state; fails when none was published. */
    HostState state() throws PayloadRejected {
        TestBroker.Published last = broker.last(topics.state(host));
        assertThat(last).as("a state was published").isNotNull();
        assertThat(last.retained()).as("the state is retained").isTrue();
        return ContractJson.readState(last.payload(), host);
    }

    /** Every event published so far, oldest first; an invalid one fails the test. */
    List<HostEvent> events() {
        return broker.messages(topics.events(host)).stream().map(this::event).toList();
    }

    HostEvent event(TestBroker.Published m) {
        try {
            return ContractJson.readEvent(m.payload(), host);
        } catch (PayloadRejected e) {
            throw new AssertionError("the agent published an invalid event: " + m.text(), e);
        }
    }

    static ContainerState container(HostState state, String name) {
        return state.containers().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + state.containers().stream()
                        .map(ContainerState::name).toList()));
    }
}
