package dev.mediawatch.agent.io;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which block devices of {@code /proc/diskstats} are worth reporting.
 *
 * <p>The default keeps whole disks and drops partitions and pseudo-devices, after node_exporter's default
 * {@code --collector.diskstats.device-exclude}: {@code ^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p|mmcblk\d+p)\d+$},
 * widened to {@code [a-z]+} after {@code sd} so that the partitions of the 27th disk on ({@code sdaa1}) go too,
 * and with {@code sr\d+} (optical drives) added. So {@code vda}, {@code sda}, {@code sdaa}, {@code nvme0n1},
 * {@code mmcblk0}, {@code dm-0} and {@code md0} are kept; {@code vda1}, {@code nvme0n1p2}, {@code mmcblk0p1},
 * {@code loop0}, {@code ram0}, {@code zram0}, {@code sr0} and {@code fd0} are not. Partitions of {@code dm-}
 * and {@code md} devices are kept: their names do not tell them apart.
 *
 * <p>A configured regular expression replaces the default: a device is kept when the expression matches its
 * whole name.
 */
public final class DeviceFilter {

    static final String DEFAULT_EXCLUDE = "(z?ram|loop|fd|sr|(h|s|v|xv)d[a-z]+|nvme\\d+n\\d+p|mmcblk\\d+p)\\d+";

    private final Pattern pattern;
    private final boolean include;

    private DeviceFilter(Pattern pattern, boolean include) {
        this.pattern = pattern;
        this.include = include;
    }

    /**
     * @param regex devices to keep, matched against the whole name; empty (or blank) for the default
     * @throws java.util.regex.PatternSyntaxException when the expression does not compile: a configuration
     *                                                error, better reported at start-up than ignored
     */
    public static DeviceFilter of(Optional<String> regex) {
        return regex.filter(r -> !r.isBlank())
                .map(r -> new DeviceFilter(Pattern.compile(r), true))
                .orElseGet(() -> new DeviceFilter(Pattern.compile(DEFAULT_EXCLUDE), false));
    }

    /** True when the device should be reported. */
    public boolean test(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        return pattern.matcher(name).matches() == include;
    }

    /** For logs and the status page. */
    public String describe() {
        return include ? "devices whose whole name matches " + pattern.pattern()
                : "whole disks (default: excluding ^" + pattern.pattern() + "$)";
    }

    @Override
    public String toString() {
        return describe();
    }
}
