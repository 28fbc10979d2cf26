package dev.mediawatch.contract;

import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The identity of a monitored host (a VM running an agent), e.g. {@code download-stack}.
 *
 * <p>A host id is one MQTT topic level ({@code mediawatch/<host>/state}), a Home Assistant object id
 * and a metrics label value, so it is held to the strictest of those: a DNS-label-like slug of lower-case
 * letters, digits and inner hyphens, 1 to 63 characters. That excludes the MQTT wildcards {@code +} and
 * {@code #} and the level separator {@code /} (MQTT 3.1.1 section 4.7.1), and satisfies HA's object id rule
 * {@code [a-zA-Z0-9_-]}.
 */
public record HostId(String value) implements Comparable<HostId> {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    public HostId {
        Objects.requireNonNull(value, "host id");
        if (!SLUG.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid host id '" + Text.printable(value, 80)
                    + "': use 1-63 lower-case letters, digits and inner hyphens, e.g. download-stack");
        }
    }

    @JsonCreator
    public static HostId of(String value) {
        return new HostId(value);
    }

    /**
     * Levels under the topic prefix that are not hosts: the aggregator's own topics ({@code <prefix>/aggregator/...},
     * {@code <prefix>/alerts/<id>}, {@code <prefix>/ha/...}) and the single-level ones. An agent may not take one as
     * its host id, and a reader never takes them for a host.
     */
    public static final java.util.Set<String> RESERVED = java.util.Set.of("aggregator", "alerts", "ha", "homeassistant", "status",
            "contention", "events", "cmd");

    /** True when {@code value} is one of {@link #RESERVED}. */
    public static boolean isReserved(String value) {
        return RESERVED.contains(value);
    }

    /** True when {@code value} would be accepted by {@link #of(String)}. */
    public static boolean isValid(String value) {
        return value != null && SLUG.matcher(value).matches();
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public int compareTo(HostId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
