package dev.mediawatch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which signals a window keeps as history, and the history's JSON as the codec writes and reads it. */
class ContentionWindowTest {

    static final Instant T0 = Instant.parse("2026-11-21T21:04:30Z");
    static final HostId DL = HostId.of("download-stack");

    static SignalValue signal(String name, String side, String host, double value, double threshold, boolean crossed) {
        return new SignalValue(name, side, HostId.of(host), value, "ms", threshold, crossed);
    }

    static ContentionWindow window(List<SignalValue> signals) {
        return new ContentionWindow(T0, 50, 100, 0, Contention.DOWNLOADING, false, false, false, signals);
    }

    @Test
    void withTopSignals_crossedFirst_thenByRatio_keptInTheDetectorsOrder() {
        List<SignalValue> all = List.of(
                signal("a", SignalValue.DOWNLOAD, "h1", 9, 10, false), // 0.9
                signal("b", SignalValue.DOWNLOAD, "h2", 11, 10, true), // crossed
                signal("c", SignalValue.DOWNLOAD, "h3", 1, 10, false), // 0.1
                signal("d", SignalValue.DOWNLOAD, "h4", 5, 10, false), // 0.5
                signal("e", SignalValue.DOWNLOAD, "h5", 8, 10, true)); // crossed, though below (hysteresis)
        assertThat(window(all).withTopSignals(3).signals()).extracting(SignalValue::name).containsExactly("a", "b", "e");
        assertThat(window(all).withTopSignals(1).signals()).extracting(SignalValue::name).containsExactly("b");
        assertThat(window(all).withTopSignals(0).signals()).isEmpty();
        ContentionWindow small = window(all.subList(0, 2));
        assertThat(small.withTopSignals(2)).isSameAs(small);
        assertThatThrownBy(() -> small.withTopSignals(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withTopSignals_keepsBothSides_evenWhenOneOutranksTheOther() {
        List<SignalValue> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(signal("nfs-write", SignalValue.DOWNLOAD, "dl-" + i, 100 + i, 10, true));
        }
        all.add(signal("nfs-read-rtt", SignalValue.STREAMING, "st-1", 1, 50, false));
        all.add(signal("io-psi", SignalValue.STREAMING, "st-2", 2, 50, false)); // the better streaming one
        List<SignalValue> kept = window(all).withTopSignals(ContentionWindow.MAX_SIGNALS).signals();
        assertThat(kept).hasSize(ContentionWindow.MAX_SIGNALS);
        assertThat(kept).filteredOn(s -> s.side().equals(SignalValue.STREAMING)).extracting(SignalValue::name)
                .containsExactly("io-psi");
        // The 15 download signals with the highest ratio: dl-15 .. dl-29, in their order.
        assertThat(kept.subList(0, 15)).extracting(s -> s.host().value())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(15, 30).mapToObj(i -> "dl-" + i).toList());
    }

    @Test
    void ratio_oddThresholdsAndValues_rankSensibly() {
        assertThat(ContentionWindow.ratio(signal("x", "download", "h", 5, 0, false))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(ContentionWindow.ratio(signal("x", "download", "h", 0, 0, false))).isZero();
        assertThat(ContentionWindow.ratio(signal("x", "download", "h", Double.NaN, 1, false)))
                .isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(ContentionWindow.ratio(signal("x", "download", "h", 30, 20, false))).isEqualTo(1.5);
    }

    @Test
    void of_takesTheContentionAndTheAlerts() {
        SignalValue s = new SignalValue("nfs-write", SignalValue.DOWNLOAD, DL, 6.291456E7, "B/s", 2.0E7, true);
        Contention c = Contention.of(T0, 62, 81, 43, Contention.DOWNLOADING, true,
                new StutterEvidence(62, List.of(s), List.of("nfs-write"), List.of(), List.of(), List.of()));
        assertThat(ContentionWindow.of(c, true, false)).isEqualTo(new ContentionWindow(T0, 62, 81, 43,
                Contention.DOWNLOADING, true, true, false, List.of(s)));
        assertThat(ContentionWindow.of(Contention.of(T0, 0, 0, 0, Contention.CALM, false, null), false, false).signals())
                .isEmpty();
        assertThatThrownBy(() -> new ContentionWindow(T0, 101, 0, 0, Contention.CALM, false, false, false, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void history_roundTrips_andRejectsAnotherSchema() throws Exception {
        ContentionHistory h = ContentionHistory.of(T0.plusSeconds(11), 5, T0, List.of(window(List.of(
                signal("nfs-read-rtt", SignalValue.STREAMING, "streaming-stack", 84.2, 50, true)))));
        byte[] json = ContractJson.write(h);
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("{\"schema\":\"mediawatch.contention-history\",\"version\":1,\"generatedAt\":");
        assertThat(ContractJson.readContentionHistory(json)).isEqualTo(h);
        assertThatThrownBy(() -> ContractJson.readContentionHistory(ContractJson.write(
                Contention.of(T0, 0, 0, 0, Contention.CALM, false, null))))
                .isInstanceOf(PayloadRejected.class)
                .satisfies(e -> assertThat(((PayloadRejected) e).reason()).isEqualTo(RejectReason.UNKNOWN_SCHEMA));
    }
}
