package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * SABnzbd's queue ({@code api?mode=queue}).
 *
 * @param status           SABnzbd's own word, lower case: {@code downloading}, {@code paused}, {@code idle}, ...
 * @param paused           the queue is paused
 * @param speedBytesPerSec current download speed
 * @param remainingBytes   what is left to download
 * @param items            jobs in the queue
 * @param limitBytesPerSec the speed limit in force; {@code 0} for none
 */
@JsonPropertyOrder({ "status", "paused", "speedBytesPerSec", "remainingBytes", "items", "limitBytesPerSec" })
public record DownloadQueue(String status, boolean paused, long speedBytesPerSec, long remainingBytes, int items,
        long limitBytesPerSec) {

    /** Downloading now, at any speed. */
    public boolean active() {
        return !paused && speedBytesPerSec > 0;
    }
}
