package dev.mediawatch.agent.activity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.ContainerIo;
import dev.mediawatch.contract.ContainerState;
import dev.mediawatch.contract.ContainerStatus;
import dev.mediawatch.contract.DownloadQueue;
import dev.mediawatch.contract.EventTypes;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostIo;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.PostProcessor;
import dev.mediawatch.contract.ServiceIdentity;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.contract.ThrottleState;
import dev.mediawatch.contract.TorrentTransfer;

/**
 * One look at what the media services do: asks each configured API (Jellyfin, Navidrome, SABnzbd,
 * qBittorrent; absent ones are skipped), takes the post-processing containers' state and disk activity from
 * what the agent already collects (the engine snapshot and the host's container I/O), adds the throttle's
 * state, and builds the {@link HostActivity}. A source whose state changed is an event ({@code source.state}).
 * Jellyfin's sessions are judged for stalls by the collector's own {@link PlaybackTracker}, which follows them
 * from one collection to the next; a Jellyfin poll that fails leaves its tracks as they are (nothing was seen, so
 * no session is known to have ended).
 *
 * <p>The slow-moving facts are asked at their own cadence ({@code mediawatch.activity.imports.interval}), not every
 * poll: the *arr histories (today's imports, up to four pages each) and Jellyfin's identity. They are asked at the
 * first collection, then when the interval has passed, when the local day has changed (a count from before
 * midnight is yesterday's), and at the collection after {@link #askSlowSourcesNext()} (the refresh command).
 * Between asks every snapshot carries the last answers again: the imports with the {@code askedAt} of their ask,
 * and each *arr app's state in {@code sources} (an app that failed stays failed, without imports, until the next
 * ask). Jellyfin's identity is also asked when its sessions poll answers again after failing: a Jellyfin that
 * comes back may be another instance. Navidrome's identity comes with every poll (the Subsonic envelope names its
 * server). A last known identity is kept while its service does not answer: the id of an instance does not
 * change because it is down.
 *
 * <p>Plain Java with an injectable clock. Blocking (the API calls, each bounded by its client's timeout): one
 * caller at a time, the activity thread.
 */
public final class ActivityCollector {

    /** The default of {@code mediawatch.activity.imports.interval}. */
    static final Duration SLOW_INTERVAL = Duration.ofMinutes(5);

    /** The configured API clients; null where a source is not configured, {@code arr} empty when none is. */
    public record Clients(JellyfinClient jellyfin, NavidromeClient navidrome, SabnzbdClient sabnzbd,
            QbittorrentClient qbittorrent, List<ArrClient> arr) {

        public Clients {
            arr = arr == null ? List.of() : List.copyOf(arr);
        }

        /** Without *arr apps. */
        public Clients(JellyfinClient jellyfin, NavidromeClient navidrome, SabnzbdClient sabnzbd,
                QbittorrentClient qbittorrent) {
            this(jellyfin, navidrome, sabnzbd, qbittorrent, List.of());
        }

        public boolean any() {
            return jellyfin != null || navidrome != null || sabnzbd != null || qbittorrent != null || !arr.isEmpty();
        }
    }

    private final HostId host;
    private final Clock clock;
    private final Clients clients;
    private final List<String> postProcessing;
    private final Supplier<HostState> containers;
    private final Supplier<HostIo> io;
    private final Supplier<ThrottleState> throttle;
    private final java.util.function.Consumer<HostEvent> events;
    private final Map<String, SourceState> lastStates = new HashMap<>();
    private final PlaybackTracker playback;
    private final Duration slowInterval;

    /** When the *arr histories and Jellyfin's identity were last asked; null before the first ask. */
    private Instant slowAskedAt;
    private boolean slowAskRequested;
    /** Each *arr app's last state, and its last imports (absent while failing); published in the clients' order. */
    private final Map<String, ActivitySource> arrSources = new HashMap<>();
    private final Map<String, ArrImports> arrImports = new HashMap<>();
    private ServiceIdentity jellyfinIdentity;
    private ServiceIdentity navidromeIdentity;
    private SourceState lastJellyfinState;

    /**
     * @param containers the engine's last snapshot, or null before the first
     * @param io         the host's last I/O sample, or null before the first
     * @param throttle   the throttle's state to publish, or null where the host cannot throttle
     * @param events     where {@code source.state} events go (must not block)
     * @param stall      the thresholds Jellyfin's sessions are judged for stalls with
     */
    ActivityCollector(HostId host, Clock clock, Clients clients, List<String> postProcessing,
            Supplier<HostState> containers, Supplier<HostIo> io, Supplier<ThrottleState> throttle,
            java.util.function.Consumer<HostEvent> events, PlaybackTracker.Settings stall) {
        this(host, clock, clients, SLOW_INTERVAL, postProcessing, containers, io, throttle, events, stall);
    }

    /**
     * @param slowInterval how often the *arr histories and Jellyfin's identity are asked
     *                     ({@code mediawatch.activity.imports.interval})
     */
    ActivityCollector(HostId host, Clock clock, Clients clients, Duration slowInterval, List<String> postProcessing,
            Supplier<HostState> containers, Supplier<HostIo> io, Supplier<ThrottleState> throttle,
            java.util.function.Consumer<HostEvent> events, PlaybackTracker.Settings stall) {
        this.slowInterval = Objects.requireNonNull(slowInterval, "slowInterval");
        this.host = Objects.requireNonNull(host, "host");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.postProcessing = List.copyOf(postProcessing);
        this.containers = Objects.requireNonNull(containers, "containers");
        this.io = Objects.requireNonNull(io, "io");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.events = Objects.requireNonNull(events, "events");
        this.playback = new PlaybackTracker(stall);
    }

