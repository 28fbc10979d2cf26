package dev.mediawatch.contract;

import java.util.Comparator;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A host port a container publishes ({@code HostConfig.PortBindings}).
 *
 * @param hostPort      the port on the host, 1-65535
 * @param containerPort the port inside the container
 * @param protocol      {@code tcp}, {@code udp} or {@code sctp}
 * @param hostIp        the host address it is bound to; absent when every address
 */
@JsonPropertyOrder({ "hostPort", "containerPort", "protocol", "hostIp" })
public record PortBinding(int hostPort, int containerPort, String protocol, String hostIp)
        implements Comparable<PortBinding> {

    private static final Comparator<PortBinding> ORDER = Comparator.comparingInt(PortBinding::hostPort)
            .thenComparing(PortBinding::protocol).thenComparing(b -> b.hostIp == null ? "" : b.hostIp)
            .thenComparingInt(PortBinding::containerPort);

    public PortBinding {
        if (hostPort < 1 || hostPort > 65535) {
            throw new IllegalArgumentException("hostPort must be 1-65535, not " + hostPort);
        }
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
        hostIp = hostIp == null || hostIp.isEmpty() || hostIp.equals("0.0.0.0") || hostIp.equals("::") ? null : hostIp;
        Objects.requireNonNull(protocol);
    }

    /** Two bindings that cannot both hold: same port and protocol, and one of them on every address or both on one. */
    public boolean collidesWith(PortBinding other) {
        return hostPort == other.hostPort && protocol.equals(other.protocol)
                && (hostIp == null || other.hostIp == null || hostIp.equals(other.hostIp));
    }

    /** {@code 8080/tcp}, or {@code 127.0.0.1:8080/tcp}. */
    public String label() {
        return (hostIp == null ? "" : hostIp + ":") + hostPort + "/" + protocol;
    }

    @Override
    public int compareTo(PortBinding o) {
        return ORDER.compare(this, o);
    }
}
