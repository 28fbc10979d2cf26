package dev.mediawatch.agent.config;

import java.time.Duration;

import dev.mediawatch.runtime.config.DurationRange;

/** The agent's own bounds of single values, for {@code @WithConverter} in {@link AgentConfig}. */
public final class Bounds {

    private Bounds() {
    }

    /**
     * At least 1 s: how often the activity is polled, the state republished and the compose directories audited.
     * More often would load the services and the broker for nothing a person could follow.
     */
    public static final class Interval extends DurationRange {
        public Interval() {
            super(Duration.ofSeconds(1), true, null);
        }
    }

    /**
     * At least 100 ms: how long a call to a media service's API or a {@code stat} on a mount may take before it
     * counts as unanswered. Shorter would call a busy but working service unreachable.
     */
    public static final class Timeout extends DurationRange {
        public Timeout() {
            super(Duration.ofMillis(100), true, null);
        }
    }

    /** At least 10 s: a playing session is judged over this much report time, and a player reports about every 10 s. */
    public static final class StallSpan extends DurationRange {
        public StallSpan() {
            super(Duration.ofSeconds(10), true, null);
        }
    }
}
