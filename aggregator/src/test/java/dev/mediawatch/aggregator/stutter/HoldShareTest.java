package dev.mediawatch.aggregator.stutter;

import static dev.mediawatch.aggregator.stutter.Decision.Change.CLEARED;
import static dev.mediawatch.aggregator.stutter.Decision.Change.RAISED;
import static dev.mediawatch.contract.AlertState.STUTTER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/**
 * A condition holds over a time when it holds in the newest window and in {@code holdShare} of the windows spanning
 * it (default 0.75): contention whose reads come in bursts, one window in four going through, still raises; one
 * window of calm between slow ones does not start the wait over, nor does one window of contention a clear's.
 * Generated traces, as in {@link StutterDetectorTest}.
 */
class HoldShareTest {

    static final Duration W = Duration.ofSeconds(5);

    private static Trace trace(double share) {
        return new Trace(DetectorConfig.defaults().toBuilder().holdShare(share).build());
    }

    private static void contention(Trace t, boolean on) {
        if (on) {
            t.dl.downloading();
            t.st.degraded();
        } else {
            t.dl.calmDownload();
            t.st.calmStreaming();
        }
    }

    /** Windows following a pattern: {@code x} contention, {@code .} calm. */
    private static void pattern(Trace t, String p) {
        for (char c : p.toCharArray()) {
            contention(t, c == 'x');
            t.windows(1);
        }
    }

    @Test
    void defaults_areThreeInFour_over20s() {
        DetectorConfig c = DetectorConfig.defaults();
        assertThat(c.holdShare()).isEqualTo(0.75);
        assertThat(c.spanWindows(c.raiseAfter())).isEqualTo(5);
        assertThat(c.requiredWindows(5)).isEqualTo(4);
        assertThat(c.spanWindows(c.stallRaiseAfter())).isEqualTo(3);
        assertThat(c.requiredWindows(3)).isEqualTo(3);
        assertThat(c.spanWindows(c.clearAfter())).isEqualTo(13);
        assertThat(c.requiredWindows(13)).isEqualTo(10);
        assertThat(c.toBuilder().holdShare(1).build().requiredWindows(13)).isEqualTo(13);
    }

    @Test
    void steadyContention_raisesOnItsFourthWindow_15sAfterItStarted() {
        Trace t = trace(0.75);
        t.windows(6);
        Instant lastCalm = t.now;
        contention(t, true);
        t.run(Duration.ofMinutes(1));

        assertThat(t.first(STUTTER, RAISED)).contains(lastCalm.plus(W.multipliedBy(4)));
    }

    @Test
    void everyWindowAsked_steadyContentionRaisesOnItsFifth() {
        Trace t = trace(1);
        t.windows(6);
        Instant lastCalm = t.now;
        contention(t, true);
        t.run(Duration.ofMinutes(1));

        assertThat(t.first(STUTTER, RAISED)).contains(lastCalm.plus(W.multipliedBy(5)));
    }

    @Test
    void burstyContention_oneCalmWindowInFour_raises_whereEveryWindowAskedNeverDoes() {
        String bursts = "..." + "xxx.".repeat(10);
        Trace share = trace(0.75);
        pattern(share, bursts);
        Trace every = trace(1);
        pattern(every, bursts);

        assertThat(share.transitions(STUTTER, RAISED)).hasSize(1);
        // Windows 4-6 contention, 7 calm, 8 contention: the five windows spanning 20 s up to window 8 hold four.
        assertThat(share.first(STUTTER, RAISED)).contains(Trace.T0.plus(W.multipliedBy(8)));
        assertThat(every.transitions(STUTTER, RAISED)).isEmpty();
    }

    @Test
    void contentionEveryOtherWindow_neverRaises() {
        Trace t = trace(0.75);
        pattern(t, "x.".repeat(40));

        assertThat(t.transitions()).isEmpty();
    }

    @Test
    void aCalmWindowRightNow_neverRaises_evenWithThreeOfFourBehindIt() {
        Trace t = trace(0.75);
        pattern(t, "....xxx.");

        assertThat(t.transitions(STUTTER, RAISED)).isEmpty();
        pattern(t, "x");
        assertThat(t.transitions(STUTTER, RAISED)).hasSize(1);
    }

    @Test
    void oneWindowOfContentionInTheMinuteAfter_doesNotStartTheClearOver() {
        Trace t = trace(0.75);
        pattern(t, "...." + "x".repeat(10));
        assertThat(t.transitions(STUTTER, RAISED)).hasSize(1);
        Instant lastContention = t.now;
        pattern(t, "....x" + ".".repeat(20));

        // 13 windows span 60 s, 10 of them and the newest calm: the 11th window after the stop, the one window of
        // contention among them.
        assertThat(t.transitions(STUTTER, CLEARED)).singleElement()
                .satisfies(c -> assertThat(c.at()).isEqualTo(lastContention.plus(W.multipliedBy(11))));
    }

    @Test
    void lostWindows_standForTheTimeTheyCover() {
        Trace t = trace(0.75);
        pattern(t, "....");
        contention(t, true);
        t.windows(1);
        Instant first = t.now;
        t.now = t.now.plus(W.multipliedBy(2)); // one window lost: the next stands for two
        t.window();
        assertThat(t.transitions()).isEmpty();
        t.windows(1);
        // first, (lost), the late one, and the next: four windows of five with the calm one before.
        assertThat(t.first(STUTTER, RAISED)).contains(first.plus(W.multipliedBy(3)));
    }
}
