package dev.mediawatch.runtime.mqtt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The one send path of an MQTT session: every message, in the order it was offered, no more than {@code window}
 * of them unacknowledged at once. The window is the MQTT client's in-flight limit, so the client never refuses a
 * message for exceeding it; the rest waits here, bounded by count and bytes. A retained message that has not left
 * yet is replaced by a newer one for the same topic (only the newest retained value of a topic matters to anyone
 * who subscribes); the replaced one completes with the newer one, which goes to the back of the queue so that what
 * was offered before it still goes first.
 *
 * <p>Plain Java and thread-safe: any thread offers, the session's event loop sends and hears acknowledgements. It
 * never completes a future itself while holding its lock: methods return what the caller must complete.
 */
final class SendQueue {

    /** One message on its way. */
    static final class Entry {
        final String topic;
        final byte[] payload;
        final boolean retained;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final long offeredNanos;
        /** Replaced by a newer retained message for the same topic before it left: never sent. */
        boolean superseded;
        int packetId = -1;

        Entry(String topic, byte[] payload, boolean retained, long offeredNanos) {
            this.topic = topic;
            this.payload = payload;
            this.retained = retained;
            this.offeredNanos = offeredNanos;
        }
    }

    /** Why an offer was refused. */
    enum Refusal {
        QUEUE_FULL("queue-full");

        final String wire;

        Refusal(String wire) {
            this.wire = wire;
        }
    }

    /** The outcome of {@link #offer}: the entry to watch, and the entry it replaced (to be completed with it). */
    record Offer(Entry entry, Entry replaced, Refusal refusal) {
    }

    private final int window;
    private final int maxMessages;
    private final long maxBytes;
    private final ArrayDeque<Entry> pending = new ArrayDeque<>();
    /** Retained entries still in {@link #pending}, by topic. */
    private final Map<String, Entry> pendingRetained = new HashMap<>();
    private final Map<Integer, Entry> inFlight = new HashMap<>();
    /** Handed to the client, packet id not yet known. */
    private final Set<Entry> sending = new HashSet<>();
    /** Acknowledgements that arrived before the client told the packet id (bounded by the window). */
    private final Set<Integer> earlyAcks = new HashSet<>();
    private int live;
    private long bytes;

    SendQueue(int window, int maxMessages, long maxBytes) {
        if (window < 1 || maxMessages < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("window, maxMessages and maxBytes must be positive");
        }
        this.window = window;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    synchronized Offer offer(String topic, byte[] payload, boolean retained, long nowNanos) {
        Entry replaced = retained ? pendingRetained.get(topic) : null;
        long after = bytes + payload.length - (replaced == null ? 0 : replaced.payload.length);
        int count = live + (replaced == null ? 1 : 0);
        if (count > maxMessages || after > maxBytes) {
            return new Offer(null, null, Refusal.QUEUE_FULL);
        }
        Entry e = new Entry(topic, payload, retained, nowNanos);
        if (replaced != null) {
            replaced.superseded = true;
            live--;
            bytes -= replaced.payload.length;
        }
        pending.addLast(e);
        if (retained) {
            pendingRetained.put(topic, e);
        }
        live++;
        bytes += payload.length;
        return new Offer(e, replaced, null);
    }

    /** The next message to hand to the client, or null when the window is full or nothing waits. */
    synchronized Entry next() {
        if (inFlight.size() + sending.size() >= window) {
            return null;
        }
        Entry e;
        while ((e = pending.pollFirst()) != null && e.superseded) {
            // replaced while waiting: its future completes with the newer one
        }
        if (e == null) {
            return null;
        }
        if (e.retained) {
            pendingRetained.remove(e.topic, e);
        }
        live--;
        bytes -= e.payload.length;
        sending.add(e);
        return e;
    }

    /**
     * The client has written the message as packet {@code packetId}. True when its acknowledgement already
     * arrived: the caller completes it now.
     */
    synchronized boolean written(Entry e, int packetId) {
        if (!sending.remove(e)) {
            return false; // failed meanwhile (connection lost)
        }
        if (earlyAcks.remove(packetId)) {
            return true;
        }
        e.packetId = packetId;
        inFlight.put(packetId, e);
        return false;
    }

    /** The client could not write it (or refused it); the caller fails it. */
    synchronized boolean notWritten(Entry e) {
        return sending.remove(e);
    }

    /** The broker acknowledged packet {@code packetId}: the entry to complete, or null. */
    synchronized Entry acknowledged(int packetId) {
        Entry e = inFlight.remove(packetId);
        if (e == null && !sending.isEmpty() && earlyAcks.size() < window) {
            earlyAcks.add(packetId);
        }
        return e;
    }

    /** Everything waiting or in flight, removed: the connection is gone and the caller fails them. */
    synchronized List<Entry> clear() {
        List<Entry> all = new ArrayList<>(inFlight.values());
        all.addAll(sending);
        for (Entry e : pending) {
            if (!e.superseded) {
                all.add(e);
            }
        }
        pending.clear();
        pendingRetained.clear();
        inFlight.clear();
        sending.clear();
        earlyAcks.clear();
        live = 0;
        bytes = 0;
        return all;
    }

    synchronized int waiting() {
        return live;
    }

    synchronized long waitingBytes() {
        return bytes;
    }

    synchronized int inFlight() {
        return inFlight.size() + sending.size();
    }

    /** The oldest message still waiting or in flight, its offer time; -1 when none. */
    synchronized long oldestNanos() {
        long oldest = -1;
        for (Entry e : inFlight.values()) {
            oldest = oldest < 0 ? e.offeredNanos : Math.min(oldest, e.offeredNanos);
        }
        for (Entry e : pending) {
            if (!e.superseded) {
                oldest = oldest < 0 ? e.offeredNanos : Math.min(oldest, e.offeredNanos);
                break;
            }
        }
        return oldest;
    }

    int window() {
        return window;
    }
}
