package dev.mediawatch.aggregator.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mediawatch.contract.ContentionWindow;
import dev.mediawatch.contract.IncidentAction;
import dev.mediawatch.contract.SignalValue;

/**
 * The detector's windows as charts: the score with download pressure and streaming degradation (0-100) with the
 * raises and clears marked, and one chart per signal with the threshold in force drawn beside its value (learned
 * thresholds move; the stepped line shows where they stood). Pure: windows in, SVG out.
 */
public final class ContentionCharts {

    /** Signal charts drawn at most: the streaming side's first (they show what the viewer felt). */
    static final int SIGNAL_CHARTS = 6;
    /** Drawn at about the width it is read at: text scales with the chart, and a phone shows it 375 px wide. */
    static final int WIDTH = 480;
    static final int HEIGHT = 180;
    static final int SIGNAL_HEIGHT = 120;

    private final ZoneId zone;

    public ContentionCharts(ZoneId zone) {
        this.zone = zone;
    }

    /** The last 24 hours up to {@code now}. */
    public List<PageView.Chart> day(dev.mediawatch.contract.ContentionHistory history, Instant now) {
        List<ContentionWindow> windows = history == null ? List.of() : history.windows();
        if (windows.isEmpty()) {
            return List.of();
        }
        return charts(windows, now.minus(Duration.ofHours(24)), now, marks(windows), "last 24 hours");
    }

    /** An incident's windows, from {@code from} to {@code to}, with its actions marked beside the raises and clears. */
    public List<PageView.Chart> incident(List<ContentionWindow> windows, Instant from, Instant to, List<IncidentAction> actions) {
        List<SvgChart.Mark> marks = marks(windows);
        for (IncidentAction a : actions) {
            String kind = a.action().startsWith("throttle.") ? "throttle" : a.action().startsWith("notify.") ? "notified" : null;
            if (kind != null) {
                marks.add(new SvgChart.Mark(a.at().toEpochMilli(), kind, kind));
            }
        }
        return charts(windows, from, to, marks, "incident");
    }

    private List<PageView.Chart> charts(List<ContentionWindow> windows, Instant from, Instant to, List<SvgChart.Mark> marks,
            String span) {
        int n = windows.size();
        long[] at = new long[n];
        double[] score = new double[n];
        double[] pressure = new double[n];
        double[] degradation = new double[n];
        for (int i = 0; i < n; i++) {
            ContentionWindow w = windows.get(i);
            at[i] = w.at().toEpochMilli();
            score[i] = w.score();
            pressure[i] = w.pressure();
            degradation[i] = w.degradation();
        }
        List<PageView.Chart> out = new ArrayList<>();
        out.add(new PageView.Chart("Contention score, download pressure, streaming degradation (" + span + ")",
                SvgChart.render(new SvgChart.Spec("Contention score, download pressure and streaming degradation",
                        from.toEpochMilli(), to.toEpochMilli(), 0, 100, "", WIDTH, HEIGHT, zone,
                        List.of(new SvgChart.Series("score", "score", at, score),
                                new SvgChart.Series("download pressure", "pressure", at, pressure),
                                new SvgChart.Series("streaming degradation", "degradation", at, degradation)),
                        List.of(), marks))));
        for (SignalKey key : signalKeys(windows)) {
            double[] value = new double[n];
            double[] threshold = new double[n];
            for (int i = 0; i < n; i++) {
                value[i] = Double.NaN;
                threshold[i] = Double.NaN;
                for (SignalValue s : windows.get(i).signals()) {
                    if (key.matches(s)) {
                        value[i] = s.value();
                        threshold[i] = s.threshold();
                        break;
                    }
                }
            }
            String title = key.name() + " on " + key.host() + " (" + key.side() + ")";
            out.add(new PageView.Chart(title, SvgChart.render(new SvgChart.Spec(title, from.toEpochMilli(), to.toEpochMilli(),
                    Double.NaN, Double.NaN, key.unit(), WIDTH, SIGNAL_HEIGHT, zone,
                    List.of(new SvgChart.Series(key.name(), "value", at, value)),
                    List.of(new SvgChart.Series("threshold", "threshold", at, threshold)), marks))));
        }
        return out;
    }

    /** Raises and clears of both alerts, where a window's flag differs from the one before. */
    static List<SvgChart.Mark> marks(List<ContentionWindow> windows) {
        List<SvgChart.Mark> marks = new ArrayList<>();
        boolean stutter = false;
        boolean degraded = false;
        for (int i = 0; i < windows.size(); i++) {
            ContentionWindow w = windows.get(i);
            long at = w.at().toEpochMilli();
            if (i > 0 && w.stutter() != stutter) {
                marks.add(new SvgChart.Mark(at, w.stutter() ? "stutter" : "cleared", w.stutter() ? "raised" : "cleared"));
            } else if (i == 0 && w.stutter()) {
                marks.add(new SvgChart.Mark(at, "stutter", "raised"));
            }
            if (i > 0 && w.degraded() != degraded) {
                marks.add(new SvgChart.Mark(at, w.degraded() ? "degraded" : "recovered", w.degraded() ? "raised" : "cleared"));
            }
            stutter = w.stutter();
            degraded = w.degraded();
        }
        return marks;
    }

    private record SignalKey(String name, String side, String host, String unit, double worst) {
        boolean matches(SignalValue s) {
            return s.name().equals(name) && s.side().equals(side) && host.equals(s.host() == null ? "" : s.host().value());
        }
    }

    /** The signals worth a chart: streaming side first, then the ones that came closest to their thresholds. */
    static List<SignalKey> signalKeys(List<ContentionWindow> windows) {
        Map<String, SignalKey> keys = new LinkedHashMap<>();
        for (ContentionWindow w : windows) {
            for (SignalValue s : w.signals()) {
                String host = s.host() == null ? "" : s.host().value();
                double ratio = s.threshold() > 0 ? s.value() / s.threshold() : 0;
                keys.merge(s.name() + '\u0000' + s.side() + '\u0000' + host,
                        new SignalKey(s.name(), s.side(), host, s.unit(), ratio),
                        (a, b) -> b.worst() > a.worst() ? b : a);
            }
        }
        return keys.values().stream()
                .sorted(Comparator.comparing((SignalKey k) -> !SignalValue.STREAMING.equals(k.side()))
                        .thenComparing(Comparator.comparingDouble(SignalKey::worst).reversed()))
                .limit(SIGNAL_CHARTS).toList();
    }
}
