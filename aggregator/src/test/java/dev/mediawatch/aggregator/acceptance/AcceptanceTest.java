package dev.mediawatch.aggregator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.DownloadQueue;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.StreamSession;

/**
 * The criteria with memory on the trace's clock: days of detector windows pass in milliseconds, so the 72-hour soak
 * and overlap window are the real ones.
 */
class AcceptanceTest {

    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    static final HostId DL = HostId.of("download-stack");
    static final HostId ST = HostId.of("streaming-stack");
    static final Tunnel.Target JELLYFIN = new Tunnel.Target(URI.create("https://jellyfin.example.org"), "jellyfin");
    static final Tunnel.Report TUNNEL_OK = new Tunnel.Report(List.of(JELLYFIN),
            List.of(new Tunnel.Result(JELLYFIN, true, "jellyfin.example.org answers as Jellyfin", T0)));
    static final Tunnel.Report TUNNEL_BAD = new Tunnel.Report(List.of(JELLYFIN),
            List.of(new Tunnel.Result(JELLYFIN, false, "jellyfin.example.org answers as another Jellyfin", T0)));

    private final Acceptance acceptance = new Acceptance(new Acceptance.Settings(Duration.ofHours(72), Duration.ofHours(1)));
    private List<Incident> incidents = new ArrayList<>();
    private Tunnel.Report tunnel = TUNNEL_OK;
    private List<Check> live = live(true, true);
    private Instant now = T0;
    private List<Check> last;

    private static List<Check> live(boolean reachable, boolean oldGone) {
        return List.of(new Check("vms-reachable", "every VM reachable", reachable, List.of()),
                new Check("services-placed", "every service on its VM", true, List.of()),
                new Check("nfs-modes", "NFS modes right", true, List.of()),
                new Check("no-plaintext-secrets", "no plaintext .env with secrets", true, List.of()),
                new Check("old-vm-gone", "old VM gone from the broker", oldGone, List.of()),
                new Check("drift-gates", "drift gates pass", true, List.of()));
    }

    /** Both hosts' activity: every witness doing its work. */
    private static Map<HostId, HostActivity> working(Instant at, long remaining) {
        HostActivity dl = HostActivity.of(DL, at,
                List.of(ActivitySource.ok("sabnzbd"), ActivitySource.ok("radarr"), ActivitySource.ok("sonarr")),
                List.of(), new DownloadQueue("downloading", false, 10_000_000, remaining, 3, 0), null, List.of(), null,
                List.of(new ArrImports("radarr", "movies", 2, at.minusSeconds(3600), at.minusSeconds(60), at),
                        new ArrImports("sonarr", "episodes", 5, at.minusSeconds(3600), at.minusSeconds(120), at)),
                List.of());
        HostActivity st = HostActivity.of(ST, at, List.of(ActivitySource.ok("jellyfin"), ActivitySource.ok("navidrome")),
                List.of(session("jellyfin", 1.0), session("navidrome", null)), null, null, List.of(), null, List.of(),
                List.of());
        return Map.of(DL, dl, ST, st);
    }

    private static StreamSession session(String source, Double advance) {
        return new StreamSession(source, "s-" + source, "anna", "Arrival", "web", false, StreamSession.DIRECT_PLAY, null,
                null, null, null, advance == null ? null : advance < 0.5, null, advance);
    }

    /** Detector windows every 5 s until {@code until}, criteria asked once a minute, as the wiring does (more often). */
    private void run(Duration d, boolean downloading, boolean playing, int score) {
        Instant until = now.plus(d);
        long remaining = 9_000_000_000L;
        while (now.isBefore(until)) {
            acceptance.window(now, downloading, playing, score);
            if (now.getEpochSecond() % 60 == 0) {
                remaining -= 1_000_000;
                acceptance.activity(now, working(now, remaining));
                last = acceptance.criteria(now, live, incidents, tunnel);
            }
            now = now.plusSeconds(5);
        }
    }

    private Check criterion(String id) {
        return last.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void overlapTooShort_isNotShownYet_saysHowLong() {
        run(Duration.ofMinutes(12), true, true, 30);
        run(Duration.ofHours(2), false, true, 0);

        Check c = criterion(Acceptance.NO_CONTENTION);
        assertThat(c.pass()).isFalse();
        assertThat(c.evidence().get(0)).isEqualTo("not shown yet: downloads and playback overlapped 12 min in the "
                + "last 72 h (at least 1 h needed)");
        assertThat(c.evidence()).contains("0 stutter incident(s); worst contention score 30");
    }

    @Test
    void enoughOverlap_withoutStutter_passes_withHoursAndWorstScore() {
        run(Duration.ofMinutes(90), true, true, 35);
        run(Duration.ofMinutes(30), true, false, 50);

        Check c = criterion(Acceptance.NO_CONTENTION);
        assertThat(c.pass()).isTrue();
        assertThat(c.evidence()).containsExactly("downloads and playback overlapped 1.5 h in the last 72 h",
                "0 stutter incident(s); worst contention score 50");
    }

    @Test
    void aStutterIncidentInTheWindow_fails_andNamesIt() {
        incidents = List.of(new Incident("stutter-1795330000-1", AlertState.STUTTER, AlertSeverity.CRITICAL,
                "streaming stutters during downloads", T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofMinutes(34)), 81,
                null, null, List.of()));
        run(Duration.ofHours(2), true, true, 81);

        Check c = criterion(Acceptance.NO_CONTENTION);
        assertThat(c.pass()).isFalse();
        assertThat(c.evidence()).contains("stutter at 2026-11-20 09:30Z (incident stutter-1795330000-1, peak score 81)",
                "1 stutter incident(s); worst contention score 81");
    }

