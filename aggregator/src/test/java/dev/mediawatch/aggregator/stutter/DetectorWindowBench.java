package dev.mediawatch.aggregator.stutter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.mediawatch.aggregator.baseline.BaselineConfig;
import dev.mediawatch.aggregator.baseline.Baselines;
import dev.mediawatch.aggregator.contention.DetectorRun;
import dev.mediawatch.contract.HostId;

/**
 * What one detector window costs with its baselines: {@code hosts} hosts (half download, half streaming, each with
 * io, mounts with NFS statistics and activity as the generated traces report them), thresholds learned from a week of
 * calm, then {@code windows} windows timed one by one (p50, p99, max). Run by scripts/bench/stutter.sh; not a test.
 */
public final class DetectorWindowBench {

    public static void main(String[] args) {
        int hosts = Integer.parseInt(args[0]);
        int windows = Integer.parseInt(args[1]);
        DetectorConfig config = DetectorConfig.defaults();
        Baselines baselines = new Baselines(BaselineConfig.defaults(), config, Set.of(), hosts * 8);
        DetectorRun run = new DetectorRun(config, baselines);
        List<Trace.Host> all = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            boolean download = i % 2 == 0;
            Trace.Host h = new Trace.Host(HostId.of((download ? "download-" : "streaming-") + i),
                    download ? HostSample.DOWNLOAD : HostSample.STREAMING);
            all.add(download ? h.calmDownload() : h.calmStreaming());
        }
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        // Learn: enough calm windows for every host (an hour and a bit), untimed.
        for (int w = 0; w < 800; w++) {
            now = now.plus(config.window());
            run.decide(now, samples(all, now));
        }
        long[] ns = new long[windows];
        for (int w = 0; w < windows; w++) {
            now = now.plus(config.window());
            List<HostSample> s = samples(all, now);
            long t0 = System.nanoTime();
            run.decide(now, s);
            ns[w] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        String origin = baselines.views(java.util.Map.of(all.get(1).id, Signals.STREAMING)).get(0).origin();
        System.out.printf("hosts=%d windows=%d detector+baselines per window: p50 %.3f ms, p99 %.3f ms, max %.3f ms "
                + "(thresholds %s)%n", hosts, windows, ns[windows / 2] / 1e6, ns[(int) (windows * 0.99)] / 1e6,
                ns[windows - 1] / 1e6, origin);
    }

    private static List<HostSample> samples(List<Trace.Host> hosts, Instant now) {
        List<HostSample> out = new ArrayList<>(hosts.size());
        for (Trace.Host h : hosts) {
            out.add(h.sample(now));
        }
        return out;
    }
}
