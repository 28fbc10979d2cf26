package dev.mediawatch.contract;

/**
 * Why an incoming message was refused. The wire names are the {@code reason} label of the aggregator's
 * {@code mediawatch_messages_rejected_total} metric: a fixed set, so the metric cannot grow with input.
 */
public enum RejectReason {
    /** Not JSON, or not a JSON object. */
    MALFORMED("malformed"),
    /** A JSON object whose {@code schema} is missing or is not the one the topic carries. */
    UNKNOWN_SCHEMA("unknown-schema"),
    /** The right schema at a version this build does not read. */
    UNSUPPORTED_VERSION("unsupported-version"),
    /** The payload names another host than its topic: one agent must never speak for another. */
    HOST_MISMATCH("host-mismatch"),
    /** Well-formed JSON of the right schema whose fields are missing or out of range. */
    INVALID("invalid"),
    /** Larger than {@link ContractJson#MAX_PAYLOAD_BYTES}. */
    TOO_LARGE("too-large"),
    /** A topic under the prefix that is not part of the contract, or whose host level is not a valid host id. */
    BAD_TOPIC("bad-topic"),
    /** A new host beyond the aggregator's configured limit: the host table does not grow without bound. */
    HOST_LIMIT("host-limit");

    private final String wire;

    RejectReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
