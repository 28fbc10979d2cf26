package dev.mediawatch.aggregator.stutter;

import static dev.mediawatch.aggregator.stutter.Decision.Change.CLEARED;
import static dev.mediawatch.aggregator.stutter.Decision.Change.RAISED;
import static dev.mediawatch.contract.AlertState.STREAMING_DEGRADED;
import static dev.mediawatch.contract.AlertState.STUTTER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.SignalValue;
import dev.mediawatch.contract.SourceState;

/**
 * Scenario tests of the detector on generated traces (see {@link Trace}): two hosts, a window every 5 s of trace
 * time, what each host reports changed between runs of windows. The traces are generated because the real
 * sources cannot all run here (no NFS server, no Jellyfin or SABnzbd); the payloads are the contract's records as
 * the agents publish them.
 */
class StutterDetectorTest {

    static final Duration W = Duration.ofSeconds(5);

    @Test
    void downloadsAlone_areNoAlert_stateDownloading() {
        Trace t = new Trace();
        t.dl.downloading();
        Decision d = t.run(Duration.ofMinutes(5));

        assertThat(t.transitions()).isEmpty();
        assertThat(d.contention().state()).isEqualTo(Contention.DOWNLOADING);
        assertThat(d.contention().pressure()).isEqualTo(100);
        assertThat(d.contention().degradation()).isZero();
        assertThat(d.contention().score()).isEqualTo(50);
        assertThat(d.stutter().raised()).isFalse();
        assertThat(d.degraded().raised()).isFalse();
    }

    @Test
    void nasSlowWithoutDownloads_raisesStreamingDegraded_notStutter() {
        Trace t = new Trace();
        t.windows(3);
        Instant lastCalm = t.now;
        t.st.degraded();
        t.run(Duration.ofMinutes(3));

        assertThat(t.transitions(STUTTER, RAISED)).isEmpty();
        assertThat(t.transitions(STREAMING_DEGRADED, RAISED)).hasSize(1);
        Decision d = t.last();
        assertThat(d.contention().state()).isEqualTo(Contention.DEGRADED);
        AlertState a = d.degraded().state();
        assertThat(a.raised()).isTrue();
        assertThat(a.severity()).isEqualTo(AlertSeverity.WARNING);
        assertThat(a.since()).isBetween(lastCalm.plus(W).plusSeconds(30), lastCalm.plusSeconds(30).plus(W));
        assertThat(a.message()).startsWith("streaming degraded (used: ");

        Instant lastDegraded = t.now;
        t.st.calmStreaming();
        t.run(Duration.ofMinutes(2));
        assertThat(t.transitions(STREAMING_DEGRADED, CLEARED)).singleElement()
                .satisfies(c -> assertThat(c.at()).isEqualTo(lastDegraded.plus(W).plusSeconds(60)));
    }

    static Stream<Arguments> timings() {
        return Stream.of(
                Arguments.of(5, 30, 60),
                Arguments.of(5, 10, 20),
                Arguments.of(2, 30, 60),
                Arguments.of(10, 30, 90));
    }

    /** Raise within raiseAfter plus one window of the start, clear within clearAfter plus one window of the end. */
    @ParameterizedTest(name = "window {0} s, raise {1} s, clear {2} s")
    @MethodSource("timings")
    void realContention_raisesAndClearsOnTime(int windowS, int raiseS, int clearS) {
        Duration window = Duration.ofSeconds(windowS);
        Duration raiseAfter = Duration.ofSeconds(raiseS);
        Duration clearAfter = Duration.ofSeconds(clearS);
        Trace t = new Trace(DetectorConfig.defaults().toBuilder().holdShare(1).window(window).maxGap(window.multipliedBy(3))
                .staleAfter(window.multipliedBy(3)).raiseAfter(raiseAfter).clearAfter(clearAfter).build());
        t.windows(4);
        Instant lastCalm = t.now;
        Instant firstLoaded = lastCalm.plus(window);
        t.dl.downloading();
        t.st.degraded();
        t.run(raiseAfter.plus(Duration.ofMinutes(2)));
        Instant lastLoaded = t.now;
        t.dl.calmDownload();
        t.st.calmStreaming();
        t.run(clearAfter.plus(Duration.ofMinutes(2)));

        assertThat(t.transitions()).extracting(x -> x.t().alertId() + " " + x.t().change())
                .containsExactly(STUTTER + " RAISED", STUTTER + " CLEARED");
        Instant raised = t.first(STUTTER, RAISED).orElseThrow();
        // It started after the last calm window and no later than the first loaded one.
        assertThat(raised).isAfterOrEqualTo(firstLoaded.plus(raiseAfter))
                .isBeforeOrEqualTo(lastCalm.plus(raiseAfter).plus(window));
        Instant cleared = t.first(STUTTER, CLEARED).orElseThrow();
        assertThat(cleared).isAfterOrEqualTo(lastLoaded.plus(clearAfter))
                .isBeforeOrEqualTo(lastLoaded.plus(window).plus(clearAfter).plus(window));
    }

