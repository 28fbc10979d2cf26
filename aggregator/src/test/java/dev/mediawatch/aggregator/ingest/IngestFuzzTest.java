package dev.mediawatch.aggregator.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.drift.DiscoveryConfigs;
import dev.mediawatch.aggregator.drift.MountLock;
import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.aggregator.status.StatusBuilder;
import dev.mediawatch.aggregator.status.StatusRules;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.ContainerHealth;
import dev.mediawatch.contract.ContainerIo;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.DiskIo;
import dev.mediawatch.contract.EngineState;
import dev.mediawatch.contract.EnvAudit;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostMounts;
import dev.mediawatch.contract.HostPressure;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.HostSummary;
import dev.mediawatch.contract.MissingService;
import dev.mediawatch.contract.MountHealth;
import dev.mediawatch.contract.MountSpace;
import dev.mediawatch.contract.MountState;
import dev.mediawatch.contract.NfsOpStats;
import dev.mediawatch.contract.NfsOptions;
import dev.mediawatch.contract.NfsStats;
import dev.mediawatch.contract.PayloadRejected;
import dev.mediawatch.contract.PortBinding;
import dev.mediawatch.contract.Pressure;
import dev.mediawatch.contract.PressureLine;
import dev.mediawatch.contract.RejectReason;
import dev.mediawatch.contract.Schema;
import dev.mediawatch.contract.ServiceProbe;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.Text;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.WithDefault;

/**
 * The ingest's promise (docs/contract.md, "Rejected messages"): malformed, oversized, wrong-schema and spoofed
 * payloads are refused with a counted reason and a rate-limited warning, and have no effect on the status.
 *
 * <p>The fuzz throws 20,000 random and mutated payloads at {@link Ingest#accept} and {@link Ingest#discovery},
 * deterministically from a seed (override with {@code -Dmediawatch.fuzz.seed=...}, size with
 * {@code -Dmediawatch.fuzz.messages=...}; every failure names the seed and the message's index). Two good hosts
 * are seeded first; every mutation aimed at them is checked against the contract's reader first, and one that
 * is still valid (it would legitimately change the host) is sent, with its host rewritten, to a throwaway host
 * instead. So whatever reaches the good hosts' topics must be refused, and their status must not move. Every
 * message is also checked against an oracle of the contract: exactly one ingest counter moves by one, with the
 * reason the contract names; a refused message changes nothing (no registry or discovery version bump, no
 * rebuild request).
 */
class IngestFuzzTest {

    static final long SEED = Long.getLong("mediawatch.fuzz.seed", 20261121L);
    static final int MESSAGES = Integer.getInteger("mediawatch.fuzz.messages", 20_000);
    /** Room for 100,000 '[' under the limit, so deep nesting reaches the parser and is not just too large. */
    static final int FUZZ_MAX_BYTES = 128 * 1024;
    static final int MAX_HOSTS = 16;
    static final int MAX_EVENTS = 50;
    static final int MAX_CONFIGS = 32;
    static final int THROWAWAY_HOSTS = 40;

    static final Instant T0 = Instant.parse("2026-11-21T13:36:02.123Z");
    static final HostId DL = HostId.of("download-stack");
    static final HostId ST = HostId.of("streaming-stack");
    static final List<HostId> GOOD = List.of(DL, ST);
    static final Topics TOPICS = Topics.defaults();
    static final String HA = "homeassistant";
    static final String RECEIVED = "mediawatch_ingest_received_total";
    static final String REJECTED = "mediawatch_ingest_rejected_total";
    static final List<String> HOST_KINDS = Arrays.stream(Topics.Kind.values()).map(Topics.Kind::level).toList();
    static final Set<String> REASONS = Arrays.stream(RejectReason.values()).map(RejectReason::wire)
            .collect(Collectors.toUnmodifiableSet());
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // ---------------------------------------------------------------------------------------------- the tests

    /**
     * The requirement's fuzz: every refused message counted with the contract's reason and changing nothing, the
     * good hosts' status exactly as before, every table and the metrics bounded, the warnings rate-limited; then
     * the same 20,000 payloads again, which must not grow the heap ("no leak").
     */
    @Test
    void fuzz_everyBadMessageIsRefusedAndCounted_theGoodHostsDoNotMove_andASecondPassLeaksNothing() throws Exception {
        Rig rig = new Rig(FUZZ_MAX_BYTES);
        rig.seedGoodHosts();
        Map<HostId, HostRecord> good = rig.goodRecords();
        StatusReport expected = rig.status(GOOD::contains, List.of());
        LogCapture logs = LogCapture.install();
        Run run;
        long started = System.nanoTime();
        try {
            run = fuzz(rig, SEED, MESSAGES, good);
        } finally {
            logs.remove();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        run.print("fuzz pass", seconds);

        // No exception escaped, every message moved exactly one counter by one, with the contract's reason; no
        // refused message changed anything; the good hosts' records never moved; the tables stayed bounded.
        assertThat(run.failures).as("seed %d: messages that broke the contract (first %d of %d shown)", SEED,
                run.failures.size(), run.failureCount).isEmpty();
        assertThat(run.sent).as("seed %d", SEED).isGreaterThanOrEqualTo(10_000).isEqualTo(MESSAGES);

        // Sum of the counters is every message sent, and every refusal has a kind and reason of the contract.
        assertThat(rig.sum(RECEIVED) + rig.sum(REJECTED)).as("seed %d: received + rejected", SEED)
                .isEqualTo((double) run.sent + rig.seeded);
        assertThat(rig.sum(REJECTED)).as("seed %d: refused", SEED).isEqualTo((double) run.rejected());
        rig.assertBoundedMetrics();
        // The fuzz must actually have gone down every refusal path.
        assertThat(run.byReason().keySet()).as("seed %d: reasons exercised", SEED).containsAll(REASONS);

        // The good hosts: records, then the status built from them, exactly as before.
        for (HostId h : GOOD) {
            assertThat(rig.registry.host(h)).as("seed %d: record of %s", SEED, h).isEqualTo(good.get(h));
        }
        assertThat(rig.status(GOOD::contains, List.of())).as("seed %d: status of the good hosts", SEED)
                .isEqualTo(expected);
        rig.assertBounded();

        // Warnings: bounded per kind (at most one line per kind per 10 s, plus the first), never a raw control
        // character (a hostile topic or payload cannot forge log lines).
        long windows = 2 + (long) (seconds / 10);
        Map<String, Long> perKind = logs.warnings().stream()
                .collect(Collectors.groupingBy(LogCapture::kindOf, TreeMap::new, Collectors.counting()));
        System.out.printf("fuzz pass: %d WARN lines from the ingest, per kind %s (backend %s)%n", logs.warnings().size(),
                perKind, logs.backend);
        assertThat(perKind.values()).as("seed %d: WARN lines per kind %s", SEED, perKind)
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(windows));
        assertThat(logs.warnings()).as("seed %d: WARN lines hold no control characters", SEED)
                .noneMatch(line -> line.chars().anyMatch(c -> c < 0x20 || c == 0x7f));

        // No leak: the same payloads once more. Whatever the first pass left is bounded; the second must not add.
        int meters = rig.meters.getMeters().size();
        long before = usedHeapAfterGc();
        started = System.nanoTime();
        Run second = fuzz(rig, SEED, MESSAGES, good);
        second.print("second pass", (System.nanoTime() - started) / 1e9);
        long after = usedHeapAfterGc();
        System.out.printf("no leak: used heap after GC %.1f MiB after the first pass, %.1f MiB after the second%n",
                before / 1048576.0, after / 1048576.0);
        assertThat(second.failures).as("seed %d, second pass (first %d of %d shown)", SEED, second.failures.size(),
                second.failureCount).isEmpty();
        rig.assertBounded();
        rig.assertBoundedMetrics();
        assertThat(rig.meters.getMeters().size()).as("meters").isLessThanOrEqualTo(meters + 6 * REASONS.size());
        for (HostId h : GOOD) {
            assertThat(rig.registry.host(h)).as("seed %d: record of %s after two passes", SEED, h).isEqualTo(good.get(h));
        }
        assertThat(after - before).as("seed %d: heap growth over a second pass of %d messages", SEED, MESSAGES)
                .isLessThan(32L * 1024 * 1024);
    }

    /**
     * What the fuzz got accepted on the throwaway hosts (payloads the contract's reader calls valid, some odd)
     * must not break the status of everyone: the status still builds, encodes and reads back, and the good hosts'
     * part of it is as before.
     */
    @Test
    void fuzz_whateverWasAccepted_theStatusStillBuilds_andTheGoodHostsAreAsBefore() {
        Rig rig = new Rig(FUZZ_MAX_BYTES);
        rig.seedGoodHosts();
        Map<HostId, HostRecord> good = rig.goodRecords();
        StatusReport expected = rig.status(GOOD::contains, List.of());
        long started = System.nanoTime();
        Run run = fuzz(rig, SEED, MESSAGES, good, expected);
        run.print("fuzz pass with a status build after every accepted message", (System.nanoTime() - started) / 1e9);
        assertThat(run.failures).as("seed %d: accepted messages after which the status breaks (first %d of %d shown)", SEED,
                run.failures.size(), run.failureCount).isEmpty();

        List<String> culprits = new ArrayList<>();
        for (HostRecord r : rig.registry.hosts()) {
            String broken = GOOD.contains(r.host()) ? null : statusProblem(rig, r, expected, run);
            if (broken != null) {
                culprits.add(broken);
            }
        }
        assertThat(culprits).as("seed %d: accepted records that break the status (state, mounts and io as held)", SEED)
                .isEmpty();

        StatusReport all = new StatusBuilder(rules()).build(rig.registry.hosts(), rig.discovery.all(), rig.clock.instant());
        for (HostId h : GOOD) {
            assertThat(all.host(h)).as("seed %d: %s in the status of every host", SEED, h).isEqualTo(expected.host(h));
        }
    }

