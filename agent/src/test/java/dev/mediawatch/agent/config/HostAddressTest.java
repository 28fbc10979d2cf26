package dev.mediawatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which of the machine's addresses is the one it is reached at, when none is configured. */
class HostAddressTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void firstNonLoopbackIpv4_ofAnInterfaceThatIsUp_inIndexOrder() throws Exception {
        List<HostAddress.Nic> nics = List.of(
                new HostAddress.Nic(3, true, false, List.of(ip("172.17.0.1"))), // docker0, made after eth0
                new HostAddress.Nic(1, true, true, List.of(ip("127.0.0.1"), ip("::1"))),
                new HostAddress.Nic(2, true, false, List.of(ip("fe80::1"), ip("169.254.10.1"), ip("192.168.1.209"))),
                new HostAddress.Nic(0, false, false, List.of(ip("10.0.0.5"))));
        assertThat(HostAddress.choose(nics)).contains("192.168.1.209");
    }

    @Test
    void noneWhenOnlyLoopbackIpv6OrDown() throws Exception {
        assertThat(HostAddress.choose(List.of(
                new HostAddress.Nic(1, true, true, List.of(ip("127.0.0.1"))),
                new HostAddress.Nic(2, true, false, List.of(ip("2001:db8::10"))),
                new HostAddress.Nic(3, false, false, List.of(ip("10.0.0.5")))))).isEmpty();
    }

    @Test
    void thisMachine_hasOne_andItIsNotLoopback() {
        // The build machines have eth0 with an IPv4 address (192.0.2.2 on the one this was written on).
        assertThat(HostAddress.detect()).hasValueSatisfying(a -> assertThat(a).doesNotStartWith("127."));
    }
}
