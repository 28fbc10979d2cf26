package dev.mediawatch.contract;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The payload of {@code <prefix>/<host>/cmd/throttle}, from the aggregator to the download host's agent.
 * {@code apply} sets the limits (remembering the ones found, once) or renews the lease of limits already set;
 * {@code release} restores what was found. The agent restores by itself when {@code leaseSeconds} pass
 * without a renewal.
 *
 * @param schema              always {@code mediawatch.throttle}
 * @param version             the schema version, {@code 1}
 * @param requestId           an opaque id, at most 64 printable ASCII characters
 * @param requestedAt         when it was asked (UTC, aggregator clock; informative only)
 * @param action              {@code apply} or {@code release}
 * @param leaseSeconds        how long the limits hold without renewal, 5 to 3600; ignored on release
 * @param limits              the limits to set (bytes/s, absent = leave alone)
 * @param pausePostProcessing also pause the post-processing containers (unpackerr, tdarr)
 */
@JsonPropertyOrder({ "schema", "version", "requestId", "requestedAt", "action", "leaseSeconds", "limits",
        "pausePostProcessing" })
public record ThrottleRequest(String schema, int version, String requestId, Instant requestedAt, String action,
        int leaseSeconds, DownloadLimits limits, boolean pausePostProcessing) {

    public static final String APPLY = "apply";
    public static final String RELEASE = "release";
    public static final int MIN_LEASE_SECONDS = 5;
    public static final int MAX_LEASE_SECONDS = 3600;

    public ThrottleRequest {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(requestId, "requestId");
        if (requestId.isEmpty() || requestId.length() > 64 || !requestId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("requestId must be 1 to 64 printable ASCII characters");
        }
        if (!APPLY.equals(action) && !RELEASE.equals(action)) {
            throw new IllegalArgumentException("action must be 'apply' or 'release'");
        }
        if (APPLY.equals(action)) {
            if (leaseSeconds < MIN_LEASE_SECONDS || leaseSeconds > MAX_LEASE_SECONDS) {
                throw new IllegalArgumentException("leaseSeconds must be " + MIN_LEASE_SECONDS + " to " + MAX_LEASE_SECONDS);
            }
            Objects.requireNonNull(limits, "limits");
        }
    }

    public static ThrottleRequest apply(String requestId, Instant at, int leaseSeconds, DownloadLimits limits,
            boolean pausePostProcessing) {
        return new ThrottleRequest(Schema.THROTTLE.id(), Schema.THROTTLE.version(), requestId, at, APPLY, leaseSeconds,
                limits, pausePostProcessing);
    }

    public static ThrottleRequest release(String requestId, Instant at) {
        return new ThrottleRequest(Schema.THROTTLE.id(), Schema.THROTTLE.version(), requestId, at, RELEASE, 0, null,
                false);
    }
}
