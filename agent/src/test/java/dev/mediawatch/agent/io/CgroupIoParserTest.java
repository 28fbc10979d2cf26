package dev.mediawatch.agent.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mediawatch.agent.io.CgroupIoParser.IoTotals;

class CgroupIoParserTest {

    static Stream<Arguments> fixtures() {
        return Stream.of(
                // Documentation/admin-guide/cgroup-v2.rst example, two devices summed
                Arguments.of("io.stat-kernel-doc.txt", new IoTotals(1_459_200 + 90_430_464L,
                        314_773_504 + 299_008_000L, 192 + 8_950, 353 + 1_252), 2, 0),
                // constructed: iolatency / iocost / debug keys ignored, three malformed lines
                Arguments.of("io.stat-extended.txt", new IoTotals(2_306_048 + 4_096, 1_052_672, 97 + 1, 57), 2, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtures_sumOverDevices(String file, IoTotals totals, int devices, int skipped) throws IOException {
        CgroupIoParser.Result r = CgroupIoParser.parse(DiskStatsParserTest.fixture(file));
        assertThat(r.totals()).isEqualTo(totals);
        assertThat(r.devices()).isEqualTo(devices);
        assertThat(r.skipped()).isEqualTo(skipped);
    }

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("empty file: a cgroup that has done no block I/O", "", IoTotals.ZERO, 0, 0),
                Arguments.of("keys in any order, extra keys ignored",
                        "254:0 wios=4 dios=0 rios=3 wbytes=2 dbytes=0 rbytes=1 future=x\n", new IoTotals(1, 2, 3, 4),
                        1, 0),
                Arguments.of("before discard accounting: no dbytes/dios", "8:0 rbytes=1 wbytes=2 rios=3 wios=4\n",
                        new IoTotals(1, 2, 3, 4), 1, 0),
                Arguments.of("unsigned", "8:0 rbytes=18446744073709551615 wbytes=0 rios=0 wios=0\n",
                        new IoTotals(-1L, 0, 0, 0), 1, 0),
                Arguments.of("device key alone", "8:0\n", IoTotals.ZERO, 0, 1),
                Arguments.of("missing wios", "8:0 rbytes=1 wbytes=2 rios=3\n", IoTotals.ZERO, 0, 1),
                Arguments.of("token without '='", "8:0 rbytes=1 wbytes=2 rios=3 wios=4 oops\n", IoTotals.ZERO, 0, 1),
                Arguments.of("negative value", "8:0 rbytes=-1 wbytes=2 rios=3 wios=4\n", IoTotals.ZERO, 0, 1),
                Arguments.of("device key not MAJ:MIN", "sda rbytes=1 wbytes=2 rios=3 wios=4\n", IoTotals.ZERO, 0, 1),
                Arguments.of("device key without minor", "8: rbytes=1 wbytes=2 rios=3 wios=4\n", IoTotals.ZERO, 0, 1),
                Arguments.of("a bad line does not spoil the others",
                        "8:0 rbytes=10 wbytes=20 rios=1 wios=2\n8:16 rbytes=x\n\n8:32 rbytes=5 wbytes=5 rios=1 wios=1\n",
                        new IoTotals(15, 25, 2, 3), 2, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void unusualInput_neverThrows(String name, String text, IoTotals totals, int devices, int skipped) {
        CgroupIoParser.Result r = CgroupIoParser.parse(text);
        assertThat(r.totals()).isEqualTo(totals);
        assertThat(r.devices()).isEqualTo(devices);
        assertThat(r.skipped()).isEqualTo(skipped);
    }

    static Stream<Arguments> rates() {
        return Stream.of(
                Arguments.of("steady", new IoTotals(1_000, 5_000, 1, 1), new IoTotals(11_000, 25_000, 2, 2), 2.0,
                        5_000.0, 10_000.0),
                Arguments.of("idle", new IoTotals(7, 7, 1, 1), new IoTotals(7, 7, 1, 1), 5.0, 0.0, 0.0),
                Arguments.of("wrap past 2^64", new IoTotals(-4_096L, -1L, 0, 0), new IoTotals(4_096, 1, 0, 0), 1.0,
                        8_192.0, 2.0),
                Arguments.of("container re-created: reset, 0 not a spike", new IoTotals(9_000_000, 8_000_000, 0, 0),
                        new IoTotals(4_096, 8_192, 0, 0), 1.0, 0.0, 0.0),
                Arguments.of("a device dropped out of the sum: 0 for that interval",
                        new IoTotals(1_459_200 + 90_430_464L, 314_773_504 + 299_008_000L, 0, 0),
                        new IoTotals(90_430_464, 299_008_000, 0, 0), 10.0, 0.0, 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rates")
    void containerIoRates_between(String name, IoTotals earlier, IoTotals later, double seconds, double readBps,
            double writeBps) {
        ContainerIoRates r = ContainerIoRates.between(earlier, later, seconds);
        assertThat(r.readBytesPerSecond()).isCloseTo(readBps, within(1e-9));
        assertThat(r.writeBytesPerSecond()).isCloseTo(writeBps, within(1e-9));
    }

    static Stream<Arguments> noRates() {
        IoTotals t = new IoTotals(1, 1, 1, 1);
        return Stream.of(Arguments.of(null, t, 1.0), Arguments.of(t, null, 1.0), Arguments.of(t, t, 0.0),
                Arguments.of(t, t, -2.0), Arguments.of(t, t, Double.NaN),
                Arguments.of(t, t, Double.POSITIVE_INFINITY));
    }

    @ParameterizedTest(name = "{0} -> {1} over {2} s")
    @MethodSource("noRates")
    void containerIoRates_nullWhenNotComparable(IoTotals earlier, IoTotals later, double seconds) {
        assertThat(ContainerIoRates.between(earlier, later, seconds)).isNull();
    }
}
