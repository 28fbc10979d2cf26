package dev.mediawatch.agent.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the NFS client statistics come from. PID 1's mountstats under a host root is root-only; the test makes it
 * unreadable by making it a directory (the tests run as root, for whom a mode-0400 file is readable), and the agent
 * falls back to its own /proc/self/mountstats, read for real.
 */
class HostFilesTest {

    @TempDir
    Path root;

    @Test
    void pid1sMountStats_underTheHostRoot_whenReadable() throws Exception {
        Files.createDirectories(root.resolve("proc/1"));
        Files.writeString(root.resolve("proc/1/mountstats"), "device pve:/media mounted on /mnt/media with fstype nfs4\n");
        assertThat(new HostFiles(root).mountStats()).contains("mounted on /mnt/media");
    }

    @Test
    void unreadable_fallsBackToTheAgentsOwnMountStats() throws Exception {
        Files.createDirectories(root.resolve("proc/1/mountstats")); // reading it fails: "Is a directory"
        String own = new HostFiles(root).mountStats();
        assertThat(own).as("this process's real mount table").isNotNull().contains("mounted on / with fstype");
    }

    @Test
    void missing_isNoStatistics_notAFallback() throws Exception {
        Files.createDirectories(root.resolve("proc/1"));
        assertThat(new HostFiles(root).mountStats()).isNull();
    }

    @Test
    void onTheHostItself_selfIsRead() {
        assertThat(new HostFiles(Path.of("/")).mountStats()).contains("mounted on /");
    }
}
