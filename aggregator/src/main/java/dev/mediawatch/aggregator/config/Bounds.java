package dev.mediawatch.aggregator.config;

import java.time.Duration;

import dev.mediawatch.aggregator.baseline.BaselineConfig;
import dev.mediawatch.contract.ThrottleRequest;
import dev.mediawatch.runtime.config.DurationRange;
import dev.mediawatch.runtime.config.IntRange;
import dev.mediawatch.runtime.config.LongRange;

/** The aggregator's own bounds of single values, for {@code @WithConverter} in {@link AggregatorConfig}. */
public final class Bounds {

    private Bounds() {
    }

    /** {@code mediawatch.mqtt.max-in-flight}: 1 to 65535, as many as MQTT's two-byte packet identifiers tell apart. */
    public static final class MaxInFlight extends IntRange {
        public MaxInFlight() {
            super(1, 65_535);
        }
    }

    /** {@code mediawatch.ingest.max-pending-topics}: at least 8, so the eighth for unknown hosts is one or more. */
    public static final class PendingTopics extends IntRange {
        public PendingTopics() {
            super(8, Integer.MAX_VALUE);
        }
    }

    /** {@code mediawatch.ingest.max-pending-bytes}: at least 1 MiB, twice the largest payload accepted (512 KiB). */
    public static final class PendingBytes extends LongRange {
        public PendingBytes() {
            super(1024 * 1024, Long.MAX_VALUE);
        }
    }

    /** {@code mediawatch.recording.max-bytes}: at least 4096 bytes before the recording is rotated. */
    public static final class RecordingBytes extends LongRange {
        public RecordingBytes() {
            super(4096, Long.MAX_VALUE);
        }
    }

    /** {@code mediawatch.stutter.learn-days}: days of calm kept, 1 to {@value BaselineConfig#MAX_KEEP_DAYS}. */
    public static final class LearnDays extends IntRange {
        public LearnDays() {
            super(1, BaselineConfig.MAX_KEEP_DAYS);
        }
    }

    /**
     * {@code mediawatch.homeassistant.expire-after}: at least 30 s. Every state is republished at a third of it, and
     * Home Assistant must not call an entity unavailable between two republications.
     */
    public static final class ExpireAfter extends DurationRange {
        public ExpireAfter() {
            super(Duration.ofSeconds(30), true, null);
        }
    }

    /** {@code mediawatch.acceptance.soak}: at least a minute, the unit the soak's ledger counts in. */
    public static final class Soak extends DurationRange {
        public Soak() {
            super(Duration.ofMinutes(1), true, null);
        }
    }

    /** {@code mediawatch.mitigation.lease}: what a throttle request may carry, 5 s to 1 h ({@link ThrottleRequest}). */
    public static final class Lease extends DurationRange {
        public Lease() {
            super(Duration.ofSeconds(ThrottleRequest.MIN_LEASE_SECONDS), true,
                    Duration.ofSeconds(ThrottleRequest.MAX_LEASE_SECONDS));
        }
    }
}
