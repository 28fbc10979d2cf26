package dev.mediawatch.aggregator.homeassistant;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.mediawatch.aggregator.drift.DiscoveryConfigs;
import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.AlertState;
import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.Command;
import dev.mediawatch.contract.CommandRequest;
import dev.mediawatch.contract.ContainerIo;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.Contention;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountStatus;
import dev.mediawatch.contract.ServiceProbe;
import dev.mediawatch.contract.ServiceStatus;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.Topics;

/**
 * What Home Assistant should see, as MQTT discovery configs and the state their templates read. Plain Java: the
 * publisher calls {@link #plan} with the latest status and publishes what changed.
 *
 * <p>Devices: one per host ({@code download-stack}, ...) and one for the stack ("media stack", the aggregator).
 * Config topics are {@code <discovery-prefix>/<component>/<node-id>/<object-id>/config} with object ids
 * {@code <host>_<key>} ({@code aggregator_<key>} for the stack; {@code aggregator} is a reserved host id), so the
 * host is the object id up to its first {@code _}. Unique ids are {@code <node-id>_<object-id>}: keyed on host,
 * catalogue service name and mount path, never on a container id, so recreating a container changes nothing. Every
 * entity's {@code default_entity_id} is what Home Assistant would derive from device and entity name, stated so the
 * example dashboard's ids are certain.
 *
 * <p>State: flat JSON objects the aggregator publishes retained under {@code <prefix>/ha/}: {@code <host>} for the
 * host's entities, {@code <host>/service/<service>} per catalogue service, {@code <host>/engine} ({@code online}/
 * {@code offline}, the container entities' extra availability) and {@code aggregator} for the stack. Every value
 * template is {@code {{ value_json.<key> }}}; an unknown value is JSON null, which Home Assistant shows as unknown.
 * Availability: the aggregator's own topic (its last will) and, for host entities, the agent's; {@code all} must be
 * online. docs/homeassistant.md lists every entity.
 */
public final class HaDiscovery {

    /** The object id of the stack's entities starts with this (a reserved host id). */
    public static final String STACK = "aggregator";
    public static final String STACK_NAME = "media stack";
    public static final String MANUFACTURER = "mediawatch";
    public static final String ON = "ON";
    public static final String OFF = "OFF";
    private static final double GIB = 1024.0 * 1024 * 1024;
    /** Plain Jackson: unlike the contract's mapper it writes nulls, which Home Assistant shows as unknown. */
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * @param discoveryPrefix  Home Assistant's discovery prefix
     * @param nodeId           the node id level of every config topic, and the first part of every unique_id
     * @param topics           the mediawatch topics
     * @param version          the aggregator's version (origin, the stack device)
     * @param configurationUrl the status page, every device's {@code configuration_url}; null: none
     * @param expireAfter      {@code expire_after} of periodic entities
     * @param mitigation       mitigation is enabled in the configuration: the stack gets its switch
     */
    public record Settings(String discoveryPrefix, String nodeId, Topics topics, String version, String configurationUrl,
            Duration expireAfter, boolean mitigation) {

        public Settings {
            Objects.requireNonNull(discoveryPrefix, "discoveryPrefix");
            if (!isObjectId(nodeId)) {
                throw new IllegalArgumentException("mediawatch.homeassistant.node-id '" + nodeId
                        + "' must be 1-64 characters of [a-zA-Z0-9_-]");
            }
        }

        String configTopic(String component, String objectId) {
            return discoveryPrefix + "/" + component + "/" + nodeId + "/" + objectId + "/config";
        }

        /** The filter-like head of every config topic this node owns: {@code <prefix>/<component>/<node>/}. */
        boolean owns(String configTopic) {
            if (!configTopic.startsWith(discoveryPrefix + "/") || !configTopic.endsWith("/config")) {
                return false;
            }
            String[] levels = configTopic.substring(discoveryPrefix.length() + 1).split("/", -1);
            return levels.length == 4 && levels[1].equals(nodeId);
        }
    }

    /** What the aggregator knows of the stack beyond the status report. */
    public record Stack(List<AlertState> alerts, Contention contention, boolean mitigationArmed) {
        public Stack {
            alerts = alerts == null ? List.of() : List.copyOf(alerts);
        }
    }

