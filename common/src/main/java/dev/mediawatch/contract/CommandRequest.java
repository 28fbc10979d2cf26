package dev.mediawatch.contract;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The payload of {@code <prefix>/<host>/cmd/<command>}. The command itself is the topic's last level; the
 * payload only says who asked and when, so an agent can log it and a reply can be matched. An empty payload
 * is accepted as a request without an id (handy with {@code mosquitto_pub -n}).
 *
 * @param schema      always {@code mediawatch.command}
 * @param version     the schema version, {@code 1}
 * @param command     the command, equal to the topic's last level
 * @param requestId   an opaque id of the request, at most 64 printable characters
 * @param requestedAt when it was asked (UTC)
 */
@JsonPropertyOrder({ "schema", "version", "command", "requestId", "requestedAt" })
public record CommandRequest(String schema, int version, Command command, String requestId, Instant requestedAt) {

    public CommandRequest {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(command, "command");
        if (requestId != null && (requestId.length() > 64 || !requestId.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new IllegalArgumentException("requestId must be at most 64 printable ASCII characters");
        }
    }

    public static CommandRequest of(Command command, String requestId, Instant requestedAt) {
        return new CommandRequest(Schema.COMMAND.id(), Schema.COMMAND.version(), command, requestId, requestedAt);
    }
}
