package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A filesystem's size as {@code statvfs} tells it.
 *
 * @param totalBytes     the size
 * @param freeBytes      free, including blocks reserved for root
 * @param availableBytes free for unprivileged users (what {@code df} shows as available)
 * @param usedBytes      {@code totalBytes - freeBytes}
 * @param usedPct        used as {@code df} computes it: used / (used + available), 0-100, one decimal
 */
@JsonPropertyOrder({ "totalBytes", "freeBytes", "availableBytes", "usedBytes", "usedPct" })
public record MountSpace(long totalBytes, long freeBytes, long availableBytes, long usedBytes, double usedPct) {

    public static MountSpace of(long totalBytes, long freeBytes, long availableBytes) {
        long used = Math.max(0, totalBytes - freeBytes);
        long base = used + Math.max(0, availableBytes);
        double pct = base == 0 ? 0 : Math.round(used * 1000.0 / base) / 10.0;
        return new MountSpace(totalBytes, freeBytes, availableBytes, used, pct);
    }
}
