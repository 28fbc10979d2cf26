package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The download-stack agent's throttle: limits it set at the aggregator's request, on a lease. While
 * {@code active}, {@code previous} holds what it will put back when the lease is released, runs out, or the
 * agent starts again after a crash.
 *
 * @param active            limits are in force now
 * @param requestId         the request that set or last renewed them
 * @param since             when they were set
 * @param expiresAt         when the agent restores by itself unless renewed
 * @param applied           the limits set
 * @param previous          the limits found before, to restore
 * @param pausedContainers  post-processing containers the throttle paused (unpaused on restore)
 * @param lastRestoredAt    when limits were last restored; absent if never
 * @param lastRestoreReason {@code released}, {@code lease-expired}, {@code agent-restart}, {@code agent-stop}
 * @param problem           one line when setting or restoring failed (retried)
 */
@JsonPropertyOrder({ "active", "requestId", "since", "expiresAt", "applied", "previous", "pausedContainers",
        "lastRestoredAt", "lastRestoreReason", "problem" })
public record ThrottleState(boolean active, String requestId, Instant since, Instant expiresAt, DownloadLimits applied,
        DownloadLimits previous, List<String> pausedContainers, Instant lastRestoredAt, String lastRestoreReason,
        String problem) {

    public static final String RELEASED = "released";
    public static final String LEASE_EXPIRED = "lease-expired";
    public static final String AGENT_RESTART = "agent-restart";
    public static final String AGENT_STOP = "agent-stop";

    public ThrottleState {
        pausedContainers = pausedContainers == null ? List.of() : List.copyOf(pausedContainers);
        if (active) {
            Objects.requireNonNull(expiresAt, "expiresAt of an active throttle");
        }
    }

    public static final ThrottleState INACTIVE = new ThrottleState(false, null, null, null, null, null, List.of(), null,
            null, null);
}
