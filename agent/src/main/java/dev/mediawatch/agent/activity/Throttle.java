package dev.mediawatch.agent.activity;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.mediawatch.contract.DownloadLimits;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Text;
import dev.mediawatch.contract.ThrottleRequest;
import dev.mediawatch.contract.ThrottleState;

/**
 * The download throttle the aggregator asks for while streaming stutters: download limits (SABnzbd's speed
 * limit, qBittorrent's global download limit) and optionally paused post-processing containers, held on a
 * <em>lease</em>. Whatever happens to the aggregator or the broker, the limits found before are put back:
 * on release, when the lease runs out unrenewed, when the agent stops, and when it starts again after a
 * crash (the {@link ThrottleStore} holds them, written before any limit is changed).
 *
 * <p>Apply, when no throttle is active: the limits in force are read and persisted as {@code previous},
 * then the requested ones are set, then (if asked) the running post-processing containers are paused, each
 * recorded before it is paused. Apply while active renews the lease, changes limits that differ and keeps
 * the original {@code previous}. A limit that cannot be read or set, and a restore that fails, is retried on
 * the next {@link #tick()}; the store keeps the record until everything was put back. Failures are events
 * ({@code throttle.failed}) at most once a minute and the state's {@code problem}.
 *
 * <p>Plain Java with an injectable clock. Not thread-safe: every method but {@link #state()} and
 * {@link #allowed()} runs on the one activity thread; the blocking calls it makes each have a timeout.
 */
public final class Throttle {

    private static final Logger LOG = Logger.getLogger(Throttle.class);

    /** How often a failure is published as an event at most. */
    static final Duration FAILED_EVENT_INTERVAL = Duration.ofMinutes(1);

    /** What a request came to. */
    public enum Outcome {
        /** A new throttle: limits read, persisted and set. */
        APPLIED,
        /** An active throttle's lease renewed (limits changed where they differed). */
        RENEWED,
        /** Released: the previous limits are put back (or will be, retried). */
        RELEASED,
        /** A release with no active throttle: nothing to do. */
        NOT_ACTIVE,
        /** Throttling is not allowed on this agent. */
        REFUSED,
        /** Nothing set: the state file could not be written, so a restore could not be promised. */
        FAILED
    }

    /** One downloader's limit, bytes per second, {@code 0} for none. */
    public interface Limiter {
        long get() throws ApiHttp.Failure;

        void set(long bytesPerSec) throws ApiHttp.Failure;
    }

    public static Limiter limiter(SabnzbdClient sabnzbd) {
        return new Limiter() {
            @Override
            public long get() throws ApiHttp.Failure {
                return sabnzbd.speedLimit();
            }

            @Override
            public void set(long bytesPerSec) throws ApiHttp.Failure {
                sabnzbd.setSpeedLimit(bytesPerSec);
            }
        };
    }

    public static Limiter limiter(QbittorrentClient qbittorrent) {
        return new Limiter() {
            @Override
            public long get() throws ApiHttp.Failure {
                return qbittorrent.downloadLimit();
            }

            @Override
            public void set(long bytesPerSec) throws ApiHttp.Failure {
                qbittorrent.setDownloadLimit(bytesPerSec);
            }
        };
    }

    private final HostId host;
    /** By source name ({@code sabnzbd}, {@code qbittorrent}): the configured downloaders only. */
    private final Map<String, Limiter> limiters;
    private final ContainerPauser pauser;
    private final List<String> postProcessing;
    private final ThrottleStore store;
    private final Clock clock;
    private final boolean allowed;
    private final Consumer<HostEvent> events;

