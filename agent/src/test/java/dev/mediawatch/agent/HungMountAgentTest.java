package dev.mediawatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.BrokerAndEngine.InjectBroker;
import dev.mediawatch.agent.host.HostWatch;
import dev.mediawatch.agent.fs.HungMount;
import dev.mediawatch.agent.host.HungMountResource;
import dev.mediawatch.agent.host.HungMountResource.InjectHungMount;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.EnvAudit;
import dev.mediawatch.contract.EnvFile;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountState;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.RealServices;
import dev.mediawatch.testing.Soak;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A watched mount that hangs for real (a FUSE filesystem whose statfs blocks in the kernel, exactly as
 * statvfs on a dead NFS hard mount does): the agent says {@code hung} within the timeout, keeps publishing
 * everything else on schedule, does not grow threads while the mount stays dead, and recovers when the mount
 * answers. The same mount is also a compose directory: its secrets audit is reported unfinished within the timeout
 * while the directory beside it is still audited every second.
 *
 * <p>Needs the test dockerd, and fuse3 with python3-fusepy ({@code scripts/services.sh start}). The real tier holds
 * the dead mount {@link #HOLD}; the soak ({@code ./mvnw -pl agent verify -Psoak}, or {@code -Dtest=HungMountAgentTest})
 * holds it 5 minutes, or {@code -Dmwtest.hung.minutes} (fractions allowed).
 */
@QuarkusTest
@RealServices
@QuarkusTestResource(value = BrokerAndEngine.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = HungMountResource.class, restrictToAnnotatedClass = true)
class HungMountAgentTest {

    @InjectBroker
    TestBroker broker;

    @InjectHungMount
    HungMount fuse;

    private HostWatch hostWatch() {
        return io.quarkus.arc.Arc.container().instance(HostWatch.class).get();
    }

    /**
     * How long the real tier keeps the mount dead: 15 mount cycles and 15 compose audits at 1 s each beside the one
     * stuck call, so a thread left behind per cycle (+15) would break the +8 bound on the JVM's threads, and a second
     * call on the mount would show at once in {@code mountCallThreads}.
     */
    static final Duration HOLD = Duration.ofSeconds(15);

    private final Topics topics = Topics.defaults();
    private final HostId host = HostId.of(BrokerAndEngine.HOST);

    @Test
    void aHungMount_isReported_whileEverythingElseKeepsComing_withBoundedThreads_andRecovers() throws Exception {
        hangHoldAndRecover(HOLD);
    }

    @Test
    @Soak
    void soak_aHungMountHeldForMinutes_isReportedThroughout_withBoundedThreads_andRecovers() throws Exception {
        // Fractions allowed (-Dmwtest.hung.minutes=0.2 for 12 s): Long.getLong read "0.2" as the default.
        double minutes = Double.parseDouble(System.getProperty("mwtest.hung.minutes", "5"));
        hangHoldAndRecover(Duration.ofMillis(Math.round(minutes * 60_000)));
    }

    private void hangHoldAndRecover(Duration hungFor) throws Exception {
        String path = fuse.mountPoint().toString();
        MountState ok = await("the FUSE mount reported ok").atMost(Duration.ofSeconds(20))
                .until(() -> mount(path), m -> m != null && m.health() == MountHealth.OK && m.space() != null);
        assertThat(ok.space().totalBytes()).isEqualTo(4096L * 1000);
        assertThat(ok.fsType()).isEqualTo("fuse");
        assertThat(ok.mode()).isEqualTo("ro");

        fuse.hang();
        long hungAt = System.nanoTime();
        MountState hung = await("hung reported").atMost(Duration.ofSeconds(10))
                .until(() -> mount(path), m -> m != null && m.health() == MountHealth.HUNG);
        double seconds = (System.nanoTime() - hungAt) / 1e9;
        // One interval (1 s) for the next cycle to start, then the 500 ms timeout; slack for a loaded machine.
        assertThat(seconds).as("seconds until hung was published").isLessThan(4.0);
        assertThat(hung.space()).isNull();
        assertThat(hung.problems()).singleElement().asString().startsWith("stat/statvfs has not returned for");
        await().atMost(Duration.ofSeconds(5)).until(() -> events(EventTypes.MOUNT_HEALTH).stream()
                .anyMatch(e -> path.equals(e.subject()) && "hung".equals(e.to()) && "ok".equals(e.from())));
        // The same mount as a compose directory: its audit is reported unfinished, the other one still audited.
        String composeProblem = path + ": audit did not finish within 500ms";
        String beside = HungMountResource.composeDir(fuse).resolve(".env").toString();
        EnvAudit hungAudit = await("hung compose directory reported").atMost(Duration.ofSeconds(10))
                .until(this::envAudit, a -> a != null && a.problems().contains(composeProblem));
        assertThat(hungAudit.problems()).containsExactly(composeProblem);
        assertThat(hungAudit.files()).extracting(EnvFile::path).containsExactly(beside);

        int threadsAtStart = ManagementFactory.getThreadMXBean().getThreadCount();
        int ioAtStart = broker.messages(topics.io(host)).size();
        int stateAtStart = broker.messages(topics.state(host)).size();
        AtomicInteger maxThreads = new AtomicInteger(threadsAtStart);
        Instant watchStart = Instant.now();
        await("still hung, everything else on time, threads bounded, for " + hungFor)
                .during(hungFor).atMost(hungFor.plusSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Instant now = Instant.now();
                    MountState m = mount(path);
                    HostIo io = io();
                    MountState root = mount("/");
                    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
                    maxThreads.accumulateAndGet(threads, Math::max);
                    EnvAudit audit = envAudit();
                    return m.health() == MountHealth.HUNG
                            && audit.problems().equals(List.of(composeProblem))
                            // audited every 1 s beside the hung directory, never waiting on it again
                            && Duration.between(audit.checkedAt(), now).toMillis() < 5_000
                            && root.health() == MountHealth.OK && root.space() != null
                            // samples every 1 s; a hung mount costs the cycle 500 ms at most
                            && Duration.between(io.timestamp(), now).toMillis() < 3_000
                            && Duration.between(lastState(), now).toMillis() < 5_000
                            && hostWatch().mountCallThreads() <= 2
                            && threads <= threadsAtStart + 8;
                });
        long elapsed = Duration.between(watchStart, Instant.now()).toSeconds();
        int ioSamples = broker.messages(topics.io(host)).size() - ioAtStart;
        assertThat(ioSamples).as("io samples in %d s at a 1 s interval", elapsed).isGreaterThan((int) (elapsed * 0.8));
        assertThat(broker.messages(topics.state(host)).size() - stateAtStart)
                .as("container states in %d s at a 2 s publish interval", elapsed).isGreaterThan((int) (elapsed / 2 * 0.8));
        assertThat(hostWatch().mountCallThreads()).as("one call stuck on the hung mount, at most one for /").isLessThanOrEqualTo(2);
        assertThat(maxThreads.get()).as("JVM threads over %s (at the start %d)", hungFor, threadsAtStart)
                .isLessThanOrEqualTo(threadsAtStart + 8);

        fuse.release();
        MountState back = await("recovered").atMost(Duration.ofSeconds(10))
                .until(() -> mount(path), m -> m.health() == MountHealth.OK && m.space() != null);
        assertThat(back.space().availableBytes()).isEqualTo(4096L * 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> events(EventTypes.MOUNT_HEALTH).stream()
                .anyMatch(e -> path.equals(e.subject()) && "ok".equals(e.to()) && "hung".equals(e.from())));
        await("compose audit recovered").atMost(Duration.ofSeconds(10))
                .until(this::envAudit, a -> a.problems().isEmpty());
    }

    private EnvAudit envAudit() throws Exception {
        TestBroker.Published last = broker.last(topics.state(host));
        return last == null ? null : ContractJson.readState(last.payload(), host).envAudit();
    }

    private MountState mount(String path) throws Exception {
        TestBroker.Published last = broker.last(topics.mounts(host));
        if (last == null) {
            return null;
        }
        assertThat(last.retained()).isTrue();
        HostMounts mounts = ContractJson.readMounts(last.payload(), host);
        return mounts.mounts().stream().filter(m -> m.path().equals(path)).findFirst().orElseThrow();
    }

    private HostIo io() throws Exception {
        return ContractJson.readIo(broker.last(topics.io(host)).payload(), host);
    }

    private Instant lastState() throws Exception {
        return ContractJson.readState(broker.last(topics.state(host)).payload(), host).timestamp();
    }

    private List<HostEvent> events(String type) {
        return AgentWire.of(broker).events().stream().filter(e -> e.type().equals(type)).toList();
    }
}