    /**
     * A flood of refused messages costs counters, not log lines: at most one WARN line per kind per 10 s, and the
     * next line says how many were held back. The rate limit's ticker is the rig's: the burst takes no time on
     * it, and it is moved past the 10 s window instead of waiting for it.
     */
    @Test
    void refusalWarningsAreRateLimitedPerKind_andTheNextLineSaysHowManyWereHeldBack() throws Exception {
        LogCapture logs = LogCapture.install();
        try {
            Rig rig = new Rig(FUZZ_MAX_BYTES);
            rig.seedGoodHosts();
            Map<String, Integer> sent = new TreeMap<>();
            long start = System.nanoTime();
            for (int i = 0; i < 5_000; i++) {
                sendBad(rig, i, sent);
            }
            double wall = (System.nanoTime() - start) / 1e9;
            List<String> firstLines = logs.warnings();
            System.out.printf("log throttle: %d WARN lines for 5000 refused messages in %.2f s (backend %s): %s%n",
                    firstLines.size(), wall, logs.backend, firstLines);
            Map<String, Long> perKind = firstLines.stream()
                    .collect(Collectors.groupingBy(LogCapture::kindOf, TreeMap::new, Collectors.counting()));
            assertThat(perKind.keySet()).as("a line for every kind refused").isEqualTo(sent.keySet());
            // All in one window of the ticker: exactly one line per kind.
            assertThat(perKind.values()).as("lines per kind %s", perKind).allSatisfy(n -> assertThat(n).isEqualTo(1));

            // After the window, one more refusal per kind: its line reports what was held back since.
            rig.nanos.addAndGet(Duration.ofMillis(10_300).toNanos());
            int i = 5_000;
            for (String kind : List.copyOf(sent.keySet())) {
                sendBadOf(rig, kind, i++, sent);
            }
            List<String> all = logs.warnings();
            System.out.printf("log throttle: after the 10 s window: %s%n", all.subList(firstLines.size(), all.size()));
            Pattern heldBack = Pattern.compile("; (\\d+) more refused since the last such line$");
            for (String kind : sent.keySet()) {
                List<String> lines = all.stream().filter(l -> kind.equals(LogCapture.kindOf(l))).toList();
                // Each refusal is either a line or counted in a later line's "held back".
                long counted = lines.size();
                for (String l : lines) {
                    Matcher m = heldBack.matcher(l);
                    if (m.find()) {
                        counted += Long.parseLong(m.group(1));
                    }
                }
                assertThat(counted).as("kind %s: lines %s", kind, lines).isEqualTo(sent.get(kind).longValue());
                assertThat(lines.get(lines.size() - 1)).as("kind %s", kind).containsPattern(heldBack);
            }
            assertThat(all).noneMatch(line -> line.chars().anyMatch(c -> c < 0x20 || c == 0x7f));
        } finally {
            logs.remove();
        }
    }

