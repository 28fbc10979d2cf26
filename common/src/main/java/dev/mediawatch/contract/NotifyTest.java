package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code POST /api/notify/test}: a test message sent once to every notification target.
 *
 * @param schema  always {@code mediawatch.notify-test}
 * @param version the schema version, {@code 1}
 * @param sentAt  when the test went out (UTC)
 * @param pass    every target took it
 * @param targets one line per target, in the configured order
 */
@JsonPropertyOrder({ "schema", "version", "sentAt", "pass", "targets" })
public record NotifyTest(String schema, int version, Instant sentAt, boolean pass, List<Target> targets) {

    /**
     * One target's outcome.
     *
     * @param target the target as it may be shown: {@code scheme://***@host}, never a token or path
     * @param scheme the URL's scheme
     * @param sent   the service took the message
     * @param detail what happened ({@code HTTP 200 after 1 attempt}, {@code connection refused after 1 attempt})
     */
    @JsonPropertyOrder({ "target", "scheme", "sent", "detail" })
    public record Target(String target, String scheme, boolean sent, String detail) {
        public Target {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(scheme, "scheme");
        }
    }

    public NotifyTest {
        Objects.requireNonNull(schema, "schema");
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    public static NotifyTest of(Instant sentAt, List<Target> targets) {
        return new NotifyTest(Schema.NOTIFY_TEST.id(), Schema.NOTIFY_TEST.version(), sentAt,
                targets.stream().allMatch(Target::sent), targets);
    }
}
