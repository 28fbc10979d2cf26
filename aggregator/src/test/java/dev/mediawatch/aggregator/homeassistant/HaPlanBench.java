package dev.mediawatch.aggregator.homeassistant;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mediawatch.aggregator.hosts.HostRecord;
import dev.mediawatch.aggregator.hosts.HostRegistry;
import dev.mediawatch.aggregator.status.StackFixture;
import dev.mediawatch.aggregator.status.StatusBuilder;
import dev.mediawatch.aggregator.status.StatusRules;
import dev.mediawatch.catalogue.CatalogueService;
import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.StatusReport;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.MutableClock;

/**
 * What one Home Assistant tick costs: {@link HaDiscovery#plan} for the owner's catalogue (2 VMs) and for a stack of
 * {@code copies} times it (hosts {@code download-stack-N}, {@code streaming-stack-N}), timed after warm-up, with the
 * number and bytes of configs and states one announcement publishes. Run by scripts/bench/ha-plan.sh; not a test.
 */
public final class HaPlanBench {

    public static void main(String[] args) throws Exception {
        int copies = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Instant t0 = Instant.parse("2026-11-21T12:00:00Z");
        ServiceCatalogue real = StackFixture.catalogue();
        List<HostId> hosts = new ArrayList<>();
        List<CatalogueService> services = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            for (HostId h : real.hosts()) {
                HostId copy = copies == 1 ? h : HostId.of(h.value() + "-" + i);
                hosts.add(copy);
                for (CatalogueService s : real.forHost(h)) {
                    services.add(new CatalogueService(s.name(), copy, s.category(), s.expected(), s.container(),
                            s.composeService(), s.ports(), s.probe(), s.line()));
                }
            }
        }
        ServiceCatalogue cat = new ServiceCatalogue("bench", hosts, services);
        HostRegistry registry = new HostRegistry(new MutableClock(t0), hosts.size() + 1, 10);
        for (HostId h : hosts) {
            boolean download = h.value().startsWith("download");
            HostId original = download ? StackFixture.DL : StackFixture.ST;
            registry.availability(h, Availability.ONLINE);
            var state = StackFixture.healthyState(real, original, t0);
            registry.state(StackFixture.state(cat, h, download ? "download" : "streaming", t0, state.containers(),
                    state.probes(), state.envAudit()));
            var mounts = StackFixture.healthyMounts(original, t0);
            registry.mounts(dev.mediawatch.contract.HostMounts.of(h, t0, mounts.mounts()));
        }
        StatusReport report = new StatusBuilder(new StatusRules(Duration.ofSeconds(90), Duration.ofMinutes(5), t0, cat,
                Set.of(), List.of(), "mediawatch", "homeassistant")).build(registry.hosts(), List.of(), t0);
        Map<HostId, HostRecord> records = new HashMap<>();
        registry.hosts().forEach(r -> records.put(r.host(), r));
        HaDiscovery.Settings settings = new HaDiscovery.Settings("homeassistant", "mediawatch", Topics.defaults(), "1.0.0",
                "http://aggregator:8470/status", Duration.ofSeconds(300), true);
        HaDiscovery.Stack stack = new HaDiscovery.Stack(List.of(), null, true);

        HaDiscovery.Plan plan = null;
        for (int i = 0; i < Math.max(200, rounds / 4); i++) {
            plan = HaDiscovery.plan(settings, cat, report, records, stack);
        }
        long[] ns = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            plan = HaDiscovery.plan(settings, cat, report, records, stack);
            ns[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(ns);
        long configBytes = plan.configs().values().stream().mapToLong(b -> b.length).sum();
        long stateBytes = plan.states().values().stream().mapToLong(b -> b.length).sum();
        System.out.printf("hosts=%d services=%d configs=%d config_bytes=%d states=%d state_bytes=%d "
                + "plan_p50_ms=%.3f plan_p99_ms=%.3f rounds=%d%n", hosts.size(), services.size(), plan.configs().size(),
                configBytes, plan.states().size(), stateBytes, ns[rounds / 2] / 1e6, ns[(int) (rounds * 0.99)] / 1e6, rounds);
    }
}
