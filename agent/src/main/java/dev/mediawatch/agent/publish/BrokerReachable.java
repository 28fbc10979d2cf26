package dev.mediawatch.agent.publish;

/**
 * Fired (CDI event) when the broker acknowledges the agent's availability after a time it could not: at
 * startup and after every outage. Observers republish what the broker may have lost.
 */
public record BrokerReachable() {
}