    @Test
    void overlapOlderThanTheWindow_noLongerCounts() {
        run(Duration.ofHours(2), true, true, 20);
        assertThat(criterion(Acceptance.NO_CONTENTION).pass()).isTrue();

        run(Duration.ofHours(71), false, false, 0);
        assertThat(criterion(Acceptance.NO_CONTENTION).pass()).as("2 h of overlap still inside 72 h").isTrue();
        run(Duration.ofHours(2), false, false, 0);
        Check c = criterion(Acceptance.NO_CONTENTION);
        assertThat(c.pass()).isFalse();
        assertThat(c.evidence().get(0)).startsWith("not shown yet: downloads and playback overlapped 0 min in the last");
    }

    @Test
    void soak_startsWhenTheSplitGoesLive_countsHours_andPassesAfter72GreenHours() {
        live = live(false, false);
        run(Duration.ofHours(1), true, true, 10);
        Check soak = criterion(Acceptance.SOAK);
        assertThat(soak.pass()).isFalse();
        assertThat(soak.evidence()).containsExactly("the split is not live yet: it is when every VM is reachable and the "
                + "old VM is gone from the broker");

        live = live(true, true);
        Instant wentLive = now;
        run(Duration.ofHours(31), true, true, 10);
        soak = criterion(Acceptance.SOAK);
        assertThat(soak.pass()).isFalse();
        assertThat(soak.evidence()).contains("the split went live 2026-11-20 10:00Z");
        assertThat(soak.evidence()).anyMatch(e -> e.startsWith("soak 30 h of 72") || e.startsWith("soak 31 h of 72"));

        run(Duration.ofHours(42), true, true, 10);
        soak = criterion(Acceptance.SOAK);
        assertThat(Duration.between(wentLive, now)).isGreaterThanOrEqualTo(Duration.ofHours(73));
        assertThat(soak.pass()).as("%s", soak.evidence()).isTrue();
        assertThat(soak.evidence()).anyMatch(e -> e.startsWith("soak 72 h of 72"));
    }

    @Test
    void aCriterionTurningRed_breaksTheSoak_namesItAndWhen_andTheSoakStartsAgain() {
        run(Duration.ofHours(40), true, true, 10);
        assertThat(criterion(Acceptance.SOAK).evidence()).anyMatch(e -> e.startsWith("soak 3"));

        tunnel = TUNNEL_BAD;
        Instant broke = now;
        run(Duration.ofMinutes(10), true, true, 10);
        Check soak = criterion(Acceptance.SOAK);
        assertThat(soak.pass()).isFalse();
        assertThat(soak.evidence()).contains("soak waiting: tunnel not green",
                "last broken by tunnel at " + Acceptance.TIME.format(broke));

        tunnel = TUNNEL_OK;
        run(Duration.ofHours(50), true, true, 10);
        soak = criterion(Acceptance.SOAK);
        assertThat(soak.pass()).as("only 50 h green since the break").isFalse();
        assertThat(soak.evidence()).anyMatch(e -> e.startsWith("soak 49 h of 72") || e.startsWith("soak 50 h of 72"))
                .contains("last broken by tunnel at " + Acceptance.TIME.format(broke));
        run(Duration.ofHours(23), true, true, 10);
        assertThat(criterion(Acceptance.SOAK).pass()).isTrue();
    }

    @Test
    void servicesWorking_byWhatTheyDid_withTheTimeLastSeen_andUnconfiguredSourcesSaySo() {
        run(Duration.ofMinutes(10), true, true, 10);

        Check downloads = criterion(Acceptance.DOWNLOADS_WORKING);
        assertThat(downloads.pass()).as("%s", downloads.evidence()).isTrue();
        assertThat(downloads.evidence()).contains("lidarr: not configured (no URL: nothing to prove)")
                .anyMatch(e -> e.startsWith("sabnzbd: queue moved or empty, last 2026-11-20 09:09Z"))
                .anyMatch(e -> e.startsWith("radarr: imported (2 today), last 2026-11-20 09:08Z"));
        Check streaming = criterion(Acceptance.STREAMING_WORKING);
        assertThat(streaming.pass()).isTrue();
        assertThat(streaming.evidence()).anyMatch(e -> e.startsWith("jellyfin: a stream advanced, last 2026-11-20 09:09Z"))
                .anyMatch(e -> e.startsWith("navidrome: a stream served, last"));
    }

