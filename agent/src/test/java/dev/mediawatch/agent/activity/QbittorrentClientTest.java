package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.TestHttp;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.TorrentTransfer;
import dev.mediawatch.testing.Ports;
import dev.mediawatch.testing.RealServices;

/**
 * {@link QbittorrentClient} against a real qBittorrent (Debian's {@code qbittorrent-nox} 4.5, started by
 * {@link QbittorrentNox}): one with the localhost bypass, one that wants a login.
 */
@RealServices
class QbittorrentClientTest {

    private static final String USER = "mediawatch";
    private static final String PASSWORD = "pw-" + Long.toHexString(new java.util.Random().nextLong());
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private static QbittorrentNox open;
    private static QbittorrentNox guarded;

    @BeforeAll
    static void startQbittorrent() {
        open = QbittorrentNox.bypass();
        guarded = QbittorrentNox.withLogin(USER, PASSWORD);
    }

    @AfterAll
    static void stopQbittorrent() {
        if (open != null) {
            open.close();
        }
        if (guarded != null) {
            guarded.close();
        }
    }

    private static QbittorrentClient client(QbittorrentNox q, String user, String password) {
        return new QbittorrentClient(TestHttp.CLIENT, q.base(), Optional.ofNullable(user),
                Optional.ofNullable(password), TIMEOUT);
    }

    @Test
    void withoutCredentials_theLocalhostBypassServesTransferAndLimit() throws Exception {
        QbittorrentClient client = client(open, null, null);

        Poll<TorrentTransfer> idle = client.transfer();
        assertThat(idle.source().state()).as(String.valueOf(idle.source().problem())).isEqualTo(SourceState.OK);
        assertThat(idle.value().connection()).isIn("connected", "firewalled", "disconnected");
        assertThat(idle.value().downloadBytesPerSec()).isZero();
        assertThat(idle.value().active()).isFalse();

        client.setDownloadLimit(1_048_576);
        assertThat(client.downloadLimit()).isEqualTo(1_048_576);
        assertThat(client.transfer().value().limitBytesPerSec()).isEqualTo(1_048_576);
        // qBittorrent keeps whole KiB/s.
        client.setDownloadLimit(123_456);
        assertThat(client.downloadLimit()).isEqualTo(122_880);
        client.setDownloadLimit(0);
        assertThat(client.downloadLimit()).isZero();
        assertThat(client.transfer().value().limitBytesPerSec()).isZero();
    }

    @Test
    void aTorrentFetchingItsMetadata_countsAsDownloading() throws Exception {
        QbittorrentClient client = client(open, null, null);
        int before = client.transfer().value().downloading();
        open.addMagnet("0123456789abcdef0123456789abcdef01234567", HttpClient.newHttpClient());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(client.transfer().value().downloading()).isEqualTo(before + 1));
    }

    @Test
    void withCredentials_logsIn_andLogsInAgainAfterQbittorrentRestarted() throws Exception {
        QbittorrentClient client = client(guarded, USER, PASSWORD);
        client.setDownloadLimit(2_097_152);
        assertThat(client.downloadLimit()).isEqualTo(2_097_152);

        // The session is gone with the process: the next call gets a 403, logs in again once and succeeds.
        guarded.restart();
        Poll<TorrentTransfer> after = client.transfer();
        assertThat(after.source().state()).as(String.valueOf(after.source().problem())).isEqualTo(SourceState.OK);
        assertThat(after.value().limitBytesPerSec()).isEqualTo(2_097_152);
        client.setDownloadLimit(0);
        assertThat(client.downloadLimit()).isZero();
    }

    @Test
    void withoutCredentials_whereALoginIsNeeded_isUnauthorized_andSaysWhatToSet() {
        Poll<TorrentTransfer> p = client(guarded, null, null).transfer();
        assertThat(p.source().state()).isEqualTo(SourceState.UNAUTHORIZED);
        assertThat(p.value()).isNull();
        assertThat(p.source().problem()).contains("MEDIAWATCH_QBITTORRENT_USER", "MEDIAWATCH_QBITTORRENT_PASSWORD");
        assertThatThrownBy(() -> client(guarded, null, null).downloadLimit()).isInstanceOf(ApiHttp.Failure.class);
    }

    @Test
    void aWrongPassword_isUnauthorized_andThePasswordIsNowhereInTheProblem() {
        String wrong = "wrong-" + PASSWORD;
        Poll<TorrentTransfer> p = client(guarded, USER, wrong).transfer();
        assertThat(p.source().state()).isEqualTo(SourceState.UNAUTHORIZED);
        assertThat(p.source().problem()).contains("login refused").doesNotContain(wrong).doesNotContain(PASSWORD);
    }

    @Test
    void nothingListening_isUnreachable() {
        Poll<TorrentTransfer> p = new QbittorrentClient(TestHttp.CLIENT,
                URI.create("http://127.0.0.1:" + Ports.free()), Optional.empty(), Optional.empty(), TIMEOUT).transfer();
        assertThat(p.source().state()).isEqualTo(SourceState.UNREACHABLE);
        assertThat(p.source().name()).isEqualTo("qbittorrent");
    }
}
