package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Download speed limits of the downloaders, in bytes per second: {@code 0} is no limit, absent is "leave
 * alone" (in a request) or "not known / not configured" (in a state).
 */
@JsonPropertyOrder({ "sabnzbdBytesPerSec", "qbittorrentBytesPerSec" })
public record DownloadLimits(Long sabnzbdBytesPerSec, Long qbittorrentBytesPerSec) {

    public DownloadLimits {
        if ((sabnzbdBytesPerSec != null && sabnzbdBytesPerSec < 0)
                || (qbittorrentBytesPerSec != null && qbittorrentBytesPerSec < 0)) {
            throw new IllegalArgumentException("limits must be >= 0 (0 is no limit)");
        }
    }

    public static final DownloadLimits NONE = new DownloadLimits(null, null);
}
