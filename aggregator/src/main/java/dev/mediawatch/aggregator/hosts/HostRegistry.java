package dev.mediawatch.aggregator.hosts;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.Topics;

/**
 * The latest of every host, bounded: at most {@code maxHosts} hosts, and at most {@code recentEvents} events.
 * Writers are the MQTT handlers (one event-loop thread); readers are the status builder and REST threads.
 * Every change bumps {@link #version()}, so the builder knows when to rebuild. Plain Java with an injectable
 * clock, so it is tested without Quarkus.
 */
public final class HostRegistry {

    /** A message for a host the registry has no room for. */
    public static final class Full extends Exception {
        Full(HostId host, int max) {
            super("refusing host '" + host + "': already tracking the maximum of " + max + " hosts", null, false, false);
        }
    }

    private final Clock clock;
    private final int maxHosts;
    private final int maxEvents;
    private final ConcurrentHashMap<HostId, HostRecord> hosts = new ConcurrentHashMap<>();
    private final ArrayDeque<HostEvent> events = new ArrayDeque<>();
    private final AtomicLong version = new AtomicLong();
    private final List<Consumer<HostState>> stateListeners = new CopyOnWriteArrayList<>();

    public HostRegistry(Clock clock, int maxHosts, int maxEvents) {
        this.clock = clock;
        this.maxHosts = maxHosts;
        this.maxEvents = maxEvents;
    }

    public void availability(HostId host, Availability availability) throws Full {
        update(host, r -> r.withAvailability(availability, clock.instant()));
    }

    public void state(HostState state) throws Full {
        update(state.host(), r -> r.withState(state, clock.instant()));
        for (Consumer<HostState> l : stateListeners) {
            l.accept(state);
        }
    }

    public void mounts(HostMounts mounts) throws Full {
        update(mounts.host(), r -> r.withMounts(mounts, clock.instant()));
    }

    public void io(HostIo io) throws Full {
        update(io.host(), r -> r.withIo(io, clock.instant()));
    }

    public void activity(dev.mediawatch.contract.HostActivity activity) throws Full {
        update(activity.host(), r -> r.withActivity(activity, clock.instant()));
    }

    public void event(HostEvent event) throws Full {
        update(event.host(), r -> r.seen(clock.instant()));
        synchronized (events) {
            if (events.size() >= maxEvents) {
                events.removeFirst();
            }
            events.add(event);
        }
    }

    /**
     * A retained message was deleted (an empty retained payload): forget that part of the host, and the host
     * once nothing of it is left. Unknown hosts are not created by a deletion.
     */
    public void cleared(HostId host, Topics.Kind kind) {
        hosts.computeIfPresent(host, (h, r) -> {
            HostRecord next = r.cleared(kind);
            return next.empty() ? null : next;
        });
        version.incrementAndGet();
    }

    /** Called with every accepted state, on the ingest thread; must not block. */
    public void onState(Consumer<HostState> listener) {
        stateListeners.add(listener);
    }

    private void update(HostId host, UnaryOperator<HostRecord> change) throws Full {
        if (!hosts.containsKey(host) && hosts.size() >= maxHosts) {
            throw new Full(host, maxHosts);
        }
        hosts.compute(host, (h, r) -> change.apply(r == null ? HostRecord.first(h, clock.instant()) : r));
        version.incrementAndGet();
    }

    public Collection<HostRecord> hosts() {
        return List.copyOf(hosts.values());
    }

    public HostRecord host(HostId host) {
        return hosts.get(host);
    }

    /** Grows by one with every change. */
    public long version() {
        return version.get();
    }

    /** Recent events, newest last. */
    public List<HostEvent> recentEvents() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
