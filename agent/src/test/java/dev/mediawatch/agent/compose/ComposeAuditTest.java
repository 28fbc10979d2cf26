package dev.mediawatch.agent.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.agent.fs.HostFiles;
import dev.mediawatch.agent.fs.HungMount;
import dev.mediawatch.contract.EnvAudit;
import dev.mediawatch.contract.EnvFile;
import dev.mediawatch.testing.RealServices;

/**
 * The audit runner: its own thread, results handed on when they change, and a compose directory that hangs
 * (for real, on FUSE, as a dead NFS server does; or a read held in the reader) reported within the timeout
 * without holding up the other directories or the caller.
 */
class ComposeAuditTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @TempDir
    Path tmp;

    private final AtomicInteger changes = new AtomicInteger();
    private ComposeAudit audit;
    private HungMount fuse;

    @AfterEach
    void tearDown() throws Exception {
        if (fuse != null) {
            fuse.close(); // releases the hang before unmounting
        }
        if (audit != null) {
            audit.close();
        }
    }

    private Path stack(String name, String env) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("stacks").resolve(name));
        Files.writeString(dir.resolve(".env"), env);
        return dir;
    }

    @Test
    void auditsOnItsOwnThread_handsOnChangesOnly() throws IOException {
        stack("download", "SABNZBD_API_KEY=abc\n");
        String dir = tmp.resolve("stacks").toString();
        audit = new ComposeAudit(List.of(dir), new HostFiles(Path.of("/")), TIMEOUT, Clock.systemUTC(), changes::incrementAndGet);
        assertThat(audit.current()).isNull();

        audit.request();
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.current() != null);
        EnvAudit first = audit.current();
        assertThat(first.dirs()).containsExactly(dir);
        assertThat(first.files()).containsExactly(new EnvFile(dir + "/download/.env", List.of("SABNZBD_API_KEY")));
        assertThat(first.problems()).isEmpty();
        assertThat(first.checkedAt()).isNotNull();
        assertThat(changes.get()).isEqualTo(1);

        audit.request();
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.runs() == 2 && audit.current() != first);
        assertThat(changes.get()).as("the same findings are no change").isEqualTo(1);

        stack("streaming", "JELLYFIN_TOKEN=def\n");
        audit.request();
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.current().files().size() == 2);
        assertThat(changes.get()).isEqualTo(2);
    }

    @Test
    @RealServices // fuse3 and python3-fusepy (HungMount)
    void aHungNfsLikeDirectory_isReportedWithinTheTimeout_theOthersAreStillAudited_andItRecovers() throws Exception {
        fuse = HungMount.start(Files.createDirectories(tmp.resolve("fuse")));
        String hung = fuse.mountPoint().toString();
        String other = stack("download", "SABNZBD_API_KEY=abc\n").toString();
        audit = new ComposeAudit(List.of(hung, other), new HostFiles(Path.of("/")), TIMEOUT, Clock.systemUTC(),
                changes::incrementAndGet);
        audit.request();
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.current() != null);
        assertThat(audit.current().problems()).isEmpty();

        fuse.hang();
        long start = System.nanoTime();
        long requestNanos = timed(audit::request);
        EnvAudit hungAudit = await().atMost(Duration.ofSeconds(5)).until(audit::current,
                a -> a.problems().contains(hung + ": audit did not finish within 500ms"));
        double seconds = (System.nanoTime() - start) / 1e9;
        // The timeout, plus reading the other directory; slack for a loaded 2-core machine.
        assertThat(seconds).as("seconds until the hung directory was reported").isLessThan(1.5);
        assertThat(requestNanos).as("request() returns at once").isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(hungAudit.files()).containsExactly(new EnvFile(other + "/.env", List.of("SABNZBD_API_KEY")));
        assertThat(hungAudit.problems()).hasSize(1);

        // Still hung: later audits look at the stuck call without waiting, and issue no second one.
        int runs = audit.runs();
        Files.writeString(Path.of(other, ".env"), "SABNZBD_API_KEY=abc\nRADARR_API_KEY=def\n");
        long again = System.nanoTime();
        audit.request();
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.current().files().get(0).keys().size() == 2);
        assertThat(audit.runs()).isEqualTo(runs + 1);
        assertThat((System.nanoTime() - again) / 1e9).as("an audit beside a directory known to hang")
                .isLessThan(TIMEOUT.toMillis() / 1000.0);
        assertThat(audit.current().problems()).containsExactly(hung + ": audit did not finish within 500ms");
        assertThat(audit.stuckCalls()).isEqualTo(1);

        fuse.release();
        // As the periodic audit would: the stuck call may take a moment to come back, until then it is looked at.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            audit.request();
            return audit.current().problems().isEmpty();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.stuckCalls() == 0);
    }

    @Test
    void aReadThatHangs_isReportedByTheTimer_andNoSecondRunStartsWhileItIsStuck() throws Exception {
        String slow = stack("slow", "SLOW_TOKEN=1\n").toString();
        String fast = stack("fast", "FAST_TOKEN=1\n").toString();
        CountDownLatch held = new CountDownLatch(1);
        AtomicBoolean hold = new AtomicBoolean();
        EnvAuditor real = new EnvAuditor(new HostFiles(Path.of("/")));
        ComposeAudit.DirReader reader = (dir, left) -> {
            if (dir.equals(slow) && hold.get()) {
                try {
                    held.await(); // as a read stuck in the kernel: only the answer frees it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return real.audit(dir, left);
        };
        audit = new ComposeAudit(List.of(slow, fast), Path::of, reader, TIMEOUT, Clock.systemUTC(), changes::incrementAndGet);
        audit.request();
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.current() != null);
        assertThat(audit.current().files()).hasSize(2);
        int changesBefore = changes.get();

        hold.set(true);
        long start = System.nanoTime();
        audit.request();
        EnvAudit stuck = await().atMost(Duration.ofSeconds(5)).until(audit::current,
                a -> a.problems().contains(slow + ": audit did not finish within 500ms"));
        assertThat((System.nanoTime() - start) / 1e9).as("seconds until the stuck read was reported").isLessThan(1.5);
        assertThat(changes.get()).as("the stuck audit was handed on").isEqualTo(changesBefore + 1);
        // What was last found in the stuck directory stays; the others keep their last result.
        assertThat(stuck.files()).extracting(EnvFile::path).containsExactly(fast + "/.env", slow + "/.env");

        int runs = audit.runs();
        for (int i = 0; i < 3; i++) {
            assertThat(timed(audit::request)).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
        }
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> audit.runs() == runs);
        assertThat(audit.stuckCalls()).isEqualTo(1);

        held.countDown();
        // The stuck run finishes, then the requests made meanwhile run once, together.
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.runs() == runs + 1 && audit.current().problems().isEmpty());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> audit.runs() == runs + 1);
        assertThat(audit.stuckCalls()).isZero();
    }

    @Test
    void aMissingDirectory_isAProblem() {
        String missing = tmp.resolve("gone").toString();
        audit = new ComposeAudit(List.of(missing), new HostFiles(Path.of("/")), TIMEOUT, Clock.systemUTC(), changes::incrementAndGet);
        audit.request();
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.current() != null);
        assertThat(audit.current().problems()).containsExactly(missing + ": does not exist");
    }

    @Test
    void durationsInProblems() {
        assertThat(ComposeAudit.human(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThat(ComposeAudit.human(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(ComposeAudit.human(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    private static long timed(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return System.nanoTime() - t;
    }
}
