package dev.mediawatch.agent.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mediawatch.agent.io.ProcIoParser.ProcIo;

class ProcIoParserTest {

    static Stream<Arguments> captures() {
        return Stream.of(
                // `cat /proc/self/io`: cat's own reads, nothing from storage yet
                Arguments.of("io-self.txt", new ProcIo(6_976, 0, 10, 0, 0, 0, 0)),
                // a shell after waiting for `dd ... bs=64k count=64 conv=fsync`: 4 MiB written, dirtied and synced
                Arguments.of("io-shell-after-dd.txt", new ProcIo(4_205_260, 4_194_304, 82, 64, 0, 4_198_400, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void captures_fromThisMachine(String file, ProcIo expected) throws IOException {
        ProcIoParser.Result r = ProcIoParser.parse(DiskStatsParserTest.fixture(file));
        assertThat(r.io()).isEqualTo(expected);
        assertThat(r.skipped()).isZero();
    }

    static final String COMPLETE = "rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_bytes: 6\n"
            + "cancelled_write_bytes: 7\n";

    static Stream<Arguments> unusualInput() {
        return Stream.of(
                Arguments.of("all seven fields", COMPLETE, new ProcIo(1, 2, 3, 4, 5, 6, 7), 0),
                Arguments.of("any order, unknown keys ignored",
                        "cancelled_write_bytes: 7\nfuture_bytes: 99\nwrite_bytes: 6\nread_bytes: 5\nsyscw: 4\n"
                                + "syscr: 3\nwchar: 2\nrchar: 1\n",
                        new ProcIo(1, 2, 3, 4, 5, 6, 7), 0),
                Arguments.of("unsigned", COMPLETE.replace("rchar: 1", "rchar: 18446744073709551615"),
                        new ProcIo(-1L, 2, 3, 4, 5, 6, 7), 0),
                Arguments.of("a line without a colon is skipped, the rest still read", COMPLETE + "garbage\n",
                        new ProcIo(1, 2, 3, 4, 5, 6, 7), 1),
                Arguments.of("an unknown key with a bad value is still a malformed line",
                        COMPLETE + "future_bytes: lots\n", new ProcIo(1, 2, 3, 4, 5, 6, 7), 1),
                // prometheus/procfs testdata/fixtures.ttar, fixtures/proc/26231/io: the kernel prints %llu, so a
                // negative value is malformed, and without that field there is no record
                Arguments.of("prometheus/procfs sample with cancelled_write_bytes: -1024",
                        "rchar: 750339\nwchar: 818609\nsyscr: 7405\nsyscw: 5245\nread_bytes: 1024\n"
                                + "write_bytes: 2048\ncancelled_write_bytes: -1024\n",
                        null, 1),
                Arguments.of("a missing field: no record, nothing skipped", COMPLETE.replace("syscw: 4\n", ""), null,
                        0),
                Arguments.of("empty text (the process has exited)", "", null, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusualInput")
    void unusualInput_neverThrows(String name, String text, ProcIo expected, int skipped) {
        ProcIoParser.Result r = ProcIoParser.parse(text);
        assertThat(r.io()).isEqualTo(expected);
        assertThat(r.skipped()).isEqualTo(skipped);
    }
}
