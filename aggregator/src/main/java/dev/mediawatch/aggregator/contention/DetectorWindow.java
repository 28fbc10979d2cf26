package dev.mediawatch.aggregator.contention;

import java.time.Instant;
import java.util.List;

import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.aggregator.stutter.Decision;

/**
 * Fired (CDI event, synchronously on the detector's thread) after every detector window, with the hosts it was
 * decided on: what else needs the window's facts (the acceptance checks) observes it. Observers must be quick.
 */
public record DetectorWindow(Instant at, Decision decision, List<HostRecord> records) {
}
