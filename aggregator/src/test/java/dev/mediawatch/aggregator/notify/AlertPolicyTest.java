package dev.mediawatch.aggregator.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mediawatch.contract.Alert;
import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.HostId;

/**
 * Which alerts become messages and when: each kind's hold, one message per cause (a VM down, an engine gone, one
 * mount path on several VMs), one clear per raise, nothing for what cleared within its hold, and no repeat or lost
 * clear across a restart. Plain alerts as the status builds them.
 */
class AlertPolicyTest {

    static final Instant T0 = Instant.parse("2026-12-01T21:00:00Z");
    static final HostId DL = HostId.of("download-stack");
    static final HostId ST = HostId.of("streaming-stack");

    /** Clock and open alerts, one look per call. */
    static final class Run {
        final AlertPolicy policy;
        Instant now = T0;
        final List<Alert> open = new ArrayList<>();
        final List<AlertPolicy.Out> sent = new ArrayList<>();

        Run(AlertPolicy policy) {
            this.policy = policy;
        }

        Run() {
            this(new AlertPolicy(Map.of(), "http://agg.lan:8470/status", T0.minus(AlertPolicy.SETTLE), List.of()));
        }

        /** Looks once a second for {@code d}. */
        Run run(Duration d) {
            for (long s = 0; s < d.toSeconds(); s++) {
                now = now.plusSeconds(1);
                sent.addAll(policy.update(List.copyOf(open), a -> List.of("evidence of " + a.id()), now));
            }
            return this;
        }

        List<String> titles() {
            return sent.stream().map(o -> o.message().title()).toList();
        }
    }

    static Alert service(HostId host, String svc, String problem, Instant since) {
        return new Alert("service:" + host + ":" + svc, "service", AlertSeverity.CRITICAL, host, svc,
                svc + " on " + host + ": " + problem, since);
    }

    static Alert hostDown(HostId host, Instant since) {
        return new Alert("host:" + host, "host", AlertSeverity.CRITICAL, host, null, host + " is down: no message for 120 s",
                since);
    }

    static Alert mount(HostId host, String path, Instant since) {
        return new Alert("mount:" + host + ":" + path, "mount", AlertSeverity.CRITICAL, host, path,
                host + " " + path + " is hung: stat did not return in 5 s", since);
    }

    @Test
    void aContainerRestartedWithinItsHold_sendsNothing() {
        Run r = new Run();
        r.open.add(service(DL, "sonarr", "exited (0)", r.now));
        r.run(Duration.ofSeconds(40)); // an image update: stopped, pulled, started again
        r.open.clear();
        r.run(Duration.ofMinutes(5));

        assertThat(r.sent).isEmpty();
    }

    @Test
    void aServiceDownPastItsHold_oneMessage_withEvidenceAndLink_thenOneClear() {
        Run r = new Run();
        Instant since = r.now;
        r.open.add(service(DL, "sabnzbd", "exited (137)", since));
        r.run(Duration.ofMinutes(2).plusSeconds(59));
        assertThat(r.sent).isEmpty();
        r.run(Duration.ofSeconds(1));
        assertThat(r.sent).singleElement().satisfies(o -> {
            Message m = o.message();
            assertThat(m.title()).isEqualTo("sabnzbd exited (137) on download-stack");
            assertThat(m.title().length()).isLessThanOrEqualTo(Message.MAX_TITLE);
            assertThat(m.text()).startsWith("Sabnzbd on download-stack: exited (137). Since 21:00 UTC, 1 Dec.")
                    .contains("\nevidence of service:download-stack:sabnzbd");
            assertThat(m.link()).isEqualTo("http://agg.lan:8470/status");
            assertThat(m.severity()).isEqualTo(Message.Severity.CRITICAL);
            assertThat(m.raised()).isTrue();
            assertThat(m.kind()).isEqualTo("service");
            assertThat(m.key()).isEqualTo("service:download-stack:sabnzbd:raised:" + since.getEpochSecond());
        });
        r.run(Duration.ofMinutes(10));
        assertThat(r.sent).hasSize(1);

        r.open.clear();
        r.run(Duration.ofSeconds(5));
        assertThat(r.sent).hasSize(2);
        Message clear = r.sent.get(1).message();
        assertThat(clear.title()).isEqualTo("Cleared: sabnzbd exited (137) on download-stack");
        assertThat(clear.raised()).isFalse();
        assertThat(clear.severity()).isEqualTo(Message.Severity.INFO);
        assertThat(r.sent.get(1).filterSeverity()).as("filtered as its raise was").isEqualTo(Message.Severity.CRITICAL);
        assertThat(clear.text()).contains("after 13 min");
        r.run(Duration.ofMinutes(5));
        assertThat(r.sent).hasSize(2);
    }

