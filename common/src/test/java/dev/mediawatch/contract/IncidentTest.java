package dev.mediawatch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Each wither changes its own part of an incident and nothing else; the actions stay bounded. */
class IncidentTest {

    static final Instant T0 = Instant.parse("2026-11-21T21:03:00Z");

    static Incident open() {
        return new Incident("stutter-20261121T210300Z", AlertState.STUTTER, AlertSeverity.CRITICAL, "stutter", T0, null,
                40, null, null, List.of(new IncidentAction(T0, EventTypes.ALERT_RAISED, "score 40")));
    }

    @Test
    void withers_changeTheirPartOnly() {
        Incident i = open();
        Instant cleared = T0.plusSeconds(90);
        assertThat(i.withClearedAt(cleared)).isEqualTo(new Incident(i.id(), i.alert(), i.severity(), i.message(),
                i.raisedAt(), cleared, i.peakScore(), i.atRaise(), i.atPeak(), i.actions()));
        assertThat(i.withClearedAt(cleared).open()).isFalse();
        assertThat(i.withPeak(77, null)).isEqualTo(new Incident(i.id(), i.alert(), i.severity(), i.message(),
                i.raisedAt(), null, 77, i.atRaise(), null, i.actions()));
        assertThat(i.withMessage("other")).isEqualTo(new Incident(i.id(), i.alert(), i.severity(), "other",
                i.raisedAt(), null, i.peakScore(), i.atRaise(), i.atPeak(), i.actions()));
        assertThat(i.withoutEvidence().atRaise()).isNull();
        assertThat(i.withoutEvidence().peakScore()).isEqualTo(40);
        IncidentAction throttled = new IncidentAction(T0.plusSeconds(5), EventTypes.THROTTLE_APPLIED, "download-stack");
        assertThat(i.withAction(throttled).actions()).containsExactly(i.actions().get(0), throttled);
        assertThat(i.actions()).hasSize(1);
    }

    @Test
    void withAction_keepsTheFirstAndLastHalves_likeTheStore() {
        Incident i = open().withActions(List.of());
        List<IncidentAction> all = new ArrayList<>();
        for (int n = 0; n < 250; n++) {
            IncidentAction a = new IncidentAction(T0.plusSeconds(n), EventTypes.THROTTLE_APPLIED, "n=" + n);
            all.add(a);
            i = i.withAction(a);
            assertThat(i.actions()).as("after %d", n + 1).isEqualTo(Incident.boundedActions(all));
        }
        assertThat(i.actions()).hasSize(Incident.MAX_ACTIONS);
        assertThat(i.actions().subList(0, 50)).isEqualTo(all.subList(0, 50));
        assertThat(i.actions().subList(50, 100)).isEqualTo(all.subList(200, 250));
    }
}
