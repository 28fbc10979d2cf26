package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * qBittorrent's transfer info ({@code /api/v2/transfer/info}) and active torrents.
 *
 * @param downloadBytesPerSec   global download speed
 * @param uploadBytesPerSec     global upload speed
 * @param downloading           torrents downloading now ({@code torrents/info?filter=downloading})
 * @param limitBytesPerSec      the global download limit in force; {@code 0} for none
 * @param connection            {@code connected}, {@code firewalled} or {@code disconnected}
 */
@JsonPropertyOrder({ "downloadBytesPerSec", "uploadBytesPerSec", "downloading", "limitBytesPerSec", "connection" })
public record TorrentTransfer(long downloadBytesPerSec, long uploadBytesPerSec, int downloading, long limitBytesPerSec,
        String connection) {

    /** Downloading now, at any speed. */
    public boolean active() {
        return downloadBytesPerSec > 0;
    }
}
