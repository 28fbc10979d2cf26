package dev.mediawatch.agent.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The address this host is reached at when {@code mediawatch.address} is not set: the first non-loopback IPv4
 * address on an interface that is up, interfaces in index order ({@code lo}, then {@code eth0}, ... as
 * {@code ip addr} lists them). Link-local addresses (169.254.0.0/16) are passed over: nothing else reaches a
 * host there.
 */
public final class HostAddress {

    /** What the choice needs of one network interface. */
    record Nic(int index, boolean up, boolean loopback, List<InetAddress> addresses) {
    }

    private HostAddress() {
    }

    /** Looks at this machine's interfaces; empty when none qualifies or they cannot be listed. */
    public static Optional<String> detect() {
        List<Nic> nics = new ArrayList<>();
        try {
            var all = NetworkInterface.getNetworkInterfaces();
            if (all == null) {
                return Optional.empty();
            }
            for (NetworkInterface n : Collections.list(all)) {
                try {
                    nics.add(new Nic(n.getIndex(), n.isUp(), n.isLoopback(), Collections.list(n.getInetAddresses())));
                } catch (SocketException e) {
                    // An interface that went away while listed: not the one to report.
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return choose(nics);
    }

    static Optional<String> choose(List<Nic> nics) {
        return nics.stream()
                .filter(n -> n.up() && !n.loopback())
                .sorted(Comparator.comparingInt(Nic::index))
                .flatMap(n -> n.addresses().stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()
                        && !a.isAnyLocalAddress())
                .map(InetAddress::getHostAddress)
                .findFirst();
    }
}
