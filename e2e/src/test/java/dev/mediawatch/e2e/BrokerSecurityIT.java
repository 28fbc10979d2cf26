package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostStatus;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.ConfigKeys;
import dev.mediawatch.testing.Ports;

/**
 * deploy/mosquitto on a real Mosquitto: the repository's own ACL file, a configuration derived from its
 * mosquitto.conf with only paths and the port substituted, a CA and a server certificate for 127.0.0.1/localhost made
 * here with openssl, and a password file written by its add-user.sh (mosquitto_passwd). The clients are
 * mosquitto_pub/mosquitto_sub over TLS, then the packaged agent and aggregator.
 *
 * <p>A refused publish is silently dropped by Mosquitto (MQTT 3.1.1 still acknowledges it), so "never delivered" is
 * proved with a marker: after the forbidden publishes, an allowed one is sent; Mosquitto handles publishes in the
 * order it receives them and delivers to one subscriber in order, so once the marker has arrived, anything forbidden
 * published before it would have arrived too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerSecurityIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Path WORK = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e")).toAbsolutePath();
    private static final Path DEPLOY = ConfigKeys.repo().toAbsolutePath().normalize().resolve("deploy/mosquitto");

    private static final String DOWNLOAD = "download-stack";
    private static final String STREAMING = "streaming-stack";
    private static final String AGGREGATOR = "aggregator";
    private static final String HOMEASSISTANT = "homeassistant";
    /** Each user's password, fresh per run. */
    private static final Map<String, String> PASSWORDS = Map.of(
            DOWNLOAD, "dl " + UUID.randomUUID(),
            STREAMING, "st-" + UUID.randomUUID(),
            AGGREGATOR, "ag-" + UUID.randomUUID(),
            HOMEASSISTANT, "ha-" + UUID.randomUUID());
    private static final String OLD_DOWNLOAD_PASSWORD = "old-" + UUID.randomUUID();

    private static Path dir;
    private static Path ca;
    private static Path otherCa;
    private static int port;
    private static Process broker;
    /** The aggregator's view: everything under mediawatch/ it may read. */
    private static Subscriber watch;
    private static int markers;

    @BeforeAll
    static void startBroker() throws Exception {
        dir = WORK.resolve("broker-security-" + RUN);
        Files.createDirectories(dir);
        // Run as root, Mosquitto drops to the mosquitto user before it reads its files (as on Debian): the test
        // directory must be readable by it, and its data directory and log writable.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        ca = makeCa("ca");
        otherCa = makeCa("other-ca");
        makeServerCertificate();

        // The password file, with add-user.sh as an operator would: stdin for most, a file for one, and
        // download-stack twice (a rotation) so the file must still hold each user once.
        Path passwd = dir.resolve("passwd");
        addUser(passwd, DOWNLOAD, OLD_DOWNLOAD_PASSWORD, false);
        addUser(passwd, DOWNLOAD, PASSWORDS.get(DOWNLOAD), false);
        addUser(passwd, STREAMING, PASSWORDS.get(STREAMING), false);
        addUser(passwd, AGGREGATOR, PASSWORDS.get(AGGREGATOR), false);
        addUser(passwd, HOMEASSISTANT, PASSWORDS.get(HOMEASSISTANT), true);
        assertThat(Files.readAllLines(passwd)).extracting(l -> l.substring(0, l.indexOf(':')))
                .containsExactlyInAnyOrder(DOWNLOAD, STREAMING, AGGREGATOR, HOMEASSISTANT);

        port = Ports.free();
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path log = dir.resolve("mosquitto.log");
        Files.writeString(log, "");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, derivedConfig(Map.of(
                "listener", Integer.toString(port),
                "password_file", passwd.toString(),
                "acl_file", DEPLOY.resolve("acl").toString(),
                "cafile", ca.toString(),
                "certfile", dir.resolve("server.crt").toString(),
                "keyfile", dir.resolve("server.key").toString(),
                "persistence_location", data + "/",
                "log_dest", "file " + log)));

        broker = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(broker.isAlive()).as("mosquitto running; its output:\n%s\nlog:\n%s", read("mosquitto.out"),
                    read("mosquitto.log")).isTrue();
            assertThat(publish(AGGREGATOR, "mediawatch/test/ping", "ping").ok()).isTrue();
        });
        watch = Subscriber.start(AGGREGATOR, "mediawatch/#");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (watch != null) {
            watch.close();
        }
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(10, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    @Order(1)
    void aclAgentLines_writeExactlyTheContractsPerHostKinds_andReadOnlyOwnCommandsAndAvailability() throws IOException {
        Map<String, List<String>> agentLines = new LinkedHashMap<>();
        Pattern line = Pattern.compile("pattern\\s+(\\S+)\\s+mediawatch/%u/(\\S+)");
        for (String l : Files.readAllLines(DEPLOY.resolve("acl"))) {
            if (l.strip().startsWith("pattern")) {
                Matcher m = line.matcher(l.strip());
                assertThat(m.matches()).as("every pattern line is under mediawatch/%%u/: %s", l).isTrue();
                agentLines.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2));
            }
        }
        assertThat(agentLines.keySet()).containsExactlyInAnyOrder("write", "read");
        assertThat(agentLines.get("write")).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Topics.Kind.values()).map(Topics.Kind::level).toList());
        assertThat(agentLines.get("read")).containsExactlyInAnyOrder("cmd/#", Topics.Kind.AVAILABILITY.level());
    }

    @Test
    @Order(2)
    void addUser_refusesTheReservedHostIds_butTheAggregatorAndHomeAssistantAreUsers() throws Exception {
        Path scratch = dir.resolve("scratch-passwd");
        for (String reserved : HostId.RESERVED) {
            Result r = run(List.of(DEPLOY.resolve("add-user.sh").toString(), "-f", scratch.toString(), reserved), "x\n");
            if (reserved.equals(AGGREGATOR) || reserved.equals("homeassistant")) { // users, never hosts
                assertThat(r.exit()).as(r.output()).isZero();
            } else {
                assertThat(r.exit()).as(reserved).isNotZero();
                assertThat(r.output()).contains("'" + reserved + "' is reserved");
            }
        }
        Result bad = run(List.of(DEPLOY.resolve("add-user.sh").toString(), "-f", scratch.toString(), "a/#"), "x\n");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.output()).contains("not a valid user");
    }

    @Test
    @Order(3)
    void anonymousUnknownAndWrongPasswords_areRefused() throws Exception {
        for (Result r : List.of(
                mosquittoPub(null, null, "mediawatch/" + DOWNLOAD + "/state", "anonymous"),
                mosquittoPub(DOWNLOAD, "wrong-password", "mediawatch/" + DOWNLOAD + "/state", "wrong"),
                mosquittoPub(DOWNLOAD, OLD_DOWNLOAD_PASSWORD, "mediawatch/" + DOWNLOAD + "/state", "rotated-away"),
                mosquittoPub("nobody", PASSWORDS.get(DOWNLOAD), "mediawatch/nobody/state", "unknown"))) {
            assertThat(r.exit()).as(r.output()).isNotZero();
            assertThat(r.output()).contains("not authorised");
        }
        // A plain (non-TLS) client gets no MQTT answer at all from the TLS listener.
        Result plain = run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-u", AGGREGATOR,
                "-P", PASSWORDS.get(AGGREGATOR), "-t", "mediawatch/test/plain", "-m", "plain"), null);
        assertThat(plain.exit()).as(plain.output()).isNotZero();
        assertThat(watch.messages()).noneMatch(m -> m.contains("anonymous") || m.contains("wrong") || m.contains("rotated-away")
                || m.contains("unknown") || m.endsWith(" plain"));
    }

    @Test
    @Order(4)
    void agent_publishesItsOwnState_butNeverAsAnotherHost_norAnyCommand() throws Exception {
        String state = "{\"own\":\"" + RUN + "\"}";
        assertThat(publish(DOWNLOAD, "mediawatch/" + DOWNLOAD + "/state", state).ok()).isTrue();
        for (Topics.Kind kind : Topics.Kind.values()) {
            if (kind != Topics.Kind.AVAILABILITY) { // availability is retained by the agent; not faked here
                assertThat(publish(DOWNLOAD, "mediawatch/" + DOWNLOAD + "/" + kind.level(), "own-" + kind.level()).ok()).isTrue();
            }
        }
        List<String> forged = List.of(
                "mediawatch/" + STREAMING + "/state",
                "mediawatch/" + STREAMING + "/availability",
                "mediawatch/" + STREAMING + "/cmd/refresh",
                "mediawatch/" + STREAMING + "/cmd/throttle",
                "mediawatch/" + DOWNLOAD + "/cmd/refresh",
                "mediawatch/" + DOWNLOAD + "/cmd/throttle",
                "mediawatch/" + DOWNLOAD + "/other",
                "mediawatch/aggregator/cmd/refresh",
                "mediawatch/status",
                "mediawatch/alerts/stutter",
                "homeassistant/sensor/x/config");
        for (String topic : forged) {
            Result r = publish(DOWNLOAD, topic, "FORGED " + topic);
            assertThat(r.ok()).as("MQTT 3.1.1: the broker acknowledges and drops; %s", r.output()).isTrue();
        }
        // MQTT 5 makes the refusal visible: the PUBACK says "not authorized".
        Result v5 = mosquittoPub(DOWNLOAD, PASSWORDS.get(DOWNLOAD), "mediawatch/" + STREAMING + "/state", "FORGED v5", "-V", "5");
        assertThat(v5.output()).contains("Not authorized");

        String marker = marker();
        publish(DOWNLOAD, "mediawatch/" + DOWNLOAD + "/events", marker);
        await().atMost(WAIT).untilAsserted(() -> assertThat(watch.messages()).contains("mediawatch/" + DOWNLOAD + "/events " + marker));
        assertThat(watch.messages()).contains("mediawatch/" + DOWNLOAD + "/state " + state);
        for (Topics.Kind kind : Topics.Kind.values()) {
            if (kind != Topics.Kind.AVAILABILITY) {
                assertThat(watch.messages()).contains("mediawatch/" + DOWNLOAD + "/" + kind.level() + " own-" + kind.level());
            }
        }
        assertThat(watch.messages()).noneMatch(m -> m.contains("FORGED"));
    }

    @Test
    @Order(5)
    void agent_readsOnlyItsOwnCommands_notAnotherHosts() throws Exception {
        try (Subscriber download = Subscriber.start(DOWNLOAD, "mediawatch/" + STREAMING + "/cmd/#", "mediawatch/#")) {
            publish(AGGREGATOR, "mediawatch/" + STREAMING + "/cmd/refresh", "FOR-STREAMING refresh");
            publish(HOMEASSISTANT, "mediawatch/" + STREAMING + "/cmd/refresh", "FOR-STREAMING ha refresh");
            publish(AGGREGATOR, "mediawatch/" + STREAMING + "/state", "FOR-STREAMING state");
            publish(AGGREGATOR, "mediawatch/status", "FOR-AGGREGATOR status");
            String marker = marker();
            publish(AGGREGATOR, "mediawatch/" + DOWNLOAD + "/cmd/refresh", marker);

            await().atMost(WAIT).untilAsserted(() -> assertThat(download.messages())
                    .contains("mediawatch/" + DOWNLOAD + "/cmd/refresh " + marker));
            // The aggregator's subscriber saw what was published, so it was there to be read.
            assertThat(watch.messages()).contains("mediawatch/" + STREAMING + "/cmd/refresh FOR-STREAMING refresh",
                    "mediawatch/" + STREAMING + "/cmd/refresh FOR-STREAMING ha refresh");
            assertThat(download.messages()).noneMatch(m -> m.contains("FOR-"));
        }
    }

    @Test
    @Order(6)
    void homeAssistant_mayAskForARefresh_butNotThrottle_norWriteHostTopics() throws Exception {
        publish(HOMEASSISTANT, "mediawatch/" + DOWNLOAD + "/cmd/throttle", "HA-FORBIDDEN throttle");
        publish(HOMEASSISTANT, "mediawatch/" + DOWNLOAD + "/state", "HA-FORBIDDEN state");
        publish(HOMEASSISTANT, "mediawatch/status", "HA-FORBIDDEN status");
        publish(HOMEASSISTANT, "mediawatch/" + DOWNLOAD + "/cmd/refresh", "ha-refresh-" + RUN);
        publish(HOMEASSISTANT, "mediawatch/aggregator/cmd/mitigation", "ha-switch-" + RUN);
        String marker = marker();
        publish(HOMEASSISTANT, "mediawatch/" + STREAMING + "/cmd/refresh", marker);

        await().atMost(WAIT).untilAsserted(() -> assertThat(watch.messages())
                .contains("mediawatch/" + STREAMING + "/cmd/refresh " + marker));
        assertThat(watch.messages()).contains("mediawatch/" + DOWNLOAD + "/cmd/refresh ha-refresh-" + RUN,
                "mediawatch/aggregator/cmd/mitigation ha-switch-" + RUN);
        assertThat(watch.messages()).noneMatch(m -> m.contains("HA-FORBIDDEN"));
        Result v5 = mosquittoPub(HOMEASSISTANT, PASSWORDS.get(HOMEASSISTANT), "mediawatch/" + DOWNLOAD + "/cmd/throttle",
                "HA-FORBIDDEN v5", "-V", "5");
        assertThat(v5.output()).contains("Not authorized");
    }

    @Test
    @Order(7)
    void homeAssistant_ownsItsDiscoveryPrefix_andReadsMediawatch() throws Exception {
        try (Subscriber ha = Subscriber.start(HOMEASSISTANT, "mediawatch/#", "homeassistant/#")) {
            publish(HOMEASSISTANT, "homeassistant/status", "online-" + RUN);
            String marker = marker();
            publish(AGGREGATOR, "mediawatch/" + DOWNLOAD + "/state", marker);
            await().atMost(WAIT).untilAsserted(() -> assertThat(ha.messages())
                    .contains("homeassistant/status online-" + RUN, "mediawatch/" + DOWNLOAD + "/state " + marker));
        }
    }

    @Test
    @Order(8)
    void rotatedPassword_appliesWhenMosquittoReloads() throws Exception {
        String rotated = "rotated-" + UUID.randomUUID();
        addUser(dir.resolve("passwd"), STREAMING, rotated, false);
        assertThat(run(List.of("kill", "-HUP", Long.toString(broker.pid())), null).exit()).isZero();
        await().atMost(WAIT).untilAsserted(() -> {
            Result old = mosquittoPub(STREAMING, PASSWORDS.get(STREAMING), "mediawatch/" + STREAMING + "/state", "old");
            assertThat(old.exit()).as(old.output()).isNotZero();
        });
        assertThat(mosquittoPub(STREAMING, rotated, "mediawatch/" + STREAMING + "/state", "new").ok()).isTrue();
    }

    @Test
    @Order(9)
    void packagedAgent_withAnotherCa_doesNotConnect() throws Exception {
        assertAgentDoesNotConnect("agent-other-ca", "127.0.0.1", otherCa,
                "SunCertPathBuilderException: unable to find valid certification path to requested target");
    }

    @Test
    @Order(10)
    void packagedAgent_whenTheCertificateNamesAnotherHost_doesNotConnect() throws Exception {
        // 127.0.0.2 reaches the same listener, but the certificate names only 127.0.0.1 and localhost: hostname
        // verification must refuse it even though the CA is right.
        assertAgentDoesNotConnect("agent-wrong-name", "127.0.0.2", ca,
                "CertificateException: No subject alternative names matching IP address 127.0.0.2 found");
    }

    @Test
    @Order(11)
    void packagedAgentAndAggregator_overTls_withPasswordFiles_seeEachOther() throws Exception {
        try (AppProcess agent = AppProcess.start("agent-tls", app("agent"), dir, Ports.free(), agentEnv("127.0.0.1", ca))) {
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(agent.alive()).as("agent alive; log:\n%s", agent.output()).isTrue();
                assertThat(watch.messages()).as("agent log:\n%s", agent.output())
                        .contains("mediawatch/" + DOWNLOAD + "/availability " + Availability.ONLINE.wire());
            });
            assertThat(watch.messages()).anyMatch(m -> m.startsWith("mediawatch/" + DOWNLOAD + "/state {"));
            // Retained: a subscriber arriving now gets it at once.
            Result retained = run(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "--cafile",
                    ca.toString(), "-u", AGGREGATOR, "-P", PASSWORDS.get(AGGREGATOR), "-q", "1", "-C", "1", "-W", "20",
                    "-t", "mediawatch/" + DOWNLOAD + "/availability"), null);
            assertThat(retained.output().strip()).isEqualTo(Availability.ONLINE.wire());
            assertThat(agent.output()).doesNotContain(PASSWORDS.get(DOWNLOAD));

            Path aggregatorPassword = passwordFile(AGGREGATOR);
            Map<String, String> env = new HashMap<>();
            env.put("MEDIAWATCH_MQTT_HOST", "localhost"); // the certificate's DNS name, this time
            env.put("MEDIAWATCH_MQTT_PORT", Integer.toString(port));
            env.put("MEDIAWATCH_MQTT_TLS", "true");
            env.put("MEDIAWATCH_MQTT_CA_FILE", ca.toString());
            env.put("MEDIAWATCH_MQTT_USERNAME", AGGREGATOR);
            env.put("MEDIAWATCH_MQTT_PASSWORD_FILE", aggregatorPassword.toString());
            env.put("MEDIAWATCH_INCIDENTS_FILE", dir.resolve("incidents.journal").toString());
            try (AppProcess aggregator = AppProcess.start("aggregator-tls", app("aggregator"), dir, Ports.free(), env)) {
                await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                    assertThat(aggregator.alive()).as("aggregator alive; log:\n%s", aggregator.output()).isTrue();
                    HostStatus h = ContractJson.readStatus(aggregator.get("/api/status").getBytes(StandardCharsets.UTF_8))
                            .hosts().stream().filter(s -> s.host().value().equals(DOWNLOAD)).findFirst()
                            .orElseThrow(() -> new AssertionError(DOWNLOAD + " not in the aggregator's status"));
                    assertThat(h.availability()).isEqualTo(Availability.ONLINE);
                });
                assertThat(aggregator.output()).doesNotContain(PASSWORDS.get(AGGREGATOR));
            }
        }
    }

    @Test
    @Order(12)
    void packagedAgent_withPasswordAndPasswordFile_stopsAtStartup_namingBoth_notThePassword() throws Exception {
        Map<String, String> env = agentEnv("127.0.0.1", ca);
        env.put("MEDIAWATCH_MQTT_PASSWORD", PASSWORDS.get(STREAMING));
        try (AppProcess bad = AppProcess.start("agent-both-passwords", app("agent"), dir, Ports.free(), env)) {
            assertThat(bad.awaitStartupFailure(WAIT)).isNotZero();
            assertThat(bad.output()).contains("mediawatch.mqtt.password and mediawatch.mqtt.password-file are both set")
                    .doesNotContain(PASSWORDS.get(STREAMING)).doesNotContain(PASSWORDS.get(DOWNLOAD));
        }
        env = agentEnv("127.0.0.1", ca);
        Path missing = dir.resolve("no-such-password");
        env.put("MEDIAWATCH_MQTT_PASSWORD_FILE", missing.toString());
        try (AppProcess bad = AppProcess.start("agent-missing-password-file", app("agent"), dir, Ports.free(), env)) {
            assertThat(bad.awaitStartupFailure(WAIT)).isNotZero();
            assertThat(bad.output()).contains("mediawatch.mqtt.password-file: cannot read " + missing + " (NoSuchFileException)");
        }
    }

    // ---- the packaged agent

    private static void assertAgentDoesNotConnect(String name, String host, Path caFile, String cause) throws Exception {
        String connected = "as mediawatch-agent-" + DOWNLOAD + " ";
        int logBefore = read("mosquitto.log").length();
        try (AppProcess agent = AppProcess.start(name, app("agent"), dir, Ports.free(), agentEnv(host, caFile))) {
            // The agent says why (once: repeated failures are summed into its next line), and keeps trying: the
            // broker sees at least two refused handshakes, the first try and a reconnect.
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(agent.alive()).as("agent alive; log:\n%s", agent.output()).isTrue();
                assertThat(agent.output()).contains("MQTT broker " + host + ":" + port + ": cannot connect: " + cause);
                String broker = read("mosquitto.log").substring(logBefore);
                assertThat(count(broker, "certificate unknown")).as(broker).isGreaterThanOrEqualTo(2);
            });
            assertThat(watch.messages()).noneMatch(m -> m.startsWith("mediawatch/" + DOWNLOAD + "/availability"));
            assertThat(read("mosquitto.log").substring(logBefore)).doesNotContain(connected);
        }
    }

    private static Map<String, String> agentEnv(String host, Path caFile) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("MEDIAWATCH_HOST_ID", DOWNLOAD);
        env.put("MEDIAWATCH_MQTT_HOST", host);
        env.put("MEDIAWATCH_MQTT_PORT", Integer.toString(port));
        env.put("MEDIAWATCH_MQTT_TLS", "true");
        env.put("MEDIAWATCH_MQTT_CA_FILE", caFile.toString());
        env.put("MEDIAWATCH_MQTT_USERNAME", DOWNLOAD);
        env.put("MEDIAWATCH_MQTT_PASSWORD_FILE", passwordFile(DOWNLOAD).toString());
        // The broker is what is tested: no container engine (the agent reports it unreachable), no throttle state.
        env.put("MEDIAWATCH_DOCKER_HOST", "unix://" + dir.resolve("no-docker.sock"));
        env.put("MEDIAWATCH_THROTTLE_STATE_FILE", dir.resolve("throttle.json").toString());
        return env;
    }

    /** The user's password in a file, as systemd credentials hand it over: one line with its newline. */
    private static Path passwordFile(String user) throws IOException {
        Path f = dir.resolve(user + ".password");
        Files.writeString(f, PASSWORDS.get(user) + "\n");
        return f;
    }

    private static Path app(String module) {
        return Path.of(System.getProperty("mediawatch." + module + ".app"));
    }

    // ---- broker, certificates, users

    /**
     * deploy/mosquitto/mosquitto.conf with the values of the given directives replaced; each must be there exactly
     * once, and no Debian path may be left over (a new path in the file must be substituted here too).
     */
    private static String derivedConfig(Map<String, String> values) throws IOException {
        Map<String, Integer> seen = new HashMap<>();
        StringBuilder out = new StringBuilder();
        for (String l : Files.readAllLines(DEPLOY.resolve("mosquitto.conf"))) {
            String[] parts = l.strip().split("\\s+", 2);
            if (!l.startsWith("#") && values.containsKey(parts[0])) {
                seen.merge(parts[0], 1, Integer::sum);
                out.append(parts[0]).append(' ').append(values.get(parts[0])).append('\n');
            } else {
                out.append(l).append('\n');
            }
        }
        assertThat(seen).as("directives substituted in deploy/mosquitto/mosquitto.conf")
                .containsOnlyKeys(values.keySet()).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
        String derived = out.toString();
        assertThat(derived.lines().filter(l -> !l.startsWith("#")))
                .noneMatch(l -> l.contains("/etc/") || l.contains("/var/"));
        return derived;
    }

    private static Path makeCa(String name) throws Exception {
        Path crt = dir.resolve(name + ".crt");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve(name + ".key").toString(), "-out", crt.toString(),
                "-subj", "/CN=mediawatch test " + name + " " + RUN, "-days", "2",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return crt;
    }

    private static void makeServerCertificate() throws Exception {
        Path ext = dir.resolve("server.ext");
        Files.writeString(ext, """
                subjectAltName = DNS:localhost, IP:127.0.0.1
                basicConstraints = critical, CA:FALSE
                keyUsage = critical, digitalSignature, keyEncipherment
                extendedKeyUsage = serverAuth
                """);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("server.key").toString(), "-out", dir.resolve("server.csr").toString(),
                "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", dir.resolve("server.csr").toString(), "-CA", ca.toString(),
                "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2",
                "-extfile", ext.toString(), "-out", dir.resolve("server.crt").toString());
        // A test key, readable by the mosquitto user the broker drops to when started as root.
        Files.setPosixFilePermissions(dir.resolve("server.key"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Result r = run(command, null);
        assertThat(r.exit()).as("openssl %s:\n%s", String.join(" ", args), r.output()).isZero();
    }

    private static void addUser(Path passwd, String user, String password, boolean fromFile) throws Exception {
        List<String> command = new ArrayList<>(List.of(DEPLOY.resolve("add-user.sh").toString(), "-f", passwd.toString()));
        String stdin = password + "\n";
        if (fromFile) {
            Path source = dir.resolve(user + ".source");
            Files.writeString(source, stdin);
            command.addAll(List.of("-p", source.toString()));
            stdin = null;
        }
        command.add(user);
        Result r = run(command, stdin);
        assertThat(r.exit()).as("add-user.sh %s:\n%s", user, r.output()).isZero();
        assertThat(r.output()).doesNotContain(password);
    }

    // ---- MQTT clients

    private static String marker() {
        return "marker-" + RUN + "-" + (++markers);
    }

    /** Publishes with the user's own password, QoS 1; the broker accepted the connection. */
    private static Result publish(String user, String topic, String payload) throws Exception {
        Result r = mosquittoPub(user, PASSWORDS.get(user), topic, payload);
        assertThat(r.exit()).as("mosquitto_pub as %s to %s:\n%s", user, topic, r.output()).isZero();
        return r;
    }

    private static Result mosquittoPub(String user, String password, String topic, String payload, String... extra)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "--cafile", ca.toString(), "-q", "1", "-t", topic, "-m", payload));
        if (user != null) {
            command.addAll(List.of("-u", user, "-P", password));
        }
        command.addAll(List.of(extra));
        return run(command, null);
    }

    /** A mosquitto_sub over TLS that records the messages it gets ({@code topic payload}). */
    private static final class Subscriber implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private Subscriber(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = in.readLine(); l != null; l = in.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    lines.add("(read failed: " + e + ")");
                }
            }, "mosquitto_sub-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Started and subscribed (its SUBACK arrived), so nothing published from now on is missed. */
        static Subscriber start(String user, String... filters) throws IOException {
            // Line-buffered (coreutils' stdbuf): mosquitto_sub flushes its output only after a message, so its
            // "Subscribed" line would otherwise sit in the pipe's buffer.
            List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", "mosquitto_sub", "-d", "-v", "-h", "127.0.0.1", "-p",
                    Integer.toString(port), "--cafile", ca.toString(), "-u", user, "-P", PASSWORDS.get(user), "-q", "1"));
            for (String f : filters) {
                command.addAll(List.of("-t", f));
            }
            Subscriber s = new Subscriber(new ProcessBuilder(command).redirectErrorStream(true).start());
            try {
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(s.process.isAlive()).as("mosquitto_sub as %s: %s", user, s.lines).isTrue();
                    assertThat(s.lines).as("mosquitto_sub as %s subscribed", user).anyMatch(l -> l.startsWith("Subscribed (mid:"));
                });
            } catch (RuntimeException | AssertionError e) {
                s.process.destroyForcibly();
                throw e;
            }
            return s;
        }

        /** The messages received, {@code topic payload}, without the debug lines. */
        List<String> messages() {
            return lines.stream().filter(l -> l.startsWith("mediawatch/") || l.startsWith("homeassistant/")).toList();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ---- processes

    private record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Runs a command to its end (at most 30 s), its output in a file so a hanging one cannot block the test. */
    private static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "run-", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException exitedWithoutReadingIt) {
            // e.g. add-user.sh refusing the user before it reads the password: its exit code tells
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish in 30 s: " + Files.readString(out));
        }
        String output = Files.readString(out);
        Files.delete(out);
        return new Result(p.exitValue(), output);
    }

    private static String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

}
