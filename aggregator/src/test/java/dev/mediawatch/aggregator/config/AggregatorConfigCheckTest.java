package dev.mediawatch.aggregator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigValidationException;

/**
 * The aggregator's configuration is checked where it is declared: each value by its converter in
 * {@link AggregatorConfig} (SmallRye stops startup naming the key, the value and the problem, every bad value at
 * once), what relates several values by {@link AggregatorConfigCheck}.
 */
class AggregatorConfigCheckTest {

    @Test
    void theDefaults_passEveryCheck() {
        AggregatorConfig config = TestConfig.aggregator(Map.of());
        assertThat(AggregatorConfigCheck.problems(config)).isEmpty();
        assertThat(config.topicPrefix()).isEqualTo("mediawatch");
        assertThat(config.homeassistant().configurationUrl()).isEmpty();
        assertThat(config.notifications().urls()).isEmpty();
        assertThat(config.notifications().hold()).isEmpty();
    }

    @Test
    void aBadSingleValue_stopsStartupNamingTheKeyTheValueAndTheProblem() {
        bad("mediawatch.topic-prefix", "a/#", "invalid topic prefix 'a/#'");
        bad("mediawatch.mqtt.port", "65536", "65536 is out of range; use 1 to 65535");
        bad("mediawatch.mqtt.max-in-flight", "0", "0 is out of range; use 1 to 65535");
        bad("mediawatch.mqtt.send-queue", "0", "0 is too small; use at least 1");
        bad("mediawatch.status.stale-after", "0s", "0s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.status.down-after", "-5m", "-5m is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.status.max-hosts", "0", "0 is too small; use at least 1");
        bad("mediawatch.status.recent-events", "-1", "-1 is too small; use at least 1");
        bad("mediawatch.status.max-publish-bytes", "0", "0 is too small; use at least 1");
        bad("mediawatch.ingest.max-payload-bytes", "0", "0 is too small; use at least 1");
        bad("mediawatch.ingest.max-pending-topics", "7", "7 is too small; use at least 8");
        bad("mediawatch.ingest.max-pending-bytes", "1048575", "1048575 is too small; use at least 1048576");
        bad("mediawatch.ingest.events-per-host", "0", "0 is too small; use at least 1");
        bad("mediawatch.homeassistant.max-configs", "0", "0 is too small; use at least 1");
        bad("mediawatch.homeassistant.birth-delay", "-1s", "-1s is too short; use 0s or more");
        bad("mediawatch.homeassistant.expire-after", "29s", "29s is too short; use at least 30s");
        bad("mediawatch.homeassistant.configuration-url", "ha.lan:8470",
                "'ha.lan:8470' is not an http(s) URL with a host; use e.g. http://host:8080/");
        bad("mediawatch.refresh.timeout", "0s", "0s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.stutter.window", "0s", "0s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.stutter.raise-after", "0s", "0s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.stutter.stall-raise-after", "-10s", "-10s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.stutter.clear-after", "0", "0 is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.stutter.hold-missing-for", "0s", "0s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.stutter.learn-after", "0s", "0s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.stutter.learn-days", "91", "91 is out of range; use 1 to 90");
        bad("mediawatch.recording.max-bytes", "4095", "4095 is too small; use at least 4096");
        bad("mediawatch.recording.keep", "-1", "-1 is too small; use at least 0");
        bad("mediawatch.incidents.retention", "0s", "0s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.incidents.max-incidents", "0", "0 is too small; use at least 1");
        bad("mediawatch.incidents.max-file-bytes", "0", "0 is too small; use at least 1");
        bad("mediawatch.notify.timeout", "0s", "0s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.notify.max-attempts", "0", "0 is too small; use at least 1");
        bad("mediawatch.notify.backoff", "-2s", "-2s is too short; use 0s or more");
        bad("mediawatch.mitigation.lease", "2h", "2h is too long; use 5s to 1h");
        bad("mediawatch.mitigation.lease", "4s", "4s is too short; use 5s to 1h");
        bad("mediawatch.mitigation.renew-every", "0s", "0s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.acceptance.soak", "30s", "30s is too short; use at least 1m");
        bad("mediawatch.acceptance.min-overlap", "-1h", "-1h is too short; use 0s or more");
        bad("mediawatch.acceptance.tunnel-timeout", "0s", "0s is too short; use more than 0s, e.g. 30s");
    }