    @Test
    void aWitnessNotSeenWithinTheWindow_failsIt_withWhenItWasLastSeen() {
        run(Duration.ofMinutes(2), true, true, 10);
        // Then nobody plays for three days: Jellyfin's last advance leaves the window.
        Instant until = now.plus(Duration.ofHours(73));
        while (now.isBefore(until)) {
            Map<HostId, HostActivity> quiet = Map.of(ST, HostActivity.of(ST, now,
                    List.of(ActivitySource.ok("jellyfin"), ActivitySource.ok("navidrome")), List.of(), null, null,
                    List.of(), null, List.of(), List.of()));
            acceptance.activity(now, quiet);
            now = now.plus(Duration.ofMinutes(30));
        }
        last = acceptance.criteria(now, live, incidents, tunnel);
        Check streaming = criterion(Acceptance.STREAMING_WORKING);
        assertThat(streaming.pass()).isFalse();
        assertThat(streaming.evidence()).anyMatch(e -> e.startsWith("jellyfin: a stream advanced, last 2026-11-20 09:01Z")
                && e.endsWith("not within 72 h"));
    }

    @Test
    void aStalledJellyfinStream_doesNotProvePlayback() {
        Map<HostId, HostActivity> stalled = Map.of(ST, HostActivity.of(ST, now, List.of(ActivitySource.ok("jellyfin")),
                List.of(session("jellyfin", 0.1)), null, null, List.of(), null, List.of(), List.of()));
        acceptance.activity(now, stalled);
        last = acceptance.criteria(now, live, incidents, tunnel);
        assertThat(criterion(Acceptance.STREAMING_WORKING).pass()).isFalse();
        assertThat(criterion(Acceptance.STREAMING_WORKING).evidence())
                .contains("jellyfin: never seen: a stream advanced", "navidrome: not configured (no URL: nothing to prove)");
    }

    @Test
    void noSourceConfigured_saysWhatToSet() {
        acceptance.activity(now, Map.of());
        last = acceptance.criteria(now, live, incidents, tunnel);
        assertThat(criterion(Acceptance.DOWNLOADS_WORKING).pass()).isFalse();
        assertThat(criterion(Acceptance.DOWNLOADS_WORKING).evidence().get(0)).startsWith("no source configured");
    }

    @Test
    void aSourceThatCannotBeAsked_isSaid() {
        Map<HostId, HostActivity> down = Map.of(DL, HostActivity.of(DL, now,
                List.of(new ActivitySource("radarr", SourceState.UNAUTHORIZED, "401")), List.of(), null, null, List.of(),
                null, List.of(), List.of()));
        acceptance.activity(now, down);
        last = acceptance.criteria(now, live, incidents, tunnel);
        assertThat(criterion(Acceptance.DOWNLOADS_WORKING).evidence())
                .contains("radarr: never seen: imported; its API is unauthorized");
    }

    @Test
    void unknownSources_andAppsFromAnAgent_areIgnored_soNothingGrows() {
        List<ActivitySource> junk = new ArrayList<>();
        List<ArrImports> imports = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            junk.add(ActivitySource.ok("junk-" + i));
            imports.add(new ArrImports("app-" + i, "x", 1, now, now, now));
        }
        acceptance.activity(now, Map.of(DL, HostActivity.of(DL, now, junk, List.of(), null, null, List.of(), null,
                imports, List.of())));
        Acceptance.State s = acceptance.state();
        assertThat(s.seen()).isEmpty();
        assertThat(acceptance.importsToday()).isEmpty();
    }

    @Test
    void theMemory_survivesARestart_throughItsJson() throws Exception {
        run(Duration.ofHours(5), true, true, 25);
        List<Check> before = acceptance.criteria(now, live, incidents, tunnel);
        ObjectMapper json = ContractJson.mapper();
        byte[] saved = json.writeValueAsBytes(acceptance.state());

        Acceptance restarted = new Acceptance(acceptance.settings());
        restarted.restore(json.readValue(saved, Acceptance.State.class));
        restarted.activity(now, working(now, 1));
        List<Check> after = restarted.criteria(now, live, incidents, tunnel);
        // The witnesses were just seen again; everything else is as before the restart.
        java.util.function.Predicate<Check> remembered = c -> !c.id().endsWith("-working");
        assertThat(after).filteredOn(remembered).isEqualTo(before.stream().filter(remembered).toList());
        assertThat(criterionOf(after, Acceptance.NO_CONTENTION).evidence().get(0))
                .isEqualTo("downloads and playback overlapped 5 h in the last 72 h");
        assertThat(criterionOf(after, Acceptance.SOAK).evidence()).contains("the split went live 2026-11-20 09:00Z");
    }

    @Test
    void aSoakShorterThanAMinute_isRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Acceptance.Settings(Duration.ofSeconds(30),
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least a minute");
    }

    private static Check criterionOf(List<Check> checks, String id) {
        return checks.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }
}
