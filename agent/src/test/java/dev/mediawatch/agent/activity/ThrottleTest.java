package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.agent.TestHttp;
import dev.mediawatch.contract.DownloadLimits;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.ThrottleRequest;
import dev.mediawatch.contract.ThrottleState;
import dev.mediawatch.testing.MutableClock;
import dev.mediawatch.testing.RealServices;

/**
 * The throttle lease on a fake clock, against a real qBittorrent ({@code qbittorrent-nox}, started by
 * {@link QbittorrentNox}) and SABnzbd's API from recorded answers ({@link SabnzbdFake}, which keeps the limit
 * it is given; SABnzbd cannot run here).
 */
@RealServices
class ThrottleTest {

    static final String KEY = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6";
    static final HostId HOST = HostId.of("download-stack");
    /** What the downloaders had before any throttle: SABnzbd 8 MiB/s, qBittorrent 3 MiB/s. */
    static final long SAB_BEFORE = 8L * 1024 * 1024;
    static final long QBT_BEFORE = 3L * 1024 * 1024;
    static final DownloadLimits LIMITS = new DownloadLimits(1024L * 1024, 512L * 1024);

    private static QbittorrentNox qbittorrent;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T21:03:00Z"));
    private final List<HostEvent> events = new CopyOnWriteArrayList<>();
    private SabnzbdFake sab;
    private SabnzbdClient sabClient;
    private QbittorrentClient qbtClient;
    private Path stateFile;

    @BeforeAll
    static void startQbittorrent() {
        qbittorrent = QbittorrentNox.bypass();
    }

    @AfterAll
    static void stopQbittorrent() {
        if (qbittorrent != null) {
            qbittorrent.close();
        }
    }

