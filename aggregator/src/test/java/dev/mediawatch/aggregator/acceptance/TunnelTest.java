package dev.mediawatch.aggregator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.ServiceIdentity;
import dev.mediawatch.testing.ReverseProxy;

/**
 * The tunnel criterion against a real local reverse proxy (the test's own, {@link ReverseProxy}) in front of real
 * HTTP servers answering with recorded Jellyfin, Navidrome and Jellyseerr bodies (they cannot run here; see
 * {@code fixtures/tunnel/README.md}). The proxy is pointed at the right instance, then at a wrong one, then at
 * nothing, then made to hang.
 */
class TunnelTest {

    static final Instant NOW = Instant.parse("2026-11-21T21:00:00Z");
    static final String ID_210 = "9d2f4c1a7b3e4f60a1c8e5d7b2f9a364";
    static final Tunnel.Located JELLYFIN_210 = new Tunnel.Located("streaming-stack",
            new ServiceIdentity("jellyfin", ID_210, "streaming-stack", "10.10.7"));
    static final Tunnel.Located NAVIDROME_210 = new Tunnel.Located("streaming-stack",
            new ServiceIdentity("navidrome", null, "navidrome", "0.55.2 (7ab9f7c5)"));

    static ReverseProxy.Recorded jellyfin210;
    static ReverseProxy.Recorded jellyfin201;
    static ReverseProxy.Recorded navidrome;
    static ReverseProxy.Recorded jellyseerr;
    static ReverseProxy proxy;
    final Tunnel tunnel = new Tunnel(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build(),
            Duration.ofSeconds(1));

