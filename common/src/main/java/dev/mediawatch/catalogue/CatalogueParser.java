package dev.mediawatch.catalogue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Text;

/**
 * Reads {@code media.services.yaml}. Strict: an unknown key, a duplicate key, a service twice on one host, a
 * host that is not declared, two services publishing one port on one host, or a value out of range is an
 * error naming the file, the line and the problem. Works on SnakeYAML's node tree (not on maps), so every
 * value still knows its line.
 *
 * <pre>
 * version: 1
 * hosts: [download-stack, streaming-stack]
 * services:
 *   - name: sonarr
 *     host: download-stack
 *     category: management
 *     expected: running            # running | parked | stopped; default running
 *     container: sonarr            # default: the name; or compose-service: sonarr
 *     ports: [8989]
 *     probe: { path: /ping, expect: 200 }   # or: probe: none; port defaults to the first of ports
 * </pre>
 */
public final class CatalogueParser {

    /** A catalogue is a hand-written file of a few hundred lines; anything near this is a mistake. */
    static final int MAX_BYTES = 1024 * 1024;

    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern CONTAINER = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    private static final Set<String> TOP_KEYS = Set.of("version", "hosts", "services");
    private static final Set<String> SERVICE_KEYS = Set.of("name", "host", "category", "expected", "container",
            "compose-service", "ports", "probe");
    private static final Set<String> PROBE_KEYS = Set.of("path", "port", "expect");

    private final String file;

    private CatalogueParser(String file) {
        this.file = file;
    }

