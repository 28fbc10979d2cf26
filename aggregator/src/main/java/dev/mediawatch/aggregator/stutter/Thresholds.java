package dev.mediawatch.aggregator.stutter;

import dev.mediawatch.contract.HostId;

/**
 * The thresholds in force for one signal of one host. The detector asks this every window instead of reading fixed
 * numbers, so thresholds learned from a host's calm (the baselines) and thresholds the owner configured can stand in
 * for the defaults per host and signal.
 */
@FunctionalInterface
public interface Thresholds {

    DetectorConfig.Rule rule(HostId host, String side, String name);

    /** The configuration's rule for every host: the defaults, with what the owner configured. */
    static Thresholds fixed(DetectorConfig config) {
        return (host, side, name) -> config.rule(side, name);
    }
}