    /** The configs (topic to payload) and states (topic to payload), both in publishing order. */
    public record Plan(Map<String, byte[]> configs, Map<String, byte[]> states, Set<String> hosts) {
    }

    private HaDiscovery() {
    }

    /** True for Home Assistant's object id alphabet, {@code [a-zA-Z0-9_-]}, 1-64 characters. */
    public static boolean isObjectId(String s) {
        return s != null && s.matches("[a-zA-Z0-9_-]{1,64}");
    }

    /** The node id from a topic prefix: every character outside {@code [a-zA-Z0-9_-]} becomes {@code _}. */
    public static String nodeIdOf(String topicPrefix) {
        String s = topicPrefix.replaceAll("[^a-zA-Z0-9_-]", "_");
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    /**
     * A mount path as an object-id key: lower-case letters and digits joined by {@code _} ({@code /mnt/media} is
     * {@code mnt_media}); when that loses information (two paths could meet, e.g. {@code /mnt/my-media} and
     * {@code /mnt/my_media}) a short hash of the path keeps them apart.
     */
    public static String mountKey(String path) {
        String slug = path.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        String plain = "/" + slug.replace('_', '/');
        if (slug.isEmpty() || !plain.equals(path) || slug.length() > 40) {
            String hash = Integer.toHexString(path.hashCode() & 0xfffffff);
            slug = (slug.length() > 32 ? slug.substring(0, 32) : slug) + (slug.isEmpty() ? "" : "_") + hash;
        }
        return slug;
    }

    /** The host a config's object id belongs to ({@link #STACK} for the stack's), or null when it is not ours. */
    public static String hostOf(String objectId) {
        int i = objectId.indexOf('_');
        return i <= 0 ? null : objectId.substring(0, i);
    }

    public static Plan plan(Settings s, ServiceCatalogue catalogue, StatusReport report, Map<HostId, HostRecord> records,
            Stack stack) {
        Map<String, byte[]> configs = new LinkedHashMap<>();
        Map<String, byte[]> states = new LinkedHashMap<>();
        Set<String> hosts = new TreeSet<>();
        for (HostId h : catalogue.hosts()) {
            hosts.add(h.value());
        }
        for (HostStatus h : report.hosts()) {
            hosts.add(h.host().value());
        }
        for (String host : hosts) {
            HostId id = HostId.of(host);
            HostStatus status = report.host(id).orElse(null);
            HostRecord record = records.get(id);
            planHost(s, id, status, record, catalogue.forHost(id), configs, states);
        }
        planStack(s, report, stack, configs, states);
        return new Plan(configs, states, hosts);
    }

    // ---- hosts ----------------------------------------------------------------------------------------------

    private static void planHost(Settings s, HostId host, HostStatus status, HostRecord record,
            List<CatalogueService> services, Map<String, byte[]> configs, Map<String, byte[]> states) {
        String h = host.value();
        String stateTopic = s.topics().homeAssistantState(h);
        String engineTopic = s.topics().homeAssistantState(h + "/engine");
        Map<String, Object> device = device(s, h, h, "mediawatch agent" + (status != null && status.role() != null
                ? " (" + status.role() + ")" : ""), status == null ? null : status.agentVersion());
        List<Map<String, Object>> hostAvailability = List.of(available(s.topics().aggregatorAvailability()),
                available(s.topics().availability(host)));
        List<Map<String, Object>> containerAvailability = List.of(available(s.topics().aggregatorAvailability()),
                available(s.topics().availability(host)), available(engineTopic));

        Map<String, Object> state = new LinkedHashMap<>();
        state.put("running", status == null || status.stateReceivedAt() == null ? null : status.counts().running());
        state.put("total", status == null || status.stateReceivedAt() == null ? null : status.counts().total());
        state.put("unhealthy", status == null || status.stateReceivedAt() == null ? null : status.counts().unhealthy());
        state.put("engine", status == null || status.engine() == null ? null : status.engine().reachable() ? ON : OFF);
        HostIo io = record == null ? null : record.io();
        Double pressure = io == null || io.pressure() == null || io.pressure().io() == null || io.pressure().io().some() == null
                ? null : round1(io.pressure().io().some().avg10());
        state.put("io_pressure", pressure);
        ContainerIo top = topWriter(io);
        state.put("top_writer", io == null ? null : top == null ? "none" : top.service() != null ? top.service() : top.container());
        state.put("top_writer_bytes_per_second", io == null ? null : top == null ? 0L : top.writeBytesPerSec());

        // The connectivity sensor reads the agent's own retained availability (its last will says offline), so it
        // is right even while the aggregator is down; only the aggregator's availability gates it.
        Map<String, Object> connectivity = base(s, device, h, "connectivity", "connectivity",
                List.of(available(s.topics().aggregatorAvailability())));
        connectivity.put("device_class", "connectivity");
        connectivity.put("state_topic", s.topics().availability(host));
        connectivity.put("payload_on", Availability.ONLINE.wire());
        connectivity.put("payload_off", Availability.OFFLINE.wire());
        put(configs, s, "binary_sensor", h, "connectivity", connectivity);

        for (String[] c : new String[][] { { "containers_running", "containers running", "running" },
                { "containers_total", "containers total", "total" },
                { "containers_unhealthy", "containers unhealthy", "unhealthy" } }) {
            Map<String, Object> m = periodic(s, base(s, device, h, c[0], c[1], hostAvailability), stateTopic, c[2]);
            m.put("state_class", "measurement");
            m.put("icon", "mdi:docker");
            put(configs, s, "sensor", h, c[0], m);
        }
        Map<String, Object> engine = periodic(s, base(s, device, h, "engine", "container engine", hostAvailability),
                stateTopic, "engine");
        engine.put("device_class", "connectivity");
        engine.put("entity_category", "diagnostic");
        put(configs, s, "binary_sensor", h, "engine", engine);

        Map<String, Object> psi = periodic(s, base(s, device, h, "io_pressure", "io pressure", hostAvailability),
                stateTopic, "io_pressure");
        psi.put("unit_of_measurement", "%");
        psi.put("state_class", "measurement");
        psi.put("suggested_display_precision", 1);
        psi.put("icon", "mdi:harddisk");
        put(configs, s, "sensor", h, "io_pressure", psi);

        Map<String, Object> writer = periodic(s, base(s, device, h, "top_writer", "top writer", hostAvailability),
                stateTopic, "top_writer");
        writer.put("json_attributes_topic", stateTopic);
        writer.put("json_attributes_template", "{{ {'bytes_per_second': value_json.top_writer_bytes_per_second} | tojson }}");
        writer.put("icon", "mdi:content-save-edit");
        writer.put("entity_category", "diagnostic");
        put(configs, s, "sensor", h, "top_writer", writer);

        Map<String, Object> refresh = base(s, device, h, "refresh", "refresh", List.of(available(s.topics().availability(host))));
        refresh.put("command_topic", s.topics().command(host, Command.REFRESH));
        refresh.put("payload_press", text(CommandRequest.of(Command.REFRESH, null, null)));
        refresh.put("entity_category", "diagnostic");
        put(configs, s, "button", h, "refresh", refresh);

        if (status != null) {
            for (MountStatus m : status.mounts()) {
                String key = "mount_" + mountKey(m.path());
                state.put(key + "_problem", m.health() == MountHealth.OK ? OFF : ON);
                state.put(key + "_health", m.health().wire());
                state.put(key + "_mode", m.mode());
                state.put(key + "_free", m.freeBytes() == null ? null : round1(m.freeBytes() / GIB));

                Map<String, Object> problem = periodic(s, base(s, device, h, key, m.path() + " problem", hostAvailability),
                        stateTopic, key + "_problem");
                problem.put("device_class", "problem");
                problem.put("json_attributes_topic", stateTopic);
                problem.put("json_attributes_template", "{{ {'health': value_json." + key + "_health, 'mode': value_json."
                        + key + "_mode} | tojson }}");
                put(configs, s, "binary_sensor", h, key, problem);

                Map<String, Object> mode = periodic(s, base(s, device, h, key + "_mode", m.path() + " mode", hostAvailability),
                        stateTopic, key + "_mode");
                mode.put("entity_category", "diagnostic");
                mode.put("icon", "mdi:folder-lock");
                put(configs, s, "sensor", h, key + "_mode", mode);

                Map<String, Object> free = periodic(s, base(s, device, h, key + "_free", m.path() + " free", hostAvailability),
                        stateTopic, key + "_free");
                free.put("device_class", "data_size");
                free.put("unit_of_measurement", "GiB");
                free.put("state_class", "measurement");
                free.put("suggested_display_precision", 1);
                put(configs, s, "sensor", h, key + "_free", free);
            }
        }
        states.put(stateTopic, json(state));
        states.put(engineTopic, (status == null || status.engine() == null || !status.engine().reachable()
                ? Availability.OFFLINE.wire() : Availability.ONLINE.wire()).getBytes(StandardCharsets.UTF_8));

        for (CatalogueService svc : services) {
            planService(s, host, device, containerAvailability, svc, status, record, configs, states);
        }
    }

    private static void planService(Settings s, HostId host, Map<String, Object> device,
            List<Map<String, Object>> availability, CatalogueService svc, HostStatus status, HostRecord record,
            Map<String, byte[]> configs, Map<String, byte[]> states) {
        String h = host.value();
        String name = svc.name();
        String key = "svc_" + name.replace('-', '_');
        String topic = s.topics().homeAssistantState(h + "/service/" + name);
        ServiceStatus view = status == null ? null : status.services().stream()
                .filter(v -> v.catalogued() && v.service().equals(name)).findFirst().orElse(null);
        // The container the status joined to the service (by name, compose service or the agent's own join).
        String containerName = view == null ? null : view.container();
        ContainerState container = record == null || record.state() == null ? null : record.state().containers().stream()
                .filter(c -> name.equals(c.service()) || c.name().equals(containerName)).findFirst().orElse(null);
        ServiceProbe probe = record == null || record.state() == null ? null : record.state().probes().stream()
                .filter(p -> name.equals(p.service())).findFirst().orElse(null);
        boolean known = view != null && status.stateReceivedAt() != null;

        Map<String, Object> state = new LinkedHashMap<>();
        state.put("running", known ? ("running".equals(view.state()) ? ON : OFF) : null);
        state.put("problem", known ? (view.problem() == null ? OFF : ON) : null);
        state.put("state", known ? view.state() : null);
        state.put("health", known && view.health() != null ? view.health().wire() : null);
        state.put("expected", svc.expected().name().toLowerCase(Locale.ROOT));
        state.put("detail", known ? view.problem() : null);
        state.put("container", container == null ? null : container.name());
        state.put("restarts", known ? (container == null ? 0 : container.restartCount()) : null);
        state.put("probe_up", probe == null ? null : probe.up());
        state.put("probe_latency", probe == null ? null : probe.latencyMs());
        states.put(topic, json(state));

        Map<String, Object> running = periodic(s, base(s, device, h, key, name + " running", availability), topic, "running");
        running.put("device_class", "running");
        running.put("json_attributes_topic", topic);
        put(configs, s, "binary_sensor", h, key, running);

        Map<String, Object> problem = periodic(s, base(s, device, h, key + "_problem", name + " problem", availability),
                topic, "problem");
        problem.put("device_class", "problem");
        problem.put("json_attributes_topic", topic);
        problem.put("json_attributes_template", "{{ {'detail': value_json.detail, 'state': value_json.state, "
                + "'health': value_json.health} | tojson }}");
        put(configs, s, "binary_sensor", h, key + "_problem", problem);

        Map<String, Object> restarts = periodic(s, base(s, device, h, key + "_restarts", name + " restarts", availability),
                topic, "restarts");
        restarts.put("state_class", "total_increasing");
        restarts.put("entity_category", "diagnostic");
        restarts.put("icon", "mdi:restart");
        put(configs, s, "sensor", h, key + "_restarts", restarts);

        if (svc.probe() != null) {
            Map<String, Object> latency = periodic(s, base(s, device, h, key + "_probe_latency", name + " probe latency",
                    availability), topic, "probe_latency");
            latency.put("device_class", "duration");
            latency.put("unit_of_measurement", "ms");
            latency.put("state_class", "measurement");
            latency.put("entity_category", "diagnostic");
            put(configs, s, "sensor", h, key + "_probe_latency", latency);
        }
    }

    // ---- the stack (aggregator) -----------------------------------------------------------------------------

    private static void planStack(Settings s, StatusReport report, Stack stack, Map<String, byte[]> configs,
            Map<String, byte[]> states) {
        String topic = s.topics().homeAssistantState(STACK);
        Map<String, Object> device = device(s, STACK, STACK_NAME, "mediawatch aggregator", s.version());
        List<Map<String, Object>> availability = List.of(available(s.topics().aggregatorAvailability()));

        AlertState stutter = alert(stack, AlertState.STUTTER);
        AlertState degraded = alert(stack, AlertState.STREAMING_DEGRADED);
        List<Check> gates = report.drift();
        long passing = gates.stream().filter(Check::pass).count();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("stutter", stutter != null && AlertState.RAISED.equals(stutter.state()) ? ON : OFF);
        state.put("streaming_degraded", degraded != null && AlertState.RAISED.equals(degraded.state()) ? ON : OFF);
        state.put("score", stack.contention() == null ? null : stack.contention().score());
        state.put("contention", stack.contention() == null ? null : stack.contention().state());
        state.put("gates", passing + "/" + gates.size());
        state.put("gates_passing", passing);
        state.put("gates_total", gates.size());
        state.put("gates_failing", gates.stream().filter(c -> !c.pass()).map(Check::id).toList());
        state.put("open_alerts", report.alerts().size());
        List<Check> criteria = report.checklist();
        long met = criteria.stream().filter(Check::pass).count();
        state.put("criteria", met + "/" + criteria.size());
        state.put("criteria_met", met);
        state.put("criteria_total", criteria.size());
        state.put("criteria_failing", criteria.stream().filter(c -> !c.pass()).map(Check::id).toList());
        for (ArrImports i : report.imports()) {
            state.put("imports_" + i.app(), i.today());
        }
        state.put("mitigation", s.mitigation() && stack.mitigationArmed() ? ON : OFF);
        states.put(topic, json(state));

        Map<String, Object> st = periodic(s, base(s, device, STACK, "stutter", "streaming stutter during downloads",
                availability), topic, "stutter");
        st.put("device_class", "problem");
        st.put("json_attributes_topic", s.topics().alert(AlertState.STUTTER));
        put(configs, s, "binary_sensor", STACK, "stutter", st);

        Map<String, Object> dg = periodic(s, base(s, device, STACK, "streaming_degraded", "streaming degraded",
                availability), topic, "streaming_degraded");
        dg.put("device_class", "problem");
        dg.put("json_attributes_topic", s.topics().alert(AlertState.STREAMING_DEGRADED));
        put(configs, s, "binary_sensor", STACK, "streaming_degraded", dg);

        Map<String, Object> score = periodic(s, base(s, device, STACK, "contention_score", "contention score", availability),
                topic, "score");
        score.put("state_class", "measurement");
        score.put("icon", "mdi:gauge");
        put(configs, s, "sensor", STACK, "contention_score", score);

        Map<String, Object> gate = periodic(s, base(s, device, STACK, "drift_gates", "drift gates passing", availability),
                topic, "gates");
        gate.put("json_attributes_topic", topic);
        gate.put("json_attributes_template", "{{ {'passing': value_json.gates_passing, 'total': value_json.gates_total, "
                + "'failing': value_json.gates_failing} | tojson }}");
        gate.put("icon", "mdi:check-decagram");
        put(configs, s, "sensor", STACK, "drift_gates", gate);

        Map<String, Object> crit = periodic(s, base(s, device, STACK, "success_criteria", "success criteria met",
                availability), topic, "criteria");
        crit.put("json_attributes_topic", topic);
        crit.put("json_attributes_template", "{{ {'met': value_json.criteria_met, 'total': value_json.criteria_total, "
                + "'failing': value_json.criteria_failing} | tojson }}");
        crit.put("icon", "mdi:clipboard-check");
        put(configs, s, "sensor", STACK, "success_criteria", crit);

        // Today's imports: a count that restarts at local midnight, which total_increasing reads as a new cycle.
        for (ArrImports i : report.imports()) {
            String key = "imports_" + i.app();
            Map<String, Object> imp = periodic(s, base(s, device, STACK, key, i.app() + " imports today", availability),
                    topic, key);
            imp.put("state_class", "total_increasing");
            imp.put("unit_of_measurement", i.unit());
            imp.put("icon", "mdi:download");
            put(configs, s, "sensor", STACK, key, imp);
        }

        Map<String, Object> open = periodic(s, base(s, device, STACK, "open_alerts", "open alerts", availability),
                topic, "open_alerts");
        open.put("state_class", "measurement");
        open.put("icon", "mdi:alert");
        put(configs, s, "sensor", STACK, "open_alerts", open);

        Map<String, Object> refresh = base(s, device, STACK, "refresh", "refresh", availability);
        refresh.put("command_topic", s.topics().aggregatorCommand(Command.REFRESH));
        refresh.put("payload_press", text(CommandRequest.of(Command.REFRESH, null, null)));
        put(configs, s, "button", STACK, "refresh", refresh);

        if (s.mitigation()) {
            Map<String, Object> sw = base(s, device, STACK, "mitigation", "download mitigation", availability);
            sw.put("state_topic", topic);
            sw.put("value_template", template("mitigation"));
            sw.put("command_topic", s.topics().aggregatorCommand(Command.MITIGATION));
            sw.put("payload_on", ON);
            sw.put("payload_off", OFF);
            sw.put("state_on", ON);
            sw.put("state_off", OFF);
            // Retained: the aggregator reads Home Assistant's last choice back when it restarts.
            sw.put("retain", true);
            sw.put("icon", "mdi:speedometer-slow");
            sw.put("entity_category", "config");
            put(configs, s, "switch", STACK, "mitigation", sw);
        }
    }

    // ---- building blocks ------------------------------------------------------------------------------------

    private static Map<String, Object> device(Settings s, String id, String name, String model, String version) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("identifiers", List.of(s.nodeId() + "_" + id));
        d.put("name", name);
        d.put("manufacturer", MANUFACTURER);
        d.put("model", model);
        if (version != null) {
            d.put("sw_version", version);
        }
        if (s.configurationUrl() != null) {
            d.put("configuration_url", s.configurationUrl());
        }
        return d;
    }

