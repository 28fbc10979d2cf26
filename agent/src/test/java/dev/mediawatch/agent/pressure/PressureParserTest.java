package dev.mediawatch.agent.pressure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PressureParserTest {

    static String fixture(String name) throws IOException {
        return new String(PressureParserTest.class.getResourceAsStream("/fixtures/proc/" + name).readAllBytes(),
                StandardCharsets.UTF_8);
    }

    @Test
    void realCapture_io() throws IOException {
        PressureParser.Result r = PressureParser.parse(fixture("pressure-io.txt"));
        assertThat(r.some()).isEqualTo(new PressureParser.Line(0.18, 0.13, 0.13, 9250970));
        assertThat(r.full()).isEqualTo(new PressureParser.Line(0.09, 0.05, 0.04, 6836080));
        assertThat(r.skipped()).isZero();
    }

    @Test
    void realCapture_cpuHasAZeroFullLine() throws IOException {
        PressureParser.Result r = PressureParser.parse(fixture("pressure-cpu.txt"));
        assertThat(r.some().avg60()).isEqualTo(7.85);
        assertThat(r.full().totalUs()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "old kernel cpu: no full line | some avg10=1.00 avg60=2.00 avg300=3.00 total=4 | true | false | 0",
            "missing field                | some avg10=1.00 avg60=2.00 total=4              | false | false | 1",
            "not a number                 | some avg10=x avg60=2.00 avg300=3.00 total=4    | false | false | 1",
            "field without value          | some avg10 avg60=2.00 avg300=3.00 total=4      | false | false | 1",
            "unknown line is ignored      | wide avg10=1.00                                 | false | false | 0",
            "unknown field is ignored     | full avg10=1 avg60=2 avg300=3 total=4 avg1=9   | false | true  | 0",
            "total past Long.MAX_VALUE    | some avg10=0 avg60=0 avg300=0 total=18446744073709551615 | true | false | 0",
    })
    void malformedAndUnusualInput_neverThrows(String name, String text, boolean hasSome, boolean hasFull, int skipped) {
        PressureParser.Result r = PressureParser.parse(text);
        assertThat(r.some() != null).isEqualTo(hasSome);
        assertThat(r.full() != null).isEqualTo(hasFull);
        assertThat(r.skipped()).isEqualTo(skipped);
    }
}
