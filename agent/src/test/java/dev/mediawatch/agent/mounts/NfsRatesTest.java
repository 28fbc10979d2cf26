package dev.mediawatch.agent.mounts;

import static dev.mediawatch.agent.mounts.MountStatsParserTest.at;
import static dev.mediawatch.agent.mounts.MountStatsParserTest.parse;
import static dev.mediawatch.agent.mounts.MountStatsParserTest.u;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.stream.Stream;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mediawatch.agent.mounts.MountStatsParser.NfsMount;
import dev.mediawatch.agent.mounts.NfsRates.OpRate;

class NfsRatesTest {

    static final Offset<Double> EPS = within(1e-9);

    @ParameterizedTest(name = "{0}: {1} -> {2} = {3}")
    @CsvSource({
            "plain increase,            0,                    10,                  10",
            "no change,                 7,                    7,                   0",
            "wrap past 2^64-1,          18446744073709551615, 99,                  100",
            "wrap of a bytes counter,   18446744073709551000, 1048000,             1048616",
            "reset to a smaller value,  5000,                 10,                  0",
            "one less,                  1,                    0,                   0",
            "exactly 2^62 is kept,      0,                    4611686018427387904, 4611686018427387904",
            "above 2^62 is a reset,     0,                    4611686018427387905, 0",
            "above 2^63 (signed < 0),   0,                    9223372036854775808, 0",
    })
    void delta_wrapsModulo2To64_butAResetGivesZero(String name, String earlier, String later, String want) {
        assertThat(NfsRates.delta(u(earlier), u(later))).isEqualTo(u(want));
    }

    /** Two real samples of one NFSv3/UDP mount, 2252 s apart (LKML, 31 Mar 2006). */
    @Test
    void realSamples_udpMount_bytesAndBacklog() throws IOException {
        NfsMount a = at(parse("mountstats-nfs3-udp-statvers1.0-a.txt"), "/u/joe");
        NfsMount b = at(parse("mountstats-nfs3-udp-statvers1.0-b.txt"), "/u/joe");
        double seconds = b.ageSeconds() - a.ageSeconds();
        assertThat(seconds).isEqualTo(2252);

        NfsRates r = NfsRates.between(a, b, seconds);

        assertThat(r.readBytesPerSecond()).isCloseTo((114028223 - 37748) / 2252.0, EPS); // ~50617 B/s
        assertThat(r.writeBytesPerSecond()).isCloseTo((19862777 - 15340) / 2252.0, EPS);
        assertThat(r.backlog()).isCloseTo(176 / 486.0, EPS); // bklog_u 0 -> 176 over sends 74 -> 560
        // the earlier paste has no per-op lines, so no op is in both samples
        assertThat(r.ops()).isEmpty();
        assertThat(r.read()).isNull();
        assertThat(r.write()).isNull();
        assertThat(r.retransmissionsPerSecond()).isZero();
    }

    @Test
    void sameSampleTwice_allZero() throws IOException {
        NfsMount m = at(parse("mountstats-nfs4.2-and-nfs3-tcp.txt"), "/mnt/nfs1/docs");
        NfsRates r = NfsRates.between(m, m, 10);
        assertThat(r.ops()).hasSize(69);
        assertThat(r.read()).isEqualTo(new OpRate(0, 0, 0, 0, 0, 0));
        assertThat(r.readBytesPerSecond()).isZero();
        assertThat(r.backlog()).isZero();
    }

