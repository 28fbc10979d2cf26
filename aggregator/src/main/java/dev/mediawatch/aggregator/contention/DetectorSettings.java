package dev.mediawatch.aggregator.contention;

import java.util.List;
import java.util.Locale;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.stutter.DetectorConfig;
import dev.mediawatch.aggregator.stutter.DetectorConfig.Rule;
import dev.mediawatch.aggregator.stutter.Signals;
import dev.mediawatch.contract.Text;

/**
 * {@code mediawatch.stutter.*} onto {@link DetectorConfig}: the times as they are, and each threshold override
 * {@code <side>-<signal>=<raise>/<clear>} checked (known side and signal, numbers, clear not beyond raise), so a
 * mistake stops startup naming the key and the entry instead of deciding on a threshold nobody meant.
 */
final class DetectorSettings {

    static final List<String> SIGNALS = List.of(
            Signals.DOWNLOAD + "-" + Signals.NFS_WRITE, Signals.DOWNLOAD + "-" + Signals.DISK_WRITE,
            Signals.DOWNLOAD + "-" + Signals.IO_PSI, Signals.DOWNLOAD + "-" + Signals.DOWNLOADERS,
            Signals.STREAMING + "-" + Signals.NFS_READ_RTT, Signals.STREAMING + "-" + Signals.NFS_READ_EXE,
            Signals.STREAMING + "-" + Signals.IO_PSI, Signals.STREAMING + "-" + Signals.DISK_READ_AWAIT,
            Signals.STREAMING + "-" + Signals.TRANSCODE_BEHIND, Signals.STREAMING + "-" + Signals.PLAYBACK_STALLED);

    private DetectorSettings() {
    }

    static DetectorConfig of(AggregatorConfig.Stutter c) {
        DetectorConfig.Builder b = DetectorConfig.defaults().toBuilder().window(c.window()).raiseAfter(c.raiseAfter())
                .clearAfter(c.clearAfter()).holdMissingFor(c.holdMissingFor()).mediaPath(c.mediaPath())
                .stallRaiseAfter(c.stallRaiseAfter()).holdShare(c.holdShare());
        for (String entry : c.thresholds().orElse(List.of())) {
            apply(b, entry.strip());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mediawatch.stutter: " + e.getMessage(), e);
        }
    }

    private static void apply(DetectorConfig.Builder b, String entry) {
        int eq = entry.indexOf('=');
        int slash = entry.indexOf('/', eq + 1);
        if (eq <= 0 || slash < 0) {
            throw bad(entry, "expected <side>-<signal>=<raise>/<clear>");
        }
        String key = entry.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        double raise;
        double clear;
        try {
            raise = Double.parseDouble(entry.substring(eq + 1, slash).strip());
            clear = Double.parseDouble(entry.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            throw bad(entry, "raise and clear must be numbers");
        }
        if (!Double.isFinite(raise) || !Double.isFinite(clear) || raise < 0 || clear < 0) {
            throw bad(entry, "raise and clear must be finite and >= 0");
        }
        if (clear > raise) {
            throw bad(entry, "clear (" + clear + ") above raise (" + raise + "): the alert would flap");
        }
        Rule rule = Rule.of(raise, clear);
        String download = Signals.DOWNLOAD + "-";
        String streaming = Signals.STREAMING + "-";
        switch (key) {
            case "download-nfs-write" -> b.nfsWrite(rule);
            case "download-disk-write" -> b.diskWrite(rule);
            case "download-io-psi" -> b.downloadIoPsi(rule);
            case "download-downloaders" -> b.downloaders(rule);
            case "streaming-nfs-read-rtt" -> b.nfsReadRtt(rule);
            case "streaming-nfs-read-exe" -> b.nfsReadExe(rule);
            case "streaming-io-psi" -> b.streamingIoPsi(rule);
            case "streaming-disk-read-await" -> b.diskReadAwait(rule);
            case "streaming-transcode-behind" -> b.transcodeBehind(rule);
            case "streaming-playback-stalled" -> b.playbackStalled(rule);
            default -> throw bad(entry, "unknown signal '" + Text.printable(key, 40) + "'; known: " + String.join(", ", SIGNALS)
                    + (key.startsWith(download) || key.startsWith(streaming) ? "" : " (each starts with its side)"));
        }
    }

    /**
     * The signals whose thresholds the owner configured, as {@code <side>/<signal>}: for them the configured rule wins
     * over a learned one. Call after {@link #of}, which has checked every entry.
     */
    static java.util.Set<String> configured(AggregatorConfig.Stutter c) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String entry : c.thresholds().orElse(List.of())) {
            String key = entry.strip().substring(0, entry.strip().indexOf('=')).strip().toLowerCase(Locale.ROOT);
            int dash = key.indexOf('-');
            out.add(key.substring(0, dash) + "/" + key.substring(dash + 1));
        }
        return out;
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("mediawatch.stutter.thresholds: '" + Text.printable(entry, 80) + "': " + why);
    }
}
