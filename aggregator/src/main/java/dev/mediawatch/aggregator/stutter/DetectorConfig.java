package dev.mediawatch.aggregator.stutter;

import java.time.Duration;
import java.util.Objects;

/**
 * Every threshold and time of the stutter detector, with the defaults that docs/decisions/0007 justifies. One
 * record so the wiring maps configuration onto it in one place and a test can change one value with
 * {@link #toBuilder()}.
 *
 * <p>Byte rates are decimal: 1 MB/s is 1,000,000 B/s.
 *
 * @param window                   how often {@link StutterDetector#decide} is called; the unit of the other times
 * @param raiseAfter               how long the raise condition must hold (in {@code holdShare} of its windows)
 *                                 before an alert is raised
 * @param clearAfter               how long the clear condition must hold (likewise) before a raised alert clears
 * @param holdMissingFor           how long an open alert is held while a side it needs has no signal at all; then
 *                                 it clears with reason {@code signals lost}
 * @param staleAfter               a host not heard from for longer is stale: its signals are missing, not zero
 * @param maxGap                   a window more than this after the previous one is a clock jump (as is one before
 *                                 it): the timers restart
 * @param mediaPath                the mount point of the media share whose NFS statistics are read
 * @param postProcessorWriteBytesPerSec a post-processing container writing faster than this counts as a downloader
 * @param heldPct                  download pressure (or streaming degradation) counts as held at this share of its
 *                                 available signals crossed, 1-100
 * @param nfsWrite                 {@code nfs-write}, B/s
 * @param diskWrite                {@code disk-write}, B/s
 * @param downloadIoPsi            {@code io-psi} on download hosts, %
 * @param downloaders              {@code downloaders}, count
 * @param nfsReadRtt               {@code nfs-read-rtt}, ms
 * @param nfsReadExe               {@code nfs-read-exe}, ms
 * @param streamingIoPsi           {@code io-psi} on streaming hosts, %
 * @param diskReadAwait            {@code disk-read-await}, ms
 * @param transcodeBehind          {@code transcode-behind}, count
 * @param stallRaiseAfter          how long a playback stall (a playing stream whose position stands still, or whose
 *                                 client went silent) must be seen before it raises: with download pressure
 *                                 {@code stutter}, without {@code streaming-degraded}. Shorter than
 *                                 {@code raiseAfter}: a stall is the symptom itself, not a proxy for it
 * @param playbackStalled          {@code playback-stalled}, count of stalled or silent sessions
 * @param holdShare                a condition holds over a time ({@code raiseAfter}, {@code stallRaiseAfter},
 *                                 {@code clearAfter}) when it holds in the newest window and in at least this share
 *                                 of the windows that span it, (0, 1]: 0.75 lets one window in four (a burst of
 *                                 reads that went through between two slow ones) pass without starting over; 1 asks
 *                                 for every window
 */
