package dev.mediawatch.contract;

import java.io.IOException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one JSON codec of the contract. Agent, aggregator and their REST endpoints all write through a mapper
 * configured by {@link #configure(ObjectMapper)}; nobody builds JSON by hand.
 *
 * <p>Reading is strict about identity and lenient about growth: the {@code schema} must be the expected one
 * and the {@code version} one this build reads, the host must match the topic, and unknown fields are
 * ignored (that is how optional fields are added without a version bump, see {@link Schema}).
 */
public final class ContractJson {

    /**
     * The largest payload read. A host state with a few dozen containers is around 10 KiB; the limit leaves
     * room for mounts and pressure while keeping one hostile message from costing real memory.
     */
    public static final int MAX_PAYLOAD_BYTES = 512 * 1024;

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private ContractJson() {
    }

    /**
     * Applies the contract's settings to a mapper: ISO-8601 UTC timestamps as text, absent rather than
     * {@code null} fields, unknown fields ignored on read, a missing number never read as zero.
     * Quarkus apps call this from an {@code ObjectMapperCustomizer} so REST bodies match MQTT payloads.
     */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.registerModule(InstantCodec.module());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        return mapper;
    }

    /** The shared, configured mapper; thread-safe once configured. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Encodes any contract payload as UTF-8 JSON. */
    public static byte[] write(Object payload) {
        try {
            return MAPPER.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            // Only our own records are written; failing here is a programming error, not bad input.
            throw new IllegalStateException("cannot encode " + payload.getClass().getSimpleName(), e);
        }
    }

    /** Reads a state published on {@code topicHost}'s state topic. */
    public static HostState readState(byte[] payload, HostId topicHost) throws PayloadRejected {
        return readState(payload, topicHost, MAX_PAYLOAD_BYTES);
    }

    /** The same, refusing payloads over {@code maxBytes}. */
    public static HostState readState(byte[] payload, HostId topicHost, int maxBytes) throws PayloadRejected {
        HostState state = read(payload, Schema.HOST_STATE, HostState.class, maxBytes);
        requireHost(state.host(), topicHost);
        return state;
    }

    /** Reads an event published on {@code topicHost}'s events topic. */
    public static HostEvent readEvent(byte[] payload, HostId topicHost) throws PayloadRejected {
        return readEvent(payload, topicHost, MAX_PAYLOAD_BYTES);
    }

    /** The same, refusing payloads over {@code maxBytes}. */
    public static HostEvent readEvent(byte[] payload, HostId topicHost, int maxBytes) throws PayloadRejected {
        HostEvent event = read(payload, Schema.HOST_EVENT, HostEvent.class, maxBytes);
        requireHost(event.host(), topicHost);
        return event;
    }

    /** Reads the mounts published on {@code topicHost}'s mounts topic. */
    public static HostMounts readMounts(byte[] payload, HostId topicHost) throws PayloadRejected {
        return readMounts(payload, topicHost, MAX_PAYLOAD_BYTES);
    }

    /** The same, refusing payloads over {@code maxBytes}. */
    public static HostMounts readMounts(byte[] payload, HostId topicHost, int maxBytes) throws PayloadRejected {
        HostMounts mounts = read(payload, Schema.HOST_MOUNTS, HostMounts.class, maxBytes);
        requireHost(mounts.host(), topicHost);
        return mounts;
    }

    /** Reads the I/O signals published on {@code topicHost}'s io topic. */
    public static HostIo readIo(byte[] payload, HostId topicHost) throws PayloadRejected {
        return readIo(payload, topicHost, MAX_PAYLOAD_BYTES);
    }

    /** The same, refusing payloads over {@code maxBytes}. */
    public static HostIo readIo(byte[] payload, HostId topicHost, int maxBytes) throws PayloadRejected {
        HostIo io = read(payload, Schema.HOST_IO, HostIo.class, maxBytes);
        requireHost(io.host(), topicHost);
        return io;
    }

    /** Reads the activity published on {@code topicHost}'s activity topic. */
    public static HostActivity readActivity(byte[] payload, HostId topicHost, int maxBytes) throws PayloadRejected {
        HostActivity a = read(payload, Schema.HOST_ACTIVITY, HostActivity.class, maxBytes);
        requireHost(a.host(), topicHost);
        return a;
    }

    /** Reads a throttle request (never empty: it must say what to do). */
    public static ThrottleRequest readThrottle(byte[] payload) throws PayloadRejected {
        return read(payload, Schema.THROTTLE, ThrottleRequest.class);
    }

    /** Reads the aggregator's contention sensor. */
    public static Contention readContention(byte[] payload) throws PayloadRejected {
        return read(payload, Schema.CONTENTION, Contention.class);
    }

    /**
     * Reads the detector's windows ({@code GET /api/contention/history}, {@code GET /api/incidents/<id>/windows}).
     * A day of 5 s windows with 16 signals each is about 40 MB, of 1 s windows (the most the aggregator keeps)
     * about 215 MB: the bound is above that.
     */
    public static ContentionHistory readContentionHistory(byte[] payload) throws PayloadRejected {
        return read(payload, Schema.CONTENTION_HISTORY, ContentionHistory.class, 512 * MAX_PAYLOAD_BYTES);
    }

    /** Reads one of the aggregator's retained alert states. */
    public static AlertState readAlert(byte[] payload) throws PayloadRejected {
        return read(payload, Schema.ALERT, AlertState.class);
    }

    /** Reads the aggregator's incident timeline. */
    public static IncidentList readIncidents(byte[] payload) throws PayloadRejected {
        return read(payload, Schema.INCIDENTS, IncidentList.class, 4 * MAX_PAYLOAD_BYTES);
    }

    /** Reads the learned baselines ({@code GET /api/baselines}). */
    public static BaselineReport readBaselines(byte[] payload) throws PayloadRejected {
        return read(payload, Schema.BASELINES, BaselineReport.class, 8 * MAX_PAYLOAD_BYTES);
    }

    /** Reads a command request; an empty payload is a request without id. */
    public static CommandRequest readCommand(byte[] payload, Command topicCommand) throws PayloadRejected {
        if (payload == null || payload.length == 0) {
            return CommandRequest.of(topicCommand, null, null);
        }
        CommandRequest request = read(payload, Schema.COMMAND, CommandRequest.class);
        if (request.command() != topicCommand) {
            throw new PayloadRejected(RejectReason.INVALID,
                    "command " + request.command().wire() + " sent on the topic of " + topicCommand.wire());
        }
        return request;
    }

    /** Reads the aggregator's unified status. */
    public static StatusReport readStatus(byte[] payload) throws PayloadRejected {
        // The status of many hosts is larger than an agent's payload; its publisher caps it (see StatusReport).
        return read(payload, Schema.STATUS, StatusReport.class, 4 * MAX_PAYLOAD_BYTES);
    }

    /** Reads the aggregator's answer to a refresh. */
    public static RefreshResult readRefresh(byte[] payload) throws PayloadRejected {
        return read(payload, Schema.REFRESH, RefreshResult.class);
    }

    static <T> T read(byte[] payload, Schema schema, Class<T> type) throws PayloadRejected {
        return read(payload, schema, type, MAX_PAYLOAD_BYTES);
    }

    static <T> T read(byte[] payload, Schema schema, Class<T> type, int maxBytes) throws PayloadRejected {
        if (payload == null || payload.length == 0) {
            throw new PayloadRejected(RejectReason.MALFORMED, "empty payload");
        }
        if (payload.length > maxBytes) {
            throw new PayloadRejected(RejectReason.TOO_LARGE,
                    payload.length + " bytes, more than the " + maxBytes + " allowed");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new PayloadRejected(RejectReason.MALFORMED, "not JSON: " + firstLine(e));
        }
        if (root == null || !root.isObject()) {
            throw new PayloadRejected(RejectReason.MALFORMED, "not a JSON object");
        }
        JsonNode schemaNode = root.get("schema");
        if (schemaNode == null || !schemaNode.isTextual() || !schema.id().equals(schemaNode.asText())) {
            throw new PayloadRejected(RejectReason.UNKNOWN_SCHEMA, "schema is "
                    + (schemaNode == null ? "missing" : "'" + Text.printable(schemaNode.asText(), 60) + "'")
                    + ", expected '" + schema.id() + "'");
        }
        JsonNode versionNode = root.get("version");
        if (versionNode == null || !versionNode.canConvertToExactIntegral()) {
            throw new PayloadRejected(RejectReason.INVALID, "version is missing or not an integer");
        }
        if (versionNode.asInt() != schema.version()) {
            throw new PayloadRejected(RejectReason.UNSUPPORTED_VERSION, schema.id() + " version "
                    + Text.printable(versionNode.asText(), 20) + ", this build reads version " + schema.version());
        }
        try {
            return MAPPER.treeToValue(root, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PayloadRejected(RejectReason.INVALID, "invalid " + schema.id() + ": " + firstLine(e));
        }
    }

    private static void requireHost(HostId payloadHost, HostId topicHost) throws PayloadRejected {
        if (!payloadHost.equals(topicHost)) {
            throw new PayloadRejected(RejectReason.HOST_MISMATCH,
                    "payload names host '" + payloadHost + "' but was published on the topic of '" + topicHost + "'");
        }
    }

    /** Jackson messages quote the input and add a location block; the first line, cut short, is enough. */
    private static String firstLine(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && t.getMessage() == null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return Text.printable(newline < 0 ? message : message.substring(0, newline), 160);
    }
}
