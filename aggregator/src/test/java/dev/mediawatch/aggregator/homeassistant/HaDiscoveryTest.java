package dev.mediawatch.aggregator.homeassistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mediawatch.aggregator.drift.DiscoveryConfigs;
import dev.mediawatch.aggregator.drift.MountLock;
import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.aggregator.status.StackFixture;
import dev.mediawatch.aggregator.status.StatusBuilder;
import dev.mediawatch.aggregator.status.StatusRules;
import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.ContainerIo;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostPressure;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.Pressure;
import dev.mediawatch.contract.PressureLine;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.MutableClock;

/**
 * The discovery plan for the owner's real catalogue (deploy/config/media.services.yaml) and a healthy stack: every
 * config is what Home Assistant requires of its component, ids are unique and stable, every template reads a value
 * its state topic really carries, and the example dashboard names only entities that exist.
 */
class HaDiscoveryTest {

    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern TEMPLATE = Pattern.compile("\\{\\{ value_json\\.([a-z0-9_]+) \\}\\}");
    static final Pattern ATTRIBUTE = Pattern.compile("value_json\\.([a-z0-9_]+)");
    static final HaDiscovery.Settings SETTINGS = new HaDiscovery.Settings("homeassistant", "mediawatch",
            Topics.defaults(), "1.2.3", "http://aggregator.lan:8470/status", Duration.ofSeconds(300), true);

    final MutableClock clock = new MutableClock(T0);
    final HostRegistry registry = new HostRegistry(clock, 16, 50);
    ServiceCatalogue cat;

    @BeforeEach
    void healthyStack() throws Exception {
        cat = StackFixture.catalogue();
        for (HostId h : List.of(StackFixture.DL, StackFixture.ST)) {
            registry.availability(h, Availability.ONLINE);
            registry.state(StackFixture.healthyState(cat, h, T0));
            registry.mounts(StackFixture.healthyMounts(h, T0));
        }
        PressureLine some = new PressureLine(12.34, 8, 3, 1000, null);
        registry.io(HostIo.of(StackFixture.DL, T0, 5, new HostPressure(new Pressure(some, some), null, null), List.of(),
                List.of(new ContainerIo("sabnzbd", "sabnzbd", 0, 80_000_000, "cgroup", null),
                        new ContainerIo("unpackerr", "unpackerr", 0, 20_000_000, "cgroup", null)), List.of("sabnzbd")));
        registry.io(HostIo.of(StackFixture.ST, T0, 5, new HostPressure(new Pressure(some, some), null, null), List.of(),
                List.of(), List.of()));
    }

    HaDiscovery.Plan plan(HaDiscovery.Settings s, ServiceCatalogue catalogue, boolean armed, List<AlertState> alerts) {
        StatusBuilder builder = new StatusBuilder(new StatusRules(Duration.ofSeconds(90), Duration.ofMinutes(5), T0,
                catalogue, Set.of(), List.of(MountLock.parse("download:/mnt/media:rw"), MountLock.parse("streaming:/mnt/media:ro")),
                "mediawatch", "homeassistant"));
        // The owner's download agent asks Radarr, Sonarr and Lidarr: today's imports are in the status.
        Instant midnight = T0.minus(Duration.ofHours(12));
        StatusReport report = builder.build(registry.hosts(), List.of(), clock.instant()).withImports(List.of(
                new ArrImports("radarr", "movies", 12, midnight, T0, T0), new ArrImports("sonarr", "episodes", 30, midnight, T0, T0),
                new ArrImports("lidarr", "tracks", 4, midnight, T0, T0)));
        Map<HostId, HostRecord> records = new HashMap<>();
        registry.hosts().forEach(r -> records.put(r.host(), r));
        return HaDiscovery.plan(s, catalogue, report, records, new HaDiscovery.Stack(alerts,
                dev.mediawatch.contract.Contention.of(T0, 7, 10, 0, "calm", false, null), armed));
    }

    HaDiscovery.Plan plan() {
        return plan(SETTINGS, cat, true, List.of());
    }

    static JsonNode json(byte[] payload) throws Exception {
        return JSON.readTree(payload);
    }