    @Test
    void contention_raisesStutter_withMessageEvidenceAndIncidentId() {
        Trace t = new Trace();
        t.windows(2);
        t.dl.downloading();
        t.st.degraded();
        t.st.sessions = List.of(Trace.session("s1", false, true), Trace.session("s2", true, false));
        t.st.jellyfin = SourceState.OK;
        Decision d = t.run(Duration.ofSeconds(35));

        Decision.Transition raise = t.transitions(STUTTER, RAISED).get(0).t();
        AlertState a = raise.alert().state();
        assertThat(a.severity()).isEqualTo(AlertSeverity.CRITICAL);
        assertThat(a.since()).isEqualTo(Trace.T0.plusSeconds(45));
        assertThat(a.incidentId()).isEqualTo("stutter-20261121T210045Z");
        assertThat(a.throttle()).isNull();
        assertThat(a.message()).isEqualTo("streaming stutter during downloads (used: nfs-read-rtt, nfs-read-exe, "
                + "io-psi, disk-read-await, transcode-behind, playback-stalled on streaming-stack; nfs-write, disk-write, io-psi, "
                + "downloaders on download-stack)");
        assertThat(raise.reason()).isEqualTo(Decision.Transition.HELD);

        var ev = a.evidence();
        assertThat(ev.score()).isEqualTo(100);
        assertThat(ev.topWriters()).containsExactly("sabnzbd", "qbittorrent", "unpackerr");
        assertThat(ev.sessions()).extracting(s -> s.id()).containsExactly("s1", "s2");
        assertThat(ev.signalsMissing()).isEmpty();
        assertThat(ev.signalsUsed()).containsExactly("nfs-read-rtt", "nfs-read-exe", "io-psi", "disk-read-await",
                "transcode-behind", "playback-stalled", "nfs-write", "disk-write", "downloaders");
        // Every proxy crossed; nobody's stream stands still (playback-stalled 0, not crossed).
        assertThat(ev.signals()).hasSize(10).filteredOn(v -> !Signals.PLAYBACK_STALLED.equals(v.name()))
                .allMatch(SignalValue::crossed);
        assertThat(ev.signals()).filteredOn(s -> s.name().equals("nfs-read-rtt")).singleElement()
                .satisfies(s -> {
                    assertThat(s.value()).isEqualTo(90.0);
                    assertThat(s.unit()).isEqualTo("ms");
                    assertThat(s.side()).isEqualTo(SignalValue.STREAMING);
                    assertThat(s.host()).isEqualTo(Trace.ST);
                    // Crossed in the window before: judged against the clear threshold (hysteresis).
                    assertThat(s.threshold()).isEqualTo(25.0);
                });
        assertThat(ev.signals()).filteredOn(s -> s.name().equals("nfs-write")).singleElement()
                .satisfies(s -> assertThat(s.value()).isEqualTo(60_000_000.0));
        assertThat(ev.signals()).filteredOn(s -> s.name().equals("downloaders")).singleElement()
                .satisfies(s -> assertThat(s.value()).isEqualTo(2.0));

        assertThat(d.stutter().peakScore()).isEqualTo(100);
        assertThat(d.degraded().raised()).isFalse();
        assertThat(d.contention().watching()).isTrue();
        assertThat(d.alerts()).extracting(AlertState::id).containsExactly(STUTTER, STREAMING_DEGRADED);
    }

