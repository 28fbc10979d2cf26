package dev.mediawatch.agent.activity;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import dev.mediawatch.contract.ActivitySource;
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
 * <p>Plain Java with an injectable clock. Blocking (the API calls, each bounded by its client's timeout): one
 * caller at a time, the activity thread.
 */
public final class ActivityCollector {

    /** The configured API clients; null where a source is not configured. */
    public record Clients(JellyfinClient jellyfin, NavidromeClient navidrome, SabnzbdClient sabnzbd,
            QbittorrentClient qbittorrent) {

        public boolean any() {
            return jellyfin != null || navidrome != null || sabnzbd != null || qbittorrent != null;
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

    public HostActivity collect() {
        List<ActivitySource> sources = new ArrayList<>(4);
        List<StreamSession> sessions = new ArrayList<>();
        if (clients.jellyfin() != null) {
            Poll<List<JellyfinSession>> p = clients.jellyfin().poll();
            sources.add(p.source());
            if (p.value() != null) {
                // Timed when the answer came: the tracker's silence is measured on the agent's clock.
                sessions.addAll(playback.judge(p.value(), clock.instant()));
            }
        }
        if (clients.navidrome() != null) {
            Poll<List<StreamSession>> p = clients.navidrome().sessions();
            sources.add(p.source());
            if (p.value() != null) {
                sessions.addAll(p.value());
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
        Instant now = clock.instant();
        for (ActivitySource s : sources) {
            SourceState before = lastStates.put(s.name(), s.state());
            if (before == null ? s.state() != SourceState.OK : before != s.state()) {
                events.accept(HostEvent.of(host, EventTypes.SOURCE_STATE, now, s.name(),
                        before == null ? null : before.wire(), s.state().wire(),
                        s.problem() == null ? Map.of() : Map.of("problem", s.problem())));
            }
        }
        return HostActivity.of(host, now, sources, sessions, queue, transfer, postProcessors(), throttle.get());
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
