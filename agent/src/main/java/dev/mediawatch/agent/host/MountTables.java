package dev.mediawatch.agent.host;

import java.util.List;

import dev.mediawatch.agent.fs.HostFiles;
import dev.mediawatch.agent.mounts.MountInfoParser;
import dev.mediawatch.agent.mounts.MountStatsParser;

/** The agent's view of the mount table and the NFS client statistics, read under the host root. */
final class MountTables {

    private MountTables() {
    }

    /** {@code /proc/<self or 1>/mountinfo}, parsed; empty when unreadable. */
    static List<MountInfoParser.Mount> mountInfo(HostFiles files, Skipped skipped) {
        String text = files.readQuietly(files.mountView("mountinfo"));
        if (text == null) {
            return List.of();
        }
        MountInfoParser.Result r = MountInfoParser.parse(text);
        if (r.skipped() > 0) {
            skipped.lines("mountinfo", r.skipped());
        }
        return r.mounts();
    }

    /** {@code /proc/<self or 1>/mountstats} (see {@link HostFiles#mountStats()}), its NFS mounts parsed; empty when unreadable or without NFS. */
    static List<MountStatsParser.NfsMount> mountStats(HostFiles files, Skipped skipped) {
        String text = files.mountStats();
        if (text == null) {
            return List.of();
        }
        MountStatsParser.Result r = MountStatsParser.parse(text);
        if (r.skipped() > 0) {
            skipped.lines("mountstats", r.skipped());
        }
        return r.mounts();
    }
}
