package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.TestHttp;
import dev.mediawatch.contract.DownloadQueue;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.testing.Ports;

/**
 * {@link SabnzbdClient} against recorded SABnzbd answers ({@link SabnzbdFake}; SABnzbd cannot run here, the
 * formats and their sources are in {@code fixtures/sabnzbd/README.md}).
 */
class SabnzbdClientTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final SabnzbdFake sab = new SabnzbdFake(KEY);

    @AfterEach
    void stop() {
        sab.close();
    }

    private SabnzbdClient client(String key) {
        return new SabnzbdClient(TestHttp.CLIENT, sab.base(), Optional.ofNullable(key), TIMEOUT);
    }

    @Test
    void queueWhileDownloading_readsSpeedRemainingJobsAndLimit() {
        sab.limit(5_242_880);
        Poll<DownloadQueue> p = client(KEY).queue();
        assertThat(p.source().state()).isEqualTo(SourceState.OK);
        DownloadQueue q = p.value();
        assertThat(q.status()).isEqualTo("downloading");
        assertThat(q.paused()).isFalse();
        assertThat(q.speedBytesPerSec()).isEqualTo(20480L * 1024);
        assertThat(q.remainingBytes()).isEqualTo(Math.round(3072.50 * 1024 * 1024));
        assertThat(q.items()).isEqualTo(3);
        assertThat(q.limitBytesPerSec()).isEqualTo(5_242_880);
        assertThat(q.active()).isTrue();
        // The job list is not needed: only one slot is asked for.
        assertThat(sab.queries()).singleElement().asString().contains("mode=queue").contains("limit=1");
    }

    @Test
    void pausedQueue_isNotActive() {
        sab.queue("queue-paused-4.x.json");
        DownloadQueue q = client(KEY).queue().value();
        assertThat(q.status()).isEqualTo("paused");
        assertThat(q.paused()).isTrue();
        assertThat(q.active()).isFalse();
        assertThat(q.items()).isEqualTo(1);
    }

    @Test
    void olderSabnzbd_withoutALimit_writesAnEmptyString_readAsNone() {
        sab.queue("queue-idle-2.1.json");
        sab.limit(0);
        DownloadQueue q = client(KEY).queue().value();
        assertThat(q.status()).isEqualTo("idle");
        assertThat(q.limitBytesPerSec()).isZero();
        assertThat(q.items()).isZero();
        assertThat(q.remainingBytes()).isZero();
    }

    @Test
    void speedLimit_isSetInWholeKib_readBack_andZeroIsNone() throws Exception {
        SabnzbdClient client = client(KEY);
        client.setSpeedLimit(5_000_000);
        // 5,000,000 B/s is 4882.8 KiB/s: sent as 4883K, never as a bare number SABnzbd could take for a percentage.
        assertThat(sab.queries()).last().asString().contains("mode=config").contains("name=speedlimit")
                .contains("value=4883K");
        assertThat(sab.limit()).isEqualTo(4883L * 1024);
        assertThat(client.speedLimit()).isEqualTo(4883L * 1024);

        client.setSpeedLimit(50);
        assertThat(sab.queries()).last().asString().contains("value=1K");
        assertThat(sab.limit()).isEqualTo(1024);

        client.setSpeedLimit(0);
        assertThat(sab.queries()).last().asString().contains("value=0&");
        assertThat(sab.limit()).isZero();
        assertThat(client.speedLimit()).isZero();
    }

    @Test
    void aLockedConfiguration_isAnErrorWithSabnzbdsWords() {
        sab.locked(true);
        assertThatThrownBy(() -> client(KEY).setSpeedLimit(1_048_576)).isInstanceOfSatisfying(ApiHttp.Failure.class,
                f -> {
                    assertThat(f.source().state()).isEqualTo(SourceState.ERROR);
                    assertThat(f.source().problem()).contains("Configuration locked");
                });
        assertThat(sab.limit()).isZero();
    }

    @Test
    void aWrongKey_isUnauthorized_andTheKeyIsNowhereInTheProblem() {
        String wrong = "fedcba9876543210fedcba9876543210";
        Poll<DownloadQueue> p = client(wrong).queue();
        assertThat(p.source().state()).isEqualTo(SourceState.UNAUTHORIZED);
        assertThat(p.value()).isNull();
        assertThat(p.source().problem()).doesNotContain(wrong).doesNotContain("apikey").contains("/api");
        assertThatThrownBy(() -> client(wrong).setSpeedLimit(1024)).isInstanceOf(ApiHttp.Failure.class)
                .hasMessageNotContaining(wrong);
    }

    @Test
    void withoutAKey_isNotConfigured_andNothingIsSent() {
        Poll<DownloadQueue> p = client(null).queue();
        assertThat(p.source().state()).isEqualTo(SourceState.NOT_CONFIGURED);
        assertThat(p.source().problem()).contains("MEDIAWATCH_SABNZBD_API_KEY");
        assertThat(sab.queries()).isEmpty();
    }

    @Test
    void aServerError_isAnError() {
        sab.failWith(500);
        Poll<DownloadQueue> p = client(KEY).queue();
        assertThat(p.source().state()).isEqualTo(SourceState.ERROR);
        assertThat(p.source().problem()).contains("HTTP 500").doesNotContain(KEY);
    }

    @Test
    void noAnswerWithinTheTimeout_isUnreachable_andTheCallReturns() {
        sab.hold();
        long start = System.nanoTime();
        Poll<DownloadQueue> p = new SabnzbdClient(TestHttp.CLIENT, sab.base(), Optional.of(KEY),
                Duration.ofMillis(300)).queue();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(p.source().state()).isEqualTo(SourceState.UNREACHABLE);
        assertThat(p.source().problem()).contains("within 300 ms").doesNotContain(KEY);
        assertThat(ms).isLessThan(2_000);
    }

    @Test
    void nothingListening_isUnreachable() {
        Poll<DownloadQueue> p = new SabnzbdClient(TestHttp.CLIENT, URI.create("http://127.0.0.1:" + Ports.free()),
                Optional.of(KEY), TIMEOUT).queue();
        assertThat(p.source().state()).isEqualTo(SourceState.UNREACHABLE);
        assertThat(p.source().problem()).doesNotContain(KEY);
    }

    @Test
    void aTrailingSlashOnTheUrl_isDropped() {
        SabnzbdClient client = new SabnzbdClient(TestHttp.CLIENT, URI.create(sab.base() + "/"), Optional.of(KEY),
                TIMEOUT);
        assertThat(client.queue().source().state()).isEqualTo(SourceState.OK);
    }
}
