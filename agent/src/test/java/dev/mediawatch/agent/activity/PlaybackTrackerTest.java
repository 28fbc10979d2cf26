package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.activity.PlaybackTracker.Progress;
import dev.mediawatch.agent.activity.PlaybackTracker.Settings;
import dev.mediawatch.agent.activity.PlaybackTracker.StreamIdentity;
import dev.mediawatch.contract.StreamSession;

/**
 * {@link PlaybackTracker} driven by an explicit clock: the agent polls every 5 s (agent seconds {@code t}), and
 * the modelled client posts its progress every 10 s, at Jellyfin seconds {@code -8, 2, 12, ...}. Jellyfin's clock
 * ({@link #SERVER}) is set an hour and a bit away from the agent's ({@link #AGENT}): only differences between
 * check-ins are ever used, never one clock against the other.
 *
 * <p>With posts at -8, 2, 12 seen at t = 0, 5 and 15, the first judgement comes at t = 15: 20 s of report time
 * and two reports after the base.
 */
class PlaybackTrackerTest {

    private static final Instant AGENT = Instant.parse("2026-11-21T21:00:00Z");
    private static final Instant SERVER = Instant.parse("2026-11-21T19:47:13.250Z");
    private static final long TICKS = 10_000_000L;
    private static final StreamIdentity DIRECT = new StreamIdentity("DirectPlay", "a20cc5741f4fe20413c23fa2b48920fc", 1,
            -1);
    private static final StreamIdentity TRANSCODE = new StreamIdentity("Transcode", "a20cc5741f4fe20413c23fa2b48920fc",
            1, -1);

    private PlaybackTracker tracker = new PlaybackTracker(Settings.DEFAULTS);

    // --- the model ------------------------------------------------------------------------------------------

    /** The client's last post seen at agent second t: every 10 s, at -8, 2, 12, ... */
    private static int lastPost(int t) {
        return Math.floorDiv(t - 2, 10) * 10 + 2;
    }

    private static Instant server(double seconds) {
        return SERVER.plusNanos(Math.round(seconds * 1e9));
    }

    private static Progress progress(String item, double positionSeconds, boolean paused, Double rate, Double checkIn,
            StreamIdentity stream, Double completion) {
        return new Progress(item, Math.round(positionSeconds * TICKS), paused, rate,
                checkIn == null ? null : server(checkIn), stream, completion);
    }

    /** Playing item {@code ep1}, direct play, the post at Jellyfin second {@code checkIn} giving {@code position}. */
    private static Progress playing(double position, double checkIn) {
        return progress("ep1", position, false, null, checkIn, DIRECT, null);
    }

    private static Progress paused(double position, double checkIn) {
        return progress("ep1", position, true, null, checkIn, DIRECT, null);
    }

    private static StreamSession session(String id) {
        return new StreamSession("jellyfin", id, "alice", "Pioneer One - S01E02 - The Man From Mars",
                "Jellyfin Web (Firefox)", false, "direct-play", null, 23.974428, null, null);
    }

    private List<StreamSession> poll(int t, JellyfinSession... sessions) {
        return tracker.judge(List.of(sessions), AGENT.plusSeconds(t));
    }

