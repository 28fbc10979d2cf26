package dev.mediawatch.runtime.mqtt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import dev.mediawatch.contract.Availability;
import dev.mediawatch.contract.LogThrottle;
import dev.mediawatch.contract.Text;
import dev.mediawatch.runtime.metrics.Gauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttConnectionException;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubAckMessage;

/**
 * One app's connection to its MQTT broker, kept up for as long as the app runs: connects, reconnects with backoff
 * (1 s, then 2, 3, 5, 9, 17, then every 30 s), subscribes again after every connect, hands every message to the
 * listeners of the filters it matches, and sends every message through one bounded, ordered path that never has
 * more unacknowledged messages out than the client allows ({@link SendQueue}).
 *
 * <p>It also keeps the app's presence: the last will says {@code offline}; {@code online} is published, retained, on
 * every connect and every presence interval, and again whenever an {@code offline} shows up while the app runs (the
 * late will of an old connection). Each announcement is also a check of the way in: the broker must deliver it back
 * on the app's own subscription within the echo timeout, or the connection is taken for deaf and renewed.
 *
 * <p>Everything about the connection happens on one Vert.x event-loop context; listeners are called there and must
 * not block (hand work to an {@link Inbox}). {@link #publish} may be called from any thread: its future completes
 * on the broker's acknowledgement, or fails at once while the broker cannot be reached, when the queue is full,
 * or when the connection is lost before the acknowledgement. Callers that must get through retry; snapshots are
 * simply published again.
 */
public final class MqttSession {

    /** Receives the messages of one subscription, on the session's event loop. */
    @FunctionalInterface
    public interface Listener {
        void onMessage(String topic, byte[] payload, boolean retained);
    }

    /** Where the connection stands. */
    public enum Phase {
        NEW, CONNECTING, CONNECTED, WAITING, STOPPED
    }

    /** A subscription's standing with the broker. */
    public enum Grant {
        PENDING, GRANTED, REFUSED
    }

    /** A snapshot for health checks and logs. */
    public record Health(Phase phase, long phaseSinceMillis, String problem, List<String> refusedFilters,
            int waiting, int inFlight, long oldestWaitingMillis, long reconnects) {
        public boolean up() {
            return phase == Phase.CONNECTED && refusedFilters.isEmpty();
        }
    }

    /** Why a publish failed; the message says it in words, {@link #reason()} as a metric label. */
    public static final class PublishFailed extends RuntimeException {
        private final String reason;

