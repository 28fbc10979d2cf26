package dev.mediawatch.agent.containers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;

/**
 * What readers of the events topic have been told about each container, and the events that were never
 * told. The engine's event stream is not trusted to be complete: while it is down (engine restarted,
 * socket gone) things happen unseen. After every reconnection the next snapshot is compared with what
 * was told, and each difference is published as the event that would have said it, marked
 * {@code detail.source=resync}. An engine event that repeats what a resync just said is dropped.
 * Thread-safe: engine events arrive on the stream thread, snapshots on the collector thread.
 */
final class Transitions {

    private record Told(ContainerStatus state, ContainerHealth health, int restartCount, Instant startedAt,
            Instant resyncedAt) {
    }

    /** An engine event within this time of a resync that said the same is the same news. */
    private static final Duration ECHO = Duration.ofSeconds(10);

    private final HostId host;
    private final Map<String, Told> told = new HashMap<>();
    private boolean baseline;
    private boolean resyncDue;

    Transitions(HostId host) {
        this.host = host;
    }

    /** The event stream (re)connected after a gap: the next snapshot must be compared. */
    synchronized void resyncDue() {
        resyncDue = true;
    }

    /**
     * An engine event about to be published; false when a resync already published the same news.
     */
    synchronized boolean engineEvent(HostEvent e, Instant now) {
        Told before = told.get(e.subject());
        if (EventTypes.CONTAINER_DESTROY.equals(e.type())) {
            told.remove(e.subject());
            return before == null || before.resyncedAt == null || before.resyncedAt.isBefore(now.minus(ECHO));
        }
        if (e.to() == null) {
            return true;
        }
        ContainerStatus state = before == null ? null : before.state;
        ContainerHealth health = before == null ? ContainerHealth.NONE : before.health;
        boolean isHealth = EventTypes.CONTAINER_HEALTH.equals(e.type());
        if (isHealth) {
            health = ContainerHealth.fromWire(e.to());
        } else {
            state = ContainerStatus.fromWire(e.to());
        }
        boolean echo = before != null && before.resyncedAt != null && !before.resyncedAt.isBefore(now.minus(ECHO))
                && (isHealth ? before.health == health : before.state == state);
        told.put(e.subject(), new Told(state, health, before == null ? 0 : before.restartCount,
                before == null ? null : before.startedAt, echo ? before.resyncedAt : null));
        return !echo;
    }

    /** A snapshot was taken: after a gap, the events nobody was told; otherwise none. */
    synchronized List<HostEvent> snapshot(List<ContainerState> containers, Instant now) {
        List<HostEvent> missed = new ArrayList<>();
        boolean compare = baseline && resyncDue;
        resyncDue = false;
        Set<String> present = new HashSet<>();
        for (ContainerState c : containers) {
            present.add(c.name());
            Told before = told.get(c.name());
            List<HostEvent> diff = compare ? differences(c, before, now) : List.of();
            missed.addAll(diff);
            Instant resyncedAt = !diff.isEmpty() ? now : before == null ? null : before.resyncedAt;
            told.put(c.name(), new Told(c.state(), c.health(), c.restartCount(), c.startedAt(), resyncedAt));
        }
        for (String gone : new ArrayList<>(told.keySet())) {
            if (!present.contains(gone)) {
                Told before = told.remove(gone);
                if (compare) {
                    missed.add(event(EventTypes.CONTAINER_DESTROY, now, gone, before.state.wire(), "removed", Map.of()));
                }
            }
        }
        baseline = true;
        return missed;
    }

    private List<HostEvent> differences(ContainerState c, Told before, Instant now) {
        List<HostEvent> out = new ArrayList<>();
        String from = before == null || before.state == null ? null : before.state.wire();
        Map<String, String> detail = new TreeMap<>();
        detail.put("id", c.id());
        if (c.image() != null) {
            detail.put("image", c.image());
        }
        int restarts = before == null ? 0 : c.restartCount() - before.restartCount;
        if (before == null) {
            out.add(event(c.running() ? EventTypes.CONTAINER_START : EventTypes.CONTAINER_CREATE, now, c.name(), null,
                    c.state().wire(), detail));
        } else if (before.state != c.state()) {
            switch (c.state()) {
                case RUNNING -> out.add(event(EventTypes.CONTAINER_START, now, c.name(), from, "running", detail));
                case EXITED, DEAD -> {
                    Map<String, String> d = new TreeMap<>(detail);
                    if (c.exitCode() != null) {
                        d.put("exitCode", c.exitCode().toString());
                    }
                    out.add(event(EventTypes.CONTAINER_DIE, now, c.name(), from, "exited", d));
                }
                case RESTARTING -> out.add(event(EventTypes.CONTAINER_RESTART, now, c.name(), from, "restarting", detail));
                case CREATED -> out.add(event(EventTypes.CONTAINER_CREATE, now, c.name(), from, "created", detail));
                default -> {
                    // paused, removing, unknown: no event type says these; the state carries them.
                }
            }
        } else if (c.running() && (restarts > 0
                || c.startedAt() != null && before.startedAt != null && !c.startedAt().equals(before.startedAt))) {
            // Running before and after, but it ran again in between: by its restart policy (RestartCount
            // grows) or because the engine itself restarted (only StartedAt moves).
            Map<String, String> d = new TreeMap<>(detail);
            d.put("restarts", Integer.toString(Math.max(1, restarts)));
            out.add(event(EventTypes.CONTAINER_RESTART, now, c.name(), from, "running", d));
        }
        if (before != null && before.health != c.health()) {
            out.add(event(EventTypes.CONTAINER_HEALTH, now, c.name(), before.health.wire(), c.health().wire(), detail));
        }
        return out;
    }

    private HostEvent event(String type, Instant at, String subject, String from, String to, Map<String, String> detail) {
        Map<String, String> d = new TreeMap<>(detail);
        d.put("source", "resync");
        return HostEvent.of(host, type, at, subject, from, to, d);
    }
}