    @Test
    void peakScore_isTheWorstWindowWhileOpen() {
        Trace t = new Trace();
        t.dl.downloading();
        t.st.degraded();
        t.st.readRttMs = 10.0; // nfs-read-rtt and -exe calm: degradation 2/4
        t.st.readExeMs = 10.0;
        t.st.sessions = List.of(Trace.session("s1", false, false));
        t.run(Duration.ofSeconds(40));
        assertThat(t.last().stutter().raised()).isTrue();
        assertThat(t.last().stutter().peakScore()).isEqualTo(75);
        t.st.degraded();
        t.windows(2);
        t.st.readRttMs = 10.0;
        t.st.readExeMs = 10.0;
        Decision d = t.windows(2);
        assertThat(d.contention().score()).isEqualTo(75);
        assertThat(d.stutter().peakScore()).isEqualTo(100);
        assertThat(d.stutter().peakEvidence().score()).isEqualTo(100);
        assertThat(d.stutter().state().evidence().score()).isEqualTo(75); // at raise
    }

    /** The streaming side with io-psi crossed: nfs-read-rtt decides whether it is held (2 of 4, or 1). */
    static Trace hovering(DetectorConfig config, double low, double high) {
        Trace t = new Trace(config);
        t.dl.downloading();
        t.st.degraded();
        t.st.readExeMs = 10.0;
        t.st.readAwaitMs = 1.0;
        t.st.readRttMs = low;
        for (int i = 0; i < 120; i++) { // 10 minutes
            t.st.readRttMs = i % 2 == 0 ? high : low;
            t.windows(1);
        }
        return t;
    }

    @ParameterizedTest(name = "rtt alternating {0}/{1} ms")
    @MethodSource("hoverValues")
    void signalHoveringAroundTheThreshold_raisesOnce_neverFlaps(double low, double high) {
        Trace t = hovering(DetectorConfig.defaults(), low, high);
        assertThat(t.transitions()).extracting(x -> x.t().alertId() + " " + x.t().change())
                .containsExactly(STUTTER + " RAISED");
        assertThat(t.steps).extracting(s -> s.decision().contention().state()).containsOnly(Contention.CONTENTION);
    }

    static Stream<Arguments> hoverValues() {
        return Stream.of(Arguments.of(45.0, 55.0), Arguments.of(30.0, 60.0));
    }

    /** The same trace without hysteresis (clear = raise) never holds: what the clear threshold is for. */
    @Test
    void withoutHysteresis_theSameHoveringNeverHolds() {
        DetectorConfig noHysteresis = DetectorConfig.defaults().toBuilder()
                .nfsReadRtt(DetectorConfig.Rule.of(50, 50)).build();
        Trace t = hovering(noHysteresis, 45.0, 55.0);
        assertThat(t.transitions(STUTTER, RAISED)).isEmpty();
        assertThat(t.steps).extracting(s -> s.decision().contention().state())
                .contains(Contention.CONTENTION, Contention.DOWNLOADING);
    }

    @Test
    void downloadSideHovering_nfsWriteBetweenClearAndRaise_staysPressure() {
        Trace t = new Trace();
        t.dl.downloading();
        t.dl.sabActive = false;
        t.dl.qbtActive = false;
        t.dl.psi = 5.0; // nfs-write and disk-write decide: 2 of 4
        t.st.degraded();
        t.windows(2);
        for (int i = 0; i < 60; i++) {
            t.dl.nfsWriteBps = (i % 2 == 0 ? 15 : 25) * Trace.MB;
            t.dl.diskWriteBps = (i % 2 == 0 ? 12 : 22) * Trace.MB;
            t.windows(1);
        }
        assertThat(t.transitions()).extracting(x -> x.t().alertId() + " " + x.t().change())
                .containsExactly(STUTTER + " RAISED");
    }

