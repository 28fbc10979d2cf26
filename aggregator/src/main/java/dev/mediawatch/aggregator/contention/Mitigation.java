package dev.mediawatch.aggregator.contention;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.mediawatch.contract.DownloadLimits;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.ThrottleRequest;

/**
 * When to ask download hosts to throttle, renew, and release (opt-in, {@code mediawatch.mitigation.enabled}). Plain
 * Java: told each window whether the stutter alert is raised with somebody watching, it answers with the requests to
 * send. The lease is the safety: an aggregator that dies (or a broker that goes) simply stops renewing, and each agent
 * restores its limits when the lease runs out.
 */
final class Mitigation {

    /** A request for one host. */
    record Send(HostId host, ThrottleRequest request) {
    }

    private final boolean enabled;
    private final DownloadLimits limits;
    private final boolean pausePostProcessing;
    private final Duration lease;
    private final Duration renewEvery;
    private final Set<HostId> throttled = new TreeSet<>(java.util.Comparator.comparing(HostId::value));
    private Instant lastSent;
    private long sequence;
    /** Home Assistant's switch: disarmed, nothing is throttled and whatever was is released. Enabled means armed. */
    private volatile boolean armed = true;

    /**
     * The lease is within {@link ThrottleRequest}'s bounds and {@code renewEvery} shorter than it, as the configuration
     * mapping ({@code mediawatch.mitigation.*}) and {@code AggregatorConfigCheck} have checked.
     */
    Mitigation(boolean enabled, DownloadLimits limits, boolean pausePostProcessing, Duration lease, Duration renewEvery) {
        this.enabled = enabled;
        this.limits = limits;
        this.pausePostProcessing = pausePostProcessing;
        this.lease = lease;
        this.renewEvery = renewEvery;
    }

    boolean enabled() {
        return enabled;
    }

    boolean armed() {
        return enabled && armed;
    }

    void arm(boolean armed) {
        this.armed = armed;
    }

    /** Hosts asked to throttle and not yet released. */
    Set<HostId> throttled() {
        return Set.copyOf(throttled);
    }

    /**
     * @param wanted        the stutter alert is raised and somebody is watching (known, not guessed)
     * @param downloadHosts the download hosts that are up now
     */
    List<Send> decide(Instant now, boolean wanted, List<HostId> downloadHosts) {
        if (!enabled) {
            return List.of();
        }
        List<Send> out = new java.util.ArrayList<>();
        if (wanted && armed) {
            boolean renew = lastSent == null || !now.isBefore(lastSent.plus(renewEvery)) || now.isBefore(lastSent);
            for (HostId h : downloadHosts) {
                if (renew || !throttled.contains(h)) {
                    out.add(new Send(h, ThrottleRequest.apply(id(now), now, (int) lease.toSeconds(), limits,
                            pausePostProcessing)));
                    throttled.add(h);
                }
            }
            if (renew && !out.isEmpty()) {
                lastSent = now;
            }
        } else if (!throttled.isEmpty()) {
            for (HostId h : throttled) {
                out.add(new Send(h, ThrottleRequest.release(id(now), now)));
            }
            throttled.clear();
            lastSent = null;
        }
        return out;
    }

    private String id(Instant now) {
        return "throttle-" + now.getEpochSecond() + "-" + (++sequence);
    }
}
