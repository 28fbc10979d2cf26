package dev.mediawatch.contract;

/**
 * The event types agents publish today. The set grows; readers must accept types they do not know.
 * Container types follow the Docker Engine event actions they come from ({@code GET /events}, type
 * {@code container}).
 */
public final class EventTypes {

    private EventTypes() {
    }

    /** Docker {@code create}. */
    public static final String CONTAINER_CREATE = "container.create";
    /** Docker {@code start}: the container is running. */
    public static final String CONTAINER_START = "container.start";
    /** Docker {@code stop}: stopped on request ({@code docker stop}); a {@code die} follows or precedes it. */
    public static final String CONTAINER_STOP = "container.stop";
    /** Docker {@code die}: the main process ended; {@code detail.exitCode} says how. */
    public static final String CONTAINER_DIE = "container.die";
    /** Docker {@code kill}: a signal was sent; {@code detail.signal} says which. */
    public static final String CONTAINER_KILL = "container.kill";
    /** Docker {@code oom}: the kernel's OOM killer hit the container. */
    public static final String CONTAINER_OOM = "container.oom";
    /** Docker {@code destroy}: the container was removed. */
    public static final String CONTAINER_DESTROY = "container.destroy";
    /** Docker {@code health_status}: the healthcheck verdict changed; {@code to} is the new verdict. */
    public static final String CONTAINER_HEALTH = "container.health";
    /** Docker {@code restart}. */
    public static final String CONTAINER_RESTART = "container.restart";
    /**
     * A container entered ({@code to=looping}) or left ({@code to=stable}) a restart loop: at least N restarts
     * within M minutes; {@code detail.restarts} and {@code detail.window} say how many in how long.
     */
    public static final String CONTAINER_RESTART_LOOP = "container.restart-loop";
    /** A catalogue service's health probe changed verdict: {@code to} is {@code up} or {@code down}. */
    public static final String SERVICE_PROBE = "service.probe";
    /** A watched mount appeared; {@code detail} has its source, fsType and mode. */
    public static final String MOUNT_MOUNTED = "mount.mounted";
    /** A watched mount went away. */
    public static final String MOUNT_UNMOUNTED = "mount.unmounted";
    /** A watched mount's effective mode changed ({@code from}/{@code to} are {@code rw}/{@code ro}). */
    public static final String MOUNT_MODE_CHANGED = "mount.mode-changed";
    /**
     * A watched mount's verdict changed: {@code to} is the new {@link MountHealth} ({@code hung},
     * {@code stale}, {@code degraded}, ...; {@code ok} means recovered); {@code detail.problems} says why.
     */
    public static final String MOUNT_HEALTH = "mount.health";
    /** The agent lost its container engine; {@code detail.error} says why. */
    public static final String ENGINE_UNREACHABLE = "engine.unreachable";
    /** The agent reached its container engine (again). */
    public static final String ENGINE_REACHABLE = "engine.reachable";
    /** An activity source's API changed state (from/to {@link SourceState}); subject: the source. */
    public static final String SOURCE_STATE = "source.state";
    /** The agent set download limits (a new throttle, not a renewal); detail: limits, previous, lease. */
    public static final String THROTTLE_APPLIED = "throttle.applied";
    /** The agent put the previous limits back; to: the reason (released, lease-expired, agent-restart, ...). */
    public static final String THROTTLE_RESTORED = "throttle.restored";
    /** Setting or restoring limits failed (retried); detail: the source and one line, never a key. */
    public static final String THROTTLE_FAILED = "throttle.failed";
    /** The aggregator raised one of its alerts; subject: the alert id; on {@code <prefix>/events}. */
    public static final String ALERT_RAISED = "alert.raised";
    /** The aggregator cleared one of its alerts; subject: the alert id; on {@code <prefix>/events}. */
    public static final String ALERT_CLEARED = "alert.cleared";
    /** The aggregator asked the download host to throttle (apply) or restore (release); on {@code <prefix>/events}. */
    public static final String THROTTLE_REQUESTED = "throttle.requested";
}
