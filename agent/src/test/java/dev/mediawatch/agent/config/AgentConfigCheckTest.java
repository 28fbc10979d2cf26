package dev.mediawatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigValidationException;

/**
 * The agent's configuration is checked where it is declared: each value by its converter in {@link AgentConfig}
 * (SmallRye stops startup naming the key, the value and the problem, every bad value at once), what relates several
 * values by {@link AgentConfigCheck}.
 */
class AgentConfigCheckTest {

    @Test
    void theDefaults_passEveryCheck() {
        AgentConfig config = TestConfig.agent(Map.of());
        assertThat(AgentConfigCheck.problems(config)).isEmpty();
        assertThat(config.role()).isEqualTo("other");
        assertThat(config.address()).isEmpty();
        assertThat(config.activity().stall().minAdvance()).isEqualTo(0.5);
    }

    @Test
    void aBadSingleValue_stopsStartupNamingTheKeyTheValueAndTheProblem() {
        bad("mediawatch.role", "Download Box", "'Download Box' is not a role; use a slug such as download or streaming");
        bad("mediawatch.topic-prefix", "media/+/watch", "invalid topic prefix 'media/+/watch'");
        bad("mediawatch.address", "my host", "'my host' is not an address; use an IP address or a host name, without spaces");
        bad("mediawatch.publish.interval", "500ms", "500ms is too short; use at least 1s");
        bad("mediawatch.activity.interval", "500ms", "500ms is too short; use at least 1s");
        bad("mediawatch.activity.timeout", "50ms", "50ms is too short; use at least 100ms");
        bad("mediawatch.activity.stall.span", "8s", "8s is too short; use at least 10s");
        bad("mediawatch.activity.stall.min-advance", "1.5",
                "1.5 is not a share between 0 and 1 (both excluded); use e.g. 0.5");
        bad("mediawatch.mounts.timeout", "50ms", "50ms is too short; use at least 100ms");
        bad("mediawatch.io.disks", "sd[ab", "not a regular expression: Unclosed character class near index 4");
        bad("mediawatch.compose.audit-interval", "0s", "0s is too short; use at least 1s");
        bad("mediawatch.mqtt.port", "0", "0 is out of range; use 1 to 65535");
        bad("mediawatch.docker.timeout", "0s", "0s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.probes.interval", "-30s", "-30s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.probes.timeout", "0", "0 is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.restart-loop.restarts", "0", "0 is too small; use at least 1");
        bad("mediawatch.restart-loop.window", "0s", "0s is too short; use more than 0s, e.g. 30s");
        bad("mediawatch.events.buffer-size", "0", "0 is too small; use at least 1");
    }

    @Test
    void everyBadSingleValue_isReportedAtOnce() {
        assertThatThrownBy(() -> TestConfig.agent(Map.of("mediawatch.role", "?", "mediawatch.activity.timeout", "1ms",
                "mediawatch.mqtt.port", "70000")))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.getProblemCount()).isEqualTo(3))
                .hasMessageContaining("mediawatch.role").hasMessageContaining("mediawatch.activity.timeout")
                .hasMessageContaining("mediawatch.mqtt.port");
    }

    @Test
    void aBlankAddress_isNotSet_soItIsLookedUp() {
        assertThat(TestConfig.agent(Map.of("mediawatch.address", " ")).address()).isEmpty();
        assertThat(TestConfig.agent(Map.of("mediawatch.address", " nas.lan ")).address()).contains("nas.lan");
    }

    @Test
    void activityInterval_notLongerThanItsTimeout() {
        assertThat(problems("mediawatch.activity.interval", "3s", "mediawatch.activity.timeout", "3s"))
                .containsExactly("mediawatch.activity.interval: 3s must be longer than mediawatch.activity.timeout (3s)");
        assertThat(problems("mediawatch.activity.interval", "3s", "mediawatch.activity.timeout", "2900ms")).isEmpty();
    }

    @Test
    void stallSpan_shorterThanTwoPolls() {
        // 20 s is fine at a 5 s interval, not at 15 s: a span must see at least two polls.
        assertThat(problems("mediawatch.activity.interval", "15s", "mediawatch.activity.stall.span", "20s",
                "mediawatch.activity.stall.silent-after", "30s", "mediawatch.activity.imports.interval", "5m"))
                .containsExactly("mediawatch.activity.stall.span: 20s is too short; use at least 30s (twice "
                        + "mediawatch.activity.interval, 15s)");
        // At a 1 s interval two polls are 2 s: the 10 s floor of the span's own converter holds.
        assertThat(problems("mediawatch.activity.interval", "1s", "mediawatch.activity.timeout", "500ms",
                "mediawatch.activity.stall.span", "10s")).isEmpty();
    }

    @Test
    void stallSilentAfter_notLongerThanTheInterval() {
        assertThat(problems("mediawatch.activity.stall.silent-after", "5s"))
                .containsExactly("mediawatch.activity.stall.silent-after: 5s must be longer than "
                        + "mediawatch.activity.interval (5s)");
        AgentConfig config = TestConfig.agent(Map.of("mediawatch.activity.stall.silent-after", "5500ms"));
        assertThat(AgentConfigCheck.problems(config)).isEmpty();
        assertThat(config.activity().stall().silentAfter()).isEqualTo(Duration.ofMillis(5500));
    }

    @Test
    void anImportsIntervalShorterThanTheActivityInterval() {
        assertThat(problems("mediawatch.activity.imports.interval", "2s"))
                .containsExactly("mediawatch.activity.imports.interval: 2s is shorter than mediawatch.activity.interval "
                        + "(5s); use at least that");
        assertThat(problems("mediawatch.activity.imports.interval", "5s")).isEmpty();
    }

    @Test
    void mountsInterval_notLongerThanItsTimeout() {
        assertThat(problems("mediawatch.mounts.interval", "2s"))
                .containsExactly("mediawatch.mounts.interval: 2s must be longer than mediawatch.mounts.timeout (2s)");
        assertThat(problems("mediawatch.mounts.interval", "1s", "mediawatch.mounts.timeout", "500ms")).isEmpty();
    }

    @Test
    void everyProblemBetweenValues_isReportedAtOnce_whenStartupIsStopped() {
        AgentConfig config = TestConfig.agent(Map.of("mediawatch.activity.imports.interval", "2s",
                "mediawatch.mounts.interval", "2s"));
        assertThatThrownBy(() -> new AgentConfigCheck().onStart(null, config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mediawatch.activity.imports.interval: 2s is shorter than mediawatch.activity.interval (5s); "
                        + "use at least that; mediawatch.mounts.interval: 2s must be longer than mediawatch.mounts.timeout "
                        + "(2s)");
    }

    private static java.util.List<String> problems(String... keyValues) {
        Map<String, String> values = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return AgentConfigCheck.problems(TestConfig.agent(values));
    }

    private static void bad(String key, String value, String problem) {
        assertThatThrownBy(() -> TestConfig.agent(Map.of(key, value))).as("%s=%s", key, value)
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("The config property " + key + " with the config value \"" + value + "\"")
                .hasMessageContaining(problem);
    }
}