    @Test
    void theAggregatorsOwnTopics_matchTheHostFilters_butAreNeitherAHostNorRefused() {
        Rig rig = new Rig(ContractJson.MAX_PAYLOAD_BYTES);
        long version = rig.registry.version();
        // <prefix>/+/availability matches the aggregator's own availability, <prefix>/+/state a reserved "ha" level.
        rig.ingest.accept(TOPICS.aggregatorAvailability(), Availability.ONLINE.payload());
        rig.ingest.accept(TOPICS.aggregatorAvailability(), Availability.OFFLINE.payload());
        rig.ingest.accept(TOPICS.prefix() + "/ha/state", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(rig.sum(REJECTED)).isZero();
        assertThat(rig.sum(RECEIVED)).isZero();
        assertThat(rig.meters.find("mediawatch_ingest_ignored_total").counter().count()).isEqualTo(3.0);
        assertThat(rig.registry.version()).isEqualTo(version);
        assertThat(rig.registry.host(HostId.of("aggregator"))).isNull();
        // A host level that is not reserved but not a valid id is still refused.
        rig.ingest.accept(TOPICS.prefix() + "/Not_A_Host/state", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(rig.count(REJECTED, "state", "bad-topic")).isEqualTo(1.0);
    }

    @Test
    void payloadSizeLimitIsConfigurable() throws Exception {
        // A valid state of 2,000 bytes (trailing whitespace is allowed after a JSON object).
        HostState big = goodState(DL);
        byte[] bigPayload = pad(ContractJson.write(big), 2_000);
        assertThat(bigPayload).hasSize(2_000);
        assertThat(ContractJson.readState(bigPayload, DL)).isEqualTo(big);
        HostState small = HostState.of(DL, "download", "0.1.0", T0, new EngineState(true, "20.10", "1.41", null, T0),
                List.of());
        assertThat(ContractJson.write(small).length).isLessThan(1_000);

        // Limit 1,000: refused as too-large, nothing moves.
        Rig limited = new Rig(1_000);
        limited.mustAccept(TOPICS.availability(DL), Availability.ONLINE.payload());
        limited.mustAccept(TOPICS.state(DL), ContractJson.write(small));
        HostRecord before = limited.registry.host(DL);
        StatusReport status = limited.status(h -> true, limited.discovery.all());
        long version = limited.registry.version();
        limited.ingest.accept(TOPICS.state(DL), bigPayload);
        assertThat(limited.count(REJECTED, "state", "too-large")).isEqualTo(1.0);
        assertThat(limited.registry.host(DL)).isEqualTo(before);
        assertThat(limited.registry.version()).isEqualTo(version);
        assertThat(limited.status(h -> true, limited.discovery.all())).isEqualTo(status);
        // The same limit holds on every JSON kind, and for discovery configs.
        limited.ingest.accept(TOPICS.mounts(DL), pad(ContractJson.write(goodMounts(DL)), 1_001));
        limited.ingest.accept(TOPICS.events(DL), pad(ContractJson.write(goodEvent(DL)), 1_001));
        limited.ingest.discovery("homeassistant/sensor/x/config", pad("{\"unique_id\":\"x\"}".getBytes(StandardCharsets.UTF_8), 1_001));
        assertThat(limited.count(REJECTED, "mounts", "too-large")).isEqualTo(1.0);
        assertThat(limited.count(REJECTED, "events", "too-large")).isEqualTo(1.0);
        assertThat(limited.count(REJECTED, HA, "too-large")).isEqualTo(1.0);
        assertThat(limited.registry.host(DL)).isEqualTo(before);
        assertThat(limited.discovery.size()).isZero();

        // The default (the configuration's default is the contract's 512 KiB): accepted.
        String configured = AggregatorConfig.Ingest.class.getMethod("maxPayloadBytes").getAnnotation(WithDefault.class).value();
        assertThat(Integer.parseInt(configured)).isEqualTo(ContractJson.MAX_PAYLOAD_BYTES);
        Rig defaults = new Rig(Integer.parseInt(configured));
        defaults.mustAccept(TOPICS.availability(DL), Availability.ONLINE.payload());
        defaults.mustAccept(TOPICS.state(DL), ContractJson.write(small));
        defaults.mustAccept(TOPICS.state(DL), bigPayload);
        assertThat(defaults.registry.host(DL).state()).isEqualTo(big);
        // Exactly the limit is accepted, one byte more is not.
        defaults.mustAccept(TOPICS.state(DL), pad(ContractJson.write(small), ContractJson.MAX_PAYLOAD_BYTES));
        HostRecord atLimit = defaults.registry.host(DL);
        defaults.ingest.accept(TOPICS.state(DL), pad(bigPayload, ContractJson.MAX_PAYLOAD_BYTES + 1));
        assertThat(defaults.count(REJECTED, "state", "too-large")).isEqualTo(1.0);
        assertThat(defaults.registry.host(DL)).isEqualTo(atLimit);
        assertThat(atLimit.state()).isEqualTo(small);

        // Under the default limit, 100,000 '[' reach the parser: refused as malformed, no StackOverflowError.
        byte[] deep = repeat("[", 100_000);
        defaults.ingest.accept(TOPICS.state(DL), deep);
        defaults.ingest.discovery("homeassistant/sensor/deep/config", deep);
        defaults.ingest.accept(TOPICS.state(DL), repeat("{\"a\":", 100_000));
        assertThat(defaults.count(REJECTED, "state", "malformed")).isEqualTo(2.0);
        assertThat(defaults.count(REJECTED, HA, "malformed")).isEqualTo(1.0);
        assertThat(defaults.registry.host(DL)).isEqualTo(atLimit);
    }

    /**
     * Minimal reproductions of accepted-but-poisonous states found by the fuzz: a state the contract's reader
     * accepts must either be refused ({@code invalid}) or leave a status that builds. On a throwaway host, so the
     * good hosts are untouched either way.
     */
    @Test
    void anAcceptedStateNeverBreaksTheStatusOfEveryHost() {
        String head = "{\"schema\":\"mediawatch.host-state\",\"version\":1,\"host\":\"fz-poison\","
                + "\"timestamp\":\"2026-11-21T13:36:02Z\",\"engine\":{\"reachable\":true}";
        String summary = "\"summary\":{\"total\":0,\"running\":0,\"exited\":0,\"unhealthy\":0,\"missing\":0,\"parked\":0,"
                + "\"unknown\":0,\"restarting\":0,\"byCategory\":%s}";
        Map<String, String> poisons = new LinkedHashMap<>();
        poisons.put("a missing service without a name", head + ",\"missing\":[{\"category\":\"download\"}]}");
        poisons.put("a missing service named null", head + ",\"missing\":[{\"service\":null}]}");
        poisons.put("a category count of null", head + "," + String.format(summary, "{\"download\":null}") + "}");
        List<String> broken = new ArrayList<>();
        for (Map.Entry<String, String> p : poisons.entrySet()) {
            Rig rig = new Rig(ContractJson.MAX_PAYLOAD_BYTES);
            rig.seedGoodHosts();
            StatusReport expected = rig.status(GOOD::contains, List.of());
            rig.ingest.accept(TOPICS.state(HostId.of("fz-poison")), p.getValue().getBytes(StandardCharsets.UTF_8));
            boolean refused = rig.count(REJECTED, "state", "invalid") == 1.0;
            try {
                StatusReport all = rig.status(h -> true, List.of());
                ContractJson.readStatus(ContractJson.write(all));
                for (HostId h : GOOD) {
                    assertThat(all.host(h)).isEqualTo(expected.host(h));
                }
            } catch (Throwable t) {
                broken.add(p.getKey() + " (" + (refused ? "refused" : "accepted") + "): " + t + " at "
                        + frames(t, 4) + "; payload " + p.getValue());
            }
        }
        assertThat(broken).as("accepted states that break the status build").isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ the rig

    static StatusRules rules() {
        return new StatusRules(Duration.ofSeconds(90), Duration.ofMinutes(5), T0.minusSeconds(3600), ServiceCatalogue.EMPTY,
                Set.of(HostId.of("media-stack")),
                List.of(MountLock.parse("download:/mnt/media:rw"), MountLock.parse("streaming:/mnt/media:ro")),
                TOPICS.prefix(), HA);
    }

    /** An ingest with everything it writes to, on a frozen clock. */
    static final class Rig {
        final MutableClock clock = new MutableClock(T0.plusSeconds(1));
        final HostRegistry registry = new HostRegistry(clock, MAX_HOSTS, MAX_EVENTS);
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final AtomicLong changes = new AtomicLong();
        /** The ticker of the warnings' rate limit: still unless a test moves it. */
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);
        final DiscoveryConfigs discovery;
        final Ingest ingest;
        final int maxBytes;
        int seeded;

        Rig(int maxBytes) {
            this.maxBytes = maxBytes;
            this.discovery = new DiscoveryConfigs(HA, MAX_CONFIGS, maxBytes);
            this.ingest = new Ingest(TOPICS, registry, discovery, meters, maxBytes, changes::incrementAndGet, nanos::get);
        }

        void seedGoodHosts() {
            for (HostId h : GOOD) {
                mustAccept(TOPICS.availability(h), Availability.ONLINE.payload());
                mustAccept(TOPICS.state(h), ContractJson.write(goodState(h)));
                mustAccept(TOPICS.mounts(h), ContractJson.write(goodMounts(h)));
                mustAccept(TOPICS.io(h), ContractJson.write(goodIo(h)));
                assertThat(registry.host(h).state()).isEqualTo(goodState(h));
                assertThat(registry.host(h).mounts()).isEqualTo(goodMounts(h));
                assertThat(registry.host(h).io()).isEqualTo(goodIo(h));
                assertThat(registry.host(h).availability()).isEqualTo(Availability.ONLINE);
            }
        }

        void mustAccept(String topic, byte[] payload) {
            double before = sum(RECEIVED);
            ingest.accept(topic, payload);
            assertThat(sum(RECEIVED)).as("accepted on %s", topic).isEqualTo(before + 1);
            assertThat(sum(REJECTED)).as("nothing refused").isZero();
            seeded++;
        }

        Map<HostId, HostRecord> goodRecords() {
            Map<HostId, HostRecord> out = new HashMap<>();
            GOOD.forEach(h -> out.put(h, registry.host(h)));
            return out;
        }

        StatusReport status(Predicate<HostId> which, List<DiscoveryConfigs.Config> configs) {
            return new StatusBuilder(rules()).build(
                    registry.hosts().stream().filter(r -> which.test(r.host())).toList(), configs, clock.instant());
        }

        /** Every ingest counter: {@code received/<kind>} and {@code rejected/<kind>/<reason>}. */
        Map<String, Double> counters() {
            Map<String, Double> out = new HashMap<>();
            for (Meter m : meters.getMeters()) {
                if (m instanceof Counter c) {
                    String name = m.getId().getName();
                    if (name.equals(RECEIVED)) {
                        out.put("received/" + m.getId().getTag("kind"), c.count());
                    } else if (name.equals(REJECTED)) {
                        out.put("rejected/" + m.getId().getTag("kind") + "/" + m.getId().getTag("reason"), c.count());
                    }
                }
            }
            return out;
        }

        double sum(String name) {
            return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
        }

        double count(String name, String kind, String reason) {
            var search = meters.find(name).tag("kind", kind);
            Counter c = reason == null ? search.counter() : search.tag("reason", reason).counter();
            return c == null ? 0 : c.count();
        }

        void assertBounded() {
            assertThat(registry.hosts().size()).as("hosts held").isLessThanOrEqualTo(MAX_HOSTS);
            assertThat(registry.recentEvents().size()).as("recent events held").isLessThanOrEqualTo(MAX_EVENTS);
            assertThat(discovery.size()).as("discovery configs held").isLessThanOrEqualTo(MAX_CONFIGS);
        }

        /** Metric cardinality: kinds of the contract (plus homeassistant) times reasons of the contract. */
        void assertBoundedMetrics() {
            List<String> kinds = new ArrayList<>(HOST_KINDS);
            kinds.add(HA);
            var rejected = meters.find(REJECTED).counters();
            assertThat(rejected).allSatisfy(c -> {
                assertThat(c.getId().getTag("kind")).isIn(kinds);
                assertThat(c.getId().getTag("reason")).isIn(REASONS);
                assertThat(c.getId().getTags()).hasSize(2);
            });
            assertThat(rejected.size()).isLessThanOrEqualTo(kinds.size() * REASONS.size());
            assertThat(meters.find(RECEIVED).counters()).hasSize(kinds.size())
                    .allSatisfy(c -> assertThat(c.getId().getTag("kind")).isIn(kinds));
        }
    }

    // --------------------------------------------------------------------------------------- good payloads

    static HostState goodState(HostId host) {
        EngineState engine = new EngineState(true, "20.10.24+dfsg1", "1.41", null, T0.minusSeconds(4 * 3600));
        Instant created = T0.minusSeconds(86_400);
        if (host.equals(DL)) {
            List<ContainerState> containers = List.of(
                    new ContainerState("0123456789ab", "sabnzbd", "lscr.io/linuxserver/sabnzbd:latest", ContainerStatus.RUNNING,
                            ContainerHealth.HEALTHY, null, "download", "sabnzbd", created, T0.minusSeconds(3600), false, 0,
                            false, "sabnzbd", "download", "running", List.of(new PortBinding(8080, 8080, "tcp", null))),
                    new ContainerState("ba9876543210", "tdarr", "ghcr.io/haveagitgat/tdarr:latest", ContainerStatus.EXITED,
                            ContainerHealth.NONE, 137, "download", "tdarr", created, created.plusSeconds(2), true, 0, false,
                            "tdarr", "media-support", "parked", List.of()),
                    new ContainerState("c0ffee000000", "test-nginx", "nginx:alpine", ContainerStatus.RUNNING,
                            ContainerHealth.NONE, null, null, null, created, created.plusSeconds(1), false, 0, false, null,
                            null, null, List.of()));
            return new HostState(Schema.HOST_STATE.id(), Schema.HOST_STATE.version(), host, "download", "0.1.0", T0, engine,
                    containers, List.of(new MissingService("radarr", "management")),
                    new HostSummary(3, 2, 1, 0, 1, 1, 1, 0, Map.of("download", 1, "management", 1, "media-support", 1)),
                    List.of(new ServiceProbe("sabnzbd", "http://127.0.0.1:8080/api?mode=version", true, 200, 4L, null,
                            T0.minusMillis(223))),
                    "192.168.1.209", null, new EnvAudit(List.of("/opt/stacks"), List.of(), List.of(), T0));
        }
        List<ContainerState> containers = List.of(
                new ContainerState("aaaaaaaaaaaa", "jellyfin", "jellyfin/jellyfin:10.9", ContainerStatus.RUNNING,
                        ContainerHealth.HEALTHY, null, "streaming", "jellyfin", created, T0.minusSeconds(7200), false, 0, false,
                        "jellyfin", "streaming", "running", List.of(new PortBinding(8096, 8096, "tcp", null))),
                new ContainerState("bbbbbbbbbbbb", "jellyseerr", "fallenbagel/jellyseerr:latest", ContainerStatus.RUNNING,
                        ContainerHealth.STARTING, null, "streaming", "jellyseerr", created, T0.minusSeconds(30), false, 2,
                        false, "jellyseerr", "requests", "running",
                        List.of(new PortBinding(5055, 5055, "tcp", "192.168.1.210"))));
        return new HostState(Schema.HOST_STATE.id(), Schema.HOST_STATE.version(), host, "streaming", "0.1.0", T0, engine,
                containers, List.of(), new HostSummary(2, 2, 0, 0, 0, 0, 0, 0, Map.of("requests", 1, "streaming", 1)),
                List.of(new ServiceProbe("jellyfin", "http://127.0.0.1:8096/health", true, 200, 7L, null, T0.minusMillis(500)),
                        new ServiceProbe("jellyseerr", "http://127.0.0.1:5055/api/v1/status", false, null, null,
                                "connection refused", T0.minusMillis(400))),
                "192.168.1.210", null, null);
    }

    static HostMounts goodMounts(HostId host) {
        String mode = host.equals(DL) ? "rw" : "ro";
        MountState media = new MountState("/mnt/media", "nfs4", mode, MountHealth.OK, List.of(), T0.minusSeconds(3600), true,
                "pve:/media", "nfs4", mode, "rw", new NfsOptions("4.2", "tcp", true, 600, 2),
                MountSpace.of(7_999_999_852_544L, 2_300_000_000_000L, 2_199_023_255_552L),
                new NfsStats(5.0, 1_048_576, 524_288, 0.0, 0.0, 0.5, List.of(new NfsOpStats("READ", 12.5, 1.2, 1.5, 0, 0, 0))));
        return HostMounts.of(host, T0, List.of(media));
    }

    static HostIo goodIo(HostId host) {
        PressureLine line = new PressureLine(0.5, 0.4, 0.3, 123_456, 0.2);
        return HostIo.of(host, T0, 5.0, new HostPressure(new Pressure(line, line), new Pressure(line, null), null),
                List.of(new DiskIo("sda", 1_000, 2_000, 1.5, 2.5, 3.0, 2.0, 4.0, 12.5)),
                List.of(new ContainerIo("sabnzbd", "sabnzbd", 100, 2_000, "cgroup", null)), List.of("sabnzbd"));
    }

    static HostEvent goodEvent(HostId host) {
        return HostEvent.of(host, EventTypes.CONTAINER_DIE, T0, "tdarr", "running", "exited", Map.of("exitCode", "137"));
    }

    static byte[] goodPayload(HostId host, Topics.Kind kind) {
        return switch (kind) {
            case AVAILABILITY -> Availability.ONLINE.payload();
            case STATE -> ContractJson.write(goodState(host));
            case MOUNTS -> ContractJson.write(goodMounts(host));
            case IO -> ContractJson.write(goodIo(host));
            case EVENTS -> ContractJson.write(goodEvent(host));
            case ACTIVITY -> ContractJson.write(dev.mediawatch.contract.HostActivity.of(host, T0,
                    List.of(dev.mediawatch.contract.ActivitySource.ok("sabnzbd")), List.of(),
                    new dev.mediawatch.contract.DownloadQueue("downloading", false, 5_000_000, 1_000_000_000, 2, 0), null,
                    List.of(), null));
        };
    }

    // -------------------------------------------------------------------------------------------- the oracle

    /** A message and where it goes. */
    record Msg(int index, boolean discovery, String topic, byte[] payload, String strategy, String label) {
        String describe(long seed) {
            String text = payload == null ? "null" : Text.printable(new String(payload, StandardCharsets.UTF_8), 160);
            return "seed " + seed + " #" + index + " [" + strategy + ": " + label + "] "
                    + (discovery ? "discovery " : "") + "topic '" + Text.printable(String.valueOf(topic), 100) + "', "
                    + (payload == null ? "null payload" : payload.length + " bytes: " + text);
        }
    }

    /** Which counter the contract says must move: one of {@code keys}. */
    record Outcome(Set<String> keys) {
        static Outcome received(String kind) {
            return new Outcome(Set.of("received/" + kind));
        }

        static Outcome rejected(String kind, RejectReason... reasons) {
            return new Outcome(Arrays.stream(reasons).map(r -> "rejected/" + kind + "/" + r.wire())
                    .collect(Collectors.toUnmodifiableSet()));
        }
    }

    /** The contract reader's verdict on a payload on {@code host}'s topic of {@code kind}: null when it is valid. */
    static RejectReason verdict(Topics.Kind kind, byte[] payload, HostId host, int maxBytes, List<String> anomalies) {
        if (kind == Topics.Kind.AVAILABILITY) {
            if (payload.length > 16) {
                return RejectReason.TOO_LARGE;
            }
            return Availability.parse(payload).isPresent() ? null : RejectReason.MALFORMED;
        }
        try {
            switch (kind) {
                case STATE -> ContractJson.readState(payload, host, maxBytes);
                case EVENTS -> ContractJson.readEvent(payload, host, maxBytes);
                case MOUNTS -> ContractJson.readMounts(payload, host, maxBytes);
                case IO -> ContractJson.readIo(payload, host, maxBytes);
                default -> throw new IllegalStateException();
            }
            return null;
        } catch (PayloadRejected e) {
            return e.reason();
        } catch (RuntimeException e) {
            // The reader promises PayloadRejected; the ingest still counts it as invalid.
            anomalies.add("the contract reader threw " + e + " on a " + kind.level() + " payload");
            return RejectReason.INVALID;
        }
    }

    static Outcome expectAccept(Rig rig, String topic, byte[] payload, List<String> anomalies) {
        Optional<Topics.Ref> ref = TOPICS.parse(topic);
        if (ref.isEmpty()) {
            // The kind label of a topic that is not the contract's is one of the contract's kinds (bounded).
            return new Outcome(HOST_KINDS.stream().map(k -> "rejected/" + k + "/bad-topic").collect(Collectors.toSet()));
        }
        Topics.Kind kind = ref.get().kind();
        HostId host = ref.get().host();
        if ((payload == null || payload.length == 0) && kind != Topics.Kind.EVENTS) {
            return Outcome.received(kind.level()); // a retained message deleted
        }
        if (payload == null || payload.length == 0) {
            return Outcome.rejected(kind.level(), RejectReason.MALFORMED);
        }
        RejectReason r = verdict(kind, payload, host, rig.maxBytes, anomalies);
        if (r == RejectReason.TOO_LARGE && kind == Topics.Kind.AVAILABILITY) {
            // Over the 16 bytes an availability can have: too large, or simply not online/offline.
            return Outcome.rejected(kind.level(), RejectReason.TOO_LARGE, RejectReason.MALFORMED);
        }
        if (r != null) {
            return Outcome.rejected(kind.level(), r);
        }
        if (rig.registry.host(host) == null && rig.registry.hosts().size() >= MAX_HOSTS) {
            return Outcome.rejected(kind.level(), RejectReason.HOST_LIMIT);
        }
        return Outcome.received(kind.level());
    }

    static Outcome expectDiscovery(Rig rig, String topic, byte[] payload, List<String> anomalies) {
        String prefix = HA + "/";
        if (topic == null || !topic.startsWith(prefix) || !topic.endsWith("/config")) {
            return Outcome.received(HA); // not a config topic: ignored
        }
        int levels = topic.substring(prefix.length()).split("/", -1).length;
        if (levels < 3 || levels > 4 || payload == null || payload.length == 0) {
            return Outcome.received(HA); // not a config topic, or a config deleted
        }
        if (payload.length > rig.maxBytes) {
            return Outcome.rejected(HA, RejectReason.TOO_LARGE);
        }
        JsonNode root;
        try {
            root = ContractJson.mapper().readTree(payload);
        } catch (IOException e) {
            return Outcome.rejected(HA, RejectReason.MALFORMED);
        } catch (RuntimeException e) {
            anomalies.add("the JSON parser threw " + e + " on a discovery config");
            return Outcome.rejected(HA, RejectReason.INVALID);
        }
        if (root == null || !root.isObject()) {
            return Outcome.rejected(HA, RejectReason.MALFORMED);
        }
        boolean held = rig.discovery.all().stream().anyMatch(c -> c.topic().equals(topic));
        if (!held && rig.discovery.size() >= MAX_CONFIGS) {
            return Outcome.rejected(HA, RejectReason.HOST_LIMIT);
        }
        return Outcome.received(HA);
    }

    // ---------------------------------------------------------------------------------------------- the run

    static final class Run {
        final long seed;
        final List<String> failures = new ArrayList<>();
        int failureCount;
        int sent;
        final Map<String, Integer> byStrategy = new TreeMap<>();
        final Map<String, Integer> byCounter = new TreeMap<>();
        final Map<String, Integer> anomalies = new TreeMap<>();
        /** What was last accepted for a host, by "host/kind", for reporting a culprit. */
        final Map<String, String> lastAccepted = new HashMap<>();
        /** Status problems reported, by host and problem. */
        final Set<String> statusProblems = new java.util.HashSet<>();

        Run(long seed) {
            this.seed = seed;
        }

        void fail(String what) {
            failureCount++;
            if (failures.size() < 25) {
                failures.add(what);
            }
        }

        long rejected() {
            return byCounter.entrySet().stream().filter(e -> e.getKey().startsWith("rejected/")).mapToLong(Map.Entry::getValue)
                    .sum();
        }

        Map<String, Integer> byReason() {
            Map<String, Integer> out = new TreeMap<>();
            byCounter.forEach((k, v) -> {
                if (k.startsWith("rejected/")) {
                    out.merge(k.substring(k.lastIndexOf('/') + 1), v, Integer::sum);
                }
            });
            return out;
        }

        void print(String title, double seconds) {
            Map<String, Integer> accepted = new TreeMap<>();
            byCounter.forEach((k, v) -> {
                if (k.startsWith("received/")) {
                    accepted.put(k.substring("received/".length()), v);
                }
            });
            System.out.printf("%s: seed %d, %d messages in %.2f s; refused %d, by reason %s; accepted %s%n", title, seed,
                    sent, seconds, rejected(), byReason(), accepted);
            System.out.printf("%s: by strategy %s%n", title, byStrategy);
            System.out.printf("%s: counters %s%n", title, byCounter);
            if (!anomalies.isEmpty()) {
                System.out.printf("%s: reader anomalies %s%n", title, anomalies);
            }
        }
    }

    static Run fuzz(Rig rig, long seed, int messages, Map<HostId, HostRecord> good) {
        return fuzz(rig, seed, messages, good, null);
    }

    /**
     * Sends the messages of {@code seed}, checking each against the oracle. With {@code statusCheck}, every message
     * accepted for another host is followed by a status build with that host and the good hosts, which must
     * succeed, encode, read back and show the good hosts as in {@code statusCheck}.
     */
    static Run fuzz(Rig rig, long seed, int messages, Map<HostId, HostRecord> good, StatusReport statusCheck) {
        Run run = new Run(seed);
        Fuzzer fuzzer = new Fuzzer(seed, rig.maxBytes);
        List<String> anomalies = new ArrayList<>();
        Map<String, Double> after = rig.counters();
        for (int i = 0; i < messages; i++) {
            Msg m = fuzzer.next(i);
            run.sent++;
            run.byStrategy.merge(m.strategy(), 1, Integer::sum);
            anomalies.clear();
            Outcome expected;
            try {
                expected = m.discovery() ? expectDiscovery(rig, m.topic(), m.payload(), anomalies)
                        : expectAccept(rig, m.topic(), m.payload(), anomalies);
            } catch (Throwable t) {
                run.fail(m.describe(seed) + ": the contract reader itself failed with " + t + " at " + frames(t, 5));
                expected = null;
            }
            anomalies.forEach(a -> run.anomalies.merge(a, 1, Integer::sum));
            Map<String, Double> before = after;
            long changes = rig.changes.get();
            long registryVersion = rig.registry.version();
            long discoveryVersion = rig.discovery.version();
            try {
                if (m.discovery()) {
                    rig.ingest.discovery(m.topic(), m.payload());
                } else {
                    rig.ingest.accept(m.topic(), m.payload());
                }
            } catch (Throwable t) {
                run.fail(m.describe(seed) + ": escaped the ingest: " + t + " at " + frames(t, 5));
            }
            after = rig.counters();
            List<String> moved = new ArrayList<>();
            after.forEach((k, v) -> {
                double delta = v - before.getOrDefault(k, 0.0);
                if (delta != 0) {
                    moved.add(delta == 1.0 ? k : k + " by " + delta);
                }
            });
            String key = moved.size() == 1 && !moved.get(0).contains(" by ") ? moved.get(0) : "?";
            run.byCounter.merge(key, 1, Integer::sum);
            if (key.equals("?")) {
                run.fail(m.describe(seed) + ": counters moved " + moved + ", expected exactly one by one");
            } else if (expected != null && !expected.keys().contains(key)) {
                run.fail(m.describe(seed) + ": counted as " + key + ", the contract says " + expected.keys());
            }
            if (key.startsWith("rejected/")) {
                if (rig.changes.get() != changes || rig.registry.version() != registryVersion
                        || rig.discovery.version() != discoveryVersion) {
                    run.fail(m.describe(seed) + ": refused (" + key + ") but changed the registry, the discovery configs"
                            + " or asked for a rebuild");
                }
            } else if (key.startsWith("received/") && !m.discovery()) {
                Optional<Topics.Ref> ref = TOPICS.parse(m.topic());
                ref.ifPresent(r -> run.lastAccepted.put(r.host() + "/" + r.kind().level(), m.describe(seed)));
                HostRecord record = ref.map(r -> rig.registry.host(r.host())).orElse(null);
                if (statusCheck != null && record != null && !GOOD.contains(record.host())) {
                    String broken = statusProblem(rig, record, statusCheck, run);
                    // Once per problem and host: every later message of a poisoned host would repeat it.
                    if (broken != null && run.statusProblems.add(record.host() + " " + broken.lines().findFirst().orElse("")
                            .replaceFirst("^\\S+ ", ""))) {
                        run.fail(m.describe(seed) + ": accepted, and then " + broken);
                    }
                }
            }
            for (HostId h : GOOD) {
                HostRecord now = rig.registry.host(h);
                if (good.get(h) != now && !good.get(h).equals(now)) {
                    run.fail(m.describe(seed) + ": changed the good host " + h + " to " + now);
                    return run; // everything after would be measured against a corrupted host
                }
            }
            if (rig.registry.hosts().size() > MAX_HOSTS || rig.registry.recentEvents().size() > MAX_EVENTS
                    || rig.discovery.size() > MAX_CONFIGS) {
                run.fail(m.describe(seed) + ": a table grew past its bound: hosts " + rig.registry.hosts().size()
                        + ", events " + rig.registry.recentEvents().size() + ", configs " + rig.discovery.size());
            }
        }
        return run;
    }

    /** What goes wrong building the status of the good hosts and {@code r}; null when nothing does. */
    static String statusProblem(Rig rig, HostRecord r, StatusReport expected, Run run) {
        List<HostRecord> records = new ArrayList<>();
        GOOD.forEach(h -> records.add(rig.registry.host(h)));
        records.add(r);
        try {
            StatusReport report = new StatusBuilder(rules()).build(records, List.of(), rig.clock.instant());
            ContractJson.readStatus(ContractJson.write(report));
            for (HostId h : GOOD) {
                if (!report.host(h).equals(expected.host(h))) {
                    return r.host() + " changed the status of " + h;
                }
            }
            return null;
        } catch (Throwable t) {
            return culprit(r, t, run);
        }
    }

    static String culprit(HostRecord r, Throwable t, Run run) {
        StringBuilder s = new StringBuilder("host " + r.host() + ": " + t + " at " + frames(t, 4));
        for (Topics.Kind k : List.of(Topics.Kind.STATE, Topics.Kind.MOUNTS, Topics.Kind.IO)) {
            Object held = switch (k) {
                case STATE -> r.state();
                case MOUNTS -> r.mounts();
                default -> r.io();
            };
            if (held != null) {
                s.append("\n    ").append(k.level()).append(" held: ")
                        .append(Text.printable(new String(ContractJson.write(held), StandardCharsets.UTF_8), 700))
                        .append("\n    from ").append(run.lastAccepted.get(r.host() + "/" + k.level()));
            }
        }
        return s.toString();
    }

    static String frames(Throwable t, int n) {
        return Arrays.stream(t.getStackTrace()).limit(n).map(StackTraceElement::toString)
                .collect(Collectors.joining(" < "));
    }

    static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            least = Math.min(least, rt.totalMemory() - rt.freeMemory());
        }
        return least;
    }