    @Test
    void downloadAgentOffline_midIncident_holdsTheAlert_thenClearsAfterHoldMissingFor() {
        Trace t = new Trace();
        t.dl.downloading();
        t.st.degraded();
        t.run(Duration.ofSeconds(60));
        assertThat(t.last().stutter().raised()).isTrue();

        t.dl.online = false;
        Instant firstMissing = t.now.plus(W);
        t.run(Duration.ofMinutes(4).plusSeconds(55));
        assertThat(t.transitions()).hasSize(1);
        Decision held = t.last();
        assertThat(held.stutter().raised()).isTrue();
        assertThat(held.degraded().raised()).as("no pressure seen is not no pressure").isFalse();
        assertThat(held.contention().evidence().signalsMissing())
                .contains("nfs-write: download-stack offline", "downloaders: download-stack offline");

        t.run(Duration.ofMinutes(2));
        Trace.Transition clear = t.transitions(STUTTER, CLEARED).get(0);
        assertThat(clear.t().reason()).isEqualTo(Decision.Transition.SIGNALS_LOST);
        assertThat(clear.at()).isAfterOrEqualTo(firstMissing.plus(Duration.ofMinutes(5)))
                .isBeforeOrEqualTo(firstMissing.plus(Duration.ofMinutes(5)).plus(W));
        assertThat(clear.t().alert().state().message())
                .startsWith("streaming stutter during downloads cleared: signals lost for 300 s (missing: nfs-write: "
                        + "download-stack offline");
        assertThat(clear.t().alert().state().clearedAt()).isEqualTo(clear.at());
        assertThat(t.transitions()).hasSize(2);
        assertThat(t.transitions(STREAMING_DEGRADED, RAISED)).isEmpty();
    }

    @Test
    void downloadAgentStale_midIncident_isMissingNotZero_andResumesWhenItReturns() {
        Trace t = new Trace();
        t.dl.downloading();
        t.st.degraded();
        t.run(Duration.ofSeconds(60));
        assertThat(t.last().stutter().raised()).isTrue();

        t.dl.speaking = false; // still "online" (retained), but silent: stale after 3 windows
        Decision d = t.run(Duration.ofMinutes(3));
        assertThat(d.contention().evidence().signalsMissing()).anyMatch(m -> m.startsWith("disk-write: download-stack stale"));
        assertThat(d.stutter().raised()).isTrue();

        // It returns with the downloads over: the clear time counts from its return, not from when it went silent.
        t.dl.speaking = true;
        t.dl.calmDownload();
        t.st.calmStreaming();
        Instant back = t.now.plus(W);
        t.run(Duration.ofMinutes(2));
        Trace.Transition clear = t.transitions(STUTTER, CLEARED).get(0);
        assertThat(clear.t().reason()).isEqualTo(Decision.Transition.CALM);
        assertThat(clear.at()).isEqualTo(back.plusSeconds(60));
        assertThat(t.transitions()).hasSize(2);
    }

    @Test
    void downloadAgentOffline_andBackWhileContentionGoesOn_keepsOneIncident() {
        Trace t = new Trace();
        t.dl.downloading();
        t.st.degraded();
        t.run(Duration.ofSeconds(60));
        String incident = t.last().stutter().state().incidentId();
        t.dl.online = false;
        t.run(Duration.ofMinutes(2));
        t.dl.online = true;
        t.run(Duration.ofMinutes(2));
        assertThat(t.transitions()).hasSize(1);
        assertThat(t.last().stutter().state().incidentId()).isEqualTo(incident);
        // The outage neither counts towards the clear nor resets it: 6 calm windows (the first starts the count
        // at 0, so 25 s), 2 min offline, then 35 s more make the 60 s.
        t.dl.calmDownload();
        t.windows(6);
        t.dl.online = false;
        t.run(Duration.ofMinutes(2));
        t.dl.online = true;
        t.windows(6);
        assertThat(t.last().stutter().raised()).isTrue();
        t.windows(1);
        assertThat(t.transitions(STUTTER, CLEARED)).singleElement()
                .satisfies(c -> assertThat(c.t().reason()).isEqualTo(Decision.Transition.CALM));
    }

    @Test
    void offlineBeforeRaise_neitherAdvancesNorResetsTheRaiseTimer() {
        Trace t = new Trace();
        t.dl.downloading();
        t.st.degraded();
        t.windows(4); // held 15 s (first window starts the run)
        t.st.online = false;
        t.run(Duration.ofMinutes(1));
        assertThat(t.transitions()).isEmpty();
        t.st.online = true;
        t.windows(3); // 15 s more: 30 s
        assertThat(t.transitions(STUTTER, RAISED)).hasSize(1);
        assertThat(t.first(STUTTER, RAISED).orElseThrow()).isEqualTo(t.now);
    }