        PublishFailed(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private static final Logger LOG = Logger.getLogger(MqttSession.class);
    private static final long[] BACKOFF_SECONDS = { 1, 2, 3, 5, 9, 17, 30 };
    private static final Duration REFUSED_RETRY = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final Context context;
    private final MqttSettings settings;
    private final SendQueue queue;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Runnable> reachableListeners = new CopyOnWriteArrayList<>();
    private final List<Inbox> inboxes = new CopyOnWriteArrayList<>();
    private int ticks;
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final LogThrottle connectLog = new LogThrottle(Duration.ofMinutes(5));
    private final LogThrottle listenerLog = new LogThrottle(Duration.ofSeconds(10));
    private final LogThrottle refusedLog = new LogThrottle(Duration.ofSeconds(10));
    private final MeterRegistry meters;
    private final Counter published;
    private final Counter superseded;
    private final Counter received;
    private final Counter listenerFailures;
    private final Map<String, Counter> failures = new HashMap<>();

    // ---- the event loop's own state -------------------------------------------------------------------------
    private MqttClient client;
    private int generation;
    private int attempt;
    private long reconnectTimer = -1;
    private long tickTimer = -1;
    private long lastAnnounceNanos;
    /** An {@code online} was delivered to us on the presence topic since the last announcement began. */
    private boolean echoSeen;
    /** When the announced online must have come back by; -1 when nothing is awaited. */
    private long echoDeadlineNanos = -1;
    private boolean announcing;
    private boolean reachableSinceConnect;
    private final Map<Integer, List<Subscription>> subscribing = new HashMap<>();
    private final Map<Integer, List<Integer>> earlySubacks = new HashMap<>();
    private long lostAtNanos = -1;

    // ---- read from any thread -----------------------------------------------------------------------------
    private volatile Phase phase = Phase.NEW;
    private volatile long phaseSinceMillis = System.currentTimeMillis();
    private volatile String problem;
    private volatile boolean stopping;
    private volatile long reconnects;

    private static final class Subscription {
        final TopicFilter filter;
        final Listener listener;
        final boolean presence;
        volatile Grant grant = Grant.PENDING;

        Subscription(TopicFilter filter, Listener listener, boolean presence) {
            this.filter = filter;
            this.listener = listener;
            this.presence = presence;
        }
    }

    public MqttSession(Vertx vertx, MqttSettings settings, MeterRegistry meters) {
        this.vertx = vertx;
        // Called on an app thread, this makes a fresh event-loop context that every connection of the session uses.
        this.context = vertx.getOrCreateContext();
        this.settings = settings;
        this.meters = meters;
        this.queue = new SendQueue(settings.maxInFlight(), settings.maxQueuedMessages(), settings.maxQueuedBytes());
        this.published = Counter.builder("mediawatch_mqtt_published_total")
                .description("messages the broker acknowledged").register(meters);
        this.superseded = Counter.builder("mediawatch_mqtt_superseded_total")
                .description("retained messages replaced by a newer one for the same topic before they were sent")
                .register(meters);
        this.received = Counter.builder("mediawatch_mqtt_received_total")
                .description("messages the broker delivered to this app").register(meters);
        this.listenerFailures = Counter.builder("mediawatch_mqtt_listener_failures_total")
                .description("messages a subscriber failed on (a bug: the message is lost, the subscription is not)")
                .register(meters);
        Gauges.replace(meters, "mediawatch_mqtt_connected", "1 while connected to the broker", Tags.empty(), this,
                s -> s.phase == Phase.CONNECTED ? 1 : 0);
        Gauges.replace(meters, "mediawatch_mqtt_send_queue_messages", "messages waiting to be sent", Tags.empty(), queue,
                SendQueue::waiting);
        Gauges.replace(meters, "mediawatch_mqtt_send_queue_bytes", "payload bytes waiting to be sent", Tags.empty(),
                queue, SendQueue::waitingBytes);
        Gauges.replace(meters, "mediawatch_mqtt_in_flight", "messages sent and not yet acknowledged", Tags.empty(), queue,
                SendQueue::inFlight);
        Gauges.replace(meters, "mediawatch_mqtt_in_flight_limit", "the most messages ever unacknowledged at once",
                Tags.empty(), queue, SendQueue::window);
        subscribe(settings.presenceTopic(), this::onPresence, true);
    }

    public MqttSettings settings() {
        return settings;
    }

    /** Starts the app's inbox, then the connection: nothing the broker delivers finds the inbox closed. */
    public void start(Inbox inbox) {
        inbox.start();
        start();
    }

    /** Says goodbye and disconnects ({@link #stop(Duration)}), then closes the app's inbox. */
    public void stop(Inbox inbox, Duration goodbye) {
        stop(goodbye);
        inbox.close();
    }

    /**
     * Connects in the background and keeps the connection up until {@link #stop}. Subscriptions may be added
     * before or after.
     */
    public void start() {
        context.runOnContext(v -> {
            if (phase == Phase.NEW) {
                connect();
                tickTimer = vertx.setPeriodic(1000, id -> tick());
            }
        });
    }

    /** Adds a subscription (QoS 1); sent at once when connected, and again after every connect. */
    public void subscribe(String filter, Listener listener) {
        subscribe(filter, listener, false);
    }

    private void subscribe(String filter, Listener listener, boolean presence) {
        Subscription s = new Subscription(TopicFilter.of(filter), listener, presence);
        subscriptions.add(s);
        context.runOnContext(v -> {
            if (phase == Phase.CONNECTED) {
                sendSubscribe(List.of(s));
            }
        });
    }

    /** An inbox fed by this session's subscriptions: watched every 5 s ({@link Inbox#check()}) and part of its health. */
    public void watch(Inbox inbox) {
        inboxes.add(inbox);
    }

    public List<Inbox> inboxes() {
        return List.copyOf(inboxes);
    }

    /** Runs {@code listener} (on the event loop) whenever the broker acknowledges the first presence after a connect. */
    public void onReachable(Runnable listener) {
        reachableListeners.add(listener);
    }

    /**
     * Queues one QoS 1 message. Never blocks. The future completes when the broker has acknowledged it (or a newer
     * retained message that replaced it before it left).
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retained) {
        if (stopping) {
            return failed("stopping", "the app is stopping");
        }
        return offer(topic, payload, retained);
    }

    private CompletableFuture<Void> offer(String topic, byte[] payload, boolean retained) {
        if (!validTopicName(topic)) {
            return failed("invalid-topic", "not a valid MQTT topic name: '" + Text.printable(topic, 120) + "'");
        }
        Phase p = phase;
        if (p == Phase.WAITING || p == Phase.STOPPED) {
            return failed("not-connected", "not connected to the MQTT broker " + settings.endpoint());
        }
        SendQueue.Offer offer = queue.offer(topic, payload, retained, System.nanoTime());
        if (offer.refusal() != null) {
            return failed(offer.refusal().wire, "the MQTT send queue is full (" + queue.waiting() + " messages, "
                    + queue.waitingBytes() + " bytes waiting)");
        }
        if (offer.replaced() != null) {
            superseded.increment();
            CompletableFuture<Void> older = offer.replaced().done;
            offer.entry().done.whenComplete((ok, error) -> {
                if (error == null) {
                    older.complete(null);
                } else {
                    older.completeExceptionally(error);
                }
            });
        }
        schedulePump();
        return offer.entry().done;
    }

    /**
     * Says {@code offline} (a clean disconnect sends no last will) and waits up to {@code goodbye} for the broker to
     * acknowledge it, then disconnects. Blocks the caller: call it from a shutdown hook, never from the event loop.
     */
    public void stop(Duration goodbye) {
        if (stopping) {
            return;
        }
        stopping = true;
        if (phase == Phase.CONNECTED) {
            try {
                offer(settings.presenceTopic(), Availability.OFFLINE.payload(), true).get(goodbye.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.infof("could not say offline on the way out (%s); the broker's last will says it instead",
                        e.getClass().getSimpleName());
            }
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        context.runOnContext(v -> {
            generation++; // whatever the old connection still reports is ignored from now on
            cancelTimers();
            setPhase(Phase.STOPPED, null);
            failAll("stopping", "the app is stopping");
            MqttClient c = client;
            client = null;
            if (c != null && c.isConnected()) {
                c.disconnect().onComplete(ar -> closed.complete(null));
            } else {
                closed.complete(null);
            }
        });
        try {
            closed.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("MQTT disconnect did not finish: %s", e.getMessage());
        }
    }

    public Health health() {
        List<String> refused = new ArrayList<>();
        for (Subscription s : subscriptions) {
            if (s.grant == Grant.REFUSED) {
                refused.add(s.filter.filter());
            }
        }
        long oldest = queue.oldestNanos();
        return new Health(phase, phaseSinceMillis, problem, refused, queue.waiting(), queue.inFlight(),
                oldest < 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest), reconnects);
    }

    /** Ends the current connection as if the broker had dropped it (tests; a deaf connection). */
    public void renew(String why) {
        context.runOnContext(v -> dropConnection(why));
    }

    // ---- the event loop -----------------------------------------------------------------------------------

    private void connect() {
        if (stopping) {
            return;
        }
        reconnectTimer = -1;
        int gen = ++generation;
        setPhase(Phase.CONNECTING, problem);
        MqttClient c = MqttClient.create(vertx, clientOptions(settings));
        client = c;
        c.publishHandler(m -> {
            if (gen == generation) {
                dispatch(m);
            }
        });
        c.publishCompletionHandler(id -> {
            if (gen == generation) {
                acknowledged(id);
            }
        });
        c.publishCompletionExpirationHandler(id -> {
            if (gen == generation) {
                ackTimedOut(id);
            }
        });
        c.subscribeCompletionHandler(ack -> {
            if (gen == generation) {
                subscribed(ack);
            }
        });
        c.exceptionHandler(t -> {
            if (gen == generation) {
                connectionError(t);
            }
        });
        c.closeHandler(v -> {
            if (gen == generation) {
                lost("the broker closed the connection");
            }
        });
        c.connect(settings.port(), settings.host(), ar -> {
            if (gen != generation) {
                if (ar.succeeded()) {
                    c.disconnect();
                }
                return;
            }
            if (ar.succeeded()) {
                connected();
            } else {
                connectFailed(ar.cause());
            }
        });
    }

    /** The Vert.x client's options for these settings: identity, will, limits and TLS. */
    static MqttClientOptions clientOptions(MqttSettings settings) {
        MqttClientOptions o = new MqttClientOptions();
        o.setClientId(settings.clientId());
        o.setAutoGeneratedClientId(false);
        settings.username().ifPresent(o::setUsername);
        settings.security().password().ifPresent(o::setPassword);
        o.setCleanSession(true);
        o.setKeepAliveInterval(settings.keepAliveSeconds());
        o.setMaxMessageSize(settings.maxMessageBytes());
        // The client refuses (and logs an error for) any QoS 1 message beyond its in-flight limit; the send queue
        // keeps to the same number, so it never gets there.
        o.setMaxInflightQueue(settings.maxInFlight());
        o.setAckTimeout((int) Math.max(1, settings.ackTimeout().toSeconds()));
        o.setWillFlag(true);
        o.setWillTopic(settings.presenceTopic());
        o.setWillMessageBytes(Buffer.buffer(Availability.OFFLINE.payload()));
        o.setWillQoS(MqttQoS.AT_LEAST_ONCE.value());
        o.setWillRetain(true);
        o.setConnectTimeout(5000);
        if (settings.security().tls()) {
            o.setSsl(true);
            o.setTrustAll(false);
            // Vert.x 4.5 refuses TLS without an algorithm, and "" would turn hostname verification off.
            o.setHostnameVerificationAlgorithm("HTTPS");
            if (!settings.security().caCertificates().isEmpty()) {
                PemTrustOptions trust = new PemTrustOptions();
                settings.security().caCertificates().forEach(pem -> trust.addCertValue(Buffer.buffer(pem)));
                o.setTrustOptions(trust);
            }
        }
        return o;
    }

    private void connected() {
        attempt = 0;
        reachableSinceConnect = false;
        announcing = false;
        echoDeadlineNanos = -1;
        if (lostAtNanos >= 0) {
            LOG.infof("reconnected to the MQTT broker %s after %d s", settings.endpoint(),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lostAtNanos));
            lostAtNanos = -1;
        } else {
            LOG.infof("connected to the MQTT broker %s as %s", settings.endpoint(), settings.clientId());
        }
        setPhase(Phase.CONNECTED, null);
        for (Subscription s : subscriptions) {
            s.grant = Grant.PENDING;
        }
        sendSubscribe(subscriptions);
        announce();
        pump();
    }

    private void connectFailed(Throwable cause) {
        String why = cause instanceof MqttConnectionException refused
                ? "the broker refused the connection: " + refused.code()
                : "cannot connect: " + describe(cause);
        client = null;
        failAll("not-connected", "not connected to the MQTT broker " + settings.endpoint());
        long held = connectLog.tryLog(System.nanoTime());
        if (held >= 0) {
            LOG.warnf("MQTT broker %s: %s; retrying (1 s, then up to every 30 s)%s", settings.endpoint(), why,
                    held > 0 ? "; " + held + " more failed attempts since the last such line" : "");
        }
        if (lostAtNanos < 0) {
            lostAtNanos = System.nanoTime();
        }
        waitAndReconnect(why);
    }

    private void lost(String why) {
        if (phase == Phase.STOPPED) {
            return;
        }
        client = null;
        reconnects++;
        failAll("connection-lost", "the MQTT connection was lost before the broker acknowledged the message");
        LOG.warnf("lost the MQTT connection to %s (%s); reconnecting", settings.endpoint(), why);
        lostAtNanos = System.nanoTime();
        waitAndReconnect(why);
    }

    private void waitAndReconnect(String why) {
        if (stopping) {
            return;
        }
        setPhase(Phase.WAITING, why);
        for (Subscription s : subscriptions) {
            s.grant = Grant.PENDING;
        }
        subscribing.clear();
        earlySubacks.clear();
        long delay = BACKOFF_SECONDS[Math.min(attempt, BACKOFF_SECONDS.length - 1)];
        attempt++;
        generation++; // callbacks of the old client are ignored from here on
        reconnectTimer = vertx.setTimer(TimeUnit.SECONDS.toMillis(delay), id -> connect());
    }

    /** Closes the current connection and reconnects; everything unacknowledged fails. */
    private void dropConnection(String why) {
        MqttClient c = client;
        if (c == null || phase != Phase.CONNECTED) {
            return;
        }
        lost(why);
        // Its callbacks belong to an old generation now; a clean close keeps the broker from sending our will.
        c.disconnect();
    }

    private void connectionError(Throwable t) {
        String why;
        if (t instanceof TooLongFrameException || t instanceof DecoderException && t.getCause() instanceof TooLongFrameException) {
            why = "the broker sent a message larger than " + settings.maxMessageBytes()
                    + " bytes, which cannot be skipped (set the broker's max_packet_size to at most that)";
        } else if (t instanceof DecoderException) {
            why = "the broker sent a packet that is not valid MQTT (" + describe(t) + ")";
        } else {
            why = describe(t);
        }
        // A broken decoder reads nothing more on this connection: renew it rather than stay deaf.
        dropConnection(why);
    }

    private void sendSubscribe(List<Subscription> subs) {
        MqttClient c = client;
        if (c == null || subs.isEmpty()) {
            return;
        }
        Map<String, Integer> filters = new LinkedHashMap<>();
        List<Subscription> ordered = new ArrayList<>();
        for (Subscription s : subs) {
            if (filters.putIfAbsent(s.filter.filter(), MqttQoS.AT_LEAST_ONCE.value()) == null) {
                ordered.add(s);
            }
        }
        int gen = generation;
        c.subscribe(filters).onComplete(ar -> {
            if (gen != generation || ar.failed()) {
                return; // the connection is going; connected() subscribes again
            }
            List<Integer> early = earlySubacks.remove(ar.result());
            if (early != null) {
                granted(ordered, early);
            } else {
                subscribing.put(ar.result(), ordered);
            }
        });
    }

    private void subscribed(MqttSubAckMessage ack) {
        List<Subscription> subs = subscribing.remove(ack.messageId());
        if (subs == null) {
            if (earlySubacks.size() < 64) {
                earlySubacks.put(ack.messageId(), ack.grantedQoSLevels());
            }
            return;
        }
        granted(subs, ack.grantedQoSLevels());
    }

    private void granted(List<Subscription> ordered, List<Integer> codes) {
        List<Subscription> refused = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            Subscription s = ordered.get(i);
            // 0x80 is failure (MQTT 3.1.1 section 3.9.3); the filter may cover several subscriptions of ours.
            Grant g = i < codes.size() && codes.get(i) != null && codes.get(i) < 0x80 ? Grant.GRANTED : Grant.REFUSED;
            for (Subscription same : subscriptions) {
                if (same.filter.filter().equals(s.filter.filter())) {
                    same.grant = g;
                }
            }
            if (g == Grant.REFUSED) {
                refused.add(s);
            }
        }
        if (!refused.isEmpty()) {
            List<String> names = refused.stream().map(s -> s.filter.filter()).toList();
            if (refusedLog.tryLog(System.nanoTime()) >= 0) {
                LOG.warnf("the MQTT broker refused the subscription to %s (is the ACL right?); asking again every %d s",
                        names, REFUSED_RETRY.toSeconds());
            }
            problem = "subscription refused: " + String.join(", ", names);
            int gen = generation;
            vertx.setTimer(REFUSED_RETRY.toMillis(), id -> {
                if (gen == generation && phase == Phase.CONNECTED) {
                    sendSubscribe(refused);
                }
            });
        } else if (problem != null && problem.startsWith("subscription refused")
                && subscriptions.stream().noneMatch(s -> s.grant == Grant.REFUSED)) {
            problem = null;
        }
    }

