package dev.mediawatch.aggregator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

/**
 * The history endpoint's own answers, before it reads anything: a bad {@code since}, and more requests at once than
 * it answers (the detector's side is {@code ContentionWiringTest}).
 */
class AlertsResourceTest {

    static final Instant NOW = Instant.parse("2026-12-01T21:00:00Z");

    @Test
    void history_bySince_defaultIsTheLast24Hours() {
        assertThat(AlertsResource.parseSince(null, NOW, AlertsResource.DEFAULT_HISTORY_SINCE))
                .isEqualTo(NOW.minus(Duration.ofHours(24)));
        assertThat(AlertsResource.parseSince("30m", NOW, AlertsResource.DEFAULT_HISTORY_SINCE))
                .isEqualTo(NOW.minus(Duration.ofMinutes(30)));
        assertThat(AlertsResource.parseSince("2026-12-01T20:00:00Z", NOW, AlertsResource.DEFAULT_HISTORY_SINCE))
                .isEqualTo(Instant.parse("2026-12-01T20:00:00Z"));
        assertThat(AlertsResource.parseSince("", NOW)).isEqualTo(NOW.minus(Duration.ofDays(7)));
    }

    @Test
    void history_aBadSince_is400() {
        Response r = new AlertsResource(null).history("yesterday");
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat((String) r.getEntity()).startsWith("since must be an instant like").contains("'yesterday'");
    }

    @Test
    void history_moreRequestsAtOnceThanItAnswers_are503_withRetryAfter() {
        assertThat(AlertsResource.HISTORY_PERMITS.tryAcquire(AlertsResource.HISTORY_READS)).isTrue();
        try {
            Response r = new AlertsResource(null).history("1h");
            assertThat(r.getStatus()).isEqualTo(503);
            assertThat(r.getHeaderString("Retry-After")).isEqualTo("1");
            assertThat((String) r.getEntity()).contains("history requests are being answered");
        } finally {
            AlertsResource.HISTORY_PERMITS.release(AlertsResource.HISTORY_READS);
        }
        assertThat(AlertsResource.HISTORY_PERMITS.availablePermits()).isEqualTo(AlertsResource.HISTORY_READS);
    }
}