    static String component(String topic) {
        return topic.split("/")[1];
    }

    @Test
    void everyConfig_hasWhatItsComponentRequires_andAvailability() throws Exception {
        HaDiscovery.Plan plan = plan();
        assertThat(plan.configs()).hasSizeGreaterThan(100);
        Set<String> components = new TreeSet<>();
        for (Map.Entry<String, byte[]> e : plan.configs().entrySet()) {
            String topic = e.getKey();
            String[] levels = topic.split("/");
            assertThat(levels).as(topic).hasSize(5);
            assertThat(levels[0]).isEqualTo("homeassistant");
            assertThat(levels[2]).isEqualTo("mediawatch");
            assertThat(levels[3]).as("object id of %s", topic).matches("[a-zA-Z0-9_-]+");
            assertThat(levels[4]).isEqualTo("config");
            String component = levels[1];
            components.add(component);
            JsonNode c = json(e.getValue());
            assertThat(c.path("name").asText()).as(topic).isNotBlank();
            assertThat(c.path("unique_id").asText()).as(topic).startsWith("mediawatch_");
            assertThat(c.path("default_entity_id").asText()).as(topic).startsWith(component + ".").matches("[a-z_]+\\.[a-z0-9_]+");
            assertThat(c.path("device").path("identifiers").isArray()).as(topic).isTrue();
            assertThat(c.path("device").path("name").asText()).isNotBlank();
            assertThat(c.path("device").path("configuration_url").asText()).isEqualTo("http://aggregator.lan:8470/status");
            assertThat(c.path("origin").path("name").asText()).isEqualTo("mediawatch");
            assertThat(c.path("origin").path("sw_version").asText()).isEqualTo("1.2.3");
            assertThat(c.path("availability").isArray() && c.path("availability").size() > 0).as(topic).isTrue();
            for (JsonNode a : c.path("availability")) {
                assertThat(a.path("topic").asText()).as(topic).isNotBlank();
            }
            if (!component.equals("button")) {
                // A host's refresh button goes straight to its agent: only the agent gates it.
                assertThat(c.path("availability").toString()).as("%s is gated on the aggregator being up", topic)
                        .contains("mediawatch/aggregator/availability");
            }
            assertThat(c.path("availability_mode").asText()).isEqualTo("all");
            switch (component) {
                case "sensor", "binary_sensor" -> assertThat(c.path("state_topic").asText()).as(topic).isNotBlank();
                case "button" -> {
                    assertThat(c.path("command_topic").asText()).as(topic).isNotBlank();
                    assertThat(c.path("payload_press").asText()).contains("\"command\":\"refresh\"");
                }
                case "switch" -> {
                    assertThat(c.path("command_topic").asText()).isEqualTo("mediawatch/aggregator/cmd/mitigation");
                    assertThat(c.path("state_topic").asText()).isNotBlank();
                    assertThat(c.path("retain").asBoolean()).isTrue();
                }
                default -> throw new AssertionError("unexpected component " + component);
            }
            if (c.has("entity_category")) {
                assertThat(c.path("entity_category").asText()).isIn("diagnostic", "config");
            }
        }
        assertThat(components).containsExactly("binary_sensor", "button", "sensor", "switch");
    }

    @Test
    void uniqueIds_andEntityIds_areUnique_asGateD110Judges() throws Exception {
        HaDiscovery.Plan plan = plan();
        DiscoveryConfigs audit = new DiscoveryConfigs("homeassistant", 10_000, 64 * 1024);
        Set<String> unique = new HashSet<>();
        for (Map.Entry<String, byte[]> e : plan.configs().entrySet()) {
            audit.accept(e.getKey(), e.getValue());
            assertThat(unique.add(json(e.getValue()).path("unique_id").asText())).as("unique_id of %s", e.getKey()).isTrue();
        }
        assertThat(DiscoveryConfigs.duplicates(audit.all())).isEmpty();
        // The entity id Home Assistant derives is the one stated.
        for (DiscoveryConfigs.Config c : audit.all()) {
            assertThat(c.entityId()).isEqualTo(json(plan.configs().get(c.topic())).path("default_entity_id").asText());
        }
    }

