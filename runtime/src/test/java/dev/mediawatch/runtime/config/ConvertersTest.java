package dev.mediawatch.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Each converter: what it takes, what it refuses, and that its message says the value and what to use instead. */
class ConvertersTest {

    /** A key's own bounds, declared the way an app declares them. */
    public static final class FiveSecondsToAnHour extends DurationRange {
        public FiveSecondsToAnHour() {
            super(Duration.ofSeconds(5), true, Duration.ofHours(1));
        }
    }

    public static final class AtLeastOneSecond extends DurationRange {
        public AtLeastOneSecond() {
            super(Duration.ofSeconds(1), true, null);
        }
    }

    public static final class AtLeastEight extends IntRange {
        public AtLeastEight() {
            super(8, Integer.MAX_VALUE);
        }
    }

    public static final class OneToNinety extends LongRange {
        public OneToNinety() {
            super(1, 90);
        }
    }

    @Test
    void positiveDuration_takesQuarkusDurations_refusesZeroAndNegative() {
        PositiveDuration c = new PositiveDuration();
        assertThat(c.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.convert(" 100ms ")).isEqualTo(Duration.ofMillis(100));
        assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.convert("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(c.convert("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThat(c.convert("7")).as("plain seconds").isEqualTo(Duration.ofSeconds(7));
        assertThatThrownBy(() -> c.convert("0s")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("0s is too short; use more than 0s, e.g. 30s");
        assertThatThrownBy(() -> c.convert("-5s")).hasMessage("-5s is too short; use more than 0s, e.g. 30s");
        assertThatThrownBy(() -> c.convert("soon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'soon' is not a duration; use e.g. 500ms, 30s, 5m, 1h or 7d");
        assertThatThrownBy(() -> c.convert("1.5")).hasMessageContaining("is not a duration");
    }

    @Test
    void nonNegativeDuration_takesZero_refusesNegative() {
        NonNegativeDuration c = new NonNegativeDuration();
        assertThat(c.convert("0s")).isEqualTo(Duration.ZERO);
        assertThat(c.convert("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> c.convert("-1s")).hasMessage("-1s is too short; use 0s or more");
    }

    @Test
    void durationRange_saysItsBounds_theWayTheyAreWritten() {
        AtLeastOneSecond atLeast = new AtLeastOneSecond();
        assertThat(atLeast.convert("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> atLeast.convert("500ms")).hasMessage("500ms is too short; use at least 1s");
        FiveSecondsToAnHour range = new FiveSecondsToAnHour();
        assertThat(range.convert("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(range.convert("60m")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> range.convert("2s")).hasMessage("2s is too short; use 5s to 1h");
        assertThatThrownBy(() -> range.convert("2h")).hasMessage("2h is too long; use 5s to 1h");
        assertThat(Values.human(Duration.ofMillis(100))).isEqualTo("100ms");
        assertThat(Values.human(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Values.human(Duration.ofMinutes(5))).isEqualTo("5m");
    }

    @Test
    void ints_countsPortsAndTheirOwnBounds() {
        assertThat(new PositiveInt().convert("1")).isEqualTo(1);
        assertThat(new PositiveInt().convert(" 50000 ")).isEqualTo(50_000);
        assertThatThrownBy(() -> new PositiveInt().convert("0")).hasMessage("0 is too small; use at least 1");
        assertThatThrownBy(() -> new PositiveInt().convert("-3")).hasMessage("-3 is too small; use at least 1");
        assertThatThrownBy(() -> new PositiveInt().convert("3000000000"))
                .hasMessage("3000000000 is too large; use at most 2147483647");
        assertThatThrownBy(() -> new PositiveInt().convert("ten")).hasMessage("'ten' is not a whole number");
        assertThatThrownBy(() -> new PositiveInt().convert("1.5")).hasMessage("'1.5' is not a whole number");
        assertThat(new NonNegativeInt().convert("0")).isEqualTo(0);
        assertThatThrownBy(() -> new NonNegativeInt().convert("-1")).hasMessage("-1 is too small; use at least 0");
        assertThat(new Port().convert("1")).isEqualTo(1);
        assertThat(new Port().convert("65535")).isEqualTo(65_535);
        assertThatThrownBy(() -> new Port().convert("0")).hasMessage("0 is out of range; use 1 to 65535");
        assertThatThrownBy(() -> new Port().convert("65536")).hasMessage("65536 is out of range; use 1 to 65535");
        assertThat(new AtLeastEight().convert("8")).isEqualTo(8);
        assertThatThrownBy(() -> new AtLeastEight().convert("7")).hasMessage("7 is too small; use at least 8");
    }

    @Test
    void longs_sizesAndTheirOwnBounds() {
        assertThat(new PositiveLong().convert("16777216")).isEqualTo(16_777_216L);
        assertThat(new PositiveLong().convert("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> new PositiveLong().convert("0")).hasMessage("0 is too small; use at least 1");
        assertThatThrownBy(() -> new PositiveLong().convert("9223372036854775808"))
                .hasMessage("9223372036854775808 is too large; use at most 9223372036854775807");
        assertThat(new OneToNinety().convert("90")).isEqualTo(90L);
        assertThatThrownBy(() -> new OneToNinety().convert("91")).hasMessage("91 is out of range; use 1 to 90");
    }

    @Test
    void ratio_isStrictlyBetweenZeroAndOne() {
        Ratio c = new Ratio();
        assertThat(c.convert("0.5")).isEqualTo(0.5);
        assertThat(c.convert("0.99")).isEqualTo(0.99);
        for (String bad : new String[] { "0", "1", "1.0", "-0.5", "1.5", "NaN", "Infinity" }) {
            assertThatThrownBy(() -> c.convert(bad)).as(bad)
                    .hasMessage(bad + " is not a share between 0 and 1 (both excluded); use e.g. 0.5");
        }
        assertThatThrownBy(() -> c.convert("half"))
                .hasMessage("'half' is not a number; use a share between 0 and 1, e.g. 0.5");
    }

    @Test
    void share_isAboveZeroAndUpToOne() {
        Share c = new Share();
        assertThat(c.convert("0.75")).isEqualTo(0.75);
        assertThat(c.convert("1")).isEqualTo(1.0);
        for (String bad : new String[] { "0", "-0.5", "1.01", "NaN", "Infinity" }) {
            assertThatThrownBy(() -> c.convert(bad)).as(bad)
                    .hasMessage(bad + " is not a share above 0 and up to 1; use e.g. 0.75");
        }
        assertThatThrownBy(() -> c.convert("most"))
                .hasMessage("'most' is not a number; use a share above 0 and up to 1, e.g. 0.75");
    }

    @Test
    void httpUrl_isAnAbsoluteHttpUrlWithAHost() {
        HttpUrl c = new HttpUrl();
        assertThat(c.convert("http://aggregator.lan:8470/status")).isEqualTo("http://aggregator.lan:8470/status");
        assertThat(c.convert(" HTTPS://ha.example.org ")).isEqualTo("HTTPS://ha.example.org");
        for (String bad : new String[] { "ftp://host/x", "/status", "aggregator:8470", "http:///status", "http://bad host/" }) {
            assertThatThrownBy(() -> c.convert(bad)).as(bad)
                    .hasMessage("'" + bad + "' is not an http(s) URL with a host; use e.g. http://host:8080/");
        }
    }

    @Test
    void topicPrefix_isWhatTopicsTake() {
        TopicPrefix c = new TopicPrefix();
        assertThat(c.convert("mediawatch")).isEqualTo("mediawatch");
        assertThat(c.convert("home/media")).isEqualTo("home/media");
        for (String bad : new String[] { "a/+/b", "media#", "/lead", "trail/", "a//b", "$SYS", "two words" }) {
            assertThatThrownBy(() -> c.convert(bad)).as(bad)
                    .hasMessageStartingWith("invalid topic prefix '" + bad + "': use one or more '/'-separated levels");
        }
    }

    @Test
    void regex_compiles() {
        Regex c = new Regex();
        assertThat(c.convert("sd[ab]|nvme0n1")).isEqualTo("sd[ab]|nvme0n1");
        assertThatThrownBy(() -> c.convert("sd[ab")).hasMessageStartingWith("not a regular expression: ")
                .hasMessageContaining("near index");
    }

    @Test
    void blank_isNotSet_forEveryConverter() {
        for (org.eclipse.microprofile.config.spi.Converter<?> c : new org.eclipse.microprofile.config.spi.Converter<?>[] {
                new PositiveDuration(), new NonNegativeDuration(), new AtLeastOneSecond(), new PositiveInt(),
                new NonNegativeInt(), new Port(), new PositiveLong(), new Ratio(), new Share(), new HttpUrl(), new TopicPrefix(),
                new Regex() }) {
            assertThat(c.convert("")).as(c.getClass().getSimpleName()).isNull();
            assertThat(c.convert("  ")).as(c.getClass().getSimpleName()).isNull();
        }
    }
}