    private StreamSession pollOne(int t, Progress p) {
        List<StreamSession> out = poll(t, new JellyfinSession(session("s1"), p));
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    /** Polls every 5 s from {@code from} to {@code to} (agent seconds); the judged session per poll time. */
    private Map<Integer, StreamSession> run(int from, int to, IntFunction<Progress> at) {
        Map<Integer, StreamSession> out = new TreeMap<>();
        for (int t = from; t <= to; t += 5) {
            out.put(t, pollOne(t, at.apply(t)));
        }
        return out;
    }

    /** Each poll time with {@code stalled/silent/ratio}, for assertions that show the whole run. */
    private static List<String> timeline(Map<Integer, StreamSession> run) {
        List<String> out = new ArrayList<>();
        run.forEach((t, s) -> out.add(t + ":" + s.stalled() + "/" + s.silent() + "/" + s.advanceRatio()));
        return out;
    }

    // --- judged ---------------------------------------------------------------------------------------------

    @Test
    void aNormalPlayingSession_positionKeepsUpWithItsReports_isNotStalled_withRatioOne() {
        Map<Integer, StreamSession> run = run(0, 40, t -> playing(600 + lastPost(t), lastPost(t)));

        assertThat(timeline(run)).containsExactly("0:null/false/null", "5:null/false/null", "10:null/false/null",
                "15:false/false/1.0", "20:false/false/1.0", "25:false/false/1.0", "30:false/false/1.0",
                "35:false/false/1.0", "40:false/false/1.0");
        assertThat(run.get(40).stalledOrSilent()).isFalse();
    }

    @Test
    void aRealStall_samePositionReportedAgainAndAgainNotPaused_isStalledWithRatioZero() {
        Map<Integer, StreamSession> run = run(0, 40, t -> playing(600, lastPost(t)));

        assertThat(timeline(run)).containsExactly("0:null/false/null", "5:null/false/null", "10:null/false/null",
                "15:true/false/0.0", "20:true/false/0.0", "25:true/false/0.0", "30:true/false/0.0",
                "35:true/false/0.0", "40:true/false/0.0");
        assertThat(run.get(15).stalledOrSilent()).isTrue();
    }

    @Test
    void aStallAfterNormalPlay_isJudgedOnTheLastSpan_notTheWholeSession() {
        // Plays until the post at 22 (position 622), then stands still at 622.
        Map<Integer, StreamSession> run = run(0, 60, t -> playing(600 + Math.min(lastPost(t), 22), lastPost(t)));

        assertThat(run.get(25).stalled()).isFalse();
        // Posts 12, 22, 32 cover 20 s: 10 s of advance, half: not below half.
        assertThat(run.get(35).advanceRatio()).isEqualTo(0.5);
        assertThat(run.get(35).stalled()).isFalse();
        // Posts 22, 32, 42: no advance at all.
        assertThat(run.get(45).stalled()).isTrue();
        assertThat(run.get(45).advanceRatio()).isEqualTo(0.0);
        assertThat(run.get(60).stalled()).isTrue();
    }

    @Test
    void anAdvanceBelowMinAdvance_isStalled_andAtOrAboveIt_isNot() {
        Map<Integer, StreamSession> slow = run(0, 20, t -> playing(600 + 0.45 * lastPost(t), lastPost(t)));
        assertThat(slow.get(15).advanceRatio()).isEqualTo(0.45);
        assertThat(slow.get(15).stalled()).isTrue();

        tracker = new PlaybackTracker(Settings.DEFAULTS);
        Map<Integer, StreamSession> enough = run(0, 20, t -> playing(600 + 0.55 * lastPost(t), lastPost(t)));
        assertThat(enough.get(15).advanceRatio()).isEqualTo(0.55);
        assertThat(enough.get(15).stalled()).isFalse();
    }

    @Test
    void minAdvance_isConfiguration() {
        tracker = new PlaybackTracker(new Settings(Duration.ofSeconds(20), 0.8, Duration.ofSeconds(30)));
        Map<Integer, StreamSession> run = run(0, 20, t -> playing(600 + 0.7 * lastPost(t), lastPost(t)));
        assertThat(run.get(15).advanceRatio()).isEqualTo(0.7);
        assertThat(run.get(15).stalled()).isTrue();
    }

    @Test
    void advanceRatio_isRoundedToTwoDecimals() {
        Map<Integer, StreamSession> run = run(0, 15, t -> playing(600 + lastPost(t) * 2.0 / 3.0, lastPost(t)));
        assertThat(run.get(15).advanceRatio()).isEqualTo(0.67);
    }

    // --- silent ---------------------------------------------------------------------------------------------

    @Test
    void aSilentClient_checkInNotAdvancingForMoreThan30s_isSilent() {
        // The client posts until Jellyfin second 12 (seen at t = 15), then never again.
        Map<Integer, StreamSession> run = run(0, 60, t -> playing(600 + Math.min(lastPost(t), 12),
                Math.min(lastPost(t), 12)));

        // 30 s after t = 15 is not yet more than 30 s; 35 s is.
        assertThat(run.get(45).silent()).isFalse();
        assertThat(run.get(50).silent()).isTrue();
        assertThat(run.get(60).silent()).isTrue();
        // Its last span was played at speed: stalled stays false, silence is what counts.
        assertThat(run.get(50).stalled()).isFalse();
        assertThat(run.get(50).stalledOrSilent()).isTrue();
    }

    @Test
    void silence_isCountedOnTheAgentsClock_soJellyfinsClockDoesNotMatter() {
        // First seen with a check-in 73 minutes before the agent's clock (Jellyfin's clock is behind): no silence yet.
        StreamSession first = pollOne(0, playing(600, 0));
        assertThat(first.silent()).isFalse();
        assertThat(pollOne(30, playing(600, 0)).silent()).isFalse();
        assertThat(pollOne(31, playing(600, 0)).silent()).isTrue();
    }

    @Test
    void silentAfter_isConfiguration() {
        tracker = new PlaybackTracker(new Settings(Duration.ofSeconds(20), 0.5, Duration.ofSeconds(12)));
        pollOne(0, playing(600, 0));
        assertThat(pollOne(10, playing(600, 0)).silent()).isFalse();
        assertThat(pollOne(15, playing(600, 0)).silent()).isTrue();
    }

    @Test
    void aPausedSession_isNeverSilent_andSilenceCountsFromTheResume() {
        pollOne(0, playing(600, 0));
        // Paused for a minute without any post: not silent, and not judged at all.
        StreamSession paused = null;
        for (int t = 5; t <= 60; t += 5) {
            paused = pollOne(t, paused(600, 0));
        }
        assertThat(paused.silent()).isNull();
        assertThat(paused.stalled()).isNull();
        // Shown playing again with the old check-in: the silence counts from the last paused sample.
        assertThat(pollOne(65, playing(600, 0)).silent()).isFalse();
        assertThat(pollOne(90, playing(600, 0)).silent()).isFalse();
        assertThat(pollOne(95, playing(600, 0)).silent()).isTrue();
    }

    // --- not stalls -----------------------------------------------------------------------------------------

    @Test
    void theFirstPoll_isNotJudged() {
        StreamSession s = pollOne(0, playing(600, 0));
        assertThat(s.stalled()).isNull();
        assertThat(s.advanceRatio()).isNull();
        assertThat(s.silent()).isFalse();
        assertThat(tracker.tracked()).isEqualTo(1);
    }

    @Test
    void aSessionThatJustStarted_withManyReportsInUnder20s_isNotJudgedUntil20sOfReports() {
        // A client posting every 5 s, seen at each poll: three reports after the first by 15 s, but not 20 s.
        Map<Integer, StreamSession> run = run(0, 20, t -> playing(600 + t, t));
        assertThat(run.get(15).stalled()).isNull();
        assertThat(run.get(15).advanceRatio()).isNull();
        assertThat(run.get(20).stalled()).isFalse();
        assertThat(run.get(20).advanceRatio()).isEqualTo(1.0);
    }

    @Test
    void aSessionThatJustStarted_withOneReportIn25s_isNotJudgedUntilTwoReportsAfterTheBase() {
        // A client posting every 25 s: 25 s of report time after one post is not enough, the second one is.
        Map<Integer, StreamSession> run = run(0, 50, t -> playing(600, Math.floorDiv(t, 25) * 25));
        assertThat(run.get(25).stalled()).isNull();
        assertThat(run.get(45).stalled()).isNull();
        assertThat(run.get(50).stalled()).isTrue();
        assertThat(run.get(50).advanceRatio()).isEqualTo(0.0);
    }

    @Test
    void pauseThenResume_isNotAStall_andIsJudgedAgainOnlyAfterAWholeSpan() {
        // Plays to the post at 22 (t = 25), paused from the post at 32 to 52 (the client keeps posting, paused),
        // playing again from the post at 62.
        Map<Integer, StreamSession> run = run(0, 90, t -> {
            int c = lastPost(t);
            if (c >= 32 && c <= 52) {
                return paused(622, c);
            }
            return playing(c <= 22 ? 600 + c : 622 + (c - 62), c);
        });

        assertThat(run.get(25).stalled()).isFalse();
        for (int t = 35; t <= 60; t += 5) {
            assertThat(run.get(t).stalled()).as("paused at %s", t).isNull();
            assertThat(run.get(t).silent()).as("paused at %s", t).isNull();
        }
        // Resumed at the post of 62 (t = 65): the new base; posts 72 and 82 complete the span at t = 85.
        for (int t = 65; t <= 80; t += 5) {
            assertThat(run.get(t).stalled()).as("resumed at %s", t).isNull();
            assertThat(run.get(t).silent()).as("resumed at %s", t).isFalse();
        }
        assertThat(run.get(85).stalled()).isFalse();
        assertThat(run.get(85).advanceRatio()).isEqualTo(1.0);
    }

    @Test
    void aSeekBackward_isNotAStall_andResetsTheSpan() {
        // At the post of 32 the viewer jumps back five minutes, then plays on.
        Map<Integer, StreamSession> run = run(0, 60, t -> {
            int c = lastPost(t);
            return playing(c < 32 ? 600 + c : 300 + c, c);
        });

        assertThat(run.get(25).stalled()).isFalse();
        for (int t = 35; t <= 50; t += 5) {
            assertThat(run.get(t).stalled()).as("after the seek at %s", t).isNull();
            assertThat(run.get(t).advanceRatio()).as("after the seek at %s", t).isNull();
        }
        assertThat(run.get(55).stalled()).isFalse();
        assertThat(run.get(55).advanceRatio()).isEqualTo(1.0);
    }

    @Test
    void aSeekForward_beyondTheElapsedTimeAndTolerance_isNotAStall_andResetsTheSpan() {
        // At the post of 32 the viewer skips the intro (90 s), then the player waits 10 s for the new spot and plays.
        Map<Integer, StreamSession> run = run(0, 70, t -> {
            int c = lastPost(t);
            return playing(c < 32 ? 600 + c : 722 + Math.max(0, c - 42), c);
        });

        assertThat(run.get(25).stalled()).isFalse();
        for (int t = 35; t <= 50; t += 5) {
            assertThat(run.get(t).stalled()).as("after the seek at %s", t).isNull();
        }
        // Posts 32 (722), 42 (722: waited), 52 (732): 10 s in 20 s, not below half.
        assertThat(run.get(55).advanceRatio()).isEqualTo(0.5);
        assertThat(run.get(55).stalled()).isFalse();
    }

    @Test
    void aPositionALittleAheadOfTheElapsedTime_isNoSeek() {
        // A post 1 s ahead of the time that passed (the post's time is when Jellyfin received it): still judged.
        Map<Integer, StreamSession> run = run(0, 15, t -> {
            int c = lastPost(t);
            return playing(c == 12 ? 600 + c + 1 : 600 + c, c);
        });
        assertThat(run.get(15).stalled()).isFalse();
        assertThat(run.get(15).advanceRatio()).isEqualTo(1.05);
    }

    @Test
    void aNewItem_isANewTrack_andIsNotJudgedUntilItsOwnSpan() {
        // Episode 1 ends at the post of 22; episode 2 starts at 0 at the post of 32.
        Map<Integer, StreamSession> run = run(0, 60, t -> {
            int c = lastPost(t);
            return c <= 22 ? playing(2000 + c, c) : progress("ep2", c - 32, false, null, (double) c, DIRECT, null);
        });

        assertThat(run.get(25).stalled()).isFalse();
        for (int t = 35; t <= 50; t += 5) {
            assertThat(run.get(t).stalled()).as("new item at %s", t).isNull();
        }
        assertThat(run.get(55).stalled()).isFalse();
        assertThat(tracker.tracked()).isEqualTo(1);
        assertThat(tracker.reports("s1", "ep1")).isZero();
        assertThat(tracker.reports("s1", "ep2")).isEqualTo(3);
    }

    @Test
    void aTranscodeRestart_completionPercentageDropping_isNotAStall_andResetsTheSpan() {
        // Transcoding, CompletionPercentage rising; at the post of 42 the transcode started again (2 %) and the
        // player waited 10 s for it.
        Map<Integer, StreamSession> run = run(0, 70, t -> {
            int c = lastPost(t);
            double position = c <= 32 ? 600 + c : 632 + Math.max(0, c - 42);
            double completion = c <= 32 ? 40 + c / 10.0 : 2 + (c - 42) / 10.0;
            return progress("ep1", position, false, null, (double) c, TRANSCODE, completion);
        });

        assertThat(run.get(35).stalled()).isFalse();
        for (int t = 45; t <= 60; t += 5) {
            assertThat(run.get(t).stalled()).as("restarted at %s", t).isNull();
        }
        // Posts 42, 52, 62 (632, 642, 652).
        assertThat(run.get(65).stalled()).isFalse();
        assertThat(run.get(65).advanceRatio()).isEqualTo(1.0);
    }

    @Test
    void aTranscodeRestartSeenBetweenPosts_takesTheClientsNextPostAsTheBase() {
        // The drop shows at t = 30 with the post of 22 still the last one; the next post (32) is the base.
        Map<Integer, StreamSession> run = run(0, 60, t -> {
            int c = lastPost(t);
            double completion = t < 30 ? 40 + t / 10.0 : 2 + t / 10.0;
            return progress("ep1", 600 + c, false, null, (double) c, TRANSCODE, completion);
        });

        assertThat(run.get(25).stalled()).isFalse();
        for (int t = 30; t <= 50; t += 5) {
            assertThat(run.get(t).stalled()).as("restarted at %s", t).isNull();
        }
        // Posts 32, 42, 52: the span is covered at t = 55, not at t = 45 as from the post of 22.
        assertThat(run.get(55).stalled()).isFalse();
        assertThat(run.get(55).advanceRatio()).isEqualTo(1.0);
    }

    @Test
    void aStreamSwitch_anotherAudioTrack_isNotAStall_andResetsTheSpan() {
        StreamIdentity otherAudio = new StreamIdentity("DirectPlay", "a20cc5741f4fe20413c23fa2b48920fc", 2, -1);
        // At the post of 32 the viewer picks another audio track; the player waits 10 s for it.
        Map<Integer, StreamSession> run = run(0, 60, t -> {
            int c = lastPost(t);
            return c < 32 ? playing(600 + c, c)
                    : progress("ep1", 632 + Math.max(0, c - 42), false, null, (double) c, otherAudio, null);
        });

        assertThat(run.get(25).stalled()).isFalse();
        for (int t = 35; t <= 50; t += 5) {
            assertThat(run.get(t).stalled()).as("switched at %s", t).isNull();
        }
        // Posts 32, 42, 52 (632, 632, 642): 0.5, not below half.
        assertThat(run.get(55).advanceRatio()).isEqualTo(0.5);
    }

    @Test
    void aPlaybackRateOfOneAndAHalf_isNotJudged_andOneAgainIsJudgedAfterASpan() {
        Map<Integer, StreamSession> fast = run(0, 40, t -> progress("ep1", 600 + 1.5 * lastPost(t), false, 1.5,
                (double) lastPost(t), DIRECT, null));
        fast.forEach((t, s) -> {
            assertThat(s.stalled()).as("at %s", t).isNull();
            assertThat(s.advanceRatio()).as("at %s", t).isNull();
            assertThat(s.silent()).as("at %s", t).isFalse();
        });

        // Back to 1 (given as 1.0): a whole span from the first post at that rate (42, seen at t = 45).
        Map<Integer, StreamSession> normal = run(45, 65, t -> progress("ep1", 663 + lastPost(t) - 42, false, 1.0,
                (double) lastPost(t), DIRECT, null));
        assertThat(normal.get(60).stalled()).isNull();
        assertThat(normal.get(65).stalled()).isFalse();
        assertThat(normal.get(65).advanceRatio()).isEqualTo(1.0);
    }

    // --- without LastPlaybackCheckIn ------------------------------------------------------------------------

    /** Without check-ins: the server's position is the client's last post, which comes every 10 s. */
    private static Progress noCheckIn(double position) {
        return progress("ep1", position, false, null, null, DIRECT, null);
    }

    @Test
    void withoutCheckIn_aPositionThatDoesNotMoveForASpanOfAgentTime_isStalledWithRatioZero() {
        Map<Integer, StreamSession> run = run(0, 30, t -> noCheckIn(600));
        assertThat(timeline(run)).containsExactly("0:null/null/null", "5:null/null/null", "10:null/null/null",
                "15:null/null/null", "20:true/null/0.0", "25:true/null/0.0", "30:true/null/0.0");
    }

    @Test
    void withoutCheckIn_normalPlay_isJudgedOnTheAgentsClock_andSilenceIsUnknown() {
        // The position moves at the polls 10, 20, 30, ...: reports timed at those polls.
        Map<Integer, StreamSession> run = run(0, 40, t -> noCheckIn(600 + Math.floorDiv(t, 10) * 10));
        assertThat(run.get(15).stalled()).isNull();
        assertThat(run.get(20).stalled()).isFalse();
        assertThat(run.get(20).advanceRatio()).isEqualTo(1.0);
        assertThat(run.get(40).stalled()).isFalse();
        assertThat(run.values()).allSatisfy(s -> assertThat(s.silent()).isNull());
    }

    @Test
    void withoutCheckIn_aPostSeenLateThenOneSeenEarly_isNoSeek() {
        // Posts at 5.1 s (610) and 14.9 s (619.8) are seen at the polls of 10 and 15: 9.8 s of position in 5 s
        // between the polls, but up to 10 s since the poll before the first was seen.
        Map<Integer, StreamSession> run = run(0, 30,
                t -> noCheckIn(t < 10 ? 600 : t < 15 ? 610 : 619.8 + Math.floorDiv(t - 15, 10) * 10));
        assertThat(run.get(15).stalled()).isNull();
        assertThat(run.get(25).stalled()).isFalse();
        assertThat(run.get(25).advanceRatio()).isEqualTo(1.19);
    }

    // --- bounds ---------------------------------------------------------------------------------------------

    @Test
    void tracksOfSessionsAbsentFromTheLatestPoll_areDropped() {
        for (int t = 0; t <= 20; t += 5) {
            poll(t, new JellyfinSession(session("s1"), playing(600 + lastPost(t), lastPost(t))),
                    new JellyfinSession(session("s2"), playing(900, lastPost(t))));
        }
        assertThat(tracker.tracked()).isEqualTo(2);

        poll(25, new JellyfinSession(session("s2"), playing(900, 22)));
        assertThat(tracker.tracked()).isEqualTo(1);
        assertThat(tracker.reports("s1", "ep1")).isZero();

        // Back again: a first poll, not judged, whatever it had before.
        List<StreamSession> back = poll(30, new JellyfinSession(session("s1"), playing(622, 22)),
                new JellyfinSession(session("s2"), playing(900, 22)));
        assertThat(back.get(0).stalled()).isNull();
        assertThat(back.get(1).stalled()).isTrue();
    }

    @Test
    void atMostMaxSessionsAreTracked_theRestArePassedOnUnjudged_inTheirOrder() {
        int n = JellyfinClient.MAX_SESSIONS + 5;
        List<StreamSession> last = null;
        for (int t = 0; t <= 15; t += 5) {
            List<JellyfinSession> sessions = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sessions.add(new JellyfinSession(session("s" + i), playing(600, lastPost(t))));
            }
            last = tracker.judge(sessions, AGENT.plusSeconds(t));
        }
        assertThat(tracker.tracked()).isEqualTo(JellyfinClient.MAX_SESSIONS);
        assertThat(last).hasSize(n);
        assertThat(last).extracting(StreamSession::id).startsWith("s0", "s1", "s2").endsWith("s104");
        assertThat(last.subList(0, JellyfinClient.MAX_SESSIONS)).allSatisfy(s -> assertThat(s.stalled()).isTrue());
        assertThat(last.subList(JellyfinClient.MAX_SESSIONS, n)).allSatisfy(s -> {
            assertThat(s.stalled()).isNull();
            assertThat(s.silent()).isNull();
        });
    }

