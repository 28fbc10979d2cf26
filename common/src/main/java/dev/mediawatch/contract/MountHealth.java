package dev.mediawatch.contract;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The verdict on one watched mount, worst first when several apply: {@code missing} (not mounted),
 * {@code hung} (a filesystem call did not return within the timeout), {@code stale} (the server no longer
 * knows the handle: ESTALE), {@code wrong-mode} (mounted, but not as configured: mode or filesystem type),
 * {@code degraded} (answers, but NFS retransmissions or timeouts are rising, or a call failed), {@code ok}.
 */
public enum MountHealth {
    OK, DEGRADED, STALE, HUNG, MISSING, WRONG_MODE;

    /** Computed once: the wire form is written for every container of every host on each status build. */
    private final String wire;

    MountHealth() {
        this.wire = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static MountHealth fromWire(String wire) {
        for (MountHealth h : values()) {
            if (h.wire().equals(wire)) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown mount health '" + Text.printable(wire, 40) + "'");
    }

    /** How bad: the verdict reported is the most severe that applies. */
    public int severity() {
        return switch (this) {
            case OK -> 0;
            case DEGRADED -> 1;
            case WRONG_MODE -> 2;
            case STALE -> 3;
            case HUNG -> 4;
            case MISSING -> 5;
        };
    }
}
