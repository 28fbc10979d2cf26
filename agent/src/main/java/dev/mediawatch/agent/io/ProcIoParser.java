package dev.mediawatch.agent.io;

/**
 * Parses {@code /proc/<pid>/io} ({@code Documentation/filesystems/proc.rst}, "/proc/&lt;pid&gt;/io"):
 *
 * <pre>
 * rchar: 4205260
 * wchar: 4194304
 * syscr: 82
 * syscw: 64
 * read_bytes: 0
 * write_bytes: 4198400
 * cancelled_write_bytes: 0
 * </pre>
 *
 * The values cover the whole thread group, plus the children it has waited for. Reading another user's process
 * needs ptrace access ({@code PTRACE_MODE_READ}), so an unprivileged agent sees only its own.
 *
 * <p>Unknown keys are ignored; a line that is not {@code key: unsigned number} is skipped and counted. The
 * record is only built when all seven fields were read.
 */
public final class ProcIoParser {

    /**
     * One process's I/O counters, cumulative since it started.
     *
     * @param rchar               bytes passed to read-like system calls ({@code read}, {@code pread},
     *                            {@code sendfile} ...), whether they came from the page cache, a disk, a pipe
     *                            or a socket
     * @param wchar               bytes passed to write-like system calls, likewise
     * @param syscr               read-like system calls
     * @param syscw               write-like system calls
     * @param readBytes           bytes this process caused to be fetched from storage: block-layer reads, plus
     *                            what network file systems account as read (NFS counts its reads here)
     * @param writeBytes          bytes this process caused to be sent to storage, counted when it dirties
     *                            page-cache pages (and for direct I/O), not when they reach a device. So buffered
     *                            writes to NFS, CIFS or FUSE count here too, unlike the block-layer
     *                            {@code io.stat} of the process's cgroup ({@link CgroupIoParser}), which never
     *                            sees them, and a file truncated or deleted before writeback still counts
     * @param cancelledWriteBytes bytes of {@code writeBytes} that were never written because the dirty pages were
     *                            truncated away; {@code writeBytes - cancelledWriteBytes} is the better estimate
     */
    public record ProcIo(long rchar, long wchar, long syscr, long syscw, long readBytes, long writeBytes,
            long cancelledWriteBytes) {
    }

    /**
     * @param io      the counters, or null when one of the seven fields was missing or malformed
     * @param skipped malformed lines skipped
     */
    public record Result(ProcIo io, int skipped) {
    }

    private ProcIoParser() {
    }

    public static Result parse(String text) {
        Long[] v = new Long[7];
        int skipped = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                skipped++;
                continue;
            }
            int index = index(line.substring(0, colon).strip());
            long value;
            try {
                value = Long.parseUnsignedLong(line.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                skipped++;
                continue;
            }
            if (index >= 0) {
                v[index] = value;
            }
        }
        for (Long x : v) {
            if (x == null) {
                return new Result(null, skipped);
            }
        }
        return new Result(new ProcIo(v[0], v[1], v[2], v[3], v[4], v[5], v[6]), skipped);
    }

    private static int index(String key) {
        return switch (key) {
            case "rchar" -> 0;
            case "wchar" -> 1;
            case "syscr" -> 2;
            case "syscw" -> 3;
            case "read_bytes" -> 4;
            case "write_bytes" -> 5;
            case "cancelled_write_bytes" -> 6;
            default -> -1; // a field a newer kernel may add
        };
    }
}
