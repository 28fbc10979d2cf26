package dev.mediawatch.contract;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Whether the agent can reach its container engine. An unreachable engine is a state of its own: the agent
 * is online and says so, but its container list is the last one it saw and may be out of date.
 *
 * @param reachable  the last call to the engine succeeded
 * @param version    the engine's version ({@code GET /version} {@code Version}), when reachable once
 * @param apiVersion the engine's API version ({@code ApiVersion}), when reachable once
 * @param error      why the engine is unreachable, without credentials; absent when reachable
 * @param since      when {@code reachable} last changed (UTC)
 */
@JsonPropertyOrder({ "reachable", "version", "apiVersion", "error", "since" })
public record EngineState(boolean reachable, String version, String apiVersion, String error, Instant since) {

    public static EngineState unreachable(String error, Instant since) {
        return new EngineState(false, null, null, error, since);
    }
}