    @Test
    void nobodyWatching_noStutter_untilSomebodyPlays() {
        Trace t = new Trace();
        t.st.sessions = List.of(Trace.session("s1", true, false)); // paused
        t.dl.downloading();
        t.st.degraded();
        Decision d = t.run(Duration.ofMinutes(3));
        assertThat(t.transitions()).isEmpty();
        assertThat(d.contention().state()).isEqualTo(Contention.CONTENTION);
        assertThat(d.contention().watching()).isFalse();
        assertThat(d.watching().state()).isEqualTo(Signals.Watch.NO);

        t.st.sessions = List.of();
        t.run(Duration.ofMinutes(1));
        assertThat(t.transitions()).isEmpty();

        t.st.sessions = List.of(Trace.session("s1", false, false));
        Instant plays = t.now.plus(W);
        t.run(Duration.ofMinutes(1));
        assertThat(t.first(STUTTER, RAISED)).contains(plays.plusSeconds(30));
    }

    @Test
    void jellyfinKeyMissing_watchingUnknown_raisesAndSaysSo() {
        Trace t = new Trace();
        t.st.jellyfin = SourceState.UNAUTHORIZED;
        t.st.jellyfinProblem = "401 for api_key=SECRET-abc123";
        t.dl.downloading();
        t.st.degraded();
        Decision d = t.run(Duration.ofSeconds(40));

        assertThat(d.watching().state()).isEqualTo(Signals.Watch.UNKNOWN);
        assertThat(d.contention().watching()).isFalse();
        AlertState a = d.stutter().state();
        assertThat(a.raised()).isTrue();
        assertThat(a.message()).contains("missing: transcode-behind: jellyfin unauthorized on streaming-stack")
                .endsWith("; watching unknown, taken as watching: jellyfin unauthorized on streaming-stack)")
                .doesNotContain("SECRET");
        assertThat(a.evidence().signalsMissing()).containsExactly(
                "transcode-behind: jellyfin unauthorized on streaming-stack",
                "playback-stalled: jellyfin unauthorized on streaming-stack (only Jellyfin reports positions)");
        assertThat(a.evidence().toString()).doesNotContain("SECRET");
    }

    @Test
    void noActivityAtAll_watchingUnknown_raisesOnDiskAndPsiAlone() {
        // As on the test machine: one disk shared by both agents, no NFS, no downloader or Jellyfin API.
        Trace t = new Trace();
        for (Trace.Host h : List.of(t.dl, t.st)) {
            h.activityReported = false;
            h.nfsWriteBps = null;
        }
        t.dl.diskWriteBps = 90 * Trace.MB;
        t.dl.psi = 25.0;
        t.st.psi = 25.0;
        t.st.readAwaitMs = 14.0; // below its raise: io-psi alone is half of what the streaming side shows
        Decision d = t.run(Duration.ofSeconds(40));

        assertThat(d.contention().state()).isEqualTo(Contention.CONTENTION);
        assertThat(d.contention().pressure()).isEqualTo(100);
        assertThat(d.contention().degradation()).isEqualTo(50);
        assertThat(d.stutter().raised()).isTrue();
        assertThat(d.stutter().state().message()).isEqualTo("streaming stutter during downloads (used: io-psi, "
                + "disk-read-await on streaming-stack; disk-write, io-psi on download-stack; missing: nfs-read-rtt: no "
                + "NFS statistics on streaming-stack, nfs-read-exe: no NFS statistics on streaming-stack, "
                + "transcode-behind: no activity report from streaming-stack, playback-stalled: no activity report from streaming-stack, nfs-write: no NFS statistics on "
                + "download-stack, downloaders: no activity report from download-stack; watching unknown, "
                + "taken as watching: no activity report from streaming-stack)");
    }