    /** The next collection asks the *arr histories and Jellyfin's identity whatever their interval says. */
    void askSlowSourcesNext() {
        slowAskRequested = true;
    }

    public HostActivity collect() {
        // The cadence counts from the start of an ask, so slow answers do not stretch it.
        Instant started = clock.instant();
        boolean askSlow = slowDue(started);
        List<ActivitySource> sources = new ArrayList<>(4 + clients.arr().size());
        List<StreamSession> sessions = new ArrayList<>();
        if (clients.jellyfin() != null) {
            Poll<List<JellyfinSession>> p = clients.jellyfin().poll();
            sources.add(p.source());
            if (p.value() != null) {
                // Timed when the answer came: the tracker's silence is measured on the agent's clock.
                sessions.addAll(playback.judge(p.value(), clock.instant()));
            }
            boolean back = p.source().isOk() && lastJellyfinState != null && lastJellyfinState != SourceState.OK;
            lastJellyfinState = p.source().state();
            if (askSlow || back) {
                Poll<ServiceIdentity> id = clients.jellyfin().identity();
                if (id.value() != null) {
                    jellyfinIdentity = id.value();
                }
            }
        }
        if (clients.navidrome() != null) {
            NavidromeClient.NowPlaying n = clients.navidrome().nowPlaying();
            Poll<List<StreamSession>> p = n.sessions();
            sources.add(p.source());
            if (p.value() != null) {
                sessions.addAll(p.value());
            }
            if (n.identity() != null) {
                navidromeIdentity = n.identity();
            }
        }
        DownloadQueue queue = null;
        if (clients.sabnzbd() != null) {
            Poll<DownloadQueue> p = clients.sabnzbd().queue();
            sources.add(p.source());
            queue = p.value();
        }
        TorrentTransfer transfer = null;
        if (clients.qbittorrent() != null) {
            Poll<TorrentTransfer> p = clients.qbittorrent().transfer();
            sources.add(p.source());
            transfer = p.value();
        }
        if (askSlow) {
            askArr();
            slowAskedAt = started;
            slowAskRequested = false;
        }
        // Between asks an app's state is the one of its last ask: unchanged, so no second event.
        List<ArrImports> imports = new ArrayList<>(clients.arr().size());
        for (ArrClient c : clients.arr()) {
            ActivitySource source = arrSources.get(c.app().id());
            if (source != null) {
                sources.add(source);
            }
            ArrImports last = arrImports.get(c.app().id());
            if (last != null) {
                imports.add(last);
            }
        }
        Instant now = clock.instant();
        for (ActivitySource s : sources) {
            SourceState before = lastStates.put(s.name(), s.state());
            if (before == null ? s.state() != SourceState.OK : before != s.state()) {
                events.accept(HostEvent.of(host, EventTypes.SOURCE_STATE, now, s.name(),
                        before == null ? null : before.wire(), s.state().wire(),
                        s.problem() == null ? Map.of() : Map.of("problem", s.problem())));
            }
        }
        List<ServiceIdentity> identities = new ArrayList<>(2);
        if (jellyfinIdentity != null) {
            identities.add(jellyfinIdentity);
        }
        if (navidromeIdentity != null) {
            identities.add(navidromeIdentity);
        }
        return HostActivity.of(host, now, sources, sessions, queue, transfer, postProcessors(), throttle.get(),
                imports, identities);
    }

    /**
     * Whether the *arr histories and Jellyfin's identity are asked in this collection: the first time, on request,
     * once the interval has passed, or when an app's count is from a day that has ended.
     */
    private boolean slowDue(Instant now) {
        if (slowAskedAt == null || slowAskRequested || !now.isBefore(slowAskedAt.plus(slowInterval))) {
            return true;
        }
        for (ArrClient c : clients.arr()) {
            ArrImports last = arrImports.get(c.app().id());
            if (last != null && last.since().isBefore(c.since(now))) {
                return true;
            }
        }
        return false;
    }

    /** Asks every *arr app for today's imports. */
    private void askArr() {
        for (ArrClient c : clients.arr()) {
            Poll<ArrImports> p = c.imports();
            arrSources.put(c.app().id(), p.source());
            if (p.value() != null) {
                arrImports.put(c.app().id(), p.value());
            } else {
                // A count that could not be renewed is not shown as today's: the source's state says why.
                arrImports.remove(c.app().id());
            }
        }
    }

    /** Each configured post-processing container the engine has, with its I/O from the last host sample. */
    List<PostProcessor> postProcessors() {
        HostState state = containers.get();
        if (state == null || postProcessing.isEmpty()) {
            return List.of();
        }
        HostIo sample = io.get();
        Map<String, ContainerIo> rates = new HashMap<>();
        if (sample != null) {
            for (ContainerIo c : sample.containers()) {
                rates.put(c.container(), c);
            }
        }
        List<PostProcessor> out = new ArrayList<>();
        for (ContainerState c : state.containers()) {
            if (!postProcessing.contains(c.name()) && (c.service() == null || !postProcessing.contains(c.service()))) {
                continue;
            }
            ContainerIo r = rates.get(c.name());
            out.add(new PostProcessor(c.name(), c.state() == ContainerStatus.RUNNING, c.state() == ContainerStatus.PAUSED,
                    r == null ? 0 : r.readBytesPerSec(), r == null ? 0 : r.writeBytesPerSec()));
        }
        return out;
    }
}