    @Test
    void theSameSessionTwiceInOnePoll_isJudgedOnce() {
        List<StreamSession> out = null;
        for (int t = 0; t <= 15; t += 5) {
            Progress p = playing(600, lastPost(t));
            out = poll(t, new JellyfinSession(session("s1"), p), new JellyfinSession(session("s1"), p));
        }
        assertThat(out.get(0).stalled()).isTrue();
        assertThat(out.get(1).stalled()).isNull();
        assertThat(tracker.tracked()).isEqualTo(1);
    }

    @Test
    void reportsKeptPerSession_stayFew_overALongSession() {
        Map<Integer, StreamSession> run = run(0, 600, t -> playing(600 + lastPost(t), lastPost(t)));
        assertThat(run.get(600).stalled()).isFalse();
        // The newest base covering 20 s, the reports after it, and one more at most.
        assertThat(tracker.reports("s1", "ep1")).isBetween(3, 4);
    }

    @Test
    void reportsKeptPerSession_areCapped_andALongSpanIsJudgedOverItsLastSpan() {
        // A 10 minute span with a post every second: far more reports than the cap. Plays for 700 s, then stands.
        tracker = new PlaybackTracker(new Settings(Duration.ofMinutes(10), 0.5, Duration.ofSeconds(30)));
        Map<Integer, StreamSession> judged = new TreeMap<>();
        int most = 0;
        for (int t = 0; t <= 1330; t++) {
            judged.put(t, pollOne(t, playing(600 + Math.min(t, 700), t)));
            most = Math.max(most, tracker.reports("s1", "ep1"));
        }
        assertThat(most).isLessThanOrEqualTo(PlaybackTracker.MAX_REPORTS);
        assertThat(judged.get(599).stalled()).isNull();
        assertThat(judged.get(650).advanceRatio()).isEqualTo(1.0);
        // At 1000 s the last 10 minutes (about 400 to 1000) hold 300 s of play: about 0.5, not the session's 0.7.
        assertThat(judged.get(1000).advanceRatio()).isBetween(0.5, 0.54);
        assertThat(judged.get(1000).stalled()).isFalse();
        // A whole span after it stopped (plus the gap between kept reports): standing still.
        assertThat(judged.get(1330).stalled()).isTrue();
        assertThat(judged.get(1330).advanceRatio()).isEqualTo(0.0);
    }

    @Test
    void theRatio_isAdvanceOverElapsed_twoDecimals_neverBelowZero() {
        assertThat(PlaybackTracker.ratio(20 * TICKS, Duration.ofSeconds(20))).isEqualTo(1.0);
        assertThat(PlaybackTracker.ratio(-1 * TICKS, Duration.ofSeconds(20))).isEqualTo(0.0);
        assertThat(PlaybackTracker.ratio(9 * TICKS, Duration.ofSeconds(21))).isEqualTo(0.43);
    }
}
