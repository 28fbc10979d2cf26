package dev.mediawatch.agent.config;

import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Topics;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who this agent is on the wire: its host id, role, version and topics. Built once from the configuration;
 * a bad value stops startup with the key's name and the problem.
 */
@Singleton
public class AgentIdentity {

    private static final Pattern ROLE = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?");

    private final HostId host;
    private final String role;
    private final String version;
    private final Topics topics;
    private final String address;

    public AgentIdentity(AgentConfig config,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.host = config.hostId();
        if (!ROLE.matcher(config.role()).matches()) {
            throw new IllegalArgumentException("mediawatch.role: '" + dev.mediawatch.contract.Text.printable(config.role(), 40)
                    + "' is not a role; use a slug such as download or streaming");
        }
        this.role = config.role();
        try {
            this.topics = Topics.withPrefix(config.topicPrefix());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mediawatch.topic-prefix: " + e.getMessage(), e);
        }
        if (config.publish().interval().compareTo(java.time.Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("mediawatch.publish.interval: " + config.publish().interval()
                    + " is too short; use at least 1s");
        }
        this.version = version;
        this.address = config.address().map(AgentIdentity::checkAddress).orElseGet(() -> HostAddress.detect().orElse(null));
    }

    private static String checkAddress(String configured) {
        String a = configured.strip();
        if (a.isEmpty() || a.length() > 253 || !a.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("mediawatch.address: '" + dev.mediawatch.contract.Text.printable(configured, 60)
                    + "' is not an address; use an IP address or a host name, without spaces");
        }
        return a;
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