    // -------------------------------------------------------------------------------------------- the fuzzer

    /** Deterministic from its seed: the same seed gives the same messages, whatever the ingest did with them. */
    static final class Fuzzer {

        private static final Topics.Kind[] GOOD_KINDS = { Topics.Kind.STATE, Topics.Kind.STATE, Topics.Kind.STATE,
                Topics.Kind.MOUNTS, Topics.Kind.MOUNTS, Topics.Kind.IO, Topics.Kind.IO, Topics.Kind.EVENTS,
                Topics.Kind.EVENTS, Topics.Kind.AVAILABILITY };
        private static final String[] SCHEMAS = { "mediawatch.host-state", "mediawatch.host-event", "mediawatch.host-mounts",
                "mediawatch.host-io", "mediawatch.command", "mediawatch.status", "mediawatch.refresh", "",
                "MEDIAWATCH.HOST-STATE", "mediawatch.host-state ", "mediawatch.host-state\u0000", "mediawatch.host_state",
                "mediawatch.host-statex", "mediawatch", "homeassistant" };
        private static final String[] BAD_HOSTS = { "Download-Stack", "download_stack", "-download", "download-", "",
                "a".repeat(64), "dl stack", "dl\u0000", "ünï", "..", ".", "$sys", "+", "#", "download-stack ",
                " download-stack", "DOWNLOAD-STACK", "dl\nstack", "dl\u001b[31m", "dl/", "x".repeat(300) };
        private static final String[] BAD_KINDS = { "status", "cmd", "State", "state ", "availabilityx", "", "+", "#",
                "events/", "io/x", "mounts\u0000", "config", "STATE" };
        private static final String[] FIELD_NAMES = { "schema", "version", "host", "role", "agentVersion", "timestamp",
                "engine", "reachable", "containers", "name", "id", "image", "state", "health", "exitCode", "ports",
                "hostPort", "missing", "service", "summary", "total", "byCategory", "probes", "up", "mounts", "path",
                "health", "since", "mounted", "space", "usedPct", "disks", "device", "type", "subject", "detail",
                "intervalSeconds", "pressure", "topWriters", "unique_id", "__proto__", "", "\u0000", "a.b" };
        private static final byte[][] BAD_UTF8 = { { (byte) 0xC0, (byte) 0xAF }, { (byte) 0xFF }, { (byte) 0xFE },
                { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 },
                { (byte) 0xE2, (byte) 0x82 }, { (byte) 0x80 }, { (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80 },
                { (byte) 0xC3 } };
        private static final String[] EVIL_STRINGS = { "", " ", "bogus", "\u0000", "\u001b[2J\u001b[31mFAKE LOG LINE\r\n",
                "\ud800", "\udfff", "line1\nline2", "\u202e", "null", "NaN", "Infinity", "-Infinity", "1", "true",
                "2026-13-45T99:99:99Z", "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "download-stack",
                "streaming-stack", "%s%n%x", "${jndi:ldap://x}", "\uFEFF" };

        private static final String DEEP = "@@deep@@";

        private final Random rnd;
        private final int maxBytes;
        private String deepRaw;
        private final List<String> scratch = new ArrayList<>();
        private final Map<HostId, Map<Topics.Kind, byte[]>> valid = new HashMap<>();
        private final Map<String, ObjectNode> trees = new HashMap<>();
        private final List<HostId> throwaway = new ArrayList<>();

        Fuzzer(long seed, int maxBytes) {
            this.rnd = new Random(seed);
            this.maxBytes = maxBytes;
            for (HostId h : GOOD) {
                Map<Topics.Kind, byte[]> m = new HashMap<>();
                for (Topics.Kind k : Topics.Kind.values()) {
                    m.put(k, goodPayload(h, k));
                    if (k != Topics.Kind.AVAILABILITY) {
                        try {
                            trees.put(h.value() + "/" + k.level(), (ObjectNode) ContractJson.mapper().readTree(m.get(k)));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                valid.put(h, m);
            }
            for (int i = 0; i < THROWAWAY_HOSTS; i++) {
                throwaway.add(HostId.of(String.format("fz-%02d", i)));
            }
        }

        Msg next(int index) {
            int p = rnd.nextInt(100);
            if (p < 18) {
                return randomBytes(index);
            } else if (p < 30) {
                return randomJson(index);
            } else if (p < 52) {
                return byteMutation(index);
            } else if (p < 77) {
                return treeMutation(index);
            } else if (p < 84) {
                return badTopic(index);
            } else if (p < 92) {
                return discovery(index);
            } else if (p < 97) {
                return throwawayTraffic(index);
            } else if (p < 99) {
                return special(index);
            }
            return replay(index);
        }

        // --- routing

        private HostId goodHost() {
            return rnd.nextBoolean() ? DL : ST;
        }

        private Topics.Kind goodKind() {
            return GOOD_KINDS[rnd.nextInt(GOOD_KINDS.length)];
        }

        private HostId throwawayHost() {
            return throwaway.get(rnd.nextInt(throwaway.size()));
        }

        /**
         * A payload aimed at a good host's topic. Still valid (it would legitimately change the host) or empty on a
         * retained topic (a deletion): sent to a throwaway host instead, with its host rewritten to match.
         */
        private Msg toGood(int index, String strategy, String label, HostId good, Topics.Kind kind, byte[] payload) {
            boolean empty = payload == null || payload.length == 0;
            if (empty && kind != Topics.Kind.EVENTS) {
                HostId t = throwawayHost();
                return new Msg(index, false, TOPICS.topic(t, kind), payload, strategy, label + ", a deletion: to " + t);
            }
            scratch.clear();
            if (!empty && verdict(kind, payload, good, maxBytes, scratch) == null) {
                HostId t = throwawayHost();
                return new Msg(index, false, TOPICS.topic(t, kind), rehost(kind, payload, t), strategy,
                        label + ", still valid: to " + t);
            }
            return new Msg(index, false, TOPICS.topic(good, kind), payload, strategy, label);
        }

        private static byte[] rehost(Topics.Kind kind, byte[] payload, HostId host) {
            if (kind == Topics.Kind.AVAILABILITY) {
                return payload;
            }
            try {
                JsonNode root = ContractJson.mapper().readTree(payload);
                ((ObjectNode) root).put("host", host.value());
                return ContractJson.mapper().writeValueAsBytes(root);
            } catch (Exception e) {
                return payload;
            }
        }

        // --- strategies

        private Msg randomBytes(int index) {
            byte[] b = new byte[randomLength()];
            if (rnd.nextBoolean()) {
                rnd.nextBytes(b);
            } else {
                byte[] alphabet = "{}[]\":,0123456789.-+eEtrufalsn \\u\n\t".getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < b.length; i++) {
                    b[i] = alphabet[rnd.nextInt(alphabet.length)];
                }
            }
            String label = b.length + " random bytes";
            int where = rnd.nextInt(10);
            if (where < 7) {
                return toGood(index, "random-bytes", label, goodHost(), goodKind(), b);
            } else if (where < 8) {
                return new Msg(index, false, TOPICS.topic(throwawayHost(), goodKind()), b, "random-bytes", label + " to a throwaway host");
            } else if (where < 9) {
                return new Msg(index, false, badTopicName(), b, "random-bytes", label + " on a bad topic");
            }
            return new Msg(index, true, discoveryTopic(), b, "random-bytes", label + " as a discovery config");
        }

        private int randomLength() {
            int p = rnd.nextInt(100);
            if (p < 3) {
                return 0;
            } else if (p < 28) {
                return 1 + rnd.nextInt(16);
            } else if (p < 60) {
                return 17 + rnd.nextInt(500);
            } else if (p < 90) {
                return 513 + rnd.nextInt(7680);
            } else if (p < 97) {
                return 8193 + rnd.nextInt(maxBytes - 8192);
            }
            return maxBytes + 1 + rnd.nextInt(2048);
        }

        private Msg randomJson(int index) {
            HostId good = goodHost();
            Topics.Kind kind = goodKind();
            JsonNode root;
            if (rnd.nextInt(5) == 0) {
                root = randomValue(0);
            } else {
                ObjectNode o = NODES.objectNode();
                if (rnd.nextInt(3) > 0) {
                    o.put("schema", rnd.nextInt(3) > 0 ? schemaOf(kind) : SCHEMAS[rnd.nextInt(SCHEMAS.length)]);
                }
                if (rnd.nextInt(3) > 0) {
                    o.set("version", rnd.nextInt(3) > 0 ? NODES.numberNode(1) : evilVersion());
                }
                if (rnd.nextInt(3) > 0) {
                    o.put("host", rnd.nextInt(3) > 0 ? good.value() : (rnd.nextBoolean() ? other(good).value() : throwawayHost().value()));
                }
                if (rnd.nextBoolean()) {
                    o.set("timestamp", rnd.nextInt(3) > 0 ? NODES.textNode(T0.toString()) : randomValue(3));
                }
                int fields = rnd.nextInt(8);
                for (int i = 0; i < fields; i++) {
                    o.set(FIELD_NAMES[rnd.nextInt(FIELD_NAMES.length)], randomValue(1));
                }
                root = o;
            }
            byte[] b = write(root);
            return toGood(index, "random-json", "random JSON " + Text.printable(new String(b, StandardCharsets.UTF_8), 60),
                    good, kind, b);
        }

        private Msg byteMutation(int index) {
            HostId good = goodHost();
            Topics.Kind kind = goodKind();
            byte[] b = valid.get(good).get(kind);
            int rounds = 1 + rnd.nextInt(3);
            StringBuilder label = new StringBuilder();
            for (int i = 0; i < rounds; i++) {
                label.append(i == 0 ? "" : ", ");
                b = mutateBytes(b, label);
            }
            return toGood(index, "byte-mutation", kind.level() + ": " + label, good, kind, b);
        }

        private byte[] mutateBytes(byte[] in, StringBuilder label) {
            if (in.length == 0) {
                label.append("empty");
                return in;
            }
            int at = rnd.nextInt(in.length);
            switch (rnd.nextInt(13)) {
                case 0 -> {
                    byte[] b = in.clone();
                    int flips = 1 + rnd.nextInt(8);
                    for (int i = 0; i < flips; i++) {
                        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                    label.append(flips).append(" bit flips");
                    return b;
                }
                case 1 -> {
                    label.append("truncated at ").append(at);
                    return Arrays.copyOf(in, at);
                }
                case 2 -> {
                    int end = at + rnd.nextInt(in.length - at) + 1;
                    label.append("bytes ").append(at).append('-').append(end).append(" duplicated");
                    return splice(in, end, Arrays.copyOfRange(in, at, end), 0);
                }
                case 3 -> {
                    int len = 1 + rnd.nextInt(Math.min(64, in.length - at));
                    label.append(len).append(" bytes deleted at ").append(at);
                    return splice(in, at, new byte[0], len);
                }
                case 4 -> {
                    byte[] junk = new byte[1 + rnd.nextInt(16)];
                    rnd.nextBytes(junk);
                    label.append(junk.length).append(" random bytes inserted at ").append(at);
                    return splice(in, at, junk, 0);
                }
                case 5 -> {
                    byte[] bad = BAD_UTF8[rnd.nextInt(BAD_UTF8.length)];
                    label.append("invalid UTF-8 ").append(hex(bad)).append(" at ").append(at);
                    return splice(in, at, bad, rnd.nextBoolean() ? 0 : 1);
                }
                case 6 -> {
                    String[] tails = { "}", " x", "{}", "\u0000", ",", "]", "\n{\"schema\":1}", "null", "/* */" };
                    if (rnd.nextInt(4) == 0) {
                        label.append("the payload twice");
                        return splice(in, in.length, in, 0);
                    }
                    String tail = tails[rnd.nextInt(tails.length)];
                    label.append("trailing ").append(Text.printable(tail, 20));
                    return splice(in, in.length, tail.getBytes(StandardCharsets.UTF_8), 0);
                }
                case 7 -> {
                    byte[] b = in.clone();
                    b[at] = (byte) (rnd.nextInt(5) == 0 ? 0x7f : rnd.nextInt(0x20));
                    label.append("control byte ").append(b[at]).append(" at ").append(at);
                    return b;
                }
                case 8 -> {
                    byte[] b = in.clone();
                    int other = rnd.nextInt(b.length);
                    byte x = b[at];
                    b[at] = b[other];
                    b[other] = x;
                    label.append("bytes ").append(at).append(" and ").append(other).append(" swapped");
                    return b;
                }
                case 9 -> {
                    int digit = indexOfDigit(in, at);
                    if (digit < 0) {
                        label.append("no digit");
                        return in;
                    }
                    int n = 20 + rnd.nextInt(2_000);
                    label.append(n).append(" digits at ").append(digit);
                    return splice(in, digit, repeat("9", n), 1);
                }
                case 10 -> {
                    Charset[] charsets = { StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16,
                            Charset.forName("UTF-32") };
                    if (rnd.nextInt(3) == 0) {
                        label.append("UTF-8 BOM");
                        return splice(in, 0, new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF }, 0);
                    }
                    Charset cs = charsets[rnd.nextInt(charsets.length)];
                    label.append("re-encoded as ").append(cs);
                    return new String(in, StandardCharsets.UTF_8).getBytes(cs);
                }
                case 11 -> {
                    byte[] b = in.clone();
                    b[at] = (byte) rnd.nextInt(256);
                    label.append("byte ").append(at).append(" set to ").append(b[at] & 0xff);
                    return b;
                }
                default -> {
                    // A quoted value replaced by another quoted token from the payload: values swapped by bytes.
                    label.append("a quote removed at ").append(at);
                    int q = indexOf(in, (byte) '"', at);
                    return q < 0 ? in : splice(in, q, new byte[0], 1);
                }
            }
        }

        private Msg treeMutation(int index) {
            HostId good = goodHost();
            Topics.Kind kind = goodKind();
            if (kind == Topics.Kind.AVAILABILITY) {
                return availabilityMutation(index, good);
            }
            ObjectNode root = trees.get(good.value() + "/" + kind.level()).deepCopy();
            String label = mutateTree(root, kind, good);
            byte[] b = write(root);
            return toGood(index, "tree-mutation", kind.level() + ": " + label, good, kind, b);
        }

        private String mutateTree(ObjectNode root, Topics.Kind kind, HostId good) {
            List<Slot> slots = new ArrayList<>();
            collect(root, "", slots);
            Slot s = slots.get(rnd.nextInt(slots.size()));
            switch (rnd.nextInt(13)) {
                case 0 -> {
                    JsonNode v = evilValue();
                    s.set(v);
                    return s.path + " = " + Text.printable(v.toString(), 40);
                }
                case 1 -> {
                    s.remove();
                    return s.path + " removed";
                }
                case 2 -> {
                    Slot o = slots.get(rnd.nextInt(slots.size()));
                    if (o.parent == s.parent || isAncestor(s.get(), o.parent) || isAncestor(o.get(), s.parent)) {
                        s.set(NODES.nullNode());
                        return s.path + " = null (swap with itself or an ancestor)";
                    }
                    JsonNode a = s.get().deepCopy();
                    JsonNode b = o.get().deepCopy();
                    s.set(b);
                    o.set(a);
                    return s.path + " <-> " + o.path;
                }
                case 3 -> {
                    JsonNode v = evilVersion();
                    if (v == null) {
                        root.remove("version");
                        return "version removed";
                    }
                    root.set("version", v);
                    return "version = " + Text.printable(v.toString(), 40);
                }
                case 4 -> {
                    int c = rnd.nextInt(SCHEMAS.length + 3);
                    if (c == SCHEMAS.length) {
                        root.remove("schema");
                        return "schema removed";
                    } else if (c > SCHEMAS.length) {
                        root.set("schema", c == SCHEMAS.length + 1 ? NODES.nullNode() : NODES.numberNode(7));
                        return "schema = " + root.get("schema");
                    }
                    root.put("schema", SCHEMAS[c]);
                    return "schema = " + Text.printable(SCHEMAS[c], 40);
                }
                case 5 -> {
                    int c = rnd.nextInt(6);
                    switch (c) {
                        case 0, 1 -> root.put("host", other(good).value()); // spoofing the other good host
                        case 2 -> root.put("host", throwawayHost().value()); // spoofing any valid host
                        case 3 -> root.put("host", BAD_HOSTS[rnd.nextInt(BAD_HOSTS.length)]);
                        case 4 -> root.set("host", rnd.nextBoolean() ? NODES.nullNode() : NODES.numberNode(42));
                        default -> root.remove("host");
                    }
                    return "host = " + Text.printable(String.valueOf(root.get("host")), 40);
                }
                case 6 -> {
                    int depth = 100 + rnd.nextInt(5_000);
                    s.set(nested(depth, rnd.nextBoolean()));
                    return s.path + " nested " + depth + " deep";
                }
                case 7 -> {
                    List<Slot> enums = slots.stream().filter(x -> x.field != null && List.of("state", "health", "protocol", "expected", "mode",
                            "superblockMode", "reachable", "mounted", "up", "type").contains(x.field)).toList();
                    Slot e = enums.isEmpty() ? s : enums.get(rnd.nextInt(enums.size()));
                    String[] unknown = { "bogus", "RUNNING", "", "hung ", "wrong_mode", "Ok", "exited\u0000", "1" };
                    e.set(NODES.textNode(unknown[rnd.nextInt(unknown.length)]));
                    return e.path + " = unknown value " + Text.printable(e.get().toString(), 20);
                }
                case 8 -> {
                    List<Slot> numbers = slots.stream().filter(x -> x.get().isNumber()).toList();
                    Slot n = numbers.isEmpty() ? s : numbers.get(rnd.nextInt(numbers.size()));
                    long[] negatives = { -1, -137, Integer.MIN_VALUE, Long.MIN_VALUE };
                    n.set(NODES.numberNode(negatives[rnd.nextInt(negatives.length)]));
                    return n.path + " negative " + n.get();
                }
                case 9 -> {
                    List<Slot> texts = slots.stream().filter(x -> x.get().isTextual()).toList();
                    Slot t = texts.isEmpty() ? s : texts.get(rnd.nextInt(texts.size()));
                    String v = EVIL_STRINGS[rnd.nextInt(EVIL_STRINGS.length)];
                    t.set(NODES.textNode(rnd.nextInt(8) == 0 ? v.repeat(1 + rnd.nextInt(2_000)) : v));
                    return t.path + " = " + Text.printable(v, 30);
                }
                case 10 -> {
                    s.set(NODES.nullNode());
                    return s.path + " = null";
                }
                case 11 -> {
                    List<Slot> numbers = slots.stream().filter(x -> x.get().isNumber()).toList();
                    Slot n = numbers.isEmpty() ? s : numbers.get(rnd.nextInt(numbers.size()));
                    JsonNode[] huge = { NODES.numberNode(new BigInteger("1" + "0".repeat(400))),
                            NODES.numberNode(new BigDecimal("1e400")), NODES.numberNode(Long.MAX_VALUE),
                            NODES.numberNode(1e308), NODES.numberNode(2147483648L), NODES.numberNode(4294967297L),
                            NODES.numberNode(new BigDecimal("-0.0")), NODES.numberNode(1e-320), NODES.textNode("NaN"),
                            NODES.textNode("Infinity"), NODES.numberNode(1.5) };
                    n.set(huge[rnd.nextInt(huge.length)]);
                    return n.path + " = " + Text.printable(n.get().toString(), 30);
                }
                default -> {
                    JsonNode v = s.get();
                    JsonNode confused = v.isObject() ? NODES.arrayNode().add(v.deepCopy())
                            : v.isArray() ? NODES.objectNode().set("0", v.deepCopy())
                            : v.isTextual() ? NODES.numberNode(v.asText().length())
                            : NODES.textNode(v.asText());
                    s.set(confused);
                    return s.path + " type changed to " + confused.getNodeType();
                }
            }
        }

        private Msg availabilityMutation(int index, HostId good) {
            String[] texts = { "ONLINE", "Online", " online", "online\n", "online\u0000", "onlin", "onlinee", "offline ",
                    "offline", "\"online\"", "online offline", "1", "true", "{}", "null", "online" + " ".repeat(11),
                    "  online  ", "\uFEFFonline", "ｏｎｌｉｎｅ", "on\u200bline", "offline\r\n", "\u0000", "online!",
                    "o", "OFFLINE", "{\"availability\":\"online\"}" };
            byte[] b;
            String label;
            int c = rnd.nextInt(10);
            if (c < 6) {
                String t = texts[rnd.nextInt(texts.length)];
                b = t.getBytes(StandardCharsets.UTF_8);
                label = "availability '" + Text.printable(t, 30) + "'";
            } else if (c < 7) {
                b = "online".getBytes(StandardCharsets.UTF_16);
                label = "availability online in UTF-16";
            } else if (c < 9) {
                StringBuilder l = new StringBuilder("availability ");
                b = mutateBytes(rnd.nextBoolean() ? "online".getBytes(StandardCharsets.US_ASCII)
                        : "offline".getBytes(StandardCharsets.US_ASCII), l);
                label = l.toString();
            } else {
                b = new byte[rnd.nextInt(64)];
                rnd.nextBytes(b);
                label = "availability of " + b.length + " random bytes";
            }
            return toGood(index, "availability", label, good, Topics.Kind.AVAILABILITY, b);
        }

        private Msg badTopic(int index) {
            String topic = badTopicName();
            HostId good = goodHost();
            Topics.Kind kind = goodKind();
            byte[] b;
            String label;
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    // A valid payload that would corrupt the good host if the topic were taken for its own.
                    b = corrupting(good, kind);
                    label = "a valid but different " + kind.level() + " of " + good;
                }
                case 1 -> {
                    b = valid.get(other(good)).get(kind);
                    label = "the other good host's " + kind.level();
                }
                case 2 -> {
                    StringBuilder l = new StringBuilder("mutated " + kind.level() + ": ");
                    b = mutateBytes(valid.get(good).get(kind), l);
                    label = l.toString();
                }
                default -> {
                    b = rnd.nextBoolean() ? new byte[0] : null;
                    label = b == null ? "null payload" : "empty payload";
                }
            }
            return new Msg(index, false, topic, b, "bad-topic", label);
        }

        private String badTopicName() {
            HostId good = goodHost();
            String kind = goodKind().level();
            String p = TOPICS.prefix();
            return switch (rnd.nextInt(14)) {
                case 0, 1, 2 -> p + "/" + BAD_HOSTS[rnd.nextInt(BAD_HOSTS.length)] + "/" + kind;
                case 3 -> p + "/" + good + "/" + kind + "/extra";
                case 4 -> p + "/" + good + "/" + kind + "/";
                case 5, 6 -> p + "/" + good + "/" + BAD_KINDS[rnd.nextInt(BAD_KINDS.length)];
                case 7 -> p + "/" + good;
                case 8 -> p + "/" + good + "/cmd/refresh";
                case 9 -> {
                    String[] odd = { p, p + "/", "", "/" + p + "/" + good + "/" + kind, "Mediawatch/" + good + "/" + kind,
                            p + "x/" + good + "/" + kind, "other/" + good + "/" + kind, p + "/status", p + "//" + kind,
                            p + "/" + good + "//" + kind, p + "/+/" + kind, p + "/#", "#", "+/+/+" };
                    yield odd[rnd.nextInt(odd.length)];
                }
                case 10 -> rnd.nextInt(4) == 0 ? null : p + "/" + "x".repeat(64 + rnd.nextInt(5_000)) + "/" + kind;
                case 11 -> p + "/" + good + (rnd.nextBoolean() ? "\u0000" : "\n") + "/" + kind;
                case 12 -> p + "/" + good + "/" + kind + "\u0000";
                default -> p + "/" + randomText(1 + rnd.nextInt(20)) + "/" + kind;
            };
        }

        private Msg discovery(int index) {
            String topic = discoveryTopic();
            byte[] b;
            String label;
            switch (rnd.nextInt(12)) {
                case 0, 1, 2, 3 -> {
                    b = write(discoveryConfig());
                    label = "a config";
                }
                case 4 -> {
                    b = rnd.nextBoolean() ? new byte[0] : null;
                    label = "a deletion";
                }
                case 5 -> {
                    b = new byte[randomLength()];
                    rnd.nextBytes(b);
                    label = b.length + " random bytes";
                }
                case 6 -> {
                    b = write(randomValue(0));
                    label = "a random JSON value";
                }
                case 7 -> {
                    StringBuilder l = new StringBuilder("a mutated config: ");
                    b = mutateBytes(write(discoveryConfig()), l);
                    label = l.toString();
                }
                case 8 -> {
                    int depth = 100 + rnd.nextInt(maxBytes - 100);
                    b = repeat(rnd.nextBoolean() ? "[" : "{\"a\":", depth / 5);
                    label = "nested " + depth / 5;
                }
                case 9 -> {
                    b = pad(write(discoveryConfig()), maxBytes + 1 + rnd.nextInt(100));
                    label = "a config padded over the limit";
                }
                case 10 -> {
                    ObjectNode c = discoveryConfig();
                    c.put("name", randomText(1 + rnd.nextInt(4_000)));
                    c.set("device", rnd.nextBoolean() ? randomValue(1) : NODES.objectNode().put("name", randomText(40)));
                    b = write(c);
                    label = "a config with odd names";
                }
                default -> {
                    ObjectNode o = NODES.objectNode();
                    int n = rnd.nextInt(6);
                    for (int i = 0; i < n; i++) {
                        o.set(FIELD_NAMES[rnd.nextInt(FIELD_NAMES.length)], randomValue(1));
                    }
                    b = write(o);
                    label = "a random object";
                }
            }
            return new Msg(index, true, topic, b, "discovery", label);
        }

        private String discoveryTopic() {
            String[] components = { "sensor", "binary_sensor", "switch", "button" };
            String component = components[rnd.nextInt(components.length)];
            String object = "obj-" + rnd.nextInt(60);
            return switch (rnd.nextInt(10)) {
                case 0, 1, 2, 3 -> HA + "/" + component + "/" + object + "/config";
                case 4, 5 -> HA + "/" + component + "/node-" + rnd.nextInt(3) + "/" + object + "/config";
                case 6 -> {
                    String[] odd = { HA + "/config", HA + "/" + component + "/config", HA + "/a/b/c/d/config",
                            HA + "/" + component + "/" + object + "/state", HA, HA + "/", "", "other/sensor/x/config",
                            HA + "//" + object + "/config", HA + "/" + component + "//config" };
                    yield odd[rnd.nextInt(odd.length)];
                }
                case 7 -> null;
                case 8 -> HA + "/" + component + "/" + randomText(1 + rnd.nextInt(300)) + "/config";
                default -> HA + "/" + component + "/" + "y".repeat(1 + rnd.nextInt(3_000)) + "/config";
            };
        }

        private ObjectNode discoveryConfig() {
            ObjectNode c = NODES.objectNode();
            if (rnd.nextInt(4) > 0) {
                c.put(rnd.nextBoolean() ? "unique_id" : "uniq_id", "mw_" + rnd.nextInt(40));
            }
            if (rnd.nextBoolean()) {
                c.put("name", "Container " + rnd.nextInt(20));
            }
            if (rnd.nextInt(3) == 0) {
                c.put(rnd.nextBoolean() ? "object_id" : "default_entity_id", "sensor.mw_" + rnd.nextInt(20));
            }
            if (rnd.nextBoolean()) {
                c.set("device", NODES.objectNode().put("name", "Download stack"));
            }
            c.put("state_topic", TOPICS.state(DL));
            return c;
        }

        private Msg throwawayTraffic(int index) {
            HostId t = throwawayHost();
            HostId source = goodHost();
            switch (rnd.nextInt(10)) {
                case 0, 1, 2, 3 -> {
                    Topics.Kind k = goodKind();
                    return new Msg(index, false, TOPICS.topic(t, k), rehost(k, valid.get(source).get(k), t), "throwaway",
                            "a valid " + k.level());
                }
                case 4, 5 -> {
                    Topics.Kind k = Topics.Kind.values()[rnd.nextInt(Topics.Kind.values().length)];
                    byte[] b = rnd.nextBoolean() ? new byte[0] : null;
                    return new Msg(index, false, TOPICS.topic(t, k), b, "throwaway",
                            (b == null ? "null" : "empty") + " on " + k.level());
                }
                case 6 -> {
                    // Empty is a deletion only on retained topics: on a good host's events topic it is refused.
                    byte[] b = rnd.nextBoolean() ? new byte[0] : null;
                    return new Msg(index, false, TOPICS.events(source), b, "throwaway",
                            (b == null ? "null" : "empty") + " event to a good host");
                }
                case 7 -> {
                    Availability a = rnd.nextBoolean() ? Availability.ONLINE : Availability.OFFLINE;
                    return new Msg(index, false, TOPICS.availability(t), a.payload(), "throwaway", a.wire());
                }
                default -> {
                    HostEvent e = HostEvent.of(t, rnd.nextBoolean() ? EventTypes.CONTAINER_START : "future.thing",
                            T0.plusSeconds(rnd.nextInt(1000)), "c" + rnd.nextInt(9), null, null, Map.of());
                    return new Msg(index, false, TOPICS.events(t), ContractJson.write(e), "throwaway", "an event");
                }
            }
        }

        private Msg special(int index) {
            HostId good = goodHost();
            Topics.Kind kind = Topics.Kind.values()[1 + rnd.nextInt(4)]; // a JSON kind
            byte[] validBytes = valid.get(good).get(kind);
            String v = new String(validBytes, StandardCharsets.UTF_8);
            return switch (rnd.nextInt(10)) {
                case 0 -> toGood(index, "special", "100,000 '['", good, kind, repeat("[", Math.min(100_000, maxBytes)));
                case 1 -> toGood(index, "special", "20,000 '{\"a\":'", good, kind, repeat("{\"a\":", 20_000));
                case 2 -> {
                    int depth = 1_000 + rnd.nextInt(30_000);
                    String deep = "[".repeat(depth) + "]".repeat(depth);
                    yield toGood(index, "special", "a field nested " + depth + " deep", good, kind,
                            ("{\"deep\":" + deep + "," + v.substring(1)).getBytes(StandardCharsets.UTF_8));
                }
                case 3 -> toGood(index, "special", "version of 2000 digits", good, kind,
                        v.replace("\"version\":1", "\"version\":" + "9".repeat(2_000)).getBytes(StandardCharsets.UTF_8));
                case 4 -> {
                    String[] tokens = { "NaN", "Infinity", "-Infinity", "1e999999", "-0", "1.0", "01", "0x1", "+1", "1e0",
                            "1.0000000000000000001", "4294967297", "-4294967295", "true", "\"1\"", "[1]", "{}" };
                    String t = tokens[rnd.nextInt(tokens.length)];
                    yield toGood(index, "special", "version " + t, good, kind,
                            v.replace("\"version\":1", "\"version\":" + t).getBytes(StandardCharsets.UTF_8));
                }
                case 5 -> toGood(index, "special", "padded one byte over the limit", good, kind, pad(validBytes, maxBytes + 1));
                case 6 -> toGood(index, "special", "padded to exactly the limit", good, kind, pad(validBytes, maxBytes));
                case 7 -> toGood(index, "special", "a 100,000-character role", good, kind,
                        v.replace("\"host\":", "\"role\":\"" + "r".repeat(100_000) + "\",\"host\":").getBytes(StandardCharsets.UTF_8));
                case 8 -> {
                    // Hundreds of containers: large, valid if it fits.
                    String c = "{\"id\":\"0123456789ab\",\"name\":\"c\",\"state\":\"running\",\"health\":\"none\",\"oomKilled\":false,"
                            + "\"restartCount\":0,\"restartLoop\":false}";
                    int n = 100 + rnd.nextInt(900);
                    String many = String.join(",", java.util.Collections.nCopies(n, c));
                    String state = "{\"schema\":\"mediawatch.host-state\",\"version\":1,\"host\":\"" + good
                            + "\",\"timestamp\":\"2026-11-21T13:36:02Z\",\"engine\":{\"reachable\":true},\"containers\":["
                            + many + "]}";
                    yield toGood(index, "special", n + " containers", good, Topics.Kind.STATE,
                            state.getBytes(StandardCharsets.UTF_8));
                }
                default -> toGood(index, "special", "NUL bytes", good, kind, new byte[1 + rnd.nextInt(maxBytes)]);
            };
        }

        private Msg replay(int index) {
            HostId good = goodHost();
            Topics.Kind kind = goodKind();
            return new Msg(index, false, TOPICS.topic(good, kind), valid.get(good).get(kind), "replay",
                    "the good " + kind.level() + " again");
        }

        // --- values

        private byte[] corrupting(HostId good, Topics.Kind kind) {
            return switch (kind) {
                case AVAILABILITY -> Availability.OFFLINE.payload();
                case STATE -> ContractJson.write(HostState.of(good, "hijacked", "6.6.6", T0,
                        EngineState.unreachable("gone", T0), List.of()));
                case MOUNTS -> ContractJson.write(HostMounts.of(good, T0, List.of()));
                case IO -> ContractJson.write(HostIo.of(good, T0, 0, null, List.of(), List.of(), List.of()));
                case EVENTS -> ContractJson.write(HostEvent.of(good, EventTypes.ENGINE_UNREACHABLE, T0, "engine", null, null, null));
                case ACTIVITY -> ContractJson.write(dev.mediawatch.contract.HostActivity.of(good, T0, List.of(), List.of(),
                        null, null, List.of(), null));
            };
        }

        private static String schemaOf(Topics.Kind kind) {
            return switch (kind) {
                case STATE, AVAILABILITY -> Schema.HOST_STATE.id();
                case EVENTS -> Schema.HOST_EVENT.id();
                case MOUNTS -> Schema.HOST_MOUNTS.id();
                case IO -> Schema.HOST_IO.id();
                case ACTIVITY -> Schema.HOST_ACTIVITY.id();
            };
        }

        private static HostId other(HostId good) {
            return good.equals(DL) ? ST : DL;
        }

        /** A version that is not 1, or null to remove it. */
        private JsonNode evilVersion() {
            JsonNode[] versions = { NODES.numberNode(0), NODES.numberNode(2), NODES.numberNode(99), NODES.textNode("1"),
                    NODES.numberNode(1.5), NODES.numberNode(new BigInteger("1" + "0".repeat(30))),
                    NODES.numberNode(2147483648L), NODES.numberNode(4294967297L), NODES.numberNode(-1),
                    NODES.numberNode(Integer.MIN_VALUE), NODES.nullNode(), NODES.booleanNode(true), NODES.arrayNode(),
                    NODES.objectNode(), NODES.textNode("one"), NODES.numberNode(1.0000000001), NODES.numberNode(1e20),
                    NODES.numberNode(new BigDecimal("1e400")), null };
            return versions[rnd.nextInt(versions.length)];
        }

        private JsonNode evilValue() {
            return switch (rnd.nextInt(16)) {
                case 0 -> NODES.nullNode();
                case 1 -> NODES.numberNode(-1);
                case 2 -> NODES.numberNode(Integer.MIN_VALUE);
                case 3 -> NODES.numberNode(Long.MAX_VALUE);
                case 4 -> NODES.numberNode(new BigInteger("1" + "0".repeat(400)));
                case 5 -> NODES.numberNode(1e308);
                case 6 -> NODES.numberNode(1.5);
                case 7 -> NODES.textNode(EVIL_STRINGS[rnd.nextInt(EVIL_STRINGS.length)]);
                case 8 -> NODES.textNode("z".repeat(rnd.nextInt(20_000)));
                case 9 -> NODES.booleanNode(rnd.nextBoolean());
                case 10 -> NODES.arrayNode();
                case 11 -> NODES.objectNode();
                case 12 -> NODES.arrayNode().addNull();
                case 13 -> NODES.objectNode().putNull("");
                case 14 -> nested(50 + rnd.nextInt(2_000), rnd.nextBoolean());
                default -> NODES.textNode(randomText(1 + rnd.nextInt(40)));
            };
        }

        private JsonNode randomValue(int depth) {
            int c = rnd.nextInt(depth >= 4 ? 6 : 9);
            return switch (c) {
                case 0 -> NODES.nullNode();
                case 1 -> NODES.booleanNode(rnd.nextBoolean());
                case 2 -> NODES.numberNode(rnd.nextInt(5) == 0 ? rnd.nextLong() : rnd.nextInt(100) - 10);
                case 3 -> NODES.numberNode(rnd.nextGaussian() * 1e6);
                case 4 -> NODES.textNode(rnd.nextBoolean() ? FIELD_NAMES[rnd.nextInt(FIELD_NAMES.length)] : randomText(rnd.nextInt(30)));
                case 5 -> NODES.textNode(EVIL_STRINGS[rnd.nextInt(EVIL_STRINGS.length)]);
                case 6 -> {
                    ArrayNode a = NODES.arrayNode();
                    int n = rnd.nextInt(5);
                    for (int i = 0; i < n; i++) {
                        a.add(randomValue(depth + 1));
                    }
                    yield a;
                }
                default -> {
                    ObjectNode o = NODES.objectNode();
                    int n = rnd.nextInt(6);
                    for (int i = 0; i < n; i++) {
                        o.set(FIELD_NAMES[rnd.nextInt(FIELD_NAMES.length)], randomValue(depth + 1));
                    }
                    yield o;
                }
            };
        }

        private String randomText(int n) {
            StringBuilder s = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                int c = rnd.nextInt(10);
                s.append(c < 6 ? (char) ('a' + rnd.nextInt(26)) : c < 7 ? (char) rnd.nextInt(0x20)
                        : c < 8 ? "-_/+#. ".charAt(rnd.nextInt(7)) : (char) (0x80 + rnd.nextInt(0xD000)));
            }
            return s.toString();
        }

