package dev.mediawatch.aggregator.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mediawatch.contract.Alert;

/**
 * Remembers since when each open alert's condition has held. An alert is open while the status shows its
 * condition; when a build no longer raises it, it is closed and forgotten. Bounded by the conditions that can
 * hold at once (hosts times their services and mounts). Used by the one status thread only.
 */
public final class AlertBook {

    private static final Comparator<Alert> ORDER = Comparator.comparing((Alert a) -> a.severity().ordinal())
            .thenComparing(Alert::since).thenComparing(Alert::id);

    private final Map<String, Instant> openSince = new HashMap<>();

    /** The alerts raised now, each with the time its condition was first seen, most severe and oldest first. */
    public List<Alert> update(List<Alert> raised, Instant now) {
        Set<String> seen = new HashSet<>();
        List<Alert> out = new ArrayList<>(raised.size());
        for (Alert a : raised) {
            if (!seen.add(a.id())) {
                continue;
            }
            Instant since = openSince.computeIfAbsent(a.id(), id -> a.since() != null ? a.since() : now);
            out.add(a.withSince(since));
        }
        openSince.keySet().retainAll(seen);
        out.sort(ORDER);
        return out;
    }

    public int open() {
        return openSince.size();
    }
}
