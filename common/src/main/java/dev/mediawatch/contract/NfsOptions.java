package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The NFS mount options that decide how a mount behaves when the server goes away.
 *
 * @param vers    the protocol version, e.g. {@code 4.2}, {@code 3}
 * @param proto   the transport, {@code tcp}, {@code udp} or {@code rdma}
 * @param hard    {@code true} for {@code hard} (calls wait for the server forever), {@code false} for
 *                {@code soft} (calls fail after {@code retrans} retries)
 * @param timeo   the RPC timeout in tenths of a second
 * @param retrans retries before a {@code soft} call fails or a {@code hard} one logs "server not responding"
 */
@JsonPropertyOrder({ "vers", "proto", "hard", "timeo", "retrans" })
public record NfsOptions(String vers, String proto, Boolean hard, Integer timeo, Integer retrans) {
}
