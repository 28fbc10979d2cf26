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
 */
@JsonPropertyOrder({ "source", "id", "user", "title", "client", "paused", "playMethod", "transcodeFps", "mediaFps",
        "bufferedSeconds", "transcodeBehind" })
public record StreamSession(String source, String id, String user, String title, String client, boolean paused,
        String playMethod, Double transcodeFps, Double mediaFps, Double bufferedSeconds, Boolean transcodeBehind) {

    public static final String DIRECT_PLAY = "direct-play";
    public static final String DIRECT_STREAM = "direct-stream";
    public static final String TRANSCODE = "transcode";

    public StreamSession {
        Objects.requireNonNull(source, "source");
    }

    public boolean transcoding() {
        return TRANSCODE.equals(playMethod);
    }
}
