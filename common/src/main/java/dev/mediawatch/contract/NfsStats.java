package dev.mediawatch.contract;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * NFS client statistics of one mount ({@code /proc/<pid>/mountstats}) as rates between two samples.
 *
 * @param intervalSeconds   the time between the two samples
 * @param readBytesPerSec   bytes read from the server per second (whole bytes)
 * @param writeBytesPerSec  bytes written to the server per second
 * @param retransPerSec     RPC retransmissions per second, all operations
 * @param timeoutsPerSec    RPC major timeouts per second, all operations
 * @param backlog           the transport's average backlog queue length per request sent
 * @param ops               per operation (READ, WRITE, GETATTR, ...), those with calls in the interval
 *                          first by calls per second; sorted by name among equals
 */
@JsonPropertyOrder({ "intervalSeconds", "readBytesPerSec", "writeBytesPerSec", "retransPerSec", "timeoutsPerSec",
        "backlog", "ops" })
public record NfsStats(double intervalSeconds, long readBytesPerSec, long writeBytesPerSec, double retransPerSec,
        double timeoutsPerSec, double backlog, List<NfsOpStats> ops) {

    public NfsStats {
        ops = ops == null ? List.of() : List.copyOf(ops);
    }
}