    public static ServiceCatalogue load(Path path) throws CatalogueException {
        String name = path.toString();
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new CatalogueException(name, 1, "larger than " + MAX_BYTES + " bytes");
            }
            return parse(Files.readString(path, StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new CatalogueException(name, 0, "cannot read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + Text.printable(e.getMessage(), 160)));
        }
    }

    public static ServiceCatalogue parse(String text, String file) throws CatalogueException {
        return new CatalogueParser(file).read(text);
    }

    private ServiceCatalogue read(String text) throws CatalogueException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(MAX_BYTES);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(
                    new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), options)
                    .compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new CatalogueException(file, line, "not valid YAML: " + Text.printable(e.getProblem(), 160));
        } catch (YAMLException e) {
            throw new CatalogueException(file, 0, "not valid YAML: " + Text.printable(String.valueOf(e.getMessage()), 160));
        }
        if (root == null) {
            throw new CatalogueException(file, 1, "empty file; expected version, hosts and services");
        }
        Map<String, Node> top = mapping(root, "the file", TOP_KEYS);
        int version = integer(required(top, "version", root), "version");
        if (version != 1) {
            throw error(top.get("version"), "version " + version + " is not supported; this build reads version 1");
        }
        List<HostId> hosts = new ArrayList<>();
        for (Node h : sequence(required(top, "hosts", root), "hosts")) {
            String value = scalar(h, "a host");
            if (!HostId.isValid(value)) {
                throw error(h, "'" + Text.printable(value, 60) + "' is not a host id (lower-case letters, digits, inner hyphens)");
            }
            if (hosts.contains(HostId.of(value))) {
                throw error(h, "host '" + value + "' listed twice");
            }
            hosts.add(HostId.of(value));
        }
        List<CatalogueService> services = new ArrayList<>();
        Map<String, CatalogueService> byHostAndName = new HashMap<>();
        Map<String, CatalogueService> byHostAndPort = new HashMap<>();
        Map<String, CatalogueService> byHostAndContainer = new HashMap<>();
        for (Node s : sequence(required(top, "services", root), "services")) {
            CatalogueService service = service(s, hosts);
            CatalogueService twice = byHostAndName.putIfAbsent(service.host() + "/" + service.name(), service);
            if (twice != null) {
                throw error(s, "service '" + service.name() + "' is on " + service.host() + " twice (first at line "
                        + twice.line() + ")");
            }
            String runs = service.composeService() != null ? "compose:" + service.composeService() : service.container();
            CatalogueService sameContainer = byHostAndContainer.putIfAbsent(service.host() + "/" + runs, service);
            if (sameContainer != null) {
                throw error(s, "service '" + service.name() + "' and '" + sameContainer.name() + "' (line "
                        + sameContainer.line() + ") name the same container on " + service.host());
            }
            for (int port : service.ports()) {
                CatalogueService clash = byHostAndPort.putIfAbsent(service.host() + "/" + port, service);
                if (clash != null) {
                    throw error(s, "port clash on " + service.host() + ": '" + service.name() + "' publishes port " + port
                            + ", already published by '" + clash.name() + "' (line " + clash.line() + ")");
                }
            }
            services.add(service);
        }
        return new ServiceCatalogue(file, hosts, services);
    }

    private CatalogueService service(Node node, List<HostId> hosts) throws CatalogueException {
        Map<String, Node> m = mapping(node, "a service", SERVICE_KEYS);
        int line = node.getStartMark().getLine() + 1;
        String name = slug(required(m, "name", node), "name");
        Node hostNode = required(m, "host", node);
        String hostText = scalar(hostNode, "host");
        if (!HostId.isValid(hostText) || !hosts.contains(HostId.of(hostText))) {
            throw error(hostNode, "service '" + name + "': host '" + Text.printable(hostText, 60)
                    + "' is not one of the hosts " + hosts);
        }
        String category = slug(required(m, "category", node), "category");
        ExpectedState expected = ExpectedState.RUNNING;
        if (m.containsKey("expected")) {
            String e = scalar(m.get("expected"), "expected");
            expected = ExpectedState.fromWire(e);
            if (expected == null) {
                throw error(m.get("expected"), "service '" + name + "': expected must be running, parked or stopped, not '"
                        + Text.printable(e, 40) + "'");
            }
        }
        String container = name;
        if (m.containsKey("container")) {
            container = scalar(m.get("container"), "container");
            if (!CONTAINER.matcher(container).matches()) {
                throw error(m.get("container"), "service '" + name + "': '" + Text.printable(container, 60)
                        + "' is not a container name");
            }
        }
        String composeService = null;
        if (m.containsKey("compose-service")) {
            if (m.containsKey("container")) {
                throw error(m.get("compose-service"), "service '" + name + "': give container or compose-service, not both");
            }
            composeService = scalar(m.get("compose-service"), "compose-service");
            if (!CONTAINER.matcher(composeService).matches()) {
                throw error(m.get("compose-service"), "service '" + name + "': '" + Text.printable(composeService, 60)
                        + "' is not a compose service name");
            }
        }
        List<Integer> ports = new ArrayList<>();
        if (m.containsKey("ports")) {
            for (Node p : sequence(m.get("ports"), "ports")) {
                int port = port(p);
                if (ports.contains(port)) {
                    throw error(p, "service '" + name + "': port " + port + " listed twice");
                }
                ports.add(port);
            }
        }
        HealthProbe probe = null;
        if (m.containsKey("probe")) {
            probe = probe(m.get("probe"), name, ports);
        }
        return new CatalogueService(name, HostId.of(hostText), category, expected, container, composeService, ports,
                probe, line);
    }

    private HealthProbe probe(Node node, String service, List<Integer> ports) throws CatalogueException {
        if (node instanceof ScalarNode s && "none".equals(s.getValue())) {
            return null;
        }
        Map<String, Node> m = mapping(node, "a probe (or 'none')", PROBE_KEYS);
        Node pathNode = required(m, "path", node);
        String path = scalar(pathNode, "path");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw error(pathNode, "service '" + service + "': probe path must start with '/' and have no spaces");
        }
        int port;
        if (m.containsKey("port")) {
            port = port(m.get("port"));
        } else if (!ports.isEmpty()) {
            port = ports.get(0);
        } else {
            throw error(node, "service '" + service + "': the probe needs a port (the service publishes none)");
        }
        int expect = 200;
        if (m.containsKey("expect")) {
            expect = integer(m.get("expect"), "expect");
            if (expect < 100 || expect > 599) {
                throw error(m.get("expect"), "service '" + service + "': expect must be an HTTP status (100-599)");
            }
        }
        return new HealthProbe(path, port, expect);
    }

    private Map<String, Node> mapping(Node node, String what, Set<String> allowed) throws CatalogueException {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, what + " must be a mapping of keys to values");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            String key = scalar(t.getKeyNode(), "a key");
            if (!allowed.contains(key)) {
                throw error(t.getKeyNode(), "unknown key '" + Text.printable(key, 40) + "' in " + what + "; known keys: "
                        + allowed.stream().sorted().toList());
            }
            // The node API does not apply LoaderOptions' duplicate-key check (only construction does).
            if (out.put(key, t.getValueNode()) != null) {
                throw error(t.getKeyNode(), "duplicate key '" + key + "' in " + what);
            }
        }
        return out;
    }

    private Node required(Map<String, Node> m, String key, Node parent) throws CatalogueException {
        Node n = m.get(key);
        if (n == null) {
            throw error(parent, "missing key '" + key + "'");
        }
        return n;
    }

    private List<Node> sequence(Node node, String what) throws CatalogueException {
        if (!(node instanceof SequenceNode s)) {
            throw error(node, what + " must be a list");
        }
        return s.getValue();
    }

    private String scalar(Node node, String what) throws CatalogueException {
        if (!(node instanceof ScalarNode s)) {
            throw error(node, what + " must be a single value");
        }
        return s.getValue();
    }

    private String slug(Node node, String what) throws CatalogueException {
        String v = scalar(node, what);
        if (!SLUG.matcher(v).matches()) {
            throw error(node, what + " '" + Text.printable(v, 60) + "' must be a slug (lower-case letters, digits, inner hyphens)");
        }
        return v;
    }

    private int integer(Node node, String what) throws CatalogueException {
        String v = scalar(node, what);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw error(node, what + " must be a whole number, not '" + Text.printable(v, 40) + "'");
        }
    }

    private int port(Node node) throws CatalogueException {
        int p = integer(node, "a port");
        if (p < 1 || p > 65535) {
            throw error(node, "port " + p + " is out of range (1-65535)");
        }
        return p;
    }

    private CatalogueException error(Node node, String problem) {
        return new CatalogueException(file, node.getStartMark().getLine() + 1, problem);
    }
}
