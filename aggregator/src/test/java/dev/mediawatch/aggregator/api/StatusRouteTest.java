package dev.mediawatch.aggregator.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusRouteTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL|false",
            "''|false",
            "gzip|true",
            "GZIP|true",
            "gzip, deflate, br|true",
            "br;q=1.0, gzip;q=0.8|true",
            "deflate|false",
            "gzip;q=0|false",
            "gzip; q=0.000|false",
            "gzip;q=0.001|true",
            "*|true",
            "identity|false",
            "x-gzip|false" })
    void acceptsGzip(String header, boolean expected) {
        assertThat(StatusRoute.acceptsGzip(header)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL|false",
            "'\"a-1\"'|true",
            "'W/\"a-1\"'|true",
            "'\"x\", \"a-1\"'|true",
            "*|true",
            "'\"a-2\"'|false",
            "a-1|false" })
    void ifNoneMatch(String header, boolean expected) {
        assertThat(StatusRoute.matches(header, "\"a-1\"")).isEqualTo(expected);
    }
}
