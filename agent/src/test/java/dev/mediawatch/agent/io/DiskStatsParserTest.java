package dev.mediawatch.agent.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mediawatch.agent.io.DiskStatsParser.Disk;

class DiskStatsParserTest {

    static String fixture(String name) throws IOException {
        return new String(DiskStatsParserTest.class.getResourceAsStream("/fixtures/proc/" + name).readAllBytes(),
                StandardCharsets.UTF_8);
    }

    static Disk named(DiskStatsParser.Result r, String name) {
        return r.disks().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    static Stream<Arguments> captures() {
        return Stream.of(
                // this machine, kernel 6.18: 20 fields (discards and flushes ignored)
                Arguments.of("diskstats-vm-t0.txt", 10, "vda", new Disk(254, 0, "vda", 141809, 12575, 5673058,
                        131639, 160526, 71671, 5969184, 36610, 0, 25684, 174017)),
                Arguments.of("diskstats-vm-t0.txt", 10, "zram0",
                        new Disk(253, 0, "zram0", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                // prometheus/procfs: 14 fields (before 4.18)
                Arguments.of("diskstats-14-fields.txt", 46, "sda", new Disk(8, 0, "sda", 25354637, 34367663,
                        1003346126, 18492372, 28444756, 11134226, 505697032, 63877960, 0, 9653880, 82621804)),
                Arguments.of("diskstats-14-fields.txt", 46, "dm-0", new Disk(252, 0, "dm-0", 59910002, 0,
                        1003337218, 46229572, 39231014, 0, 505696880, 1158557800, 0, 11325968, 1206301256)),
                Arguments.of("diskstats-14-fields.txt", 46, "nvme0n1p2", new Disk(259, 2, "nvme0n1p2", 45914, 4,
                        4631243, 21626, 1036885, 43950, 39451632, 919480, 0, 131580, 940970)),
                // prometheus/procfs: 18 fields (4.18+ discards)
                Arguments.of("diskstats-18-fields.txt", 3, "sdb", new Disk(8, 0, "sdb", 326552, 841, 9657779, 84,
                        41822, 2895, 1972905, 5007, 0, 60730, 67070)),
                Arguments.of("diskstats-18-fields.txt", 3, "sdb1",
                        new Disk(8, 1, "sdb1", 231, 3, 34466, 4, 24, 23, 106, 0, 0, 64, 64)));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("captures")
    void captures_parseEveryLine(String file, int disks, String name, Disk expected) throws IOException {
        DiskStatsParser.Result r = DiskStatsParser.parse(fixture(file));
        assertThat(r.skipped()).isZero();
        assertThat(r.disks()).hasSize(disks);
        assertThat(named(r, name)).isEqualTo(expected);
    }

    @Test
    void captureFromThisMachine_keepsFileOrder() throws IOException {
        DiskStatsParser.Result r = DiskStatsParser.parse(fixture("diskstats-vm-t0.txt"));
        assertThat(r.disks()).extracting(Disk::name).containsExactly("loop0", "loop1", "loop2", "loop3", "loop4",
                "loop5", "loop6", "loop7", "vda", "zram0");
    }

    static Stream<Arguments> unusualInput() {
        return Stream.of(
                Arguments.of("iostats.rst 2.6 example: 7-field partition line of 2.6.0-2.6.24",
                        "   3    0   hda 446216 784926 9550688 4382310 424847 312726 5922052 19310380 0 3376340 23705160\n"
                                + "   3    1   hda1 35486 38030 38030 38030\n",
                        1, 1),
                Arguments.of("truncated line", "   8       0 sdx 1 2 3\n", 0, 1),
                Arguments.of("13 fields", "8 0 sdx 1 2 3 4 5 6 7 8 9 10\n", 0, 1),
                Arguments.of("not a number", "8 16 sdy 1 2 x 4 5 6 7 8 9 10 11\n", 0, 1),
                Arguments.of("negative counter", "8 32 sdz -1 2 3 4 5 6 7 8 9 10 11\n", 0, 1),
                Arguments.of("past 2^64", "259 1 nvme1n1p1 18446744073709551616 0 0 0 0 0 0 0 0 0 0\n", 0, 1),
                Arguments.of("major not a number", "sd 0 sdq 1 2 3 4 5 6 7 8 9 10 11\n", 0, 1),
                Arguments.of("negative minor", "8 -1 sdq 1 2 3 4 5 6 7 8 9 10 11\n", 0, 1),
                Arguments.of("fields a future kernel appends are ignored",
                        "8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\n", 1, 0),
                Arguments.of("tabs and CRLF", "8\t0\tsda\t1 2 3 4 5 6 7 8 9 10 11\r\n", 1, 0),
                Arguments.of("blank lines and empty text", "\n   \n\n", 0, 0),
                Arguments.of("one bad line among good ones",
                        "8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n8 1 sda1 1 2\n8 16 sdb 1 2 3 4 5 6 7 8 9 10 11\n", 2, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusualInput")
    void malformedLines_areSkippedAndCounted_neverThrown(String name, String text, int disks, int skipped) {
        DiskStatsParser.Result r = DiskStatsParser.parse(text);
        assertThat(r.disks()).hasSize(disks);
        assertThat(r.skipped()).isEqualTo(skipped);
    }

    @Test
    void countersAreUnsigned() {
        DiskStatsParser.Result r = DiskStatsParser.parse(
                "259 0 nvme1n1 18446744073709551615 0 9223372036854775808 0 0 0 0 0 0 0 0\n");
        Disk d = r.disks().get(0);
        assertThat(d.reads()).isEqualTo(-1L);
        assertThat(Long.toUnsignedString(d.reads())).isEqualTo("18446744073709551615");
        assertThat(d.sectorsRead()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void iostatsExample_fieldsInDocumentedOrder() {
        Disk hda = DiskStatsParser.parse(
                "   3    0   hda 446216 784926 9550688 4382310 424847 312726 5922052 19310380 0 3376340 23705160")
                .disks().get(0);
        assertThat(hda).isEqualTo(new Disk(3, 0, "hda", 446216, 784926, 9550688, 4382310, 424847, 312726, 5922052,
                19310380, 0, 3376340, 23705160));
    }
}
