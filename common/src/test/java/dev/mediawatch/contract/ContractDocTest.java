package dev.mediawatch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * docs/contract.md and the records in this package must say the same thing: every record component is a
 * row of its section's table and nothing else is, every JSON example is exactly what the codec reads and
 * writes, and every topic, command, event type and reject reason is named.
 */
class ContractDocTest {

    private static String doc;

    @BeforeAll
    static void readDoc() throws IOException {
        Path repo = Path.of(System.getProperty("mwtest.repo", ".."));
        doc = Files.readString(repo.resolve("docs/contract.md"), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(classes = { HostState.class, EngineState.class, ContainerState.class, HostEvent.class,
            CommandRequest.class, StatusReport.class, HostStatus.class, ServiceStatus.class, MountStatus.class, StorageShare.class,
            Alert.class, Check.class, RefreshResult.class, RefreshHost.class, PortBinding.class, EnvAudit.class,
            EnvFile.class, MissingService.class,
            HostSummary.class, ServiceProbe.class, HostMounts.class, MountState.class, NfsOptions.class,
            MountSpace.class, NfsStats.class, NfsOpStats.class, HostIo.class, HostPressure.class, Pressure.class,
            PressureLine.class, DiskIo.class, ContainerIo.class, HostActivity.class, ActivitySource.class, ArrImports.class, ServiceIdentity.class,
            StreamSession.class, BaselineReport.class, SignalBaseline.class, DownloadQueue.class, TorrentTransfer.class, PostProcessor.class, ThrottleState.class,
            DownloadLimits.class, ThrottleRequest.class, Contention.class, StutterEvidence.class, SignalValue.class,
            AlertState.class, Incident.class, IncidentAction.class, IncidentList.class, NotifyTest.class,
            ContentionHistory.class, ContentionWindow.class })
    void everyRecordField_isDocumented_andNothingElse(Class<?> record) {
        List<String> documented = tableFields(record.getSimpleName());
        List<String> components = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
        assertThat(documented).as("fields documented under ### %s", record.getSimpleName())
                .containsExactlyElementsOf(components);
    }

    @Test
    void everyJsonExample_isWhatTheCodecReadsAndWrites() throws Exception {
        Map<String, String> examples = jsonExamples();
        assertThat(examples.keySet()).containsExactlyInAnyOrder(Schema.HOST_STATE.id(), Schema.HOST_EVENT.id(),
                Schema.COMMAND.id(), Schema.STATUS.id(), Schema.HOST_MOUNTS.id(), Schema.HOST_IO.id(),
                Schema.REFRESH.id(), Schema.HOST_ACTIVITY.id(), Schema.THROTTLE.id(), Schema.CONTENTION.id(),
                Schema.ALERT.id(), Schema.INCIDENTS.id(), Schema.BASELINES.id(), Schema.CONTENTION_HISTORY.id());
        for (Map.Entry<String, String> e : examples.entrySet()) {
            byte[] json = e.getValue().getBytes(StandardCharsets.UTF_8);
            JsonNode tree = ContractJson.mapper().readTree(json);
            Object decoded = switch (e.getKey()) {
                case "mediawatch.host-state" -> ContractJson.readState(json, HostId.of(tree.get("host").asText()));
                case "mediawatch.host-event" -> ContractJson.readEvent(json, HostId.of(tree.get("host").asText()));
                case "mediawatch.command" -> ContractJson.readCommand(json, Command.REFRESH);
                case "mediawatch.status" -> ContractJson.readStatus(json);
                case "mediawatch.refresh" -> ContractJson.readRefresh(json);
                case "mediawatch.host-mounts" -> ContractJson.readMounts(json, HostId.of(tree.get("host").asText()));
                case "mediawatch.host-io" -> ContractJson.readIo(json, HostId.of(tree.get("host").asText()));
                case "mediawatch.host-activity" -> ContractJson.readActivity(json, HostId.of(tree.get("host").asText()),
                        ContractJson.MAX_PAYLOAD_BYTES);
                case "mediawatch.throttle" -> ContractJson.readThrottle(json);
                case "mediawatch.contention" -> ContractJson.readContention(json);
                case "mediawatch.alert" -> ContractJson.readAlert(json);
                case "mediawatch.incidents" -> ContractJson.readIncidents(json);
                case "mediawatch.baselines" -> ContractJson.readBaselines(json);
                case "mediawatch.contention-history" -> ContractJson.readContentionHistory(json);
                default -> throw new AssertionError(e.getKey());
            };
            assertThat(new String(ContractJson.write(decoded), StandardCharsets.UTF_8))
                    .as("the %s example, re-encoded", e.getKey()).isEqualTo(e.getValue().strip());
        }
    }

    @Test
    void everyTopic_isDocumented() {
        Topics t = Topics.defaults();
        HostId host = HostId.of("download-stack");
        for (Topics.Kind kind : Topics.Kind.values()) {
            assertThat(doc).contains("`mediawatch/<host>/" + kind.level() + "`");
            assertThat(doc).contains("`" + t.filter(kind) + "`");
        }
        assertThat(doc).contains("`mediawatch/<host>/cmd/<command>`", "`" + t.status() + "`",
                t.command(host, Command.REFRESH), "`mediawatch/<host>/cmd/+`");
        // The aggregator's own topics: the contention sensor, one retained topic per detector alert, its events.
        assertThat(doc).contains("`" + t.contention() + "`", "`" + t.aggregatorEvents() + "`",
                "`mediawatch/alerts/<id>`");
        assertThat(t.alert(AlertState.STUTTER)).isEqualTo("mediawatch/alerts/" + AlertState.STUTTER);
        for (String id : List.of(AlertState.STUTTER, AlertState.STREAMING_DEGRADED)) {
            assertThat(doc).contains("| `" + id + "` |");
        }
        for (Command c : Command.values()) {
            assertThat(doc).contains("| `" + c.wire() + "` |");
        }
        // The aggregator's availability and commands, Home Assistant's state and the reserved host ids.
        assertThat(doc).contains("`" + t.aggregatorAvailability() + "`", "`mediawatch/aggregator/cmd/<command>`",
                "`" + t.aggregatorCommand(Command.MITIGATION) + "`", "`" + t.homeAssistantState("<host>") + "`",
                "`" + t.homeAssistantState("aggregator") + "`", "`" + t.homeAssistantState("<host>/engine") + "`");
        for (String reserved : HostId.RESERVED) {
            assertThat(doc).contains("`" + reserved + "`");
            assertThat(t.parse(t.prefix() + "/" + reserved + "/availability")).as(reserved).isEmpty();
        }
    }

    @Test
    void everyEventType_andRejectReason_isDocumented() throws IllegalAccessException {
        for (Field f : EventTypes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                assertThat(doc).contains("| `" + f.get(null) + "` |");
            }
        }
        for (RejectReason r : RejectReason.values()) {
            assertThat(doc).contains("| `" + r.wire() + "` |");
        }
        for (Availability a : Availability.values()) {
            assertThat(doc).contains("`" + a.wire() + "`");
        }
    }

    @Test
    void everyWireValue_ofTheStutterContract_isDocumented() {
        for (SourceState st : SourceState.values()) {
            assertThat(doc).contains("`" + st.wire() + "`");
        }
        for (String state : List.of(Contention.CALM, Contention.DOWNLOADING, Contention.DEGRADED, Contention.CONTENTION)) {
            assertThat(doc).as("a row of the contention states").contains("| `" + state + "` |");
        }
        for (String reason : List.of(ThrottleState.RELEASED, ThrottleState.LEASE_EXPIRED, ThrottleState.AGENT_RESTART,
                ThrottleState.AGENT_STOP)) {
            assertThat(doc).contains("`" + reason + "`");
        }
        assertThat(doc).contains("`" + ThrottleRequest.APPLY + "`", "`" + ThrottleRequest.RELEASE + "`",
                "`" + StreamSession.DIRECT_PLAY + "`", "`" + StreamSession.DIRECT_STREAM + "`",
                "`" + StreamSession.TRANSCODE + "`", "`" + AlertState.RAISED + "`", "`" + AlertState.CLEARED + "`");
        // The detector's signal names live in the aggregator; the contract is this list, one row per side and name.
        Map<String, List<String>> signals = Map.of(
                SignalValue.DOWNLOAD, List.of("nfs-write", "disk-write", "io-psi", "downloaders"),
                SignalValue.STREAMING, List.of("nfs-read-rtt", "nfs-read-exe", "io-psi", "disk-read-await",
                        "transcode-behind"));
        signals.forEach((side, names) -> names.forEach(
                name -> assertThat(doc).contains("| `" + side + "` | `" + name + "` |")));
    }

    /** Backticked first-column names of the first table after {@code ### name}. */
    private static List<String> tableFields(String name) {
        List<String> lines = doc.lines().toList();
        int i = lines.indexOf("### " + name);
        assertThat(i).as("a section '### %s' in docs/contract.md", name).isNotNegative();
        List<String> fields = new ArrayList<>();
        boolean inTable = false;
        Pattern row = Pattern.compile("^\\| `([A-Za-z][A-Za-z0-9]*)` \\|");
        for (int j = i + 1; j < lines.size(); j++) {
            String line = lines.get(j);
            if (line.startsWith("### ")) {
                break;
            }
            if (line.startsWith("|")) {
                inTable = true;
                Matcher m = row.matcher(line);
                if (m.find()) {
                    fields.add(m.group(1));
                }
            } else if (inTable) {
                break;
            }
        }
        return fields;
    }

    private static Map<String, String> jsonExamples() {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("```json ([a-z.-]+)\\n(.*?)\\n```", Pattern.DOTALL).matcher(doc);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }
}
