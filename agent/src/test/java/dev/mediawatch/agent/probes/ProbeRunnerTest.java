package dev.mediawatch.agent.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.mediawatch.agent.TestHttp;
import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ExpectedState;
import dev.mediawatch.catalogue.HealthProbe;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.ServiceProbe;
import dev.mediawatch.testing.Ports;

/**
 * Probes against real HTTP servers on loopback that answer 200, 500, slowly, or not at all, and a port
 * nobody listens on.
 */
class ProbeRunnerTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private HttpServer http;
    private ServerSocket silent;
    private final List<Socket> silentConnections = new CopyOnWriteArrayList<>();
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final AtomicInteger slowRequests = new AtomicInteger();
    private final Map<String, String> apiKeysSeen = new ConcurrentHashMap<>();
    private final List<String[]> changes = new CopyOnWriteArrayList<>();
    private final List<String> listenerThreads = new CopyOnWriteArrayList<>();
    private ProbeRunner runner;

    @BeforeEach
    void servers() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        http.createContext("/ping", x -> {
            apiKeysSeen.put("ping", String.valueOf(x.getRequestHeaders().getFirst("X-Api-Key")));
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        http.createContext("/broken", x -> {
            x.sendResponseHeaders(500, -1);
            x.close();
        });
        http.createContext("/slow", x -> {
            slowRequests.incrementAndGet();
            try {
                // The server is slow until the test ends; the probe must give up at its timeout.
                releaseSlow.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        http.start();
        // Accepts connections and never says a word: a hung service.
        silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            try {
                while (!silent.isClosed()) {
                    silentConnections.add(silent.accept());
                }
            } catch (IOException closed) {
                // The test is over.
                return;
            }
        }, "silent-server");
        accept.setDaemon(true);
        accept.start();
    }

    @AfterEach
    void stop() throws IOException {
        releaseSlow.countDown();
        if (runner != null) {
            runner.close();
        }
        http.stop(0);
        silent.close();
        for (Socket s : silentConnections) {
            s.close();
        }
    }

    private CatalogueService service(String name, int port, String path) {
        return new CatalogueService(name, HostId.of("download-stack"), "management", ExpectedState.RUNNING, name, null,
                List.of(port), new HealthProbe(path, port, 200), 1);
    }

    private ServiceProbe result(String name) {
        return runner.results().stream().filter(r -> r.service().equals(name)).findFirst().orElse(null);
    }

    @Test
    void up_down_slow_silent_andRefused_eachGetTheirVerdict_withinTheTimeout() {
        int port = http.getAddress().getPort();
        int closedPort = Ports.free();
        List<CatalogueService> services = new ArrayList<>(List.of(
                service("sonarr", port, "/ping"),
                service("radarr", port, "/broken"),
                service("lidarr", port, "/slow"),
                service("hung", silent.getLocalPort(), "/ping"),
                service("gone", closedPort, "/ping")));
        services.add(new CatalogueService("unpackerr", HostId.of("download-stack"), "download", ExpectedState.RUNNING,
                "unpackerr", null, List.of(), null, 1));
        runner = new ProbeRunner(TestHttp.CLIENT, services, "127.0.0.1", TIMEOUT, Clock.systemUTC(),
                name -> name.equals("sonarr") ? Optional.of("s3cret") : Optional.empty(), (r, previous) -> {
                    changes.add(new String[] { r.service(), String.valueOf(r.up()) });
                    listenerThreads.add(Thread.currentThread().getName());
                });
        assertThat(runner.targets()).isEqualTo(5);

        runner.probeAll();
        // The slow and the silent server never answer before the test ends: results for them can only come
        // from the probe's own timeout.
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.results().size() == 5);

        assertThat(result("sonarr")).satisfies(r -> {
            assertThat(r.up()).isTrue();
            assertThat(r.httpStatus()).isEqualTo(200);
            assertThat(r.latencyMs()).isNotNull().isLessThan(TIMEOUT.toMillis());
            assertThat(r.url()).isEqualTo("http://127.0.0.1:" + port + "/ping");
            assertThat(r.error()).isNull();
        });
        assertThat(apiKeysSeen).containsEntry("ping", "s3cret");
        assertThat(result("sonarr").toString()).doesNotContain("s3cret");
        assertThat(result("radarr")).satisfies(r -> {
            assertThat(r.up()).isFalse();
            assertThat(r.httpStatus()).isEqualTo(500);
            assertThat(r.error()).isEqualTo("status 500, expected 200");
        });
        assertThat(result("lidarr")).satisfies(r -> {
            assertThat(r.up()).isFalse();
            assertThat(r.error()).isEqualTo("timeout");
            assertThat(r.httpStatus()).isNull();
        });
        assertThat(result("hung").error()).isEqualTo("timeout");
        assertThat(result("gone").error()).isEqualTo("connection refused");
        assertThat(result("unpackerr")).isNull();
        // Told on the shared client's own threads, not on the JVM's common pool.
        assertThat(listenerThreads).isNotEmpty().allMatch(name -> name.startsWith("test-http-"));
    }

    @Test
    void closed_startsNoMoreProbes() {
        runner = new ProbeRunner(TestHttp.CLIENT, List.of(service("sonarr", http.getAddress().getPort(), "/ping")),
                "127.0.0.1", TIMEOUT, Clock.systemUTC(), name -> Optional.empty(), (r, p) -> { });
        runner.close();
        runner.probeAll();
        assertThat(apiKeysSeen).isEmpty();
        assertThat(runner.results()).isEmpty();
    }

    @Test
    void aProbeStillInFlight_isNotStartedAgain() throws Exception {
        // A timeout long enough that the slow server holds the probe for the whole test.
        runner = new ProbeRunner(TestHttp.CLIENT, List.of(service("lidarr", http.getAddress().getPort(), "/slow")),
                "127.0.0.1", Duration.ofSeconds(20), Clock.systemUTC(), name -> Optional.empty(), (r, p) -> { });
        runner.probeAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> slowRequests.get() == 1);
        runner.probeAll();
        runner.probeAll();
        releaseSlow.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.results().size() == 1);
        assertThat(slowRequests.get()).isEqualTo(1);
        assertThat(result("lidarr").up()).isTrue();
    }
}
