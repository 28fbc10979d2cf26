package dev.mediawatch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** Instants as the contract writes and reads them: ISO-8601 UTC text, as Jackson's Java-time module did. */
class InstantCodecTest {

    record At(Instant at) {
    }

    private static At read(String json) throws Exception {
        return ContractJson.mapper().readValue(json, At.class);
    }

    @Test
    void written_asInstantToStringDoes_toTheNanosecond() {
        for (Instant i : new Instant[] { Instant.parse("2026-12-01T21:03:30Z"), Instant.parse("2026-12-01T21:03:30.123Z"),
                Instant.parse("2026-12-01T21:03:30.000000001Z"), Instant.EPOCH }) {
            assertThat(new String(ContractJson.write(new At(i)))).isEqualTo("{\"at\":\"" + i + "\"}");
        }
    }

    @Test
    void read_fromIsoText_anOffset_orEpochSeconds() throws Exception {
        assertThat(read("{\"at\":\"2026-12-01T21:03:30.123Z\"}").at()).isEqualTo(Instant.parse("2026-12-01T21:03:30.123Z"));
        assertThat(read("{\"at\":\"2026-12-01T22:03:30+01:00\"}").at()).isEqualTo(Instant.parse("2026-12-01T21:03:30Z"));
        assertThat(read("{\"at\":1796159010}").at()).isEqualTo(Instant.ofEpochSecond(1796159010));
        assertThat(read("{\"at\":1796159010.25}").at()).isEqualTo(Instant.ofEpochSecond(1796159010, 250_000_000));
        assertThat(read("{\"at\":-1.5}").at()).isEqualTo(Instant.ofEpochSecond(-2, 500_000_000));
        assertThat(read("{\"at\":\"\"}").at()).isNull();
        assertThat(read("{\"at\":null}").at()).isNull();
    }

    @Test
    void notAnInstant_isRefused() {
        assertThatThrownBy(() -> read("{\"at\":\"yesterday\"}")).isInstanceOf(InvalidFormatException.class)
                .hasMessageContaining("not an ISO-8601 instant");
        assertThatThrownBy(() -> read("{\"at\":[1]}")).isInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> read("{\"at\":true}")).isInstanceOf(MismatchedInputException.class);
    }
}