    @Test
    void clockJumpBackwards_restartsTheTimers_noRaiseAndNoClearFromIt() {
        Trace t = new Trace();
        t.dl.downloading();
        t.st.degraded();
        t.windows(5); // held 20 s
        t.now = t.now.minus(Duration.ofHours(1));
        Instant jump = t.now;
        t.window();
        t.windows(5); // 25 s after the jump: 45 s of contention by the old count
        assertThat(t.transitions()).isEmpty();
        t.windows(1);
        assertThat(t.first(STUTTER, RAISED)).contains(jump.plusSeconds(30));

        // Raised, then calm for 50 s, then the clock goes back: the clear starts again from the jump.
        t.dl.calmDownload();
        t.windows(11);
        t.now = t.now.minus(Duration.ofMinutes(10));
        Instant back = t.now;
        t.window();
        t.windows(11);
        assertThat(t.transitions(STUTTER, CLEARED)).isEmpty();
        t.windows(1);
        assertThat(t.first(STUTTER, CLEARED)).contains(back.plusSeconds(60));
    }

    @Test
    void clockJumpForwards_restartsTheTimers_noRaiseAndNoClearFromIt() {
        Trace t = new Trace();
        t.dl.downloading();
        t.st.degraded();
        t.windows(5);
        t.now = t.now.plus(Duration.ofMinutes(10));
        Instant jump = t.now;
        Decision atJump = t.window();
        assertThat(atJump.transitions()).isEmpty();
        t.run(Duration.ofSeconds(30));
        assertThat(t.first(STUTTER, RAISED)).contains(jump.plusSeconds(30));

        t.dl.calmDownload();
        t.windows(2);
        t.now = t.now.plus(Duration.ofHours(2));
        Instant jump2 = t.now;
        assertThat(t.window().transitions()).as("two hours of calm in one step clear nothing").isEmpty();
        t.run(Duration.ofSeconds(60));
        assertThat(t.first(STUTTER, CLEARED)).contains(jump2.plusSeconds(60));
    }

    @Test
    void aGapOfMaxGap_isNotAJump() {
        Trace t = new Trace();
        t.dl.downloading();
        t.st.degraded();
        t.windows(1);
        t.now = t.now.plusSeconds(15); // two windows lost: 15 s = maxGap
        t.window();
        t.windows(3);
        assertThat(t.first(STUTTER, RAISED)).contains(t.now);
    }

    @Test
    void downloadsEndNasStaysSlow_degradedRaisedOnlyWhenStutterClears() {
        Trace t = new Trace();
        t.dl.downloading();
        t.st.degraded();
        t.run(Duration.ofSeconds(40));
        assertThat(t.last().stutter().raised()).isTrue();
        // Downloads end, the NAS stays slow: degradation alone, but stutter is still open for its clear time.
        t.dl.calmDownload();
        Instant downloadsEnd = t.now.plus(W);
        t.run(Duration.ofMinutes(2));
        assertThat(t.transitions()).extracting(x -> x.t().alertId() + " " + x.t().change() + " " + x.at())
                .containsExactly(STUTTER + " RAISED " + Trace.T0.plusSeconds(35),
                        STUTTER + " CLEARED " + downloadsEnd.plusSeconds(60),
                        STREAMING_DEGRADED + " RAISED " + downloadsEnd.plusSeconds(60));
        assertThat(t.last().degraded().state().message()).startsWith("streaming degraded (used:");
    }

    @Test
    void aDownloaderApiDown_countIsALowerBound_usedWhenItCrosses_missingWhenItDoesNot() {
        Trace t = new Trace();
        t.dl.sabnzbd = SourceState.UNREACHABLE;
        Decision d = t.windows(1);
        assertThat(d.contention().evidence().signalsMissing())
                .containsExactly("downloaders: sabnzbd unreachable on download-stack");
        assertThat(d.contention().evidence().signals()).noneMatch(s -> s.name().equals("downloaders"));

        t.dl.qbtActive = true;
        d = t.windows(1);
        assertThat(d.contention().evidence().signalsMissing()).isEmpty();
        assertThat(d.contention().evidence().signals()).filteredOn(s -> s.name().equals("downloaders"))
                .singleElement().satisfies(s -> {
                    assertThat(s.value()).isEqualTo(1.0);
                    assertThat(s.crossed()).isTrue();
                });
        assertThat(d.contention().pressure()).isEqualTo(25);
    }