    private void dispatch(MqttPublishMessage m) {
        received.increment();
        String topic = m.topicName();
        byte[] payload = m.payload().getBytes();
        for (Subscription s : subscriptions) {
            if (s.filter.matches(topic)) {
                try {
                    s.listener.onMessage(topic, payload, m.isRetain());
                } catch (RuntimeException e) {
                    listenerFailures.increment();
                    long held = listenerLog.tryLog(System.nanoTime());
                    if (held >= 0) {
                        LOG.errorf(e, "a subscriber of %s failed on a message of %s%s", s.filter,
                                Text.printable(topic, 120), held > 0 ? " (" + held + " more since the last such line)" : "");
                    }
                }
            }
        }
    }

    private void schedulePump() {
        if (phase == Phase.CONNECTED && pumpScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                pumpScheduled.set(false);
                pump();
            });
        }
    }

    private void pump() {
        MqttClient c = client;
        if (c == null || phase != Phase.CONNECTED) {
            return;
        }
        SendQueue.Entry e;
        while ((e = queue.next()) != null) {
            SendQueue.Entry entry = e;
            c.publish(entry.topic, Buffer.buffer(entry.payload), MqttQoS.AT_LEAST_ONCE, false, entry.retained)
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            if (queue.written(entry, ar.result())) {
                                complete(entry);
                            }
                        } else if (queue.notWritten(entry)) {
                            fail(entry, "connection-lost", "the MQTT client could not send the message: "
                                    + describe(ar.cause()));
                            pump();
                        }
                    });
        }
    }

    private void acknowledged(int packetId) {
        SendQueue.Entry e = queue.acknowledged(packetId);
        if (e != null) {
            complete(e);
        }
        pump();
    }

    private void ackTimedOut(int packetId) {
        SendQueue.Entry e = queue.acknowledged(packetId);
        if (e != null) {
            fail(e, "ack-timeout", "the broker did not acknowledge the message within " + settings.ackTimeout().toSeconds()
                    + " s");
        }
        dropConnection("the broker did not acknowledge a message within " + settings.ackTimeout().toSeconds() + " s");
    }

    private void complete(SendQueue.Entry e) {
        published.increment();
        e.done.complete(null);
    }

    private void fail(SendQueue.Entry e, String reason, String message) {
        countFailure(reason);
        e.done.completeExceptionally(new PublishFailed(reason, message));
    }

    private void failAll(String reason, String message) {
        for (SendQueue.Entry e : queue.clear()) {
            fail(e, reason, message);
        }
    }

    private CompletableFuture<Void> failed(String reason, String message) {
        countFailure(reason);
        return CompletableFuture.failedFuture(new PublishFailed(reason, message));
    }

    private void countFailure(String reason) {
        Counter c;
        synchronized (failures) {
            c = failures.computeIfAbsent(reason, r -> Counter.builder("mediawatch_mqtt_publish_failures_total")
                    .tag("reason", r).description("messages not acknowledged by the broker, by reason").register(meters));
        }
        c.increment();
    }

    // ---- presence ------------------------------------------------------------------------------------------

    /** Publishes online (retained); once acknowledged, the same must come back on the presence subscription. */
    private void announce() {
        if (stopping || announcing || phase != Phase.CONNECTED) {
            return;
        }
        announcing = true;
        lastAnnounceNanos = System.nanoTime();
        echoSeen = false;
        int gen = generation;
        offer(settings.presenceTopic(), Availability.ONLINE.payload(), true).whenComplete((ok, error) ->
                context.runOnContext(v -> {
                    if (gen != generation) {
                        return;
                    }
                    announcing = false;
                    if (error != null) {
                        return; // the connection is going; the next connect announces again
                    }
                    // The broker may deliver our own message back before it acknowledges it.
                    if (!echoSeen && echoDeadlineNanos < 0) {
                        echoDeadlineNanos = System.nanoTime() + settings.echoTimeout().toNanos();
                    }
                    if (!reachableSinceConnect) {
                        reachableSinceConnect = true;
                        for (Runnable r : reachableListeners) {
                            try {
                                r.run();
                            } catch (RuntimeException e) {
                                LOG.errorf(e, "a listener of the broker's return failed");
                            }
                        }
                    }
                }));
    }

    private void onPresence(String topic, byte[] payload, boolean retained) {
        Availability a = Availability.parse(payload).orElse(null);
        if (a == Availability.ONLINE) {
            echoSeen = true;
            echoDeadlineNanos = -1; // the way in works
        } else if (a == Availability.OFFLINE && !stopping && !announcing) {
            // An old connection's last will (or a broker that lost our retained online): say online again.
            LOG.infof("the broker says this app is offline (an old connection's last will); announcing online again");
            announce();
        }
    }

    private void tick() {
        if (++ticks % 5 == 0) {
            for (Inbox inbox : inboxes) {
                inbox.check();
            }
        }
        if (phase != Phase.CONNECTED || stopping) {
            return;
        }
        long now = System.nanoTime();
        if (echoDeadlineNanos >= 0 && now - echoDeadlineNanos > 0) {
            echoDeadlineNanos = -1;
            LOG.warnf("the MQTT broker %s acknowledged this app's presence but did not deliver it back within %d s: "
                    + "taking the connection for deaf and renewing it", settings.endpoint(),
                    settings.echoTimeout().toSeconds());
            dropConnection("subscriptions not delivering");
            return;
        }
        if (now - lastAnnounceNanos >= settings.presenceInterval().toNanos()) {
            announce();
        }
    }

    private void cancelTimers() {
        if (reconnectTimer >= 0) {
            vertx.cancelTimer(reconnectTimer);
            reconnectTimer = -1;
        }
        if (tickTimer >= 0) {
            vertx.cancelTimer(tickTimer);
            tickTimer = -1;
        }
    }

    private void setPhase(Phase p, String why) {
        phase = p;
        phaseSinceMillis = System.currentTimeMillis();
        problem = why;
    }

    /** MQTT 3.1.1 section 4.7.3: at least one character, no wildcards, no NUL, at most 65,535 bytes. */
    static boolean validTopicName(String topic) {
        if (topic == null || topic.isEmpty() || topic.length() > 65_535) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char ch = topic.charAt(i);
            if (ch == '+' || ch == '#' || ch == 0) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + Text.printable(m, 200));
    }
}