    // Activity thread only.
    private boolean active;
    private String requestId;
    private Instant since;
    private Instant expiresAt;
    private DownloadLimits applied = DownloadLimits.NONE;
    private DownloadLimits previous = DownloadLimits.NONE;
    private final Set<String> paused = new LinkedHashSet<>();
    /** Downloaders whose applied limit was set (since it last changed). */
    private final Set<String> inForce = new LinkedHashSet<>();
    /** Non-null while restoring (a restore failed and is retried): why. */
    private String restoreReason;
    private final Set<String> restored = new LinkedHashSet<>();
    private final Map<String, String> problems = new LinkedHashMap<>();
    private Instant lastRestoredAt;
    private String lastRestoreReason;
    private Instant lastFailedEvent;
    private int failedHeld;

    private volatile ThrottleState published = ThrottleState.INACTIVE;

    /**
     * @param sabnzbd        SABnzbd's limit, or null when SABnzbd is not configured here
     * @param qbittorrent    qBittorrent's limit, or null when it is not configured here
     * @param postProcessing the containers paused on request, when running
     * @param allowed        whether requests are accepted at all (restores after a crash happen regardless)
     * @param events         where throttle events go (never blocks)
     */
    public Throttle(HostId host, Limiter sabnzbd, Limiter qbittorrent, ContainerPauser pauser,
            List<String> postProcessing, ThrottleStore store, Clock clock, boolean allowed, Consumer<HostEvent> events) {
        this.host = Objects.requireNonNull(host, "host");
        Map<String, Limiter> l = new LinkedHashMap<>();
        if (sabnzbd != null) {
            l.put(SabnzbdClient.NAME, sabnzbd);
        }
        if (qbittorrent != null) {
            l.put(QbittorrentClient.NAME, qbittorrent);
        }
        this.limiters = Map.copyOf(l);
        this.pauser = pauser == null ? ContainerPauser.NONE : pauser;
        this.postProcessing = List.copyOf(postProcessing);
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.allowed = allowed;
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Whether throttle requests are accepted here. */
    public boolean allowed() {
        return allowed;
    }

    /** The throttle as published in the activity snapshot; safe from any thread. */
    public ThrottleState state() {
        return published;
    }

    /**
     * At agent start: a throttle the store remembers (the agent crashed or was killed while one was active) is
     * restored now; a restore that fails is retried on the next ticks.
     */
    public void start() {
        store.load().ifPresent(s -> {
            LOG.infof("throttle %s from before this start found in %s: restoring %s", s.requestId(), store.file(),
                    describe(s.previous()));
            active = true;
            requestId = s.requestId();
            since = s.since();
            expiresAt = s.expiresAt();
            applied = s.applied() == null ? DownloadLimits.NONE : s.applied();
            previous = s.previous() == null ? DownloadLimits.NONE : s.previous();
            paused.clear();
            paused.addAll(s.pausedContainers());
            inForce.clear();
            startRestore(ThrottleState.AGENT_RESTART);
        });
        publish();
    }

    /** At agent stop: best effort, one try; what fails stays in the store for the next start. */
    public void stop() {
        if (active) {
            if (restoreReason == null) {
                restoreReason = ThrottleState.AGENT_STOP;
                restored.clear();
            }
            tryRestore();
            publish();
        }
    }

    /** A request from the aggregator (already validated by the contract). */
    public Outcome handle(ThrottleRequest request) {
        Objects.requireNonNull(request, "request");
        if (!allowed) {
            return Outcome.REFUSED;
        }
        Outcome outcome;
        if (ThrottleRequest.RELEASE.equals(request.action())) {
            if (!active) {
                outcome = Outcome.NOT_ACTIVE;
            } else {
                LOG.infof("throttle %s released by request %s", requestId, request.requestId());
                if (restoreReason == null) {
                    startRestore(ThrottleState.RELEASED);
                } else {
                    tryRestore();
                }
                outcome = Outcome.RELEASED;
            }
        } else if (active) {
            renew(request);
            outcome = Outcome.RENEWED;
        } else {
            outcome = apply(request);
        }
        publish();
        return outcome;
    }

    /** Every second or so: the lease, and retries of what failed. */
    public void tick() {
        if (!active) {
            return;
        }
        if (restoreReason != null) {
            tryRestore();
        } else if (!clock.instant().isBefore(expiresAt)) {
            LOG.infof("throttle %s: lease ran out at %s without renewal, restoring", requestId, expiresAt);
            startRestore(ThrottleState.LEASE_EXPIRED);
        } else if (!inForce.containsAll(requestedHere(applied))) {
            enforce();
        }
        publish();
    }

    private Outcome apply(ThrottleRequest request) {
        Instant now = clock.instant();
        problems.clear();
        DownloadLimits found = DownloadLimits.NONE;
        DownloadLimits wanted = DownloadLimits.NONE;
        for (String name : limiters.keySet()) {
            Long want = pick(request.limits(), name);
            if (want == null) {
                continue;
            }
            wanted = with(wanted, name, want);
            try {
                found = with(found, name, limiters.get(name).get());
            } catch (ApiHttp.Failure f) {
                failed(name, "cannot read the limit in force: " + f.getMessage());
            }
        }
        active = true;
        requestId = request.requestId();
        since = now;
        expiresAt = now.plusSeconds(request.leaseSeconds());
        applied = wanted;
        previous = found;
        paused.clear();
        inForce.clear();
        restored.clear();
        restoreReason = null;
        // The record first: from here on a crash restores what was found.
        if (!persist()) {
            active = false;
            requestId = null;
            since = null;
            expiresAt = null;
            applied = DownloadLimits.NONE;
            previous = DownloadLimits.NONE;
            LOG.warnf("throttle request %s not applied: its state could not be written, so a restore could not be "
                    + "promised", request.requestId());
            return Outcome.FAILED;
        }
        enforce();
        if (request.pausePostProcessing()) {
            pauseRunning();
        }
        LOG.infof("throttle %s applied for %d s: %s (was %s)%s", requestId, request.leaseSeconds(), describe(applied),
                describe(previous), paused.isEmpty() ? "" : ", paused " + paused);
        Map<String, String> detail = new TreeMap<>();
        detail.put("requestId", requestId);
        detail.put("leaseSeconds", Integer.toString(request.leaseSeconds()));
        detail.put("expiresAt", expiresAt.toString());
        limitsDetail(detail, "limit.", applied);
        limitsDetail(detail, "previous.", previous);
        if (!paused.isEmpty()) {
            detail.put("pausedContainers", String.join(",", paused));
        }
        events.accept(HostEvent.of(host, EventTypes.THROTTLE_APPLIED, now, "throttle", "inactive", "active", detail));
        return Outcome.APPLIED;
    }

    private void renew(ThrottleRequest request) {
        Instant now = clock.instant();
        if (restoreReason != null) {
            // A restore was under way (and failing); the aggregator wants the limits after all.
            LOG.infof("throttle %s: restore (%s) called off by request %s", requestId, restoreReason, request.requestId());
            restoreReason = null;
            restored.clear();
            inForce.clear();
        }
        requestId = request.requestId();
        expiresAt = now.plusSeconds(request.leaseSeconds());
        for (String name : limiters.keySet()) {
            Long want = pick(request.limits(), name);
            if (want != null && !want.equals(pick(applied, name))) {
                LOG.infof("throttle %s: %s limit changed to %s", requestId, name, bytes(want));
                applied = with(applied, name, want);
                inForce.remove(name);
            }
        }
        persist();
        enforce();
        if (request.pausePostProcessing()) {
            pauseRunning();
        } else if (!paused.isEmpty()) {
            unpauseAll();
            persist();
        }
    }

    /** Sets every applied limit not in force yet; reads (and persists) a previous value first where missing. */
    private void enforce() {
        for (String name : requestedHere(applied)) {
            if (inForce.contains(name)) {
                continue;
            }
            Limiter limiter = limiters.get(name);
            if (pick(previous, name) == null) {
                // Never set by us yet (the read failed before): what is in force now is the one to restore.
                try {
                    previous = with(previous, name, limiter.get());
                } catch (ApiHttp.Failure f) {
                    failed(name, "cannot read the limit in force: " + f.getMessage());
                    continue;
                }
                if (!persist()) {
                    continue;
                }
            }
            try {
                limiter.set(pick(applied, name));
                inForce.add(name);
                problems.remove(name);
            } catch (ApiHttp.Failure f) {
                failed(name, "cannot set the limit: " + f.getMessage());
            }
        }
    }

    private void pauseRunning() {
        for (String container : postProcessing) {
            if (paused.contains(container)) {
                continue;
            }
            try {
                if (!pauser.running(container)) {
                    continue;
                }
                // Recorded before it is paused: a crash in between unpauses a container that was running anyway.
                paused.add(container);
                persist();
                pauser.pause(container);
                problems.remove("container " + container);
            } catch (ContainerPauser.Failure f) {
                paused.remove(container);
                persist();
                failed("container " + container, f.getMessage());
            }
        }
    }

    private void unpauseAll() {
        for (String container : List.copyOf(paused)) {
            try {
                pauser.unpause(container);
                paused.remove(container);
                problems.remove("container " + container);
            } catch (ContainerPauser.Failure f) {
                failed("container " + container, f.getMessage());
            }
        }
    }

    private void startRestore(String reason) {
        restoreReason = reason;
        restored.clear();
        tryRestore();
    }

    /** Puts back what is left to put back; when all is, clears the store and publishes the restore. */
    private void tryRestore() {
        boolean done = true;
        for (String name : List.of(SabnzbdClient.NAME, QbittorrentClient.NAME)) {
            Long before = pick(previous, name);
            if (before == null || restored.contains(name)) {
                continue;
            }
            Limiter limiter = limiters.get(name);
            if (limiter == null) {
                // Configured when the limit was set, not any more (a restart with other configuration).
                LOG.warnf("throttle %s: cannot restore the %s limit (%s): %s is not configured any more", requestId,
                        name, bytes(before), name);
                restored.add(name);
                continue;
            }
            try {
                limiter.set(before);
                restored.add(name);
                problems.remove(name);
            } catch (ApiHttp.Failure f) {
                failed(name, "cannot restore the limit (" + bytes(before) + "): " + f.getMessage());
                done = false;
            }
        }
        int pausedBefore = paused.size();
        unpauseAll();
        if (!paused.isEmpty()) {
            done = false;
        }
        if (!done) {
            if (paused.size() != pausedBefore) {
                persist();
            }
            return;
        }
        try {
            store.clear();
            problems.remove("state-file");
        } catch (IOException e) {
            failed("state-file", "cannot remove " + store.file() + ": " + e.getClass().getSimpleName());
            return;
        }
        Instant now = clock.instant();
        String reason = restoreReason;
        LOG.infof("throttle %s restored (%s): %s", requestId, reason, describe(previous));
        Map<String, String> detail = new TreeMap<>();
        detail.put("requestId", requestId);
        limitsDetail(detail, "restored.", previous);
        events.accept(HostEvent.of(host, EventTypes.THROTTLE_RESTORED, now, "throttle", "active", reason, detail));
        active = false;
        requestId = null;
        since = null;
        expiresAt = null;
        applied = DownloadLimits.NONE;
        previous = DownloadLimits.NONE;
        inForce.clear();
        restored.clear();
        restoreReason = null;
        lastRestoredAt = now;
        lastRestoreReason = reason;
    }

    /** Writes the active record; false (and a problem) when the file cannot be written. */
    private boolean persist() {
        try {
            store.save(snapshot(true));
            problems.remove("state-file");
            return true;
        } catch (IOException | RuntimeException e) {
            failed("state-file", "cannot write " + store.file() + ": " + e.getClass().getSimpleName());
            return false;
        }
    }

    /** A failure: in the state's problem now, as an event at most once per interval. */
    private void failed(String source, String problem) {
        String line = Text.printable(problem, 200);
        problems.put(source, line);
        Instant now = clock.instant();
        if (lastFailedEvent == null || !now.isBefore(lastFailedEvent.plus(FAILED_EVENT_INTERVAL))) {
            Map<String, String> detail = new TreeMap<>();
            detail.put("source", source);
            detail.put("problem", line);
            if (failedHeld > 0) {
                detail.put("heldBack", Integer.toString(failedHeld));
            }
            if (requestId != null) {
                detail.put("requestId", requestId);
            }
            events.accept(HostEvent.of(host, EventTypes.THROTTLE_FAILED, now, source, null, null, detail));
            LOG.warnf("throttle: %s: %s%s", source, line, failedHeld > 0 ? " (" + failedHeld + " more failures since the last such line)" : "");
            lastFailedEvent = now;
            failedHeld = 0;
        } else {
            failedHeld++;
        }
    }

    private void publish() {
        published = snapshot(active);
    }

    private ThrottleState snapshot(boolean asActive) {
        String problem = null;
        if (!problems.isEmpty()) {
            List<String> lines = new ArrayList<>();
            problems.forEach((source, line) -> lines.add(source + ": " + line));
            problem = Text.printable(String.join("; ", lines), 400);
        }
        if (!asActive) {
            return new ThrottleState(false, null, null, null, null, null, List.of(), lastRestoredAt, lastRestoreReason,
                    problem);
        }
        return new ThrottleState(true, requestId, since, expiresAt, applied, previous, new ArrayList<>(paused),
                lastRestoredAt, lastRestoreReason, problem);
    }

    /** The downloaders with a limit in {@code limits} that are configured here. */
    private List<String> requestedHere(DownloadLimits limits) {
        List<String> out = new ArrayList<>(2);
        for (String name : List.of(SabnzbdClient.NAME, QbittorrentClient.NAME)) {
            if (limiters.containsKey(name) && pick(limits, name) != null) {
                out.add(name);
            }
        }
        return out;
    }

    static Long pick(DownloadLimits limits, String name) {
        if (limits == null) {
            return null;
        }
        return SabnzbdClient.NAME.equals(name) ? limits.sabnzbdBytesPerSec() : limits.qbittorrentBytesPerSec();
    }

    static DownloadLimits with(DownloadLimits limits, String name, Long value) {
        return SabnzbdClient.NAME.equals(name) ? new DownloadLimits(value, limits.qbittorrentBytesPerSec())
                : new DownloadLimits(limits.sabnzbdBytesPerSec(), value);
    }

    private static void limitsDetail(Map<String, String> detail, String prefix, DownloadLimits limits) {
        if (limits.sabnzbdBytesPerSec() != null) {
            detail.put(prefix + SabnzbdClient.NAME, Long.toString(limits.sabnzbdBytesPerSec()));
        }
        if (limits.qbittorrentBytesPerSec() != null) {
            detail.put(prefix + QbittorrentClient.NAME, Long.toString(limits.qbittorrentBytesPerSec()));
        }
    }

    private static String describe(DownloadLimits limits) {
        if (limits == null || (limits.sabnzbdBytesPerSec() == null && limits.qbittorrentBytesPerSec() == null)) {
            return "no limits";
        }
        List<String> parts = new ArrayList<>();
        if (limits.sabnzbdBytesPerSec() != null) {
            parts.add("sabnzbd " + bytes(limits.sabnzbdBytesPerSec()));
        }
        if (limits.qbittorrentBytesPerSec() != null) {
            parts.add("qbittorrent " + bytes(limits.qbittorrentBytesPerSec()));
        }
        return String.join(", ", parts);
    }

    private static String bytes(long bytesPerSec) {
        return bytesPerSec == 0 ? "no limit" : bytesPerSec + " B/s";
    }
}
