package dev.mediawatch.aggregator.status;

import java.time.Instant;

import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.HostState;

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
 */
public record HostRecord(HostId host, Availability availability, Instant availabilitySince, HostState state,
        Instant stateReceivedAt, Instant lastSeen, HostMounts mounts, HostIo io) {

    static HostRecord first(HostId host, Instant now) {
        return new HostRecord(host, null, null, null, null, now, null, null);
    }

    HostRecord withAvailability(Availability a, Instant now) {
        Instant since = a == availability && availabilitySince != null ? availabilitySince : now;
        return new HostRecord(host, a, since, state, stateReceivedAt, now, mounts, io);
    }

    HostRecord withState(HostState s, Instant now) {
        return new HostRecord(host, availability, availabilitySince, s, now, now, mounts, io);
    }

    HostRecord withMounts(HostMounts m, Instant now) {
        return new HostRecord(host, availability, availabilitySince, state, stateReceivedAt, now, m, io);
    }

    HostRecord withIo(HostIo i, Instant now) {
        return new HostRecord(host, availability, availabilitySince, state, stateReceivedAt, now, mounts, i);
    }

    HostRecord seen(Instant now) {
        return new HostRecord(host, availability, availabilitySince, state, stateReceivedAt, now, mounts, io);
    }
}