        /**
         * A value nested {@code depth} deep. Deeper than Jackson writes (or builds without recursion trouble), so
         * the tree holds a placeholder that {@link #write} replaces by the raw text.
         */
        private JsonNode nested(int depth, boolean arrays) {
            deepRaw = arrays ? "[".repeat(depth) + "1" + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            return NODES.textNode(DEEP);
        }

        /** Writes a tree, with the nested value in place of its placeholder. */
        private byte[] write(JsonNode node) {
            String raw = deepRaw;
            deepRaw = null;
            String text;
            try {
                text = ContractJson.mapper().writeValueAsString(node);
            } catch (Exception e) {
                text = node.toString();
            }
            return (raw == null ? text : text.replace("\"" + DEEP + "\"", raw)).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A place in a JSON tree: an object's field or an array's element. */
    static final class Slot {
        final JsonNode parent;
        final String field;
        final int index;
        final String path;

        Slot(JsonNode parent, String field, int index, String path) {
            this.parent = parent;
            this.field = field;
            this.index = index;
            this.path = path;
        }

        JsonNode get() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void set(JsonNode v) {
            if (field != null) {
                ((ObjectNode) parent).set(field, v);
            } else {
                ((ArrayNode) parent).set(index, v);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    static void collect(JsonNode node, String path, List<Slot> out) {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String f = it.next();
                String p = path.isEmpty() ? f : path + "." + f;
                out.add(new Slot(node, f, -1, p));
                collect(node.get(f), p, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String p = path + "[" + i + "]";
                out.add(new Slot(node, null, i, p));
                collect(node.get(i), p, out);
            }
        }
    }

    static boolean isAncestor(JsonNode maybeAncestor, JsonNode node) {
        if (maybeAncestor == node) {
            return true;
        }
        if (maybeAncestor.isContainerNode()) {
            for (JsonNode child : maybeAncestor) {
                if (isAncestor(child, node)) {
                    return true;
                }
            }
        }
        return false;
    }

    // --------------------------------------------------------------------------------------------- helpers

    static byte[] repeat(String s, int times) {
        return s.repeat(times).getBytes(StandardCharsets.UTF_8);
    }

    /** The payload followed by spaces up to {@code size} bytes (whitespace after a JSON value is allowed). */
    static byte[] pad(byte[] payload, int size) {
        byte[] b = Arrays.copyOf(payload, Math.max(size, payload.length));
        Arrays.fill(b, payload.length, b.length, (byte) ' ');
        return b;
    }

    static byte[] splice(byte[] in, int at, byte[] insert, int remove) {
        int end = Math.min(in.length, at + remove);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + insert.length);
        out.write(in, 0, at);
        out.write(insert, 0, insert.length);
        out.write(in, end, in.length - end);
        return out.toByteArray();
    }

    static int indexOfDigit(byte[] b, int from) {
        for (int i = 0; i < b.length; i++) {
            int j = (from + i) % b.length;
            if (b[j] >= '0' && b[j] <= '9') {
                return j;
            }
        }
        return -1;
    }

    static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02X", x & 0xff));
        }
        return s.toString();
    }