    @Test
    void aVmDown_isOneMessage_namingWhatElseIsAffected_notOnePerService() {
        Run r = new Run();
        Instant since = r.now;
        r.open.add(hostDown(DL, since));
        r.open.add(service(DL, "sabnzbd", "missing", since.minusSeconds(600)));
        r.open.add(service(DL, "radarr", "missing", since));
        r.open.add(mount(DL, "/mnt/media", since));
        r.run(Duration.ofMinutes(10));

        assertThat(r.sent).singleElement().satisfies(o -> {
            assertThat(o.message().title()).isEqualTo("VM download-stack down");
            assertThat(o.message().text()).startsWith("Download-stack is down: no message for 120 s. Since 21:00 UTC")
                    .contains("also affected: 3 alerts").contains("- sabnzbd on download-stack: missing")
                    .contains("- radarr on download-stack: missing");
            // The VM's time, not the older service's: it was sent 2 minutes after the VM went down.
            assertThat(o.message().key()).endsWith(":" + since.getEpochSecond());
        });
        assertThat(r.now).isAfter(since.plus(AlertPolicy.defaultHolds().get("host")));
    }

    @Test
    void aHungMediaMountOnBothVms_isOneMessageNamingBoth() {
        Run r = new Run();
        r.open.add(mount(DL, "/mnt/media", r.now));
        r.open.add(mount(ST, "/mnt/media", r.now.plusSeconds(3)));
        r.run(Duration.ofMinutes(3));

        assertThat(r.sent).singleElement().satisfies(o -> {
            assertThat(o.message().title()).isEqualTo("/mnt/media hung on download-stack and streaming-stack");
            assertThat(o.message().text()).startsWith("/mnt/media is hung on download-stack, streaming-stack since")
                    .contains("download-stack /mnt/media is hung").contains("streaming-stack /mnt/media is hung");
        });
    }

    @Test
    void stutter_isSentAtOnce_theDetectorHeldItAlready() {
        Run r = new Run();
        r.open.add(new Alert("stutter", "stutter", AlertSeverity.CRITICAL, null, null,
                "streaming stutter during downloads: anna's \"Arrival\" stalled", r.now));
        r.run(Duration.ofSeconds(1));

        assertThat(r.titles()).containsExactly("Streaming stutter during downloads");
    }

    @Test
    void holds_areConfigurablePerKind() {
        Run r = new Run(new AlertPolicy(Map.of("service", Duration.ofSeconds(10)), null, T0.minus(AlertPolicy.SETTLE),
                List.of()));
        r.open.add(service(DL, "sonarr", "exited (1)", r.now));
        r.run(Duration.ofSeconds(10));

        assertThat(r.sent).hasSize(1);
        assertThat(r.sent.get(0).message().link()).isNull();
    }

    @Test
    void nothingIsJudgedWhileTheStatusSettlesAfterAStart() {
        Run r = new Run(new AlertPolicy(Map.of(), null, T0, List.of()));
        r.open.add(new Alert("stutter", "stutter", AlertSeverity.CRITICAL, null, null, "stutter", T0));
        r.run(AlertPolicy.SETTLE.minusSeconds(1));
        assertThat(r.sent).isEmpty();
        r.run(Duration.ofSeconds(1));
        assertThat(r.sent).hasSize(1);
    }

    @Test
    void acrossARestart_aRaiseStillOpenIsNotSentAgain_andOneClosedMeanwhileGetsItsClear() {
        Run before = new Run();
        Instant since = before.now;
        before.open.add(service(DL, "sabnzbd", "exited (137)", since));
        before.open.add(service(ST, "jellyfin", "unhealthy", since));
        before.run(Duration.ofMinutes(4));
        assertThat(before.sent).hasSize(2);
        List<AlertPolicy.Sent> kept = before.policy.sent();

        // Restarted: jellyfin recovered while it was away, sabnzbd is still down (dated from the new start: the
        // status knows an alert from when it first saw it).
        Run after = new Run(new AlertPolicy(Map.of(), null, before.now, kept));
        after.now = before.now;
        after.open.add(service(DL, "sabnzbd", "exited (137)", before.now.plusSeconds(1)));
        after.run(Duration.ofMinutes(5));

        assertThat(after.sent).singleElement().satisfies(o -> {
            assertThat(o.message().title()).isEqualTo("Cleared: jellyfin unhealthy on streaming-stack");
            assertThat(o.message().key()).isEqualTo("service:streaming-stack:jellyfin:cleared:" + since.getEpochSecond());
        });
    }

    @Test
    void aGroupThatClearsAndReturnsBetweenTwoLooks_getsItsClearThenTheNewRaise() {
        Run r = new Run(new AlertPolicy(Map.of("service", Duration.ZERO), null, T0.minus(AlertPolicy.SETTLE), List.of()));
        r.open.add(service(DL, "sabnzbd", "exited (1)", r.now));
        r.run(Duration.ofSeconds(2));
        r.open.set(0, service(DL, "sabnzbd", "exited (1)", r.now.plusSeconds(1)));
        r.run(Duration.ofSeconds(2));

        assertThat(r.sent).extracting(o -> o.message().raised()).containsExactly(true, false, true);
    }

    @Test
    void filter_severityAndKinds() {
        Target.Filter critical = new Target.Filter(Message.Severity.CRITICAL, java.util.Set.of("host", "stutter"));
        assertThat(critical.wants(Message.Severity.CRITICAL, "host")).isTrue();
        assertThat(critical.wants(Message.Severity.WARNING, "host")).isFalse();
        assertThat(critical.wants(Message.Severity.CRITICAL, "service")).isFalse();
        assertThat(critical.wants(Message.Severity.INFO, "test")).isTrue();
        assertThat(Target.Filter.ALL.wants(Message.Severity.WARNING, "source")).isTrue();
    }
}
