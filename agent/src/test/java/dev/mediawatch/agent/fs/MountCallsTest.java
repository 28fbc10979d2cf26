package dev.mediawatch.agent.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.testing.RealServices;

/** Filesystem calls on a real FUSE mount whose statfs blocks in the kernel, as on a dead NFS hard mount. */
class MountCallsTest {

    @TempDir
    Path dir;

    @Test
    @RealServices // fuse3 and python3-fusepy (HungMount)
    void aHungMount_isReportedWithinTheTimeout_neverCalledTwice_andRecovers() throws Exception {
        try (HungMount fuse = HungMount.start(dir); MountCalls calls = new MountCalls(Duration.ofMillis(500), 2)) {
            Map<String, Path> mounts = new LinkedHashMap<>();
            mounts.put("/fuse", fuse.mountPoint());
            mounts.put("/tmp", dir);

            Map<String, MountCalls.Outcome> healthy = calls.check(mounts);
            assertThat(healthy.get("/fuse")).isEqualTo(new MountCalls.Answer(4096 * 1000L, 4096 * 250L, 4096 * 200L));
            assertThat(healthy.get("/tmp")).isInstanceOf(MountCalls.Answer.class);

            fuse.hang();
            long start = System.nanoTime();
            Map<String, MountCalls.Outcome> hung = calls.check(mounts);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(hung.get("/fuse")).isInstanceOf(MountCalls.Hung.class);
            assertThat(hung.get("/tmp")).as("the other mount still answers").isInstanceOf(MountCalls.Answer.class);
            assertThat(tookMs).as("one cycle waits about the timeout, not for the stuck call").isLessThan(5_000);
            assertThat(calls.outstanding()).isEqualTo(1);

            // Cycles while it stays stuck: still hung, the time outstanding grows, no second call is made, and
            // the stuck call is not waited for again.
            for (int i = 0; i < 5; i++) {
                long before = System.nanoTime();
                MountCalls.Outcome again = calls.check(mounts).get("/fuse");
                assertThat((System.nanoTime() - before) / 1_000_000).as("ms for a cycle with a known-stuck call")
                        .isLessThan(400);
                assertThat(again).isInstanceOf(MountCalls.Hung.class);
                assertThat(((MountCalls.Hung) again).outstanding()).isGreaterThan(((MountCalls.Hung) hung.get("/fuse")).outstanding());
            }
            assertThat(calls.outstanding()).isEqualTo(1);
            assertThat(calls.threads()).as("at most one worker per mount").isLessThanOrEqualTo(2);

            fuse.release();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(calls.check(mounts).get("/fuse")).isInstanceOf(MountCalls.Answer.class));
            assertThat(calls.outstanding()).isZero();
        }
    }

    @Test
    @RealServices // fuse3 and python3-fusepy (HungMount)
    void aHungMountThatLeavesTheTableAndComesBack_keepsItsOneStuckCall() throws Exception {
        try (HungMount fuse = HungMount.start(dir); MountCalls calls = new MountCalls(Duration.ofMillis(300), 2)) {
            Map<String, Path> both = new LinkedHashMap<>();
            both.put("/a", fuse.mountPoint());
            both.put("/b", dir);
            fuse.hang();
            assertThat(calls.check(both).get("/a")).isInstanceOf(MountCalls.Hung.class);
            for (int i = 0; i < 3; i++) {
                // gone from the mount table (umount -l while the server is dead): not asked about
                assertThat(calls.check(Map.of("/b", dir)).get("/b")).isInstanceOf(MountCalls.Answer.class);
                // back: the first call is still the one outstanding, no second one is made
                assertThat(calls.check(both).get("/a")).isInstanceOf(MountCalls.Hung.class);
            }
            assertThat(calls.outstanding()).isEqualTo(1);
            assertThat(calls.threads()).isLessThanOrEqualTo(2);
            fuse.release();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(calls.check(both).get("/a")).isInstanceOf(MountCalls.Answer.class));
        }
    }

    @Test
    void aPathThatIsGone_failsWithTheReason() {
        try (MountCalls calls = new MountCalls(Duration.ofSeconds(2), 1)) {
            MountCalls.Outcome o = calls.check(Map.of("/gone", dir.resolve("gone"))).get("/gone");
            assertThat(o).isEqualTo(new MountCalls.Failed("stat: No such file or directory", false));
        }
    }
}
