package dev.mediawatch.agent.activity;

import java.util.Objects;

import dev.mediawatch.contract.StreamSession;

/**
 * One playing Jellyfin session from {@code GET /Sessions}: what is published ({@code session}, not judged yet)
 * and the progress fields {@link PlaybackTracker} follows across polls ({@code progress}).
 */
record JellyfinSession(StreamSession session, PlaybackTracker.Progress progress) {

    JellyfinSession {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(progress, "progress");
    }
}