    @BeforeEach
    void downloadersAsFound() throws Exception {
        sab = new SabnzbdFake(KEY);
        sab.limit(SAB_BEFORE);
        sabClient = new SabnzbdClient(TestHttp.CLIENT, sab.base(), Optional.of(KEY), Duration.ofSeconds(2));
        qbtClient = new QbittorrentClient(TestHttp.CLIENT, qbittorrent.base(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(2));
        qbtClient.setDownloadLimit(QBT_BEFORE);
        stateFile = dir.resolve("state/throttle.json");
    }

    @AfterEach
    void stopSab() {
        sab.close();
    }

    private Throttle throttle(boolean allowed) {
        return new Throttle(HOST, Throttle.limiter(sabClient), Throttle.limiter(qbtClient), ContainerPauser.NONE,
                List.of("unpackerr", "tdarr"), new ThrottleStore(stateFile), clock, allowed, events::add);
    }

    static ThrottleRequest apply(String id, int leaseSeconds, DownloadLimits limits) {
        return ThrottleRequest.apply(id, Instant.now(), leaseSeconds, limits, false);
    }

    private List<HostEvent> events(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    private void assertLimitsAsFound() throws Exception {
        assertThat(sab.limit()).as("SABnzbd's limit").isEqualTo(SAB_BEFORE);
        assertThat(qbtClient.downloadLimit()).as("qBittorrent's limit").isEqualTo(QBT_BEFORE);
    }

    @Test
    void apply_recordsTheLimitsFound_beforeSettingTheRequestedOnes() throws Exception {
        Throttle t = throttle(true);
        t.start();
        assertThat(t.state().active()).isFalse();

        assertThat(t.handle(apply("r1", 60, LIMITS))).isEqualTo(Throttle.Outcome.APPLIED);

        assertThat(sab.limit()).isEqualTo(1024L * 1024);
        assertThat(qbtClient.downloadLimit()).isEqualTo(512L * 1024);
        ThrottleState s = t.state();
        assertThat(s.active()).isTrue();
        assertThat(s.requestId()).isEqualTo("r1");
        assertThat(s.since()).isEqualTo(clock.instant());
        assertThat(s.expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
        assertThat(s.applied()).isEqualTo(LIMITS);
        assertThat(s.previous()).isEqualTo(new DownloadLimits(SAB_BEFORE, QBT_BEFORE));
        assertThat(s.problem()).isNull();
        // On disk, for a restore after a crash.
        ThrottleState stored = new ThrottleStore(stateFile).load().orElseThrow();
        assertThat(stored.previous()).isEqualTo(new DownloadLimits(SAB_BEFORE, QBT_BEFORE));
        assertThat(stored.expiresAt()).isEqualTo(s.expiresAt());
        // Never a secret in it.
        assertThat(Files.readString(stateFile, StandardCharsets.UTF_8)).doesNotContain(KEY);

        assertThat(events(EventTypes.THROTTLE_APPLIED)).singleElement().satisfies(e -> {
            assertThat(e.to()).isEqualTo("active");
            assertThat(e.detail()).containsEntry("requestId", "r1").containsEntry("leaseSeconds", "60")
                    .containsEntry("limit.sabnzbd", "1048576").containsEntry("limit.qbittorrent", "524288")
                    .containsEntry("previous.sabnzbd", Long.toString(SAB_BEFORE))
                    .containsEntry("previous.qbittorrent", Long.toString(QBT_BEFORE));
        });
    }

    @Test
    void renewal_extendsTheLease_changesLimitsThatDiffer_andKeepsTheOriginalPrevious() throws Exception {
        Throttle t = throttle(true);
        t.start();
        t.handle(apply("r1", 60, LIMITS));
        clock.advance(Duration.ofSeconds(30));

        DownloadLimits tighter = new DownloadLimits(null, 256L * 1024);
        assertThat(t.handle(apply("r2", 60, tighter))).isEqualTo(Throttle.Outcome.RENEWED);

        ThrottleState s = t.state();
        assertThat(s.requestId()).isEqualTo("r2");
        assertThat(s.expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
        // SABnzbd absent from the renewal: left as it is. qBittorrent changed.
        assertThat(s.applied()).isEqualTo(new DownloadLimits(1024L * 1024, 256L * 1024));
        assertThat(sab.limit()).isEqualTo(1024L * 1024);
        assertThat(qbtClient.downloadLimit()).isEqualTo(256L * 1024);
        // What is restored is still what was found before the first request, not the first request's limits.
        assertThat(s.previous()).isEqualTo(new DownloadLimits(SAB_BEFORE, QBT_BEFORE));
        assertThat(new ThrottleStore(stateFile).load().orElseThrow().previous()).isEqualTo(s.previous());
        assertThat(events(EventTypes.THROTTLE_APPLIED)).hasSize(1);

        // Renewed in time, it holds past the first lease's end.
        clock.advance(Duration.ofSeconds(45));
        t.tick();
        assertThat(t.state().active()).isTrue();
        assertThat(qbtClient.downloadLimit()).isEqualTo(256L * 1024);
    }

    @Test
    void leaseRunningOut_restoresBothDownloaders_andClearsTheStore() throws Exception {
        Throttle t = throttle(true);
        t.start();
        t.handle(apply("r1", 30, LIMITS));

        clock.advance(Duration.ofSeconds(29));
        t.tick();
        assertThat(t.state().active()).isTrue();
        assertThat(sab.limit()).isEqualTo(1024L * 1024);

        clock.advance(Duration.ofSeconds(1));
        t.tick();

        assertLimitsAsFound();
        ThrottleState s = t.state();
        assertThat(s.active()).isFalse();
        assertThat(s.lastRestoreReason()).isEqualTo(ThrottleState.LEASE_EXPIRED);
        assertThat(s.lastRestoredAt()).isEqualTo(clock.instant());
        assertThat(stateFile).doesNotExist();
        assertThat(events(EventTypes.THROTTLE_RESTORED)).singleElement().satisfies(e -> {
            assertThat(e.to()).isEqualTo(ThrottleState.LEASE_EXPIRED);
            assertThat(e.detail()).containsEntry("restored.sabnzbd", Long.toString(SAB_BEFORE))
                    .containsEntry("restored.qbittorrent", Long.toString(QBT_BEFORE));
        });
    }

    @Test
    void release_restoresAtOnce() throws Exception {
        Throttle t = throttle(true);
        t.start();
        t.handle(apply("r1", 600, LIMITS));

        assertThat(t.handle(ThrottleRequest.release("r2", Instant.now()))).isEqualTo(Throttle.Outcome.RELEASED);

        assertLimitsAsFound();
        assertThat(t.state().active()).isFalse();
        assertThat(t.state().lastRestoreReason()).isEqualTo(ThrottleState.RELEASED);
        assertThat(stateFile).doesNotExist();
        assertThat(t.handle(ThrottleRequest.release("r3", Instant.now()))).isEqualTo(Throttle.Outcome.NOT_ACTIVE);
        assertThat(events(EventTypes.THROTTLE_RESTORED)).hasSize(1);
    }

    @Test
    void noLimitBefore_isRestoredAsNoLimit() throws Exception {
        sab.limit(0);
        qbtClient.setDownloadLimit(0);
        Throttle t = throttle(true);
        t.start();
        t.handle(apply("r1", 60, LIMITS));
        assertThat(t.state().previous()).isEqualTo(new DownloadLimits(0L, 0L));
        assertThat(sab.limit()).isEqualTo(1024L * 1024);

        t.handle(ThrottleRequest.release("r2", Instant.now()));

        assertThat(sab.limit()).isZero();
        assertThat(qbtClient.downloadLimit()).isZero();
    }

    @Test
    void anAgentRestart_withTheThrottleActive_restoresAtStart() throws Exception {
        Throttle before = throttle(true);
        before.start();
        before.handle(apply("r1", 600, LIMITS));
        assertThat(qbtClient.downloadLimit()).isEqualTo(512L * 1024);
        // The process-equivalent state is dropped without stop(): only the store remains.
        before = null;
        assertThat(stateFile).exists();

        Throttle after = throttle(true);
        after.start();

        assertLimitsAsFound();
        assertThat(after.state().active()).isFalse();
        assertThat(after.state().lastRestoreReason()).isEqualTo(ThrottleState.AGENT_RESTART);
        assertThat(stateFile).doesNotExist();
        assertThat(events(EventTypes.THROTTLE_RESTORED)).singleElement()
                .satisfies(e -> assertThat(e.to()).isEqualTo(ThrottleState.AGENT_RESTART));
    }

    @Test
    void aProcessKilledWithSigkill_whileThrottling_isUndoneByTheNextStart() throws Exception {
        // A separate JVM applies the throttle and is killed with SIGKILL: no shutdown hook, no stop().
        try (ThrottleCrashChild.Handle child = ThrottleCrashChild.launch(stateFile, sab.base(), KEY, qbittorrent.base(),
                LIMITS)) {
            child.awaitApplied(Duration.ofSeconds(60));
            child.kill9();
        }
        assertThat(sab.limit()).as("still throttled after the kill").isEqualTo(1024L * 1024);
        assertThat(qbtClient.downloadLimit()).isEqualTo(512L * 1024);
        assertThat(new ThrottleStore(stateFile).load()).isPresent();

        Throttle next = throttle(true);
        next.start();

        assertLimitsAsFound();
        assertThat(next.state().lastRestoreReason()).isEqualTo(ThrottleState.AGENT_RESTART);
        assertThat(stateFile).doesNotExist();
    }

    @Test
    void agentStop_restoresBestEffort() throws Exception {
        Throttle t = throttle(true);
        t.start();
        t.handle(apply("r1", 600, LIMITS));

        t.stop();

        assertLimitsAsFound();
        assertThat(t.state().lastRestoreReason()).isEqualTo(ThrottleState.AGENT_STOP);
        assertThat(stateFile).doesNotExist();
    }

    @Test
    void aFailingRestore_isRetriedOnEveryTickUntilItWorks_withFailuresPublishedAtABoundedRate() throws Exception {
        Throttle t = throttle(true);
        t.start();
        t.handle(apply("r1", 30, LIMITS));
        sab.failWith(500);

        clock.advance(Duration.ofSeconds(30));
        t.tick();

        // qBittorrent is back to what it was; SABnzbd is not, and the store still says what to put back.
        assertThat(qbtClient.downloadLimit()).isEqualTo(QBT_BEFORE);
        assertThat(sab.limit()).isEqualTo(1024L * 1024);
        ThrottleState s = t.state();
        assertThat(s.active()).isTrue();
        assertThat(s.problem()).contains("sabnzbd", "HTTP 500").doesNotContain(KEY);
        assertThat(new ThrottleStore(stateFile).load()).isPresent();
        assertThat(events(EventTypes.THROTTLE_FAILED)).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo("sabnzbd");
            assertThat(e.detail().get("problem")).contains("cannot restore").doesNotContain(KEY);
        });

        // Every tick tries again; within a minute no second event.
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            t.tick();
        }
        int tries = (int) sab.queries().stream().filter(q -> q.contains("name=speedlimit")).count();
        assertThat(tries).isGreaterThanOrEqualTo(12); // the set, the first restore, ten retries
        assertThat(events(EventTypes.THROTTLE_FAILED)).hasSize(1);
        clock.advance(Throttle.FAILED_EVENT_INTERVAL);
        t.tick();
        assertThat(events(EventTypes.THROTTLE_FAILED)).hasSize(2);
        assertThat(events(EventTypes.THROTTLE_FAILED).get(1).detail()).containsEntry("heldBack", "10");

        sab.failWith(0);
        clock.advance(Duration.ofSeconds(1));
        t.tick();

        assertLimitsAsFound();
        assertThat(t.state().active()).isFalse();
        assertThat(t.state().problem()).isNull();
        assertThat(t.state().lastRestoreReason()).isEqualTo(ThrottleState.LEASE_EXPIRED);
        assertThat(stateFile).doesNotExist();
        assertThat(events(EventTypes.THROTTLE_RESTORED)).hasSize(1);
    }

    @Test
    void aLimitThatCannotBeReadAtApply_isReadAndSetOnALaterTick() throws Exception {
        Throttle t = throttle(true);
        t.start();
        sab.failWith(500);

        assertThat(t.handle(apply("r1", 60, LIMITS))).isEqualTo(Throttle.Outcome.APPLIED);

        // qBittorrent is throttled; SABnzbd is untouched (nothing is set before what to restore is known).
        assertThat(qbtClient.downloadLimit()).isEqualTo(512L * 1024);
        assertThat(sab.queries()).noneMatch(q -> q.contains("name=speedlimit"));
        assertThat(t.state().previous()).isEqualTo(new DownloadLimits(null, QBT_BEFORE));
        assertThat(t.state().problem()).contains("cannot read");

        sab.failWith(0);
        clock.advance(Duration.ofSeconds(1));
        t.tick();

        assertThat(sab.limit()).isEqualTo(1024L * 1024);
        assertThat(t.state().previous()).isEqualTo(new DownloadLimits(SAB_BEFORE, QBT_BEFORE));
        assertThat(new ThrottleStore(stateFile).load().orElseThrow().previous())
                .isEqualTo(new DownloadLimits(SAB_BEFORE, QBT_BEFORE));
        assertThat(t.state().problem()).isNull();

        t.handle(ThrottleRequest.release("r2", Instant.now()));
        assertLimitsAsFound();
    }

    @Test
    void whereThrottlingIsNotAllowed_requestsAreRefused_andNothingIsTouched() throws Exception {
        Throttle t = throttle(false);
        t.start();

        assertThat(t.handle(apply("r1", 60, LIMITS))).isEqualTo(Throttle.Outcome.REFUSED);

        assertLimitsAsFound();
        assertThat(t.state().active()).isFalse();
        assertThat(stateFile).doesNotExist();
        assertThat(events).isEmpty();
        assertThat(sab.queries()).isEmpty();
    }

    @Test
    void aStateFileThatCannotBeWritten_meansNoLimitIsSet() throws Exception {
        // Its directory is a regular file: nothing can be written there.
        Files.writeString(dir.resolve("state"), "not a directory");
        Throttle t = throttle(true);
        t.start();

        assertThat(t.handle(apply("r1", 60, LIMITS))).isEqualTo(Throttle.Outcome.FAILED);

        assertLimitsAsFound();
        assertThat(t.state().active()).isFalse();
        assertThat(t.state().problem()).contains("cannot write").contains("throttle.json");
        assertThat(events(EventTypes.THROTTLE_FAILED)).singleElement()
                .satisfies(e -> assertThat(e.subject()).isEqualTo("state-file"));
        assertThat(events(EventTypes.THROTTLE_APPLIED)).isEmpty();
    }

    @Test
    void aThrottleNotAllowedAnyMore_isStillRestoredAtStart() throws Exception {
        Throttle before = throttle(true);
        before.start();
        before.handle(apply("r1", 600, LIMITS));

        Throttle after = throttle(false);
        after.start();

        assertLimitsAsFound();
        assertThat(stateFile).doesNotExist();
    }
}
