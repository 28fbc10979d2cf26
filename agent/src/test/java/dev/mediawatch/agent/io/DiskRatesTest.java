package dev.mediawatch.agent.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mediawatch.agent.io.DiskStatsParser.Disk;

class DiskRatesTest {

    private static final double EPS = 1e-9;

    /** A disk with the fields the rates use; merges, in-flight and weighted time are 0. */
    static Disk disk(String name, long reads, long sectorsRead, long readMs, long writes, long sectorsWritten,
            long writeMs, long ioMs) {
        return new Disk(8, 0, name, reads, 0, sectorsRead, readMs, writes, 0, sectorsWritten, writeMs, 0, ioMs, 0);
    }

    @Test
    void realCaptures_16MiBDirectWriteThenRead_1597msApart() throws IOException {
        Disk t0 = DiskStatsParserTest.named(DiskStatsParser.parse(DiskStatsParserTest.fixture("diskstats-vm-t0.txt")),
                "vda");
        Disk t1 = DiskStatsParserTest.named(DiskStatsParser.parse(DiskStatsParserTest.fixture("diskstats-vm-t1.txt")),
                "vda");
        DiskRates r = DiskRates.between(t0, t1, 1.597);
        assertThat(r.device()).isEqualTo("vda");
        // 32800 sectors read (16 MiB of dd plus 16 KiB of other reads), 32768 written (the 16 MiB of dd)
        assertThat(r.readBytesPerSecond()).isCloseTo(16_793_600 / 1.597, within(1e-6));
        assertThat(r.writeBytesPerSecond()).isCloseTo(16_777_216 / 1.597, within(1e-6));
        assertThat(r.readIops()).isCloseTo(35 / 1.597, within(EPS));
        assertThat(r.writeIops()).isCloseTo(32 / 1.597, within(EPS));
        assertThat(r.awaitMs()).isCloseTo((36 + 21) / 67.0, within(EPS));
        assertThat(r.readAwaitMs()).isCloseTo(36 / 35.0, within(EPS));
        assertThat(r.writeAwaitMs()).isCloseTo(21 / 32.0, within(EPS));
        assertThat(r.utilisationPercent()).isCloseTo(36 / 1597.0 * 100, within(EPS));
    }

