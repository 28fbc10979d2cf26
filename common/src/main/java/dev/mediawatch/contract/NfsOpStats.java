package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One NFS operation's rates over the last sample.
 *
 * @param op             the operation as the kernel names it: {@code READ}, {@code WRITE}, {@code GETATTR}, ...
 * @param opsPerSec      calls completed per second
 * @param rttMs          average round trip per call (request sent to reply received)
 * @param executeMs      average execution per call (queued to done), what an application waits
 * @param retransPerSec  retransmissions per second
 * @param timeoutsPerSec major timeouts per second
 * @param errorsPerSec   calls that ended in an error per second (kernels that count them)
 */
@JsonPropertyOrder({ "op", "opsPerSec", "rttMs", "executeMs", "retransPerSec", "timeoutsPerSec", "errorsPerSec" })
public record NfsOpStats(String op, double opsPerSec, double rttMs, double executeMs, double retransPerSec,
        double timeoutsPerSec, double errorsPerSec) {
}
