package dev.mediawatch.contract;

/** A payload that cannot be used, with the reason as a fixed enum and a message safe to log. */
public final class PayloadRejected extends Exception {

    private final RejectReason reason;

    public PayloadRejected(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
