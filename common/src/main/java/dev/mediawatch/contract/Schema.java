package dev.mediawatch.contract;

/**
 * Names and versions of the JSON payloads. Every JSON payload carries {@code "schema"} and {@code "version"}
 * first, so a reader can tell what it holds before reading further.
 *
 * <p>Versioning rule: adding an optional field keeps the version (readers ignore fields they do not know);
 * removing, renaming or changing the meaning of a field raises it. A reader accepts exactly the versions it
 * was built for and rejects the rest as {@link RejectReason#UNSUPPORTED_VERSION}.
 */
public enum Schema {
    HOST_STATE("mediawatch.host-state", 1),
    HOST_EVENT("mediawatch.host-event", 1),
    HOST_MOUNTS("mediawatch.host-mounts", 1),
    HOST_IO("mediawatch.host-io", 1),
    COMMAND("mediawatch.command", 1),
    STATUS("mediawatch.status", 2),
    REFRESH("mediawatch.refresh", 1),
    HOST_ACTIVITY("mediawatch.host-activity", 1),
    THROTTLE("mediawatch.throttle", 1),
    CONTENTION("mediawatch.contention", 1),
    CONTENTION_HISTORY("mediawatch.contention-history", 1),
    ALERT("mediawatch.alert", 1),
    INCIDENTS("mediawatch.incidents", 1),
    BASELINES("mediawatch.baselines", 1),
    NOTIFY_TEST("mediawatch.notify-test", 1);

    private final String id;
    private final int version;

    Schema(String id, int version) {
        this.id = id;
        this.version = version;
    }

    /** The value of the payload's {@code schema} field. */
    public String id() {
        return id;
    }

    /** The version this build writes and reads. */
    public int version() {
        return version;
    }
}
