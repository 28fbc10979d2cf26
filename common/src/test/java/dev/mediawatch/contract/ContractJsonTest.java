package dev.mediawatch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContractJsonTest {

    static final HostId HOST = HostId.of("download-stack");
    static final Instant T = Instant.parse("2026-11-21T13:36:02.123Z");

    static HostState sampleState() {
        return HostState.of(HOST, "download", "0.1.0", T,
                new EngineState(true, "20.10.24", "1.41", null, T),
                List.of(new ContainerState("0123456789ab", "sabnzbd", "lscr.io/linuxserver/sabnzbd:latest",
                        ContainerStatus.RUNNING, ContainerHealth.HEALTHY, null, "download", "sabnzbd", T),
                        new ContainerState("ba9876543210", "tdarr", "ghcr.io/haveagitgat/tdarr:latest",
                                ContainerStatus.EXITED, ContainerHealth.NONE, 137, null, null, T)));
    }

    @Test
    void state_roundTrips_andWritesIsoUtcTimestamps_andNoNulls() throws Exception {
        byte[] json = ContractJson.write(sampleState());
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"schema\":\"mediawatch.host-state\",\"version\":1,\"host\":\"download-stack\"");
        assertThat(text).contains("\"timestamp\":\"2026-11-21T13:36:02.123Z\"").doesNotContain("null");
        assertThat(text).doesNotContain("\"running\":").doesNotContain("\"counts\"");
        assertThat(ContractJson.readState(json, HOST)).isEqualTo(sampleState());
    }

    @Test
    void event_roundTrips_withSortedDetail() throws Exception {
        HostEvent event = HostEvent.of(HOST, EventTypes.CONTAINER_DIE, T, "sabnzbd", "running", "exited",
                Map.of("image", "x", "exitCode", "137"));
        byte[] json = ContractJson.write(event);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"detail\":{\"exitCode\":\"137\",\"image\":\"x\"}");
        assertThat(ContractJson.readEvent(json, HOST)).isEqualTo(event);
    }

    @Test
    void state_ignoresFieldsItDoesNotKnow_soOptionalFieldsCanBeAdded() throws Exception {
        String json = new String(ContractJson.write(sampleState()), StandardCharsets.UTF_8)
                .replace("\"role\":", "\"mounts\":[{\"path\":\"/mnt/media\"}],\"role\":");
        assertThat(ContractJson.readState(json.getBytes(StandardCharsets.UTF_8), HOST).role()).isEqualTo("download");
    }

    @Test
    void containerState_unknownEngineStateIsKept_notFatal() throws Exception {
        String json = new String(ContractJson.write(sampleState()), StandardCharsets.UTF_8)
                .replace("\"state\":\"exited\"", "\"state\":\"hibernating\"");
        HostState state = ContractJson.readState(json.getBytes(StandardCharsets.UTF_8), HOST);
        assertThat(state.containers().get(1).state()).isEqualTo(ContainerStatus.UNKNOWN);
    }

    static Stream<Arguments> badStates() {
        String good = new String(ContractJson.write(sampleState()), StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("not json", "{not json", RejectReason.MALFORMED),
                Arguments.of("empty", "", RejectReason.MALFORMED),
                Arguments.of("array", "[1,2]", RejectReason.MALFORMED),
                Arguments.of("trailing garbage", good + "x", RejectReason.MALFORMED),
                Arguments.of("no schema", good.replace("\"schema\":\"mediawatch.host-state\",", ""),
                        RejectReason.UNKNOWN_SCHEMA),
                Arguments.of("other schema", good.replace("mediawatch.host-state", "mediawatch.host-event"),
                        RejectReason.UNKNOWN_SCHEMA),
                Arguments.of("future version", good.replace("\"version\":1", "\"version\":2"),
                        RejectReason.UNSUPPORTED_VERSION),
                Arguments.of("text version", good.replace("\"version\":1", "\"version\":\"1\""),
                        RejectReason.INVALID),
                Arguments.of("other host", good.replace("\"host\":\"download-stack\"", "\"host\":\"streaming-stack\""),
                        RejectReason.HOST_MISMATCH),
                Arguments.of("invalid host", good.replace("\"host\":\"download-stack\"", "\"host\":\"Bad Host\""),
                        RejectReason.INVALID),
                Arguments.of("no timestamp", good.replace("\"timestamp\":\"2026-11-21T13:36:02.123Z\",", ""),
                        RejectReason.INVALID),
                Arguments.of("bad timestamp", good.replace("\"timestamp\":\"2026-11-21T13:36:02.123Z\"",
                        "\"timestamp\":\"yesterday\""), RejectReason.INVALID),
                Arguments.of("too large", "{\"schema\":\"" + "x".repeat(ContractJson.MAX_PAYLOAD_BYTES) + "\"}",
                        RejectReason.TOO_LARGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badStates")
    void readState_rejectsWithAReasonAndAShortMessage(String name, String payload, RejectReason reason) {
        assertThatThrownBy(() -> ContractJson.readState(payload.getBytes(StandardCharsets.UTF_8), HOST))
                .isInstanceOfSatisfying(PayloadRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).hasSizeLessThan(300).doesNotContain("\n");
                });
    }

    @Test
    void readCommand_acceptsEmptyPayload_andRefusesACommandForAnotherTopic() throws Exception {
        assertThat(ContractJson.readCommand(new byte[0], Command.REFRESH).command()).isEqualTo(Command.REFRESH);
        byte[] json = ContractJson.write(CommandRequest.of(Command.REFRESH, "r-1", T));
        assertThat(ContractJson.readCommand(json, Command.REFRESH).requestId()).isEqualTo("r-1");
        String other = new String(json, StandardCharsets.UTF_8).replace("\"command\":\"refresh\"", "\"command\":\"nope\"");
        assertThatThrownBy(() -> ContractJson.readCommand(other.getBytes(StandardCharsets.UTF_8), Command.REFRESH))
                .isInstanceOfSatisfying(PayloadRejected.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.INVALID));
    }

    @Test
    void status_roundTrips_withTotalsSummed() throws Exception {
        HostSummary a = new HostSummary(3, 2, 1, 0, 1, 1, 1, 0, Map.of("download", 2, "management", 1));
        HostSummary b = new HostSummary(2, 2, 0, 1, 0, 0, 0, 1, Map.of("download", 1, "streaming", 3));
        HostStatus h1 = new HostStatus(HOST, "download", HostHealth.UP, T, Availability.ONLINE, T, T, T, "0.1.0",
                "192.168.1.209", null, a, List.of(new ServiceStatus("sabnzbd", "sabnzbd", "download", "running", "running",
                        ContainerHealth.HEALTHY, null)), List.of());
        HostStatus h2 = new HostStatus(HostId.of("streaming-stack"), null, HostHealth.DOWN, T, null, null, null, null,
                null, null, null, b, List.of(), List.of());
        StatusReport report = StatusReport.of(T, List.of(h1, h2), List.of(), List.of(), List.of(), List.of());
        assertThat(report.totals()).isEqualTo(new HostSummary(5, 4, 1, 1, 1, 1, 1, 1,
                Map.of("download", 3, "management", 1, "streaming", 3)));
        assertThat(ContractJson.readStatus(ContractJson.write(report))).isEqualTo(report);
        StatusReport small = report.withoutServices();
        assertThat(small.truncated()).isTrue();
        assertThat(small.hosts()).allSatisfy(h -> assertThat(h.services()).isEmpty());
        assertThat(new String(ContractJson.write(report), StandardCharsets.UTF_8)).doesNotContain("truncated");
    }

    @Test
    void availability_parsesOnlyTheExactWords() {
        assertThat(Availability.parse("online".getBytes(StandardCharsets.UTF_8))).contains(Availability.ONLINE);
        assertThat(Availability.parse("offline\n".getBytes(StandardCharsets.UTF_8))).contains(Availability.OFFLINE);
        assertThat(Availability.parse("ONLINE".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(Availability.parse(new byte[0])).isEmpty();
    }
}
