package dev.mediawatch.aggregator.baseline;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.mediawatch.aggregator.stutter.Signals;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.SignalValue;

/**
 * A separate JVM that saves baselines as fast as it can, so a test can kill it with SIGKILL in the middle of a save.
 * Generation {@code g} has learned {@code 100 x g} calm windows on each of 50 hosts (a file of a few hundred KB);
 * after each save returns it prints {@code saved <g> .}. Args: the file, the first generation. Stops by itself after
 * two minutes.
 */
public final class BaselineStoreChild {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final int HOSTS = 50;

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int generation = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        Baselines b = BaselineStoreTest.fresh();
        feed(b, 0, generation);
        BaselineStore store = new BaselineStore(file);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            store.save(b, T0);
            out.println("saved " + generation + " .");
            out.flush();
            feed(b, generation, generation + 1);
            generation++;
        }
    }

    /** Teaches generations {@code from} (exclusive) up to {@code to}: 100 windows per generation and host. */
    static void feed(Baselines b, int from, int to) {
        Instant t = T0.plusSeconds(5L * 100 * from);
        for (int i = from * 100; i < to * 100; i++) {
            List<SignalValue> values = new ArrayList<>(HOSTS);
            for (int h = 0; h < HOSTS; h++) {
                values.add(new SignalValue(Signals.NFS_READ_RTT, Signals.STREAMING, HostId.of("host-" + h),
                        2 + (i % 13) * 0.1, Signals.MS, 50, false));
            }
            b.observe(t, Duration.ofSeconds(5), values, true);
            t = t.plusSeconds(5);
        }
    }
}