    @Test
    void everyTemplate_readsAValueItsStateTopicCarries() throws Exception {
        HaDiscovery.Plan plan = plan();
        for (Map.Entry<String, byte[]> e : plan.configs().entrySet()) {
            JsonNode c = json(e.getValue());
            String stateTopic = c.path("state_topic").asText(null);
            if (stateTopic == null || stateTopic.equals(Topics.defaults().availability(StackFixture.DL))
                    || stateTopic.equals(Topics.defaults().availability(StackFixture.ST))) {
                continue; // buttons; the connectivity sensors read the agent's own retained availability
            }
            assertThat(plan.states()).as("state of %s", e.getKey()).containsKey(stateTopic);
            JsonNode state = json(plan.states().get(stateTopic));
            Matcher m = TEMPLATE.matcher(c.path("value_template").asText());
            assertThat(m.matches()).as("template of %s", e.getKey()).isTrue();
            JsonNode value = state.get(m.group(1));
            assertThat(value).as("%s in %s for %s", m.group(1), stateTopic, e.getKey()).isNotNull();
            boolean parked = state.has("expected") && !state.path("expected").asText().equals("running");
            if (!(parked && m.group(1).equals("probe_latency"))) { // parked services are not probed
                assertThat(value.isNull()).as("%s known in a healthy stack (%s)", m.group(1), e.getKey()).isFalse();
            }
            String component = component(e.getKey());
            if (component.equals("binary_sensor") || component.equals("switch")) {
                assertThat(value.asText()).as(e.getKey()).isIn("ON", "OFF");
            }
            if (!value.isNull() && (c.has("state_class") || c.has("device_class") && component.equals("sensor"))) {
                assertThat(value.isNumber()).as("%s is numeric for %s", value, e.getKey()).isTrue();
            }
            Matcher attributes = ATTRIBUTE.matcher(c.path("json_attributes_template").asText(""));
            while (attributes.find()) {
                assertThat(state.has(attributes.group(1))).as("attribute %s of %s", attributes.group(1), e.getKey()).isTrue();
            }
            for (JsonNode a : c.path("availability")) {
                String topic = a.path("topic").asText();
                if (topic.startsWith("mediawatch/ha/")) {
                    assertThat(plan.states()).containsKey(topic);
                    assertThat(new String(plan.states().get(topic), StandardCharsets.UTF_8)).isEqualTo("online");
                }
            }
        }
    }

    @Test
    void theValues_sayWhatTheStackIs() throws Exception {
        HaDiscovery.Plan plan = plan();
        JsonNode dl = json(plan.states().get("mediawatch/ha/download-stack"));
        assertThat(dl.path("engine").asText()).isEqualTo("ON");
        assertThat(dl.path("io_pressure").asDouble()).isEqualTo(12.3);
        assertThat(dl.path("top_writer").asText()).isEqualTo("sabnzbd");
        assertThat(dl.path("top_writer_bytes_per_second").asLong()).isEqualTo(80_000_000);
        assertThat(dl.path("mount_mnt_media_problem").asText()).isEqualTo("OFF");
        assertThat(dl.path("mount_mnt_media_mode").asText()).isEqualTo("rw");
        assertThat(dl.path("mount_mnt_media_free").asDouble()).isEqualTo(4096.0);
        assertThat(json(plan.states().get("mediawatch/ha/streaming-stack")).path("mount_mnt_media_mode").asText()).isEqualTo("ro");
        JsonNode sonarr = json(plan.states().get("mediawatch/ha/download-stack/service/sonarr"));
        assertThat(sonarr.path("running").asText()).isEqualTo("ON");
        assertThat(sonarr.path("problem").asText()).isEqualTo("OFF");
        assertThat(sonarr.path("probe_latency").asLong()).isEqualTo(3);
        JsonNode stack = json(plan.states().get("mediawatch/ha/aggregator"));
        assertThat(stack.path("stutter").asText()).isEqualTo("OFF");
        assertThat(stack.path("gates").asText()).matches("\\d+/\\d+");
        assertThat(stack.path("mitigation").asText()).isEqualTo("ON");

        AlertState raised = AlertState.of(AlertState.STUTTER, AlertState.RAISED, AlertSeverity.CRITICAL, "stutter", T0, null,
                "inc-1", null, null);
        JsonNode stuttering = json(plan(SETTINGS, cat, false, List.of(raised)).states().get("mediawatch/ha/aggregator"));
        assertThat(stuttering.path("stutter").asText()).isEqualTo("ON");
        assertThat(stuttering.path("mitigation").asText()).as("switched off").isEqualTo("OFF");
    }

