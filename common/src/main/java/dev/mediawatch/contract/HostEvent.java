package dev.mediawatch.contract;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A non-retained event on {@code <prefix>/<host>/events}: something changed, at a moment. Events are for
 * timelines and alerts; the retained {@link HostState} stays the truth, so a missed event costs history,
 * never correctness.
 *
 * @param schema    always {@code mediawatch.host-event}
 * @param version   the schema version, {@code 1}
 * @param host      the agent's host id; must equal the host level of the topic
 * @param type      what happened, {@code <area>.<action>}, see {@link EventTypes}; readers must accept types
 *                  they do not know
 * @param timestamp when it happened (UTC): the engine's time for engine events
 * @param subject   what it happened to: a container name, a mount path, {@code engine}
 * @param from      the state before, when known
 * @param to        the state after, when known
 * @param detail    further facts as text (e.g. {@code exitCode}, {@code image}), keys sorted
 */
@JsonPropertyOrder({ "schema", "version", "host", "type", "timestamp", "subject", "from", "to", "detail" })
public record HostEvent(
        String schema,
        int version,
        HostId host,
        String type,
        Instant timestamp,
        String subject,
        String from,
        String to,
        Map<String, String> detail) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]*(?:\\.[a-z][a-z0-9_-]*)+");

    public HostEvent {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("invalid event type '" + Text.printable(type, 60) + "'");
        }
        detail = detail == null || detail.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(detail));
    }

    public static HostEvent of(HostId host, String type, Instant timestamp, String subject, String from, String to,
            Map<String, String> detail) {
        return new HostEvent(Schema.HOST_EVENT.id(), Schema.HOST_EVENT.version(), host, type, timestamp, subject,
                from, to, detail);
    }
}