    /** One bad message of a rotating kind; counts what was sent per kind label. */
    static final List<String> BAD_KINDS_SENT = List.of("state", "mounts", "io", "events", "availability", HA);

    /** One refused message of a rotating kind. */
    static void sendBad(Rig rig, int i, Map<String, Integer> sent) {
        sendBadOf(rig, BAD_KINDS_SENT.get(i % BAD_KINDS_SENT.size()), i, sent);
    }

    /** One refused message of {@code kind} (a kind label), counted in {@code sent}. */
    static void sendBadOf(Rig rig, String kind, int i, Map<String, Integer> sent) {
        HostId host = i % 2 == 0 ? DL : ST;
        byte[] junk = ("{not json " + i).getBytes(StandardCharsets.UTF_8);
        if (kind.equals(HA)) {
            rig.ingest.discovery("homeassistant/sensor/x" + (i % 7) + "/config", junk);
        } else if (kind.equals("availability")) {
            rig.ingest.accept(TOPICS.availability(host), ("maybe" + i).getBytes(StandardCharsets.UTF_8));
        } else {
            Topics.Kind k = Arrays.stream(Topics.Kind.values()).filter(x -> x.level().equals(kind)).findFirst().orElseThrow();
            rig.ingest.accept(TOPICS.topic(host, k), junk);
        }
        sent.merge(kind, 1, Integer::sum);
    }