    @Test
    void aServiceThatStops_showsNotRunning_andAProblem() throws Exception {
        HostState s = registry.host(StackFixture.DL).state();
        List<ContainerState> containers = new ArrayList<>(s.containers());
        containers.removeIf(c -> c.name().equals(cat.services().stream().filter(x -> x.name().equals("sonarr"))
                .findFirst().orElseThrow().container()));
        registry.state(StackFixture.state(cat, StackFixture.DL, "download", T0, containers, s.probes(), s.envAudit()));
        JsonNode sonarr = json(plan().states().get("mediawatch/ha/download-stack/service/sonarr"));
        assertThat(sonarr.path("running").asText()).isEqualTo("OFF");
        assertThat(sonarr.path("problem").asText()).isEqualTo("ON");
        assertThat(sonarr.path("detail").asText()).isNotBlank();
    }

    @Test
    void recreatingContainers_changesNoConfig() throws Exception {
        HaDiscovery.Plan before = plan();
        HostState s = registry.host(StackFixture.DL).state();
        List<ContainerState> recreated = s.containers().stream().map(c -> new ContainerState("feedbeef" + c.id().substring(8),
                c.name(), c.image(), c.state(), c.health(), c.exitCode(), c.composeProject(), c.composeService(), T0.plusSeconds(60),
                T0.plusSeconds(60), false, 0, false, c.service(), c.category(), c.expected(), c.ports())).toList();
        registry.state(StackFixture.state(cat, StackFixture.DL, "download", T0, recreated, s.probes(), s.envAudit()));
        HaDiscovery.Plan after = plan();
        assertThat(after.configs().keySet()).isEqualTo(before.configs().keySet());
        after.configs().forEach((topic, payload) -> assertThat(new String(payload, StandardCharsets.UTF_8))
                .as(topic).isEqualTo(new String(before.configs().get(topic), StandardCharsets.UTF_8)));
        for (String topic : after.configs().keySet()) {
            assertThat(topic).doesNotContain("feedbeef");
        }
    }

    @Test
    void aServiceRemovedFromTheCatalogue_isNoLongerPlanned() throws Exception {
        List<CatalogueService> fewer = cat.services().stream().filter(s -> !s.name().equals("lidarr")).toList();
        ServiceCatalogue without = new ServiceCatalogue("test", cat.hosts(), fewer);
        HaDiscovery.Plan plan = plan(SETTINGS, without, true, List.of());
        assertThat(plan.configs().keySet()).noneMatch(t -> t.contains("svc_lidarr"));
        assertThat(plan.states().keySet()).doesNotContain("mediawatch/ha/download-stack/service/lidarr");
        assertThat(plan().configs().keySet()).anyMatch(t -> t.contains("download-stack_svc_lidarr"));
    }

    @Test
    void aHostNeverHeardFrom_getsItsEntities_withUnknownValues() throws Exception {
        HostRegistry empty = new HostRegistry(clock, 16, 50);
        StatusReport report = new StatusBuilder(new StatusRules(Duration.ofSeconds(90), Duration.ofMinutes(5), T0, cat,
                Set.of(), List.of(), "mediawatch", "homeassistant")).build(empty.hosts(), List.of(), T0);
        HaDiscovery.Plan plan = HaDiscovery.plan(SETTINGS, cat, report, Map.of(), new HaDiscovery.Stack(List.of(), null, true));
        JsonNode dl = json(plan.states().get("mediawatch/ha/download-stack"));
        assertThat(dl.has("running")).isTrue();
        assertThat(dl.get("running").isNull()).as("unknown, shown as unknown by Home Assistant").isTrue();
        assertThat(new String(plan.states().get("mediawatch/ha/download-stack/engine"), StandardCharsets.UTF_8)).isEqualTo("offline");
        assertThat(json(plan.states().get("mediawatch/ha/download-stack/service/sonarr")).get("running").isNull()).isTrue();
    }

