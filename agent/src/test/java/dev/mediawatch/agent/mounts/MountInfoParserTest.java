package dev.mediawatch.agent.mounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MountInfoParserTest {

    static String fixture(String name) throws IOException {
        return new String(MountInfoParserTest.class.getResourceAsStream("/fixtures/proc/" + name).readAllBytes(),
                StandardCharsets.UTF_8);
    }

    static MountInfoParser.Mount at(MountInfoParser.Result r, String point) {
        return r.mounts().stream().filter(m -> m.mountPoint().equals(point)).findFirst().orElseThrow();
    }

    @Test
    void realNamespaceCapture_readOnlyBindIsRoPerMountAndRwInTheSuperblock() throws IOException {
        MountInfoParser.Result r = MountInfoParser.parse(fixture("mountinfo-namespace.txt"));
        assertThat(r.skipped()).isZero();
        MountInfoParser.Mount bind = at(r, "/mnt/docker");
        assertThat(bind.mountOptions()).contains("ro");
        assertThat(bind.superOptions()).containsKey("rw").doesNotContainKey("ro");
        assertThat(bind.readOnly()).isTrue();
        assertThat(bind.fsType()).isEqualTo("ext4");
        assertThat(bind.root()).isEqualTo("/mnt/src");
        MountInfoParser.Mount tmpfs = at(r, "/mnt/media");
        assertThat(tmpfs.readOnly()).isTrue();
        assertThat(tmpfs.superOptions()).containsEntry("size", "1024k");
        assertThat(at(r, "/mnt/with space").readOnly()).isFalse();
        assertThat(at(r, "/proc").fsType()).isEqualTo("proc");
    }

    @Test
    void nfsMounts_carryTheirOptions_andBadLinesAreSkippedAndCounted() throws IOException {
        MountInfoParser.Result r = MountInfoParser.parse(fixture("mountinfo-nfs.txt"));
        assertThat(r.skipped()).isEqualTo(2);
        MountInfoParser.Mount media = at(r, "/mnt/media");
        assertThat(media.fsType()).isEqualTo("nfs4");
        assertThat(media.source()).isEqualTo("pve:/media");
        assertThat(media.superOptions()).containsEntry("vers", "4.2").containsEntry("proto", "tcp")
                .containsEntry("timeo", "600").containsEntry("retrans", "2").containsKey("hard");
        assertThat(media.readOnly()).isFalse();
        MountInfoParser.Mount legacy = at(r, "/mnt/legacy");
        assertThat(legacy.fsType()).isEqualTo("nfs");
        assertThat(legacy.superOptions()).containsEntry("vers", "3").containsEntry("proto", "udp");
        assertThat(legacy.readOnly()).isTrue();
        assertThat(at(r, "/mnt/docker").superOptions()).containsKey("soft");
    }

    @Test
    void unescape_octalSequences_only() {
        assertThat(MountInfoParser.unescape("/a\\040b\\011c\\134d")).isEqualTo("/a b\tc\\d");
        assertThat(MountInfoParser.unescape("/a\\04")).isEqualTo("/a\\04");
        assertThat(MountInfoParser.unescape("/a\\9xy")).isEqualTo("/a\\9xy");
    }
}
