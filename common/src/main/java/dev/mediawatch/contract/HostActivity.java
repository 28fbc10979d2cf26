package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The retained snapshot on {@code <prefix>/<host>/activity}: what the media services on a host are doing,
 * from their own APIs, published every activity interval. A streaming host fills {@code sessions}; a download
 * host {@code sabnzbd}, {@code qbittorrent}, {@code postProcessing} and {@code throttle}. What a host does not
 * run is absent; a source it runs but could not ask is in {@code sources} with its state.
 *
 * @param schema         always {@code mediawatch.host-activity}
 * @param version        the schema version, {@code 1}
 * @param host           the agent's host id; must equal the host level of the topic
 * @param timestamp      when it was collected (UTC)
 * @param sources        every configured source and how it answered
 * @param sessions       active playback sessions (streaming)
 * @param sabnzbd        SABnzbd's queue; absent when not configured or not answering
 * @param qbittorrent    qBittorrent's transfer; absent when not configured or not answering
 * @param postProcessing post-processing containers and their disk activity
 * @param throttle       the download throttle; absent on hosts that cannot throttle
 * @param imports        today's imports per *arr app (download hosts with Radarr, Sonarr or Lidarr configured)
 * @param identities     who the media services here are, by their own APIs (Jellyfin's server id, Navidrome's version)
 */
@JsonPropertyOrder({ "schema", "version", "host", "timestamp", "sources", "sessions", "sabnzbd", "qbittorrent",
        "postProcessing", "throttle", "imports", "identities" })
public record HostActivity(String schema, int version, HostId host, Instant timestamp, List<ActivitySource> sources,
        List<StreamSession> sessions, DownloadQueue sabnzbd, TorrentTransfer qbittorrent,
        List<PostProcessor> postProcessing, ThrottleState throttle, List<ArrImports> imports,
        List<ServiceIdentity> identities) {

    public HostActivity {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timestamp, "timestamp");
        sources = sources == null ? List.of() : List.copyOf(sources);
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
        postProcessing = postProcessing == null ? List.of() : List.copyOf(postProcessing);
        imports = imports == null ? List.of() : List.copyOf(imports);
        identities = identities == null ? List.of() : List.copyOf(identities);
    }

    public static HostActivity of(HostId host, Instant timestamp, List<ActivitySource> sources,
            List<StreamSession> sessions, DownloadQueue sabnzbd, TorrentTransfer qbittorrent,
            List<PostProcessor> postProcessing, ThrottleState throttle) {
        return of(host, timestamp, sources, sessions, sabnzbd, qbittorrent, postProcessing, throttle, List.of(), List.of());
    }

    public static HostActivity of(HostId host, Instant timestamp, List<ActivitySource> sources,
            List<StreamSession> sessions, DownloadQueue sabnzbd, TorrentTransfer qbittorrent,
            List<PostProcessor> postProcessing, ThrottleState throttle, List<ArrImports> imports,
            List<ServiceIdentity> identities) {
        return new HostActivity(Schema.HOST_ACTIVITY.id(), Schema.HOST_ACTIVITY.version(), host, timestamp, sources,
                sessions, sabnzbd, qbittorrent, postProcessing, throttle, imports, identities);
    }

    /** The identity a service here reported, if any. */
    public java.util.Optional<ServiceIdentity> identity(String service) {
        return identities.stream().filter(i -> i.service().equals(service)).findFirst();
    }

    /** Sessions playing now (not paused). */
    public long playing() {
        return sessions.stream().filter(s -> !s.paused()).count();
    }

    /** A downloader moving bytes now. */
    public boolean downloading() {
        return (sabnzbd != null && sabnzbd.active()) || (qbittorrent != null && qbittorrent.active());
    }
}
