package dev.mediawatch.agent.activity;

import java.util.Objects;

import dev.mediawatch.contract.ActivitySource;

/**
 * One read of an activity source: how it answered, and what it said when it answered ({@code value} is null
 * unless {@code source.state()} is {@code ok}).
 */
public record Poll<T>(ActivitySource source, T value) {

    public Poll {
        Objects.requireNonNull(source, "source");
    }

    public static <T> Poll<T> ok(String name, T value) {
        return new Poll<>(ActivitySource.ok(name), value);
    }

    public static <T> Poll<T> failed(ActivitySource source) {
        return new Poll<>(source, null);
    }
}