    /** Constructed samples 10 s apart: READ wraps past 2^64, WRITE is reset, ACCESS keeps a near-2^64 queue. */
    static Stream<Arguments> wrapOps() {
        return Stream.of(
                // op,       ops/s, avg RTT, avg exe, retrans/s, timeouts/s, errors/s
                Arguments.of("READ", 10.0, 20.0, 30.0, 0.5, 0.0, 0.0),
                Arguments.of("WRITE", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
                Arguments.of("ACCESS", 100.0, 0.5, 1.0, 0.0, 0.1, 0.0),
                Arguments.of("GETATTR", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrapOps")
    void wrappedAndResetCounters_perOp(String op, double opsPerSecond, double avgRttMs, double avgExecuteMs,
            double retransPerSecond, double timeoutsPerSecond, double errorsPerSecond) throws IOException {
        OpRate r = wrapRates().ops().get(op);
        assertThat(r.opsPerSecond()).isCloseTo(opsPerSecond, EPS);
        assertThat(r.avgRttMs()).isCloseTo(avgRttMs, EPS);
        assertThat(r.avgExecuteMs()).isCloseTo(avgExecuteMs, EPS);
        assertThat(r.retransmissionsPerSecond()).isCloseTo(retransPerSecond, EPS);
        assertThat(r.timeoutsPerSecond()).isCloseTo(timeoutsPerSecond, EPS);
        assertThat(r.errorsPerSecond()).isCloseTo(errorsPerSecond, EPS);
    }

    @Test
    void wrappedAndResetCounters_mountTotals() throws IOException {
        NfsRates r = wrapRates();
        assertThat(r.ops().keySet()).containsExactly("READ", "WRITE", "ACCESS", "GETATTR");
        assertThat(r.readBytesPerSecond()).isCloseTo(104861.6, EPS); // 2^64-616 -> 1048000
        assertThat(r.writeBytesPerSecond()).isZero(); // 5000000 -> 4000000: reset
        assertThat(r.backlog()).isCloseTo(2.5, EPS); // bklog_u +500 over sends 2^64-101 -> 99 (+200)
        assertThat(r.retransmissionsPerSecond()).isCloseTo(0.5, EPS);
        assertThat(r.timeoutsPerSecond()).isCloseTo(0.1, EPS);
        assertThat(r.read()).isSameAs(r.ops().get("READ"));
        assertThat(r.write()).isSameAs(r.ops().get("WRITE"));
    }

    static NfsRates wrapRates() throws IOException {
        return NfsRates.between(at(parse("mountstats-wrap-constructed-earlier.txt"), "/target"),
                at(parse("mountstats-wrap-constructed-later.txt"), "/target"), 10);
    }

    static Stream<Arguments> notComparable() throws IOException {
        NfsMount a = at(parse("mountstats-nfs3-udp-statvers1.0-a.txt"), "/u/joe");
        NfsMount b = at(parse("mountstats-nfs3-udp-statvers1.0-b.txt"), "/u/joe");
        MountStatsParser.Result two = parse("mountstats-nfs4.2-and-nfs3-tcp.txt");
        NfsMount docs = at(two, "/mnt/nfs1/docs");
        NfsMount home = at(two, "/mailhome6");
        NfsMount sameDeviceElsewhere = new NfsMount(docs.device(), "/elsewhere", docs.fsType(),
                docs.statVersion(), docs.options(), docs.ageSeconds(), docs.bytes(), docs.transport(), docs.ops(),
                docs.events());
        NfsMount otherDeviceSamePoint = new NfsMount("other:/export", docs.mountPoint(), docs.fsType(),
                docs.statVersion(), docs.options(), docs.ageSeconds(), docs.bytes(), docs.transport(), docs.ops(),
                docs.events());
        return Stream.of(
                Arguments.of("different mounts", docs, home, 10.0),
                Arguments.of("same device, other mount point", docs, sameDeviceElsewhere, 10.0),
                Arguments.of("same mount point, other device", docs, otherDeviceSamePoint, 10.0),
                Arguments.of("later is younger: remounted", b, a, 2252.0),
                Arguments.of("zero seconds", a, b, 0.0),
                Arguments.of("negative seconds", a, b, -1.0),
                Arguments.of("NaN seconds", a, b, Double.NaN),
                Arguments.of("infinite seconds", a, b, Double.POSITIVE_INFINITY),
                Arguments.of("no earlier sample", null, b, 10.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notComparable")
    void notComparable_isNull(String name, NfsMount earlier, NfsMount later, double seconds) {
        assertThat(NfsRates.between(earlier, later, seconds)).isNull();
    }
}