public record DetectorConfig(
        Duration window,
        Duration raiseAfter,
        Duration clearAfter,
        Duration holdMissingFor,
        Duration staleAfter,
        Duration maxGap,
        String mediaPath,
        long postProcessorWriteBytesPerSec,
        int heldPct,
        Rule nfsWrite,
        Rule diskWrite,
        Rule downloadIoPsi,
        Rule downloaders,
        Rule nfsReadRtt,
        Rule nfsReadExe,
        Rule streamingIoPsi,
        Rule diskReadAwait,
        Rule transcodeBehind,
        Duration stallRaiseAfter,
        Rule playbackStalled,
        double holdShare) {

    static final long MB = 1_000_000L;

    /**
     * One signal's thresholds: it becomes crossed at {@code raise} or above and stays crossed until it falls
     * below {@code clear} (hysteresis; {@code clear <= raise}).
     *
     * @param raise  the value at which an uncrossed signal becomes crossed
     * @param clear  a crossed signal stays crossed while at or above this
     * @param weight its weight in its side's share, {@code > 0}
     */
    public record Rule(double raise, double clear, double weight) {

        public Rule {
            if (!Double.isFinite(raise) || !Double.isFinite(clear) || clear > raise || clear < 0) {
                throw new IllegalArgumentException(
                        "thresholds must be finite with 0 <= clear <= raise, got raise " + raise + " clear " + clear);
            }
            if (!Double.isFinite(weight) || weight <= 0) {
                throw new IllegalArgumentException("weight must be > 0, got " + weight);
            }
        }

        public static Rule of(double raise, double clear) {
            return new Rule(raise, clear, 1.0);
        }

        /** Crossed in this window, given whether it was crossed in the last window it was seen. */
        public boolean crossed(double value, boolean wasCrossed) {
            return wasCrossed ? value >= clear : value >= raise;
        }

        /** The threshold in force: {@code clear} while crossed, {@code raise} otherwise. */
        public double threshold(boolean crossed) {
            return crossed ? clear : raise;
        }
    }

    public DetectorConfig {
        positive(window, "window");
        positive(raiseAfter, "raiseAfter");
        positive(clearAfter, "clearAfter");
        positive(holdMissingFor, "holdMissingFor");
        positive(staleAfter, "staleAfter");
        positive(maxGap, "maxGap");
        if (maxGap.compareTo(window) < 0) {
            throw new IllegalArgumentException("maxGap " + maxGap + " is shorter than the window " + window
                    + ": every window would be a clock jump");
        }
        Objects.requireNonNull(mediaPath, "mediaPath");
        if (mediaPath.isBlank()) {
            throw new IllegalArgumentException("mediaPath is blank");
        }
        if (postProcessorWriteBytesPerSec < 0) {
            throw new IllegalArgumentException("postProcessorWriteBytesPerSec must be >= 0");
        }
        if (heldPct < 1 || heldPct > 100) {
            throw new IllegalArgumentException("heldPct must be 1-100, got " + heldPct);
        }
        Objects.requireNonNull(nfsWrite, "nfsWrite");
        Objects.requireNonNull(diskWrite, "diskWrite");
        Objects.requireNonNull(downloadIoPsi, "downloadIoPsi");
        Objects.requireNonNull(downloaders, "downloaders");
        Objects.requireNonNull(nfsReadRtt, "nfsReadRtt");
        Objects.requireNonNull(nfsReadExe, "nfsReadExe");
        Objects.requireNonNull(streamingIoPsi, "streamingIoPsi");
        Objects.requireNonNull(diskReadAwait, "diskReadAwait");
        Objects.requireNonNull(transcodeBehind, "transcodeBehind");
        positive(stallRaiseAfter, "stallRaiseAfter");
        Objects.requireNonNull(playbackStalled, "playbackStalled");
        if (!(holdShare > 0 && holdShare <= 1)) {
            throw new IllegalArgumentException("holdShare must be > 0 and <= 1, got " + holdShare);
        }
    }

    /**
     * The windows that span {@code d}: both ends counted, so 20 s of 5 s windows are 5 windows (at 0, 5, 10, 15 and
     * 20 s), as many as a condition held without a break from its first window to the one that completes {@code d}.
     */
    public int spanWindows(Duration d) {
        long w = window.toMillis();
        return (int) Math.min(10_000, (d.toMillis() + w - 1) / w + 1);
    }

    /** Of {@code n} windows, how many must hold: {@code holdShare} of them, rounded up, at least one. */
    public int requiredWindows(int n) {
        return Math.max(1, (int) Math.ceil(holdShare * n - 1e-9));
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** The defaults of docs/decisions/0007-stutter-detector.md. */
    public static DetectorConfig defaults() {
        Duration window = Duration.ofSeconds(5);
        return new DetectorConfig(window, Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofMinutes(5),
                window.multipliedBy(3), window.multipliedBy(3), "/mnt/media", MB,
                50,
                Rule.of(20 * MB, 10 * MB),
                Rule.of(20 * MB, 10 * MB),
                Rule.of(20, 10),
                Rule.of(1, 1),
                Rule.of(50, 25),
                Rule.of(100, 50),
                Rule.of(20, 10),
                Rule.of(20, 10),
                Rule.of(1, 1),
                Duration.ofSeconds(10),
                Rule.of(1, 1),
                0.75);
    }

    /** The rule of a signal by side and name (names in {@link Signals}). */
    public Rule rule(String side, String name) {
        boolean download = Signals.DOWNLOAD.equals(side);
        return switch (name) {
            case Signals.NFS_WRITE -> nfsWrite;
            case Signals.DISK_WRITE -> diskWrite;
            case Signals.IO_PSI -> download ? downloadIoPsi : streamingIoPsi;
            case Signals.DOWNLOADERS -> downloaders;
            case Signals.NFS_READ_RTT -> nfsReadRtt;
            case Signals.NFS_READ_EXE -> nfsReadExe;
            case Signals.DISK_READ_AWAIT -> diskReadAwait;
            case Signals.TRANSCODE_BEHIND -> transcodeBehind;
            case Signals.PLAYBACK_STALLED -> playbackStalled;
            default -> throw new IllegalArgumentException("unknown signal " + name);
        };
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some values of a config; everything else stays as it was. */
    public static final class Builder {
        private Duration window;
        private Duration raiseAfter;
        private Duration clearAfter;
        private Duration holdMissingFor;
        private Duration staleAfter;
        private Duration maxGap;
        private String mediaPath;
        private long postProcessorWriteBytesPerSec;
        private int heldPct;
        private Rule nfsWrite;
        private Rule diskWrite;
        private Rule downloadIoPsi;
        private Rule downloaders;
        private Rule nfsReadRtt;
        private Rule nfsReadExe;
        private Rule streamingIoPsi;
        private Rule diskReadAwait;
        private Rule transcodeBehind;
        private Duration stallRaiseAfter;
        private Rule playbackStalled;
        private double holdShare;

        private Builder(DetectorConfig c) {
            window = c.window;
            raiseAfter = c.raiseAfter;
            clearAfter = c.clearAfter;
            holdMissingFor = c.holdMissingFor;
            staleAfter = c.staleAfter;
            maxGap = c.maxGap;
            mediaPath = c.mediaPath;
            postProcessorWriteBytesPerSec = c.postProcessorWriteBytesPerSec;
            heldPct = c.heldPct;
            nfsWrite = c.nfsWrite;
            diskWrite = c.diskWrite;
            downloadIoPsi = c.downloadIoPsi;
            downloaders = c.downloaders;
            nfsReadRtt = c.nfsReadRtt;
            nfsReadExe = c.nfsReadExe;
            streamingIoPsi = c.streamingIoPsi;
            diskReadAwait = c.diskReadAwait;
            transcodeBehind = c.transcodeBehind;
            stallRaiseAfter = c.stallRaiseAfter;
            playbackStalled = c.playbackStalled;
            holdShare = c.holdShare;
        }

        public Builder window(Duration v) { window = v; return this; }
        public Builder raiseAfter(Duration v) { raiseAfter = v; return this; }
        public Builder clearAfter(Duration v) { clearAfter = v; return this; }
        public Builder holdMissingFor(Duration v) { holdMissingFor = v; return this; }
        public Builder staleAfter(Duration v) { staleAfter = v; return this; }
        public Builder maxGap(Duration v) { maxGap = v; return this; }
        public Builder mediaPath(String v) { mediaPath = v; return this; }
        public Builder postProcessorWriteBytesPerSec(long v) { postProcessorWriteBytesPerSec = v; return this; }
        public Builder heldPct(int v) { heldPct = v; return this; }
        public Builder nfsWrite(Rule v) { nfsWrite = v; return this; }
        public Builder diskWrite(Rule v) { diskWrite = v; return this; }
        public Builder downloadIoPsi(Rule v) { downloadIoPsi = v; return this; }
        public Builder downloaders(Rule v) { downloaders = v; return this; }
        public Builder nfsReadRtt(Rule v) { nfsReadRtt = v; return this; }
        public Builder nfsReadExe(Rule v) { nfsReadExe = v; return this; }
        public Builder streamingIoPsi(Rule v) { streamingIoPsi = v; return this; }
        public Builder diskReadAwait(Rule v) { diskReadAwait = v; return this; }
        public Builder transcodeBehind(Rule v) { transcodeBehind = v; return this; }
        public Builder stallRaiseAfter(Duration v) { stallRaiseAfter = v; return this; }
        public Builder playbackStalled(Rule v) { playbackStalled = v; return this; }
        public Builder holdShare(double v) { holdShare = v; return this; }

        public DetectorConfig build() {
            return new DetectorConfig(window, raiseAfter, clearAfter, holdMissingFor, staleAfter, maxGap, mediaPath,
                    postProcessorWriteBytesPerSec, heldPct, nfsWrite, diskWrite, downloadIoPsi, downloaders, nfsReadRtt,
                    nfsReadExe, streamingIoPsi, diskReadAwait, transcodeBehind, stallRaiseAfter, playbackStalled, holdShare);
        }
    }
}
