package dev.mediawatch.aggregator.incidents;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.mediawatch.contract.AlertSeverity;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.IncidentAction;
import dev.mediawatch.contract.SignalValue;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.contract.StutterEvidence;

/**
 * A separate JVM that writes to an {@link IncidentStore} as fast as it can, so a test can kill it with SIGKILL
 * mid-write, and the deterministic incidents it writes (so the test can tell an intact record from a damaged one).
 *
 * <p>Modes (args: mode, journal, round, maxFileBytes):
 * <ul>
 * <li>{@code hot}: a new id per upsert ({@code h-<round>-<n>}, version 1);</li>
 * <li>{@code compact}: 8 ids upserted again and again with a rising version (open, then cleared every third),
 * so superseded lines pile up and the journal is compacted every few upserts;</li>
 * <li>{@code full}: for a journal on a tiny tmpfs: upserts until the disk is full, then reports.</li>
 * </ul>
 * After each upsert returns it prints {@code <id> <version> .}; a line cut by the kill never ends in " .".
 * Bounded: it stops by itself after {@value #MAX_UPSERTS} upserts or two minutes.
 */
public final class IncidentStoreChild {

    static final Instant T0 = Instant.parse("2026-11-21T20:00:00Z");
    static final int MAX_UPSERTS = 20_000;
    static final HostId DL = HostId.of("download-stack");
    static final HostId ST = HostId.of("streaming-stack");

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path journal = Path.of(args[1]);
        int round = Integer.parseInt(args[2]);
        long maxFileBytes = Long.parseLong(args[3]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        IncidentStore store = new IncidentStore(journal, Clock.systemUTC(), Duration.ofDays(3650), 1_000_000,
                maxFileBytes);
        store.open();
        out.println("open " + store.health() + " " + store.size());
        out.flush();
        if (mode.equals("full")) {
            full(store, journal, maxFileBytes, out);
            return;
        }
        for (int n = 0; n < MAX_UPSERTS && System.nanoTime() < deadline; n++) {
            String id;
            int version;
            if (mode.equals("hot")) {
                id = "h-" + round + "-" + n;
                version = 1;
            } else {
                id = "c-" + round + "-" + (n % 8);
                version = n / 8 + 1;
            }
            store.upsert(incident(id, version, 200));
            if (!store.health().equals("ok")) {
                out.println("health " + store.health());
                out.flush();
                System.exit(3);
            }
            out.println(id + " " + version + " .");
            out.flush();
        }
        store.close();
    }

    /** Fills a small disk: reports when the store said it failed, that memory still has everything, and a reopen. */
    private static void full(IncidentStore store, Path journal, long maxFileBytes, PrintStream out) {
        int failedAt = -1;
        int n = 0;
        for (; n < 500; n++) {
            store.upsert(incident("f-" + n, 1, 200));
            if (!store.health().equals("ok")) {
                failedAt = n;
                break;
            }
        }
        out.println("failedAt " + failedAt);
        out.println("health " + store.health());
        for (int k = 1; k <= 3; k++) {
            store.upsert(incident("f-" + (n + k), 1, 200));
        }
        int total = n + 4;
        int intact = 0;
        for (int k = 0; k < total; k++) {
            if (store.get("f-" + k).map(i -> i.equals(incident(i.id(), 1, 200))).orElse(false)) {
                intact++;
            }
        }
        out.println("memory " + store.since(Instant.EPOCH, 10_000).size() + " " + intact + " of " + total);
        store.close();
        IncidentStore again = new IncidentStore(journal, Clock.systemUTC(), Duration.ofDays(3650), 1_000_000,
                maxFileBytes);
        again.open();
        int reopenedIntact = 0;
        for (Incident i : again.since(Instant.EPOCH, 10_000)) {
            if (i.equals(incident(i.id(), 1, 200))) {
                reopenedIntact++;
            }
        }
        out.println("reopened " + again.size() + " " + reopenedIntact + " dropped " + again.droppedBytes());
        out.println("reopenedHealth " + again.health());
        again.close();
        out.flush();
    }

    /**
     * A deterministic incident: the same (id, version, signals) always gives an equal record. About 120 bytes of
     * JSON per signal; version 3, 6, ... is cleared.
     */
    static Incident incident(String id, int version, int signals) {
        int seed = id.hashCode();
        Instant raised = T0.plusSeconds(Math.floorMod(seed, 86_400));
        List<SignalValue> values = new ArrayList<>(signals);
        for (int s = 0; s < signals; s++) {
            values.add(new SignalValue("signal-" + s, s % 2 == 0 ? SignalValue.DOWNLOAD : SignalValue.STREAMING,
                    s % 2 == 0 ? DL : ST, (seed ^ s) / 7.0 + version, "B/s", 1_000_000.5 + s, s % 3 == 0));
        }
        StutterEvidence evidence = new StutterEvidence(Math.floorMod(seed, 101), values, List.of("nfs-write", "io-psi"),
                List.of("nfs-read-rtt: no NFS statistics on streaming-stack"), List.of("sabnzbd", "unpackerr"),
                List.of(new StreamSession("jellyfin", "s-" + id, "anna", "Film \u00e9t\u00e9 \u2014 " + id,
                        "Jellyfin Web (Firefox)", false, StreamSession.TRANSCODE, 18.5, 23.976, 2.0, true)));
        List<IncidentAction> actions = new ArrayList<>();
        for (int a = 1; a < Math.min(version, 10); a++) {
            actions.add(new IncidentAction(raised.plusSeconds(a), "notify.sent", "ntfy: HTTP 200 after 1 attempt"));
        }
        boolean cleared = version % 3 == 0;
        return new Incident(id, "stutter", AlertSeverity.CRITICAL, "stutter v" + version, raised,
                cleared ? raised.plusSeconds(600) : null, Math.floorMod(seed, 101), evidence, evidence, actions);
    }

    /** The version written into {@link #incident}'s message. */
    static int version(Incident i) {
        return Integer.parseInt(i.message().substring(i.message().indexOf('v') + 1));
    }

    private IncidentStoreChild() {
    }
}