    // ------------------------------------------------------------------------------------------ log capture

    /**
     * Captures the ingest's log records. JBoss Logging picks its backend at first use: the JBoss LogManager when it
     * is the JUL LogManager (the surefire configuration sets it), else plain JUL. Either way the records reach
     * a JUL {@link Handler} on the category's logger: on {@code java.util.logging.Logger} (the JBoss LogManager's
     * loggers are JUL loggers), and, when JBoss LogManager is on the class path but not installed as the JUL
     * manager, on its own logger of that name too.
     */
    static final class LogCapture extends Handler {
        static final String CATEGORY = Ingest.class.getName();
        private static final Pattern KIND = Pattern.compile("^refused (\\S+) message");

        final List<LogRecord> records = new CopyOnWriteArrayList<>();
        final String backend;
        private final Map<java.util.logging.Logger, Level> attached = new IdentityHashMap<>();

        private LogCapture() {
            // The logger JBoss Logging hands out tells which backend is active.
            this.backend = org.jboss.logging.Logger.getLogger(CATEGORY).getClass().getSimpleName() + " over "
                    + java.util.logging.LogManager.getLogManager().getClass().getName();
            setLevel(Level.ALL);
        }

        static LogCapture install() {
            LogCapture c = new LogCapture();
            c.attach(java.util.logging.Logger.getLogger(CATEGORY));
            try {
                Class<?> jboss = Class.forName("org.jboss.logmanager.Logger");
                Object logger = jboss.getMethod("getLogger", String.class).invoke(null, CATEGORY);
                c.attach((java.util.logging.Logger) logger);
            } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
                // JBoss LogManager absent: plain JUL it is.
            }
            return c;
        }

