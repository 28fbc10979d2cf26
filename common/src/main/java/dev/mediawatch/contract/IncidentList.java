package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The body of {@code GET /api/incidents?since=...}: incidents raised at or after {@code since} (or still open),
 * newest first.
 *
 * @param schema    always {@code mediawatch.incidents}
 * @param version   the schema version, {@code 1}
 * @param since     the lower bound asked for
 * @param incidents the incidents
 * @param truncated more matched than the response limit; ask again with a later {@code since}
 * @param store     {@code ok}, or one line saying why incidents are not being kept (broken or unwritable store)
 */
@JsonPropertyOrder({ "schema", "version", "since", "incidents", "truncated", "store" })
public record IncidentList(String schema, int version, Instant since, List<Incident> incidents, boolean truncated,
        String store) {

    public IncidentList {
        Objects.requireNonNull(schema, "schema");
        incidents = incidents == null ? List.of() : List.copyOf(incidents);
    }

    public static IncidentList of(Instant since, List<Incident> incidents, boolean truncated, String store) {
        return new IncidentList(Schema.INCIDENTS.id(), Schema.INCIDENTS.version(), since, incidents, truncated, store);
    }
}
