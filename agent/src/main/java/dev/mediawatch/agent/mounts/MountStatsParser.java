package dev.mediawatch.agent.mounts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code /proc/<pid>/mountstats}, the NFS client's per-mount statistics. The file has one header line per
 * mount ({@code show_vfsstat} in {@code fs/proc_namespace.c}); only NFS mounts append a block of tab-indented
 * lines ({@code nfs_show_stats} in {@code fs/nfs/super.c}, then {@code rpc_clnt_show_stats} in
 * {@code net/sunrpc/stats.c}):
 *
 * <pre>
 * device rootfs mounted on / with fstype rootfs
 * device 192.168.1.1:/srv mounted on /mnt/nfs with fstype nfs4 statvers=1.1
 * 	opts:	rw,vers=4.0,rsize=1048576,...,hard,proto=tcp,timeo=600,retrans=2,sec=sys
 * 	age:	13968
 * 	events:	52 226 0 0 1 13 398 ...
 * 	bytes:	1207640230 0 0 0 1210214218 0 295483 0
 * 	RPC iostats version: 1.0  p/v: 100003/4 (nfs)
 * 	xprt:	tcp 832 0 1 0 11 6428 6428 0 12154 0 24 26 5726
 * 	per-op statistics
 * 	        READ: 1298 1298 0 207680 1210292152 6 79386 79407
 * </pre>
 *
 * Paths are escaped like mountinfo ({@code \040} for space). Only {@code nfs}/{@code nfs4} headers carrying
 * {@code statvers=} start a block; lines outside such a block (other filesystems, which may print their own
 * {@code times:}/{@code rchar:} lines) and unknown lines inside it are ignored, so a newer kernel's extra lines
 * do no harm. A line we do read ({@code age}, {@code bytes}, {@code events}, {@code xprt}, a per-op line, a
 * {@code device} header) that has too few or non-numeric fields is skipped and counted; the rest of the block
 * and file still parse. Every counter is read as an unsigned 64-bit value ({@link Long#parseUnsignedLong}): the
 * kernel prints {@code u64}/{@code unsigned long} and real files hold values near 2^64 (e.g. a queue time of
 * 18446743919241604546 ms, prometheus/procfs issue #166); callers compare them with {@link Long#compareUnsigned}
 * or subtract them (see {@link NfsRates}).
 */
public final class MountStatsParser {

    /**
     * The {@code bytes:} line ({@code enum nfs_stat_bytecounters} in {@code include/linux/nfs_iostat.h}).
     *
     * @param normalRead  bytes read by applications through the page cache
     * @param normalWrite bytes written by applications through the page cache
     * @param directRead  bytes read with {@code O_DIRECT}
     * @param directWrite bytes written with {@code O_DIRECT}
     * @param serverRead  bytes read from the server (READ replies)
     * @param serverWrite bytes written to the server (WRITE calls)
     * @param readPages   pages read
     * @param writePages  pages written
     */
    public record Bytes(long normalRead, long normalWrite, long directRead, long directWrite, long serverRead,
            long serverWrite, long readPages, long writePages) {
    }

    /**
     * The {@code xprt:} line(s). Field positions (kernel source; 0 is the first number after the protocol):
     *
     * <pre>
     * tcp  (xs_tcp_print_stats, net/sunrpc/xprtsock.c):
     *   0 srcport 1 bind_count 2 connect_count 3 connect_time 4 idle_time 5 sends 6 recvs 7 bad_xids
     *   8 req_u 9 bklog_u [10 max_slots 11 sending_u 12 pending_u]
     * udp  (xs_udp_print_stats): no connect_count, connect_time, idle_time
     *   0 srcport 1 bind_count 2 sends 3 recvs 4 bad_xids 5 req_u 6 bklog_u [7 max_slots 8 sending_u 9 pending_u]
     * rdma (xprt_rdma_print_stats, net/sunrpc/xprtrdma/transport.c): the tcp positions 0..9 (port is printed
     *   as 0), then RDMA counters (read/write/reply chunks, ...) which are not read here
     * local (xs_local_print_stats, AF_LOCAL): no srcport, so the tcp positions shifted by one
     *   0 bind_count 1 connect_count 2 connect_time 3 idle_time 4 sends 5 recvs 6 bad_xids 7 req_u 8 bklog_u [...]
     * </pre>
     *
     * The bracketed fields came with {@code statvers=1.1} (kernel commit 15a45206): 1.0 prints 10 numbers for
     * tcp and 7 for udp, 1.1 prints 13 and 10. They are appended, so the positions read here are the same in
     * both versions and a line is accepted when it has at least the 1.0 count. With {@code nconnect=N} the
     * kernel prints one line per connection; they are summed here, which is what per-mount rates need.
     *
     * @param protocol           {@code tcp}, {@code udp}, {@code rdma} or {@code local}
     * @param sends              RPC requests sent
     * @param recvs              RPC replies received
     * @param badXids            replies that matched no request
     * @param requestsCumulative {@code req_u}: the sum, over sends, of the requests in flight at that moment
     * @param backlogCumulative  {@code bklog_u}: the sum, over sends, of the backlog queue length at that moment
     * @param connectCount       connections made; 0 for udp, which has no connections
     */
    public record Transport(String protocol, long sends, long recvs, long badXids, long requestsCumulative,
            long backlogCumulative, long connectCount) {
    }

    /**
     * One per-op line ({@code _print_rpc_iostats} in {@code net/sunrpc/stats.c}, {@code struct rpc_iostats}):
     * {@code NAME: ops ntrans timeouts bytes_sent bytes_recv queue rtt execute [errors]}; the three times are
     * cumulative milliseconds. {@code errors} ({@code om_error_status}, tasks that ended with a negative status)
     * came in 2019 (Linux 5.3; files with it say {@code RPC iostats version: 1.1}); older kernels print 8
     * numbers and it reads 0 here. Numbers beyond the 9th are ignored.
     *
     * @param transmissions RPC transmissions, retransmissions included ({@code ntrans})
     * @param timeouts      major timeouts
     * @param queueMs       time queued before transmission
     * @param rttMs         round-trip time, from transmission to reply
     * @param executeMs     time from the call's creation to its completion
     */
    public record Op(long ops, long transmissions, long timeouts, long bytesSent, long bytesReceived, long queueMs,
            long rttMs, long executeMs, long errors) {
    }

    /**
     * One NFS mount.
     *
     * @param device      e.g. {@code 192.168.1.1:/srv}, unescaped
     * @param mountPoint  unescaped
     * @param fsType      {@code nfs} (v2/v3) or {@code nfs4} (v4.x; the minor version is in {@code options})
     * @param statVersion {@code statvers}, e.g. {@code 1.1}
     * @param options     the {@code opts:} line in order; flags such as {@code hard} map to ""
     * @param ageSeconds  seconds since the mount was made; a smaller value later means it was remounted
     * @param bytes       the {@code bytes:} line, or null when missing or malformed
     * @param transport   the {@code xprt:} line(s), or null when missing or malformed
     * @param ops         per-op counters by op name, in file order
     * @param events      the {@code events:} line by name ({@code enum nfs_stat_eventcounters}), in order; a
     *                    count beyond the known names is keyed {@code event<index>}; empty when missing
     */
    public record NfsMount(String device, String mountPoint, String fsType, String statVersion,
            Map<String, String> options, long ageSeconds, Bytes bytes, Transport transport, Map<String, Op> ops,
            Map<String, Long> events) {
    }

    /**
     * @param mounts  the NFS mounts, in file order
     * @param skipped malformed lines skipped
     */
    public record Result(List<NfsMount> mounts, int skipped) {
    }

    /** {@code enum nfs_stat_eventcounters} in {@code include/linux/nfs_iostat.h}, in order. */
    private static final List<String> EVENT_NAMES = List.of("inode_revalidate", "dentry_revalidate",
            "data_invalidate", "attr_invalidate", "vfs_open", "vfs_lookup", "vfs_access", "vfs_update_page",
            "vfs_read_page", "vfs_read_pages", "vfs_write_page", "vfs_write_pages", "vfs_getdents", "vfs_setattr",
            "vfs_flush", "vfs_fsync", "vfs_lock", "vfs_release", "congestion_wait", "setattr_trunc",
            "extend_write", "silly_rename", "short_read", "short_write", "delay", "pnfs_read", "pnfs_write");

    private MountStatsParser() {
    }

    public static Result parse(String text) {
        List<NfsMount> mounts = new ArrayList<>();
        int skipped = 0;
        Block block = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f[0].equals("device") || line.startsWith("no device ")) {
                if (block != null) {
                    mounts.add(block.build());
                }
                block = header(f);
                if (block == MALFORMED_HEADER) {
                    skipped++;
                    block = null;
                }
            } else if (block != null && !block.line(f)) {
                skipped++;
            }
        }
        if (block != null) {
            mounts.add(block.build());
        }
        return new Result(List.copyOf(mounts), skipped);
    }

    private static final Block MALFORMED_HEADER = new Block("", "", "", "");

    /**
     * {@code device D mounted on M with fstype T [statvers=V]}: a Block for an NFS mount, null for any other
     * mount, {@link #MALFORMED_HEADER} when the line does not have that shape.
     */
    private static Block header(String[] f) {
        if (f[0].equals("no")) {
            return null; // "no device mounted on ...": never NFS
        }
        if (f.length < 8 || !f[2].equals("mounted") || !f[3].equals("on") || !f[5].equals("with")
                || !f[6].equals("fstype")) {
            return MALFORMED_HEADER;
        }
        String fsType = f[7];
        if (!(fsType.equals("nfs") || fsType.equals("nfs4")) || f.length < 9 || !f[8].startsWith("statvers=")) {
            return null;
        }
        return new Block(MountInfoParser.unescape(f[1]), MountInfoParser.unescape(f[4]), fsType,
                f[8].substring("statvers=".length()));
    }

    /** The lines of one NFS mount, accumulated. */
    private static final class Block {
        final String device;
        final String mountPoint;
        final String fsType;
        final String statVersion;
        Map<String, String> options = Map.of();
        long age;
        Bytes bytes;
        Transport transport;
        final Map<String, Op> ops = new LinkedHashMap<>();
        Map<String, Long> events = Map.of();
        boolean inOps;

        Block(String device, String mountPoint, String fsType, String statVersion) {
            this.device = device;
            this.mountPoint = mountPoint;
            this.fsType = fsType;
            this.statVersion = statVersion;
        }

        /** Reads one line of the block; false when it is a line we read but malformed. */
        boolean line(String[] f) {
            try {
                if (inOps && isOpName(f[0])) {
                    return op(f);
                }
                switch (f[0]) {
                    case "opts:" -> {
                        if (f.length < 2) {
                            return false;
                        }
                        options = options(f[1]);
                    }
                    case "age:" -> {
                        if (f.length < 2) {
                            return false;
                        }
                        age = Long.parseUnsignedLong(f[1]);
                    }
                    case "bytes:" -> {
                        long[] n = numbers(f, 1, 8);
                        if (n == null) {
                            return false;
                        }
                        bytes = new Bytes(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]);
                    }
                    case "events:" -> {
                        long[] n = numbers(f, 1, f.length - 1);
                        if (n == null || n.length == 0) {
                            return false;
                        }
                        events = events(n);
                    }
                    case "xprt:" -> {
                        Transport t = f.length < 2 ? null : transport(f[1], f);
                        if (t == null) {
                            return false;
                        }
                        transport = transport == null ? t : sum(transport, t);
                    }
                    case "per-op" -> inOps = true;
                    default -> {
                        // caps:, sec:, nfsv4:, impl_id:, fsc:, RPC iostats version, ... or a future line
                    }
                }
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        private boolean op(String[] f) {
            long[] n = numbers(f, 1, 8);
            if (n == null) {
                return false;
            }
            long errors = f.length > 9 ? Long.parseUnsignedLong(f[9]) : 0;
            ops.put(f[0].substring(0, f[0].length() - 1),
                    new Op(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], errors));
            return true;
        }

        NfsMount build() {
            return new NfsMount(device, mountPoint, fsType, statVersion, options, age, bytes, transport,
                    Collections.unmodifiableMap(new LinkedHashMap<>(ops)), events);
        }
    }

    /**
     * A per-op line starts with the procedure name and a colon: upper case, digits and underscores
     * ({@code p_name}), or the procedure number when it has no name ({@code _print_name}).
     */
    private static boolean isOpName(String token) {
        if (token.length() < 2 || !token.endsWith(":")) {
            return false;
        }
        for (int i = 0; i < token.length() - 1; i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** f[from..from+count) as unsigned longs, or null when there are fewer; throws on a non-number. */
    private static long[] numbers(String[] f, int from, int count) {
        if (f.length < from + count) {
            return null;
        }
        long[] n = new long[count];
        for (int i = 0; i < count; i++) {
            n[i] = Long.parseUnsignedLong(f[from + i]);
        }
        return n;
    }

    private static Transport transport(String protocol, String[] f) {
        // f[0] is "xprt:", f[1] the protocol, f[2] the first number
        return switch (protocol) {
            case "tcp", "rdma" -> xprt(protocol, f, 10, 5, 2);
            case "udp" -> xprt(protocol, f, 7, 2, -1);
            case "local" -> xprt(protocol, f, 9, 4, 1);
            default -> null; // a transport whose field layout we do not know
        };
    }

    /**
     * @param min     numbers the line must have (the statvers=1.0 count)
     * @param sends   position of sends; recvs, bad_xids, req_u and bklog_u follow it
     * @param connect position of connect_count, -1 when the transport has none
     */
    private static Transport xprt(String protocol, String[] f, int min, int sends, int connect) {
        long[] n = numbers(f, 2, min);
        if (n == null) {
            return null;
        }
        return new Transport(protocol, n[sends], n[sends + 1], n[sends + 2], n[sends + 3], n[sends + 4],
                connect < 0 ? 0 : n[connect]);
    }

    /** nconnect: one line per connection, added up. */
    private static Transport sum(Transport a, Transport b) {
        return new Transport(a.protocol(), a.sends() + b.sends(), a.recvs() + b.recvs(),
                a.badXids() + b.badXids(), a.requestsCumulative() + b.requestsCumulative(),
                a.backlogCumulative() + b.backlogCumulative(), a.connectCount() + b.connectCount());
    }

    private static Map<String, String> options(String field) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String o : field.split(",")) {
            if (o.isEmpty()) {
                continue;
            }
            int eq = o.indexOf('=');
            out.put(eq < 0 ? o : o.substring(0, eq), eq < 0 ? "" : o.substring(eq + 1));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, Long> events(long[] n) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < n.length; i++) {
            out.put(i < EVENT_NAMES.size() ? EVENT_NAMES.get(i) : "event" + i, n[i]);
        }
        return Collections.unmodifiableMap(out);
    }
}
