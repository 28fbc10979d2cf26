package dev.mediawatch.agent.engine;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;

/**
 * Where the engine listens: {@code unix:///path/docker.sock}, or {@code tcp://host:port} (plain HTTP, as the
 * engine's unencrypted TCP socket; port 2375 when none is given). A host name is resolved again at every
 * connection.
 */
final class EngineAddress {

    /** Docker's port for its unencrypted TCP socket. */
    static final int PLAIN_TCP_PORT = 2375;

    private final String socketPath;
    private final String host;
    private final int port;

    private EngineAddress(String socketPath, String host, int port) {
        this.socketPath = socketPath;
        this.host = host;
        this.port = port;
    }

    static EngineAddress parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("no container engine address");
        }
        String a = address.strip();
        if (a.startsWith("unix://")) {
            String path = a.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("the engine's socket must be an absolute path: unix:///path/docker.sock");
            }
            return new EngineAddress(path, null, 0);
        }
        if (a.startsWith("tcp://")) {
            URI uri;
            try {
                uri = new URI(a);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not an engine address, tcp://host:port expected");
            }
            String path = uri.getRawPath();
            if (uri.getHost() == null || (path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("not an engine address, tcp://host:port expected");
            }
            String h = uri.getHost();
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            return new EngineAddress(null, h, uri.getPort() < 0 ? PLAIN_TCP_PORT : uri.getPort());
        }
        // Never echo the address: it could carry user info.
        throw new IllegalArgumentException("the container engine's address must start with unix:// or tcp://");
    }

    boolean unix() {
        return socketPath != null;
    }

    /** Resolved now: a host name may move. */
    SocketAddress socketAddress() {
        return unix() ? UnixDomainSocketAddress.of(socketPath) : new InetSocketAddress(host, port);
    }

    /** The Host header: the engine does not look at it, but HTTP/1.1 wants one. */
    String hostHeader() {
        if (unix()) {
            return "localhost";
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return unix() ? "unix://" + socketPath : "tcp://" + hostHeader();
    }
}
