package dev.mediawatch.aggregator.notify;

import static dev.mediawatch.aggregator.notify.LocalService.HTTP;
import static dev.mediawatch.aggregator.notify.LocalService.TIMEOUT;
import static dev.mediawatch.aggregator.notify.Samples.CANARY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How an attempt ends, the same for every target: what is worth a retry, the service's own wait, what is final. */
class TargetOutcomesTest {

    LocalService service;
    Target target;

    @BeforeEach
    void start() throws Exception {
        service = new LocalService();
        target = ServiceUrls.parse(1, "gotify://" + service.hostPort() + "/A" + CANARY + "?disabletls=yes", HTTP);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void serverError_isWorthARetry() {
        service.reply(500, "");
        assertThat(target.send(Samples.critical(), TIMEOUT)).isEqualTo(Outcome.retry("HTTP 500"));
    }

    @Test
    void tooManyRequests_isRetriedAfterTheServicesWait() {
        service.reply(429, "", "Retry-After", "7");
        assertThat(target.send(Samples.critical(), TIMEOUT))
                .isEqualTo(new Outcome(false, true, "HTTP 429", Duration.ofSeconds(7)));
    }

    @Test
    void badRequest_isFinal() {
        service.reply(400, "{\"error\":\"Bad Request\"}");
        assertThat(target.send(Samples.critical(), TIMEOUT)).isEqualTo(Outcome.fail("HTTP 400"));
    }

    @Test
    void connectionRefused_isWorthARetry_andNamesNoUrl() throws Exception {
        Target nowhere = ServiceUrls.parse(1, "ntfy://:tk" + CANARY + "@127.0.0.1:" + LocalService.closedPort()
                + "/alerts" + CANARY + "?scheme=http", HTTP);
        Outcome o = nowhere.send(Samples.critical(), TIMEOUT);
        assertThat(o).isEqualTo(Outcome.retry("connection refused"));
        Samples.assertNoSecret(nowhere, o);
    }
}