    private static Map<String, Object> base(Settings s, Map<String, Object> device, String host, String key, String name,
            List<Map<String, Object>> availability) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("unique_id", s.nodeId() + "_" + host + "_" + key);
        m.put("device", device);
        m.put("availability", availability);
        m.put("availability_mode", "all");
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("name", "mediawatch");
        if (s.version() != null) {
            origin.put("sw_version", s.version());
        }
        m.put("origin", origin);
        m.put("qos", 1);
        return m;
    }

    /** A periodic entity: state topic, value template and {@code expire_after}. */
    private static Map<String, Object> periodic(Settings s, Map<String, Object> m, String stateTopic, String key) {
        m.put("state_topic", stateTopic);
        m.put("value_template", template(key));
        m.put("expire_after", s.expireAfter().toSeconds());
        return m;
    }

    static String template(String key) {
        return "{{ value_json." + key + " }}";
    }

    private static Map<String, Object> available(String topic) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("topic", topic);
        a.put("payload_available", Availability.ONLINE.wire());
        a.put("payload_not_available", Availability.OFFLINE.wire());
        return a;
    }

    private static void put(Map<String, byte[]> configs, Settings s, String component, String host, String key,
            Map<String, Object> config) {
        String objectId = host + "_" + key;
        Map<String, Object> device = castMap(config.get("device"));
        config.put("default_entity_id", component + "." + DiscoveryConfigs.slug(device.get("name") + " " + config.get("name")));
        // default_entity_id after name and unique_id reads better; order is cosmetic.
        configs.put(s.configTopic(component, objectId), json(config));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static AlertState alert(Stack stack, String id) {
        return stack.alerts().stream().filter(a -> id.equals(a.id())).findFirst().orElse(null);
    }

    private static ContainerIo topWriter(HostIo io) {
        if (io == null) {
            return null;
        }
        ContainerIo top = null;
        for (ContainerIo c : io.containers()) {
            if (c.writeBytesPerSec() > 0 && (top == null || c.writeBytesPerSec() > top.writeBytesPerSec())) {
                top = c;
            }
        }
        return top;
    }

    private static Double round1(double v) {
        return Double.isFinite(v) ? Math.round(v * 10) / 10.0 : null;
    }

    private static byte[] json(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Home Assistant payload", e);
        }
    }

    /** A command as one string (a button's {@code payload_press}). */
    private static String text(CommandRequest request) {
        return new String(ContractJson.write(request), StandardCharsets.UTF_8);
    }

}
