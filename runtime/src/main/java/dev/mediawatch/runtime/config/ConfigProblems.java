package dev.mediawatch.runtime.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What is wrong between several configuration values, one sentence each naming the keys involved. An app's check
 * collects them at startup, before every other startup observer, and {@link #stopIfAny() stops} the start with all
 * of them at once, so a user fixes the file in one go.
 */
public final class ConfigProblems {

    private final List<String> problems = new ArrayList<>();

    /**
     * {@code key} must be longer than {@code otherKey}: an interval than the timeout of what it runs, so that one
     * run is over before the next. {@code why}, when not null, ends the sentence.
     */
    public ConfigProblems longer(String key, Duration value, String otherKey, Duration other, String why) {
        if (value.compareTo(other) <= 0) {
            add(key + ": " + Values.human(value) + " must be longer than " + otherKey + " (" + Values.human(other)
                    + ")" + (why == null ? "" : ", " + why));
        }
        return this;
    }

    /** {@code key} must be shorter than {@code otherKey}; {@code why}, when not null, ends the sentence. */
    public ConfigProblems shorter(String key, Duration value, String otherKey, Duration other, String why) {
        if (value.compareTo(other) >= 0) {
            add(key + ": " + Values.human(value) + " must be shorter than " + otherKey + " (" + Values.human(other)
                    + ")" + (why == null ? "" : ", " + why));
        }
        return this;
    }

    /** Adds a problem in the caller's own words; it names the keys. */
    public ConfigProblems add(String problem) {
        problems.add(problem);
        return this;
    }

    /** The problems found, in the order found; empty when there are none. */
    public List<String> list() {
        return List.copyOf(problems);
    }

    /** Stops the start naming every problem found; returns when there are none. */
    public void stopIfAny() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }
}