    @Test
    void theMitigationSwitch_onlyWhenMitigationIsEnabled() {
        HaDiscovery.Settings off = new HaDiscovery.Settings("homeassistant", "mediawatch", Topics.defaults(), "1.2.3", null,
                Duration.ofSeconds(300), false);
        assertThat(plan(off, cat, true, List.of()).configs().keySet()).noneMatch(t -> t.startsWith("homeassistant/switch/"));
        assertThat(plan().configs()).containsKey("homeassistant/switch/mediawatch/aggregator_mitigation/config");
    }

    @Test
    void mountKeys_areObjectIds_andKeepDifferentPathsApart() {
        assertThat(HaDiscovery.mountKey("/mnt/media")).isEqualTo("mnt_media");
        assertThat(HaDiscovery.mountKey("/mnt/my-media")).isNotEqualTo(HaDiscovery.mountKey("/mnt/my_media"));
        for (String p : List.of("/", "/mnt/Media Library", "/srv/ü", "/mnt/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u")) {
            assertThat(HaDiscovery.mountKey(p)).as(p).matches("[a-z0-9_]{1,48}");
        }
        assertThat(HaDiscovery.hostOf("download-stack_svc_sonarr")).isEqualTo("download-stack");
        assertThat(HaDiscovery.nodeIdOf("home/media watch")).isEqualTo("home_media_watch");
        assertThatThrownBy(() -> new HaDiscovery.Settings("homeassistant", "bad node", Topics.defaults(), "1", null,
                Duration.ofSeconds(300), false)).hasMessageContaining("node-id");
    }

    @Test
    void todaysImports_areTotalIncreasingSensors_andTheCriteriaAreCountedAsInTheStatus() throws Exception {
        HaDiscovery.Plan p = plan();
        JsonNode radarr = json(p.configs().get("homeassistant/sensor/mediawatch/aggregator_imports_radarr/config"));
        assertThat(radarr.path("state_class").asText()).isEqualTo("total_increasing");
        assertThat(radarr.path("unit_of_measurement").asText()).isEqualTo("movies");
        assertThat(radarr.path("default_entity_id").asText()).isEqualTo("sensor.media_stack_radarr_imports_today");
        JsonNode state = json(p.states().get(Topics.defaults().homeAssistantState(HaDiscovery.STACK)));
        assertThat(state.path("imports_radarr").asLong()).isEqualTo(12);
        assertThat(state.path("imports_sonarr").asLong()).isEqualTo(30);
        assertThat(state.path("imports_lidarr").asLong()).isEqualTo(4);
        JsonNode criteria = json(p.configs().get("homeassistant/sensor/mediawatch/aggregator_success_criteria/config"));
        assertThat(criteria.path("default_entity_id").asText()).isEqualTo("sensor.media_stack_success_criteria_met");
        assertThat(state.path("criteria").asText()).matches("\\d+/\\d+");
        assertThat(state.path("criteria_total").asInt()).isEqualTo(6);
        assertThat(state.path("criteria_met").asInt() + state.path("criteria_failing").size()).isEqualTo(6);
    }

    @Test
    void theExampleDashboardAndAutomation_nameOnlyEntitiesThatExist() throws Exception {
        Set<String> produced = new TreeSet<>();
        for (byte[] payload : plan().configs().values()) {
            produced.add(json(payload).path("default_entity_id").asText());
        }
        Files.write(Path.of("target/homeassistant-entities.txt"), produced);
        Path dir = Path.of(System.getProperty("mwtest.repo", "..")).resolve("deploy/homeassistant");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(2);
        Pattern entity = Pattern.compile("\\b(sensor|binary_sensor|button|switch)\\.[a-z0-9_]+");
        int seen = 0;
        for (Path f : files) {
            Matcher m = entity.matcher(Files.readString(f));
            while (m.find()) {
                seen++;
                assertThat(produced).as("%s names %s", f.getFileName(), m.group()).contains(m.group());
            }
        }
        assertThat(seen).isGreaterThan(10);
    }
}
