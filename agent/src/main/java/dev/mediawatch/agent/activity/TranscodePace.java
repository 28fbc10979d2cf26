package dev.mediawatch.agent.activity;

/**
 * Whether a Jellyfin transcode keeps up with playback: the one judgement behind
 * {@link dev.mediawatch.contract.StreamSession#transcodeBehind()}, kept apart and pure so its boundaries can be
 * tested as a table.
 *
 * <p>A transcode stutters when the player catches up with the transcoder. Its frame rate alone does not say so:
 * Jellyfin pauses ffmpeg once it is far enough ahead (throttling), and the rate then drops while nothing is
 * wrong. So the rate counts only when little is buffered:
 * <ul>
 * <li>behind when less than {@value #STARVED_SECONDS} s are buffered, whatever the rate (the player is about to
 * wait);</li>
 * <li>behind when less than {@value #LOW_BUFFER_SECONDS} s are buffered and the transcoder makes fewer than
 * {@value #RATE_MARGIN} of the media's frames per second, or that cannot be told (either rate unknown);</li>
 * <li>otherwise keeping up.</li>
 * </ul>
 * A paused session is never behind. Without a buffer figure, or when not transcoding, there is no judgement
 * ({@code null}).
 */
public final class TranscodePace {

    /** Below this many seconds ahead of the player, a transcode must at least match the media's frame rate. */
    public static final double LOW_BUFFER_SECONDS = 10.0;

    /** Below this many seconds ahead of the player, a transcode is behind at any rate. */
    public static final double STARVED_SECONDS = 2.0;

    /** The share of the media's frame rate a transcode must reach to count as keeping up. */
    public static final double RATE_MARGIN = 0.95;

    private TranscodePace() {
    }

    /**
     * @param transcoding     the session transcodes (play method {@code transcode})
     * @param paused          the session is paused
     * @param transcodeFps    frames per second the transcoder makes; null when unknown
     * @param mediaFps        the media's frame rate; null when unknown
     * @param bufferedSeconds how far the transcode is ahead of the playback position; null when unknown
     * @return true when behind, false when keeping up or paused, null when not transcoding or not judgeable
     */
    public static Boolean behind(boolean transcoding, boolean paused, Double transcodeFps, Double mediaFps,
            Double bufferedSeconds) {
        if (!transcoding) {
            return null;
        }
        if (paused) {
            return false;
        }
        if (bufferedSeconds == null || bufferedSeconds.isNaN()) {
            return null;
        }
        if (bufferedSeconds < STARVED_SECONDS) {
            return true;
        }
        if (bufferedSeconds >= LOW_BUFFER_SECONDS) {
            return false;
        }
        boolean rateKnown = transcodeFps != null && mediaFps != null && !transcodeFps.isNaN() && !mediaFps.isNaN();
        return !rateKnown || transcodeFps < RATE_MARGIN * mediaFps;
    }
}