        private void attach(java.util.logging.Logger logger) {
            if (!attached.containsKey(logger)) {
                attached.put(logger, logger.getLevel());
                logger.addHandler(this);
                if (logger.getLevel() == null || logger.getLevel().intValue() > Level.WARNING.intValue()) {
                    logger.setLevel(Level.INFO);
                }
            }
        }

        void remove() {
            attached.forEach((logger, level) -> {
                logger.removeHandler(this);
                logger.setLevel(level);
            });
        }

        /** The formatted WARN (and worse) lines. */
        List<String> warnings() {
            Set<LogRecord> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            return records.stream().filter(seen::add).filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                    .map(LogCapture::text).toList();
        }

        static String kindOf(String line) {
            Matcher m = KIND.matcher(line);
            return m.find() ? m.group(1) : "?";
        }

        private static String text(LogRecord r) {
            try {
                Method formatted = r.getClass().getMethod("getFormattedMessage");
                Object s = formatted.invoke(r);
                if (s != null) {
                    return s.toString();
                }
            } catch (ReflectiveOperationException e) {
                // a plain JUL record: JBoss Logging's JDK backend formats before logging
            }
            Object[] params = r.getParameters();
            return params == null || params.length == 0 ? r.getMessage() : java.text.MessageFormat.format(r.getMessage(), params);
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

}
