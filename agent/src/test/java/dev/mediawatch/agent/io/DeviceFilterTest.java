package dev.mediawatch.agent.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mediawatch.agent.io.DiskStatsParser.Disk;

class DeviceFilterTest {

    private static final DeviceFilter DEFAULT = DeviceFilter.of(Optional.empty());

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // whole disks are kept
            "vda, true", "sda, true", "sdaa, true", "hda, true", "xvda, true", "nvme0n1, true", "nvme10n2, true",
            "mmcblk0, true", "dm-0, true", "md0, true", "md127, true", "nbd0, true",
            // partitions are not
            "vda1, false", "sda1, false", "sdaa1, false", "hda3, false", "xvda1, false", "nvme0n1p2, false",
            "mmcblk0p1, false",
            // nor pseudo-devices and removable media
            "loop0, false", "loop12, false", "ram0, false", "ram15, false", "zram0, false", "sr0, false",
            "fd0, false",
            // only whole-name matches are excluded
            "loopy, true", "sr, true", "ramdisk0x, true" })
    void defaultFilter_keepsWholeDisks(String name, boolean kept) {
        assertThat(DEFAULT.test(name)).isEqualTo(kept);
    }

    static Stream<Arguments> captures() {
        return Stream.of(
                Arguments.of("diskstats-vm-t0.txt", new String[] { "vda" }),
                Arguments.of("diskstats-14-fields.txt", new String[] { "sda", "dm-0", "dm-1", "dm-2", "dm-3", "dm-4",
                        "dm-5", "mmcblk0", "vda", "nvme0n1" }),
                Arguments.of("diskstats-18-fields.txt", new String[] { "sdb" }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void defaultFilter_onCaptures(String file, String[] kept) throws IOException {
        DiskStatsParser.Result r = DiskStatsParser.parse(DiskStatsParserTest.fixture(file));
        assertThat(r.disks().stream().map(Disk::name).filter(DEFAULT::test)).containsExactly(kept);
    }

    @ParameterizedTest(name = "/{0}/ {1} -> {2}")
    @CsvSource({
            "'vd[a-z]', vda, true",
            "'vd[a-z]', vda1, false",
            "'vd[a-z]', xvda, false", // the whole name must match
            "'sd[a-z]+\\d*', sdb2, true",
            "'nvme\\d+n\\d+', nvme0n1, true",
            "'nvme\\d+n\\d+', nvme0n1p1, false",
            "'dm-.*|md\\d+', dm-3, true",
            "'dm-.*|md\\d+', md0, true",
            "'dm-.*|md\\d+', sda, false",
            "'loop\\d+', loop0, true", // a configured expression replaces the default exclusions
    })
    void configuredFilter_matchesTheWholeName(String regex, String name, boolean kept) {
        assertThat(DeviceFilter.of(Optional.of(regex)).test(name)).isEqualTo(kept);
    }

    @Test
    void blankRegex_meansTheDefault() {
        DeviceFilter blank = DeviceFilter.of(Optional.of("  "));
        assertThat(blank.test("vda")).isTrue();
        assertThat(blank.test("vda1")).isFalse();
        assertThat(blank.describe()).isEqualTo(DEFAULT.describe());
    }

    @Test
    void nullOrEmptyName_isNeverKept() {
        assertThat(DEFAULT.test(null)).isFalse();
        assertThat(DEFAULT.test("")).isFalse();
        assertThat(DeviceFilter.of(Optional.of(".*")).test("")).isFalse();
    }

    @Test
    void describe_saysWhichRuleApplies() {
        assertThat(DEFAULT.describe()).isEqualTo(
                "whole disks (default: excluding ^(z?ram|loop|fd|sr|(h|s|v|xv)d[a-z]+|nvme\\d+n\\d+p|mmcblk\\d+p)\\d+$)");
        assertThat(DeviceFilter.of(Optional.of("vd[a-z]")).describe())
                .isEqualTo("devices whose whole name matches vd[a-z]");
    }

    @Test
    void invalidRegex_failsAtConfigurationTime() {
        assertThatThrownBy(() -> DeviceFilter.of(Optional.of("sd[a-"))).isInstanceOf(PatternSyntaxException.class);
    }
}
