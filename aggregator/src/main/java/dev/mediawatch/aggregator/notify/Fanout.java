package dev.mediawatch.aggregator.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * One message to several destinations of one target (Telegram chats, Matrix rooms), where the notifier retries
 * the message as a whole: each destination's final outcome is remembered under the message's key, so a retry goes
 * only to the destinations still owed it and never posts twice to one that took it. Bounded: the last
 * {@value #REMEMBERED} messages with a retry pending.
 */
final class Fanout {

    static final int REMEMBERED = 100;

    private final String unit;
    private final Map<String, Map<Integer, Outcome>> settled = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<Integer, Outcome>> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** @param unit what a destination is called in an outcome ({@code chat}, {@code room}) */
    Fanout(String unit) {
        this.unit = unit;
    }

    /**
     * Runs {@code attempt} for each destination of {@code count} not yet settled for {@code key}. Delivered when
     * every destination took it; worth a retry while one failed in a way worth it; else the first final failure.
     * An outcome names a destination by its place ({@code chat 2 of 3}), never by its id.
     */
    Outcome run(String key, int count, IntFunction<Outcome> attempt) {
        Map<Integer, Outcome> done;
        synchronized (settled) {
            done = new TreeMap<>(settled.getOrDefault(key, Map.of()));
        }
        Outcome retry = null;
        int retryAt = -1;
        for (int i = 0; i < count; i++) {
            if (done.containsKey(i)) {
                continue;
            }
            Outcome o = attempt.apply(i);
            if (o.retry() && !o.delivered()) {
                if (retry == null) {
                    retry = o;
                    retryAt = i;
                }
            } else {
                done.put(i, o);
            }
        }
        synchronized (settled) {
            if (retry != null) {
                settled.put(key, done);
            } else {
                settled.remove(key);
            }
        }
        if (retry != null) {
            return new Outcome(false, true, where(retryAt, count) + retry.what(), retry.retryAfter());
        }
        for (Map.Entry<Integer, Outcome> e : done.entrySet()) {
            if (!e.getValue().delivered()) {
                return Outcome.fail(where(e.getKey(), count) + e.getValue().what());
            }
        }
        Outcome last = done.get(count - 1);
        return Outcome.delivered(last.what() + (count > 1 ? " (" + count + " " + unit + "s)" : ""));
    }

    private String where(int index, int count) {
        return count > 1 ? unit + " " + (index + 1) + " of " + count + ": " : "";
    }
}
