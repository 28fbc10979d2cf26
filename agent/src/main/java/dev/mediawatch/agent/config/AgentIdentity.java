package dev.mediawatch.agent.config;

import jakarta.inject.Singleton;

import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Topics;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who this agent is on the wire: its host id, role, version and topics. Built once from the configuration, whose
 * mapping ({@link AgentConfig}) has checked every value.
 */
@Singleton
public class AgentIdentity {

    private final HostId host;
    private final String role;
    private final String version;
    private final Topics topics;
    private final String address;

    public AgentIdentity(AgentConfig config,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.host = config.hostId();
        this.role = config.role();
        this.topics = Topics.withPrefix(config.topicPrefix());
        this.version = version;
        this.address = config.address().orElseGet(() -> HostAddress.detect().orElse(null));
    }

    public HostId host() {
        return host;
    }

    public String role() {
        return role;
    }

    public String version() {
        return version;
    }

    public Topics topics() {
        return topics;
    }

    /**
     * The address this host is reached at: {@code mediawatch.address}, else the first non-loopback IPv4 address
     * found at startup ({@link HostAddress}); null when neither.
     */
    public String address() {
        return address;
    }
}