    @BeforeAll
    static void start() throws IOException {
        jellyfin210 = new ReverseProxy.Recorded(Map.of("/System/Info/Public", fixture("jellyfin-210.json")));
        jellyfin201 = new ReverseProxy.Recorded(Map.of("/System/Info/Public", fixture("jellyfin-201.json")));
        navidrome = new ReverseProxy.Recorded(Map.of("/rest/ping.view", fixture("navidrome-ping.json")));
        jellyseerr = new ReverseProxy.Recorded(Map.of("/api/v1/status", fixture("jellyseerr-status.json")));
        proxy = new ReverseProxy();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] { proxy, jellyfin210, jellyfin201, navidrome, jellyseerr }) {
            try {
                c.close();
            } catch (Exception e) {
                // closing
            }
        }
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = TunnelTest.class.getResourceAsStream("/fixtures/tunnel/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Tunnel.Result check(String service, Tunnel.Located local) {
        return tunnel.check(new Tunnel.Target(proxy.url(), service), local, NOW);
    }

    @Test
    void jellyfin_throughTheTunnel_isTheStreamingVmsInstance_byItsServerId() {
        proxy.pointAt(jellyfin210.url());
        Tunnel.Result r = check("jellyfin", JELLYFIN_210);
        assertThat(r.pass()).as(r.evidence()).isTrue();
        assertThat(r.evidence()).isEqualTo("127.0.0.1 answers as Jellyfin \"streaming-stack\" on streaming-stack (server Id "
                + ID_210 + ")");
    }

    @Test
    void jellyfin_fromTheOldVm_failsIt_namingBothIds() {
        proxy.pointAt(jellyfin201.url());
        Tunnel.Result r = check("jellyfin", JELLYFIN_210);
        assertThat(r.pass()).isFalse();
        assertThat(r.evidence()).isEqualTo("127.0.0.1 answers as another Jellyfin (Id e03b7a5c2d8f41b6935c0f1a4d6e8b27, "
                + "streaming-stack's is " + ID_210 + "): the tunnel does not reach streaming-stack");
    }

    @Test
    void jellyfin_withoutTheAgentsOwnId_cannotBeProved() {
        proxy.pointAt(jellyfin210.url());
        Tunnel.Result r = check("jellyfin", null);
        assertThat(r.pass()).isFalse();
        assertThat(r.evidence()).contains("no agent reports its local Jellyfin's id to compare");
    }

    @Test
    void anotherServiceBehindTheJellyfinUrl_failsIt() {
        proxy.pointAt(navidrome.url());
        Tunnel.Result r = check("jellyfin", JELLYFIN_210);
        assertThat(r.pass()).isFalse();
        assertThat(r.evidence()).isEqualTo("127.0.0.1: IOException HTTP 404");
    }

    @Test
    void navidrome_isProvedByItsEnvelope_andVersion() {
        proxy.pointAt(navidrome.url());
        Tunnel.Result r = check("navidrome", NAVIDROME_210);
        assertThat(r.pass()).as(r.evidence()).isTrue();
        assertThat(r.evidence()).isEqualTo("127.0.0.1 answers as Navidrome 0.55.2 (7ab9f7c5) as on streaming-stack");

        Tunnel.Result other = check("navidrome", new Tunnel.Located("streaming-stack",
                new ServiceIdentity("navidrome", null, "navidrome", "0.56.0 (1c2d3e4f)")));
        assertThat(other.pass()).isFalse();
        assertThat(other.evidence()).isEqualTo("127.0.0.1 answers as Navidrome 0.55.2 (7ab9f7c5), streaming-stack's is "
                + "0.56.0 (1c2d3e4f): another instance");

        proxy.pointAt(jellyfin210.url());
        assertThat(check("navidrome", NAVIDROME_210).evidence()).isEqualTo("127.0.0.1: IOException HTTP 404");
    }

    @Test
    void jellyseerr_isProvedHealthy_only() {
        proxy.pointAt(jellyseerr.url());
        Tunnel.Result r = check("jellyseerr", null);
        assertThat(r.pass()).isTrue();
        assertThat(r.evidence()).isEqualTo("127.0.0.1 answers as Jellyseerr 2.5.2 (its API has no instance id: healthy is "
                + "all that is proved)");
    }

    @Test
    void aTunnelWhoseVmIsDown_answers502_andFails() throws IOException {
        ReverseProxy.Recorded gone = new ReverseProxy.Recorded(Map.of());
        URI dead = gone.url();
        gone.close();
        proxy.pointAt(dead);
        Tunnel.Result r = check("jellyfin", JELLYFIN_210);
        assertThat(r.pass()).isFalse();
        assertThat(r.evidence()).isEqualTo("127.0.0.1: IOException HTTP 502");
    }

    @Test
    void aTunnelThatHangs_failsAfterTheTimeout_andDoesNotHoldTheChecker() {
        proxy.hang();
        try {
            long start = System.nanoTime();
            Tunnel.Result r = check("jellyfin", JELLYFIN_210);
            assertThat(r.pass()).isFalse();
            assertThat(r.evidence()).isEqualTo("127.0.0.1 did not answer within 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the timeout, not the server")
                    .isLessThan(Duration.ofSeconds(30));
        } finally {
            proxy.pointAt(jellyfin210.url());
        }
    }

    @Test
    void nothingListening_failsIt() throws IOException {
        ReverseProxy.Recorded gone = new ReverseProxy.Recorded(Map.of());
        URI dead = gone.url();
        gone.close();
        Tunnel.Result r = tunnel.check(new Tunnel.Target(dead, "jellyseerr"), null, NOW);
        assertThat(r.pass()).isFalse();
        assertThat(r.evidence()).startsWith("127.0.0.1: ConnectException");
    }

    @Test
    void theCriterion_passesOnlyWhenEveryUrlDoes_andSaysWhatToSetWithoutUrls() {
        proxy.pointAt(jellyfin210.url());
        List<Tunnel.Target> targets = List.of(new Tunnel.Target(proxy.url(), "jellyfin"),
                new Tunnel.Target(jellyseerr.url(), "jellyseerr"));
        Tunnel.Report ok = tunnel.check(targets, s -> s.equals("jellyfin") ? Optional.of(JELLYFIN_210) : Optional.empty(),
                NOW);
        assertThat(ok.check().pass()).isTrue();
        assertThat(ok.check().evidence()).hasSize(2);

        proxy.pointAt(jellyfin201.url());
        Check bad = tunnel.check(targets, s -> s.equals("jellyfin") ? Optional.of(JELLYFIN_210) : Optional.empty(), NOW)
                .check();
        assertThat(bad.pass()).isFalse();
        assertThat(bad.evidence()).anyMatch(e -> e.contains("another Jellyfin"))
                .anyMatch(e -> e.contains("answers as Jellyseerr"));

        assertThat(Tunnel.Report.none(List.of()).check().evidence()).containsExactly("no public URL listed: set "
                + "mediawatch.acceptance.tunnel, e.g. https://jellyfin.example.org=jellyfin");
        assertThat(Tunnel.Report.none(targets).check().evidence()).containsExactly("not checked yet");
    }

    @Test
    void theUrlList_isParsed_andAMistakeNamesTheEntry() {
        assertThat(Tunnel.parse(List.of("https://jellyfin.example.org=jellyfin", " https://music.example.org/ = Navidrome ")))
                .containsExactly(new Tunnel.Target(URI.create("https://jellyfin.example.org"), "jellyfin"),
                        new Tunnel.Target(URI.create("https://music.example.org/"), "navidrome"));
        assertThatThrownBy(() -> Tunnel.parse(List.of("https://jellyfin.example.org")))
                .hasMessage("mediawatch.acceptance.tunnel: 'https://jellyfin.example.org': expected <url>=<service>, "
                        + "e.g. https://jellyfin.example.org=jellyfin");
        assertThatThrownBy(() -> Tunnel.parse(List.of("ftp://x.example.org=jellyfin")))
                .hasMessageContaining("an http(s) URL with a host and no user in it");
        assertThatThrownBy(() -> Tunnel.parse(List.of("https://user:secret@x.example.org=jellyfin")))
                .hasMessageContaining("no user in it").hasMessageNotContaining("secret");
    }
}