    @Test
    void score_zeroWhenCalm_hundredWhenAllCrossed_monotoneInCrossedSignals() {
        Trace t = new Trace();
        assertThat(t.windows(1).contention().score()).isZero();
        assertThat(t.last().contention().state()).isEqualTo(Contention.CALM);

        List<Runnable> crossOneMore = List.of(
                () -> t.dl.nfsWriteBps = 30 * Trace.MB,
                () -> t.st.readRttMs = 70.0,
                () -> t.dl.diskWriteBps = 30 * Trace.MB,
                () -> t.st.readExeMs = 150.0,
                () -> t.dl.psi = 30.0,
                () -> t.st.psi = 30.0,
                () -> t.dl.sabActive = true,
                () -> t.st.readAwaitMs = 30.0);
        int previous = 0;
        for (Runnable r : crossOneMore) {
            r.run();
            int score = t.windows(1).contention().score();
            assertThat(score).isGreaterThan(previous);
            previous = score;
        }
        assertThat(previous).isEqualTo(100);
        // Every proxy crossed; the symptoms (no stalled session, no transcode behind here) are not among them.
        assertThat(t.last().contention().evidence().signals()).filteredOn(v -> !Signals.PLAYBACK_STALLED.equals(v.name())
                && !Signals.TRANSCODE_BEHIND.equals(v.name())).allMatch(SignalValue::crossed);
    }

    @Test
    void aTranscodeBehind_isTheSymptom_degradedWhateverTheProxies_andNoneBehindNeverWeighsAgainstThem() {
        Trace t = new Trace();
        t.st.sessions = List.of(Trace.session("s1", false, true));
        Decision d = t.windows(1);
        assertThat(d.contention().degradation()).isEqualTo(100);
        assertThat(d.contention().state()).isEqualTo(Contention.DEGRADED);

        // Two proxies of four crossed, a stream playing directly (nothing to fall behind): held, as without Jellyfin.
        t.st.sessions = List.of(Trace.session("s1", false, false));
        t.st.psi = 30.0;
        t.st.readAwaitMs = 30.0;
        d = t.windows(1);
        assertThat(d.contention().degradation()).isEqualTo(50);
        assertThat(d.contention().evidence().signals()).anySatisfy(v -> {
            assertThat(v.name()).isEqualTo(Signals.TRANSCODE_BEHIND);
            assertThat(v.crossed()).isFalse();
        });
    }

    @Test
    void score_isTheMeanOfPressureAndDegradation() {
        assertThat(StutterDetector.score(0, 0)).isZero();
        assertThat(StutterDetector.score(100, 0)).isEqualTo(50);
        assertThat(StutterDetector.score(100, 100)).isEqualTo(100);
        assertThat(StutterDetector.score(50, 40)).isEqualTo(45);
        assertThat(StutterDetector.score(0, 1)).isEqualTo(1); // not rounded down to calm
        assertThat(StutterDetector.score(0.4, 0)).isZero(); // rounds
    }

    @Test
    void beforeAnyRaise_bothAlertsAreCleared_withoutIncident() {
        Decision d = new Trace().windows(1);
        for (Decision.Alert a : List.of(d.stutter(), d.degraded())) {
            assertThat(a.state().state()).isEqualTo(AlertState.CLEARED);
            assertThat(a.state().incidentId()).isNull();
            assertThat(a.state().since()).isNull();
            assertThat(a.peakScore()).isZero();
        }
        assertThat(d.stutter().state().message()).isEqualTo(
                "streaming stutter during downloads: not raised since the aggregator started");
    }

    @Test
    void aHostThatLeaves_isForgotten() {
        // rtt crossed, then the host leaves and returns with rtt in the hysteresis band: judged afresh, not crossed.
        StutterDetector d = new StutterDetector(DetectorConfig.defaults());
        Trace t = new Trace();
        t.st.degraded();
        Instant now = Trace.T0;
        d.decide(now, List.of(t.dl.sample(now), t.st.sample(now)));
        now = now.plus(W);
        d.decide(now, List.of(t.dl.sample(now)));
        t.st.readRttMs = 40.0;
        now = now.plus(W);
        Decision x = d.decide(now, List.of(t.dl.sample(now), t.st.sample(now)));
        assertThat(x.contention().evidence().signals()).filteredOn(s -> s.name().equals("nfs-read-rtt"))
                .singleElement().satisfies(s -> assertThat(s.crossed()).isFalse());
    }
}
