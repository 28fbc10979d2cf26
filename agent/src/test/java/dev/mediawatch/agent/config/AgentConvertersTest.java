package dev.mediawatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The agent's own converters: what each takes and what it refuses, with the message. */
class AgentConvertersTest {

    @Test
    void role_isASlugOfAtMost32Characters() {
        RoleConverter c = new RoleConverter();
        assertThat(c.convert("download")).isEqualTo("download");
        assertThat(c.convert(" streaming ")).isEqualTo("streaming");
        assertThat(c.convert("nas-2")).isEqualTo("nas-2");
        assertThat(c.convert("x".repeat(32))).hasSize(32);
        for (String bad : new String[] { "Download", "-download", "download-", "down load", "x".repeat(33), "d_l" }) {
            assertThatThrownBy(() -> c.convert(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not a role; use a slug such as download or streaming");
        }
        assertThat(c.convert(" ")).isNull();
    }

    @Test
    void address_isPrintableWithoutSpaces_atMost253Characters() {
        AddressConverter c = new AddressConverter();
        assertThat(c.convert("192.168.1.20")).isEqualTo("192.168.1.20");
        assertThat(c.convert(" fd00::20 ")).isEqualTo("fd00::20");
        assertThat(c.convert("nas.lan")).isEqualTo("nas.lan");
        assertThat(c.convert("a".repeat(253))).hasSize(253);
        assertThatThrownBy(() -> c.convert("my nas"))
                .hasMessage("'my nas' is not an address; use an IP address or a host name, without spaces");
        assertThatThrownBy(() -> c.convert("a".repeat(254))).hasMessageEndingWith("is not an address; use an IP "
                + "address or a host name, without spaces");
        assertThatThrownBy(() -> c.convert("n\u00e4s")).hasMessageContaining("is not an address");
        assertThat(c.convert("   ")).as("blank is not set").isNull();
    }

    @Test
    void bounds_takeTheirBoundItself_andRefuseLess() {
        assertThat(new Bounds.Interval().convert("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> new Bounds.Interval().convert("999ms")).hasMessage("999ms is too short; use at least 1s");
        assertThat(new Bounds.Timeout().convert("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThatThrownBy(() -> new Bounds.Timeout().convert("99ms")).hasMessage("99ms is too short; use at least 100ms");
        assertThat(new Bounds.StallSpan().convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> new Bounds.StallSpan().convert("9s")).hasMessage("9s is too short; use at least 10s");
    }
}