    @Test
    void aBadExternalUrl_stopsStartupNamingTheKey() {
        assertThatThrownBy(() -> TestConfig.aggregator(Map.of("mediawatch.notify.external-url", "agg.lan:8470")))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("mediawatch.notify.external-url");
        assertThat(TestConfig.aggregator(Map.of("mediawatch.notify.hold.service", "5m")).notifications().hold())
                .containsEntry("service", java.time.Duration.ofMinutes(5));
    }

    @Test
    void everyBadSingleValue_isReportedAtOnce() {
        assertThatThrownBy(() -> TestConfig.aggregator(Map.of("mediawatch.mqtt.port", "0",
                "mediawatch.incidents.retention", "0s", "mediawatch.homeassistant.expire-after", "10s")))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.getProblemCount()).isEqualTo(3))
                .hasMessageContaining("mediawatch.mqtt.port").hasMessageContaining("mediawatch.incidents.retention")
                .hasMessageContaining("mediawatch.homeassistant.expire-after");
    }

    @Test
    void tlsWithTheEmbeddedBroker() {
        assertThat(problems("mediawatch.mqtt.tls", "true")).containsExactly("mediawatch.mqtt.tls is true but "
                + "mediawatch.mqtt.host is not set: the embedded broker speaks plain MQTT on loopback only; set "
                + "mediawatch.mqtt.host to a TLS broker");
        assertThat(problems("mediawatch.mqtt.tls", "true", "mediawatch.mqtt.host", "broker.lan")).isEmpty();
    }

    @Test
    void tunnelInterval_notLongerThanItsTimeout() {
        assertThat(problems("mediawatch.acceptance.tunnel-interval", "10s"))
                .containsExactly("mediawatch.acceptance.tunnel-interval: 10s must be longer than "
                        + "mediawatch.acceptance.tunnel-timeout (10s)");
        assertThat(problems("mediawatch.acceptance.tunnel-interval", "2s", "mediawatch.acceptance.tunnel-timeout", "1s"))
                .isEmpty();
    }

    @Test
    void aRenewalNotShorterThanTheLease() {
        assertThat(problems("mediawatch.mitigation.lease", "30s", "mediawatch.mitigation.renew-every", "30s"))
                .containsExactly("mediawatch.mitigation.renew-every: 30s must be shorter than mediawatch.mitigation.lease "
                        + "(30s), or the limits lapse between renewals");
        assertThat(problems("mediawatch.mitigation.lease", "10s", "mediawatch.mitigation.renew-every", "2s")).isEmpty();
    }

    @Test
    void everyProblemBetweenValues_isReportedAtOnce_whenStartupIsStopped() {
        AggregatorConfig config = TestConfig.aggregator(Map.of("mediawatch.acceptance.tunnel-interval", "5s",
                "mediawatch.mitigation.renew-every", "2m"));
        assertThatThrownBy(() -> new AggregatorConfigCheck().onStart(null, config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mediawatch.acceptance.tunnel-interval: 5s must be longer than "
                        + "mediawatch.acceptance.tunnel-timeout (10s); mediawatch.mitigation.renew-every: 2m must be "
                        + "shorter than mediawatch.mitigation.lease (90s), or the limits lapse between renewals");
    }

    private static List<String> problems(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return AggregatorConfigCheck.problems(TestConfig.aggregator(values));
    }

    private static void bad(String key, String value, String problem) {
        assertThatThrownBy(() -> TestConfig.aggregator(Map.of(key, value))).as("%s=%s", key, value)
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("The config property " + key + " with the config value \"" + value + "\"")
                .hasMessageContaining(problem);
    }
}
