package dev.mediawatch.contract;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One API an agent asks for activity (Jellyfin, Navidrome, SABnzbd, qBittorrent) and how it answered.
 *
 * @param name    {@code jellyfin}, {@code navidrome}, {@code sabnzbd}, {@code qbittorrent}
 * @param state   how the last call went
 * @param problem one line when not {@code ok}, never with a key or password in it
 */
@JsonPropertyOrder({ "name", "state", "problem" })
public record ActivitySource(String name, SourceState state, String problem) {

    public ActivitySource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
    }

    public static ActivitySource ok(String name) {
        return new ActivitySource(name, SourceState.OK, null);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isOk() {
        return state == SourceState.OK;
    }
}
