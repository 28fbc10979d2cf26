package dev.mediawatch.contract;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Somebody playing something on the streaming VM, from Jellyfin's {@code /Sessions} (sessions with a
 * {@code NowPlayingItem}) or Navidrome's now-playing list.
 *
 * @param source          {@code jellyfin} or {@code navidrome}
 * @param id              the server's session id (opaque)
 * @param user            the user name
 * @param title           what plays: {@code Series - S01E02 - Name}, a film's name, or {@code Artist - Track}
 * @param client          the client application and device, e.g. {@code Jellyfin Web (Firefox)}
 * @param paused          paused rather than playing
 * @param playMethod      {@code direct-play}, {@code direct-stream} or {@code transcode}; absent when unknown
 * @param transcodeFps    frames per second the transcoder makes; absent unless transcoding video
 * @param mediaFps        the source's frame rate; absent when unknown
 * @param bufferedSeconds how far the transcode is ahead of the playback position; absent when unknown
 * @param transcodeBehind the transcoder does not keep up (below the media's frame rate with little buffered);
 *                        absent when not transcoding or when it cannot be told
 * @param stalled         playing (not paused), and its position advanced less than the configured share of the time
 *                        that passed over the judging span: the stream is stuck; absent when not judged (paused, just
 *                        started, seeking, a new item, a playback rate other than 1, a source without positions)
 * @param silent          playing, and the server has not heard from the client for longer than the configured time (a
 *                        client stuck buffering may stop reporting); absent when it cannot be told
 * @param advanceRatio    how far the position advanced over the judging span, per second that passed (1.0 plays at
 *                        speed, 0 stands still), to two decimals; absent when not judged
 */
@JsonPropertyOrder({ "source", "id", "user", "title", "client", "paused", "playMethod", "transcodeFps", "mediaFps",
        "bufferedSeconds", "transcodeBehind", "stalled", "silent", "advanceRatio" })
public record StreamSession(String source, String id, String user, String title, String client, boolean paused,
        String playMethod, Double transcodeFps, Double mediaFps, Double bufferedSeconds, Boolean transcodeBehind,
        Boolean stalled, Boolean silent, Double advanceRatio) {

    public static final String DIRECT_PLAY = "direct-play";
    public static final String DIRECT_STREAM = "direct-stream";
    public static final String TRANSCODE = "transcode";

    public StreamSession {
        Objects.requireNonNull(source, "source");
    }

    /** A session whose playback was not judged for stalls (Navidrome, or before the first judgement). */
    public StreamSession(String source, String id, String user, String title, String client, boolean paused,
            String playMethod, Double transcodeFps, Double mediaFps, Double bufferedSeconds, Boolean transcodeBehind) {
        this(source, id, user, title, client, paused, playMethod, transcodeFps, mediaFps, bufferedSeconds,
                transcodeBehind, null, null, null);
    }

    public boolean transcoding() {
        return TRANSCODE.equals(playMethod);
    }

    /** Playing, and either stuck or not heard from: the stall the detector counts. */
    public boolean stalledOrSilent() {
        return !paused && (Boolean.TRUE.equals(stalled) || Boolean.TRUE.equals(silent));
    }

    /** The same session with the stall judgement. */
    public StreamSession judged(Boolean isStalled, Boolean isSilent, Double ratio) {
        return new StreamSession(source, id, user, title, client, paused, playMethod, transcodeFps, mediaFps,
                bufferedSeconds, transcodeBehind, isStalled, isSilent, ratio);
    }
}
