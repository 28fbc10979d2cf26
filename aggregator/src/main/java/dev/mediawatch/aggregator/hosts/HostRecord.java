package dev.mediawatch.aggregator.hosts;

import java.time.Instant;

import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.Topics;

/**
 * What the aggregator holds of one host: immutable, replaced on every message.
 *
 * @param availability      the last availability payload, or null
 * @param availabilitySince when that availability was first received (a repeat does not move it)
 * @param state             the last accepted state, or null
 * @param stateReceivedAt   when it arrived
 * @param lastSeen          when anything last arrived from the host
 * @param mounts            the last accepted mounts snapshot, or null
 * @param io                the last accepted I/O signals, or null
 * @param activity          the last accepted activity (sessions, downloaders, throttle), or null
 */
public record HostRecord(HostId host, Availability availability, Instant availabilitySince, HostState state,
        Instant stateReceivedAt, Instant lastSeen, HostMounts mounts, HostIo io, HostActivity activity) {

    static HostRecord first(HostId host, Instant now) {
        return new HostRecord(host, null, null, null, null, now, null, null, null);
    }

    HostRecord withAvailability(Availability a, Instant now) {
        Instant since = a == availability && availabilitySince != null ? availabilitySince : now;
        return new HostRecord(host, a, since, state, stateReceivedAt, now, mounts, io, activity);
    }

    HostRecord withState(HostState s, Instant now) {
        return new HostRecord(host, availability, availabilitySince, s, now, now, mounts, io, activity);
    }

    HostRecord withMounts(HostMounts m, Instant now) {
        return new HostRecord(host, availability, availabilitySince, state, stateReceivedAt, now, m, io, activity);
    }

    HostRecord withIo(HostIo i, Instant now) {
        return new HostRecord(host, availability, availabilitySince, state, stateReceivedAt, now, mounts, i, activity);
    }

    HostRecord withActivity(HostActivity a, Instant now) {
        return new HostRecord(host, availability, availabilitySince, state, stateReceivedAt, now, mounts, io, a);
    }

    HostRecord seen(Instant now) {
        return new HostRecord(host, availability, availabilitySince, state, stateReceivedAt, now, mounts, io, activity);
    }

    /** The retained message of one kind was deleted from the broker (an empty retained payload). */
    HostRecord cleared(Topics.Kind kind) {
        return switch (kind) {
            case AVAILABILITY -> new HostRecord(host, null, null, state, stateReceivedAt, lastSeen, mounts, io, activity);
            case STATE -> new HostRecord(host, availability, availabilitySince, null, null, lastSeen, mounts, io, activity);
            case MOUNTS -> new HostRecord(host, availability, availabilitySince, state, stateReceivedAt, lastSeen, null, io, activity);
            case IO -> new HostRecord(host, availability, availabilitySince, state, stateReceivedAt, lastSeen, mounts, null, activity);
            case ACTIVITY -> new HostRecord(host, availability, availabilitySince, state, stateReceivedAt, lastSeen, mounts, io, null);
            case EVENTS -> this;
        };
    }

    /** Nothing retained is left of the host: the broker has forgotten it, and so does the aggregator. */
    boolean empty() {
        return availability == null && state == null && mounts == null && io == null && activity == null;
    }

    /** The retained topics the broker still holds for the host, by kind. */
    public java.util.List<String> retainedKinds() {
        java.util.List<String> kinds = new java.util.ArrayList<>();
        if (availability != null) {
            kinds.add(Topics.Kind.AVAILABILITY.level());
        }
        if (state != null) {
            kinds.add(Topics.Kind.STATE.level());
        }
        if (mounts != null) {
            kinds.add(Topics.Kind.MOUNTS.level());
        }
        if (io != null) {
            kinds.add(Topics.Kind.IO.level());
        }
        if (activity != null) {
            kinds.add(Topics.Kind.ACTIVITY.level());
        }
        return kinds;
    }
}
