package dev.mediawatch.aggregator.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.mediawatch.aggregator.drift.MountLock;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.HostId;

/**
 * What the status builder judges by.
 *
 * @param staleAfter      a state older than this makes a host stale
 * @param downAfter       nothing heard for this long makes a host down
 * @param startedAt       when the aggregator started: a catalogue host not heard from is stale, not down, for
 *                        the first {@code staleAfter} (retained messages are still arriving)
 * @param catalogue       the service catalogue, or {@link ServiceCatalogue#EMPTY}
 * @param retired         hosts that must be gone (the old media-stack VM)
 * @param locks           the NFS mount locks of D107
 * @param topicPrefix     for the commands the checklist suggests
 * @param discoveryPrefix Home Assistant's discovery prefix, for D110's evidence
 */
public record StatusRules(Duration staleAfter, Duration downAfter, Instant startedAt, ServiceCatalogue catalogue,
        Set<HostId> retired, List<MountLock> locks, String topicPrefix, String discoveryPrefix) {
}