    static Stream<Arguments> rates() {
        return Stream.of(
                Arguments.of("steady: 100 reads of 8 sectors and 50 writes of 16 in 2 s",
                        disk("sda", 1000, 8000, 500, 2000, 32000, 900, 10_000),
                        disk("sda", 1100, 8800, 700, 2050, 32800, 1000, 11_000), 2.0,
                        new DiskRates("sda", 800 * 512 / 2.0, 800 * 512 / 2.0, 50, 25, 300 / 150.0, 2.0, 2.0, 50)),
                Arguments.of("no I/O: await is 0, not NaN",
                        disk("sda", 7, 70, 7, 7, 70, 7, 7), disk("sda", 7, 70, 7, 7, 70, 7, 7), 1.0,
                        new DiskRates("sda", 0, 0, 0, 0, 0, 0, 0, 0)),
                Arguments.of("64-bit counters wrap past 2^64",
                        disk("sda", -10L, -512L, 0, -1L, -8L, 0, 0), disk("sda", 5, 512, 30, 1, 8, 10, 500), 1.0,
                        new DiskRates("sda", 1024 * 512, 16 * 512, 15, 2, 40 / 17.0, 2.0, 5.0, 50)),
                Arguments.of("32-bit time fields wrap past 2^32 ms (kernel prints them as %u)",
                        disk("sda", 100, 0, 4_294_967_290L, 0, 0, 0, 4_294_967_000L),
                        disk("sda", 110, 80, 14, 0, 0, 0, 704), 1.0,
                        new DiskRates("sda", 80 * 512, 0, 10, 0, 2.0, 2.0, 0, 100)),
                Arguments.of("counters reset (device re-attached): 0, not a spike",
                        disk("sda", 5_000_000, 90_000_000, 4_000_000, 6_000_000, 70_000_000, 5_000_000, 3_000_000),
                        disk("sda", 10, 80, 5, 20, 160, 7, 9), 1.0,
                        new DiskRates("sda", 0, 0, 0, 0, 0, 0, 0, 0)),
                Arguments.of("utilisation above 100 % (timer skew) is clamped",
                        disk("sda", 0, 0, 0, 0, 0, 0, 0), disk("sda", 1, 8, 3000, 0, 0, 0, 3000), 2.0,
                        new DiskRates("sda", 8 * 512 / 2.0, 0, 0.5, 0, 3000, 3000, 0, 100)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rates")
    void between_computesIostatStyleRates(String name, Disk earlier, Disk later, double seconds, DiskRates expected) {
        DiskRates r = DiskRates.between(earlier, later, seconds);
        assertThat(r.device()).isEqualTo(expected.device());
        assertThat(r.readBytesPerSecond()).isCloseTo(expected.readBytesPerSecond(), within(EPS));
        assertThat(r.writeBytesPerSecond()).isCloseTo(expected.writeBytesPerSecond(), within(EPS));
        assertThat(r.readIops()).isCloseTo(expected.readIops(), within(EPS));
        assertThat(r.writeIops()).isCloseTo(expected.writeIops(), within(EPS));
        assertThat(r.awaitMs()).isCloseTo(expected.awaitMs(), within(EPS));
        assertThat(r.readAwaitMs()).isCloseTo(expected.readAwaitMs(), within(EPS));
        assertThat(r.writeAwaitMs()).isCloseTo(expected.writeAwaitMs(), within(EPS));
        assertThat(r.utilisationPercent()).isCloseTo(expected.utilisationPercent(), within(EPS));
    }

    static Stream<Arguments> noRates() {
        Disk sda = disk("sda", 1, 1, 1, 1, 1, 1, 1);
        return Stream.of(
                Arguments.of("different name", sda, disk("sdb", 2, 2, 2, 2, 2, 2, 2), 1.0),
                Arguments.of("same name, different minor", sda,
                        new Disk(8, 16, "sda", 2, 0, 2, 2, 2, 0, 2, 2, 0, 2, 0), 1.0),
                Arguments.of("zero seconds", sda, sda, 0.0),
                Arguments.of("negative seconds", sda, sda, -1.0),
                Arguments.of("NaN seconds", sda, sda, Double.NaN),
                Arguments.of("infinite seconds", sda, sda, Double.POSITIVE_INFINITY),
                Arguments.of("no earlier reading", null, sda, 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noRates")
    void between_isNullWhenTheReadingsCannotBeCompared(String name, Disk earlier, Disk later, double seconds) {
        assertThat(DiskRates.between(earlier, later, seconds)).isNull();
    }

    static Stream<Arguments> deltas() {
        return Stream.of(
                Arguments.of("forward", 10L, 25L, 15L, 15L),
                Arguments.of("unchanged", 7L, 7L, 0L, 0L),
                Arguments.of("past Long.MAX_VALUE (unsigned)", Long.MAX_VALUE, Long.MIN_VALUE, 1L, 1L),
                Arguments.of("past 2^64", -3L, 4L, 7L, 7L),
                Arguments.of("backwards: reset", 1000L, 10L, 0L, 0L),
                Arguments.of("forward by 2^62 is still plausible", 0L, 1L << 62, 1L << 62, 1L << 62),
                Arguments.of("forward by more than 2^62 is not", 0L, (1L << 62) + 1, 0L, 0L),
                Arguments.of("32-bit wrap", 4_294_967_295L, 0L, 0L, 1L),
                Arguments.of("32-bit wrap by 2^30 at most", 4_294_967_296L - (1L << 29), (1L << 29), 0L, 1L << 30),
                Arguments.of("32-bit fall beyond 2^30: reset", 3_000_000_000L, 5L, 0L, 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deltas")
    void counters_deltaAndDelta32(String name, long earlier, long later, long delta, long delta32) {
        assertThat(Counters.delta(earlier, later)).isEqualTo(delta);
        assertThat(Counters.delta32(earlier, later)).isEqualTo(delta32);
    }
}
