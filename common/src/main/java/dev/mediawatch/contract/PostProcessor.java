package dev.mediawatch.contract;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A post-processing container (unpackerr, tdarr, ...) and its disk activity, from its processes' I/O.
 *
 * @param container        the container's name
 * @param running          running (paused containers are not)
 * @param paused           paused, by mediawatch's throttle or by hand
 * @param readBytesPerSec  bytes read per second over the last sample
 * @param writeBytesPerSec bytes written per second over the last sample
 */
@JsonPropertyOrder({ "container", "running", "paused", "readBytesPerSec", "writeBytesPerSec" })
public record PostProcessor(String container, boolean running, boolean paused, long readBytesPerSec,
        long writeBytesPerSec) {

    public PostProcessor {
        Objects.requireNonNull(container, "container");
    }
}
