package dev.mediawatch.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The checks that relate two values: the edge each way, the sentence, and that a start stops with every problem. */
class ConfigProblemsTest {

    @Test
    void anIntervalMustBeStrictlyLongerThanItsTimeout() {
        assertThat(new ConfigProblems().longer("a.interval", Duration.ofSeconds(3), "a.timeout", Duration.ofSeconds(3),
                null).list()).containsExactly("a.interval: 3s must be longer than a.timeout (3s)");
        assertThat(new ConfigProblems().longer("a.interval", Duration.ofSeconds(3), "a.timeout",
                Duration.ofMillis(2900), null).list()).isEmpty();
    }

    @Test
    void aRenewalMustBeStrictlyShorterThanItsLeaseAndSaysWhy() {
        assertThat(new ConfigProblems().shorter("renew", Duration.ofSeconds(30), "lease", Duration.ofSeconds(30),
                "or it lapses").list()).containsExactly("renew: 30s must be shorter than lease (30s), or it lapses");
        assertThat(new ConfigProblems().shorter("renew", Duration.ofSeconds(29), "lease", Duration.ofSeconds(30),
                "or it lapses").list()).isEmpty();
    }

    @Test
    void theStartStopsNamingEveryProblemInOrder() {
        ConfigProblems problems = new ConfigProblems()
                .longer("a.interval", Duration.ofSeconds(1), "a.timeout", Duration.ofSeconds(2), null)
                .add("b is wrong");
        assertThatThrownBy(problems::stopIfAny).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a.interval: 1s must be longer than a.timeout (2s); b is wrong");
        assertThatCode(new ConfigProblems()::stopIfAny).doesNotThrowAnyException();
    }
}
