package dev.mediawatch.agent.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProcCgroupParserTest {

    static final String ID = "4f1c3e2a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e";

    static Stream<Arguments> fixtures() {
        return Stream.of(
                // this machine: hybrid, nine v1 hierarchies plus the unified one at the root
                Arguments.of("cgroup-hybrid-self.txt", Optional.of("/"), 9, "memory",
                        "/process_api/d3c25314211ba9fefd6c892c7582074d"),
                // constructed: pure v2 host, a process in a Docker container (systemd cgroup driver)
                Arguments.of("cgroup-v2-docker.txt", Optional.of("/system.slice/docker-" + ID + ".scope"), 0, null,
                        null),
                // constructed: pure v1 host (cgroupfs driver), no unified hierarchy
                Arguments.of("cgroup-v1-docker.txt", Optional.empty(), 6, "blkio", "/docker/" + ID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtures_v2PathAndV1Controllers(String file, Optional<String> v2, int v1Count, String controller,
            String v1Path) throws IOException {
        ProcCgroupParser.Result r = ProcCgroupParser.parse(DiskStatsParserTest.fixture(file));
        assertThat(r.v2Path()).isEqualTo(v2);
        assertThat(r.v1Paths()).hasSize(v1Count);
        if (controller != null) {
            assertThat(r.v1Paths()).containsEntry(controller, v1Path);
        }
        assertThat(r.skipped()).isZero();
    }

    @Test
    void hybridCapture_namedHierarchyKeepsItsName() throws IOException {
        ProcCgroupParser.Result r = ProcCgroupParser.parse(DiskStatsParserTest.fixture("cgroup-hybrid-self.txt"));
        assertThat(r.v1Paths()).containsOnlyKeys("name=systemd", "pids", "blkio", "freezer", "devices", "memory",
                "cpuset", "cpuacct", "cpu");
        assertThat(r.v1Paths()).contains(entry("name=systemd", "/"), entry("blkio", "/"));
    }

    @Test
    void coMountedControllers_eachGetThePath() throws IOException {
        ProcCgroupParser.Result r = ProcCgroupParser.parse(DiskStatsParserTest.fixture("cgroup-v1-docker.txt"));
        assertThat(r.v1Paths()).contains(entry("cpu", "/docker/" + ID), entry("cpuacct", "/docker/" + ID),
                entry("name=systemd", "/docker/" + ID));
    }

    static Stream<Arguments> unusualInput() {
        return Stream.of(
                Arguments.of("inside a cgroup namespace", "0::/\n", Optional.of("/"), Map.of(), 0),
                Arguments.of("removed cgroup: ' (deleted)' dropped",
                        "0::/system.slice/docker-" + ID + ".scope (deleted)\n",
                        Optional.of("/system.slice/docker-" + ID + ".scope"), Map.of(), 0),
                Arguments.of("colons in the path", "0::/kubepods/pod:a:b\n3:cpu:/x:y\n", Optional.of("/kubepods/pod:a:b"),
                        Map.of("cpu", "/x:y"), 0),
                Arguments.of("empty text (the process has exited)", "", Optional.empty(), Map.of(), 0),
                Arguments.of("two fields only", "0:/\n", Optional.empty(), Map.of(), 1),
                Arguments.of("ID not a number", "x::/a\n", Optional.empty(), Map.of(), 1),
                Arguments.of("path not absolute", "0::a\n", Optional.empty(), Map.of(), 1),
                Arguments.of("ID 0 with controllers", "0:cpu:/a\n", Optional.empty(), Map.of(), 1),
                Arguments.of("v1 ID without controllers", "5::/a\n", Optional.empty(), Map.of(), 1),
                Arguments.of("bad lines do not spoil good ones", "garbage\n4:memory:/m\n\n0::/u\n",
                        Optional.of("/u"), Map.of("memory", "/m"), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusualInput")
    void unusualInput_neverThrows(String name, String text, Optional<String> v2, Map<String, String> v1,
            int skipped) {
        ProcCgroupParser.Result r = ProcCgroupParser.parse(text);
        assertThat(r.v2Path()).isEqualTo(v2);
        assertThat(r.v1Paths()).isEqualTo(v1);
        assertThat(r.skipped()).isEqualTo(skipped);
    }
}
