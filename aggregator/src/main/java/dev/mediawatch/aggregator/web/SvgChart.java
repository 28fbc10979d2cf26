package dev.mediawatch.aggregator.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A time chart as an SVG fragment drawn on the server, for the aggregator's web page: lines (score, download
 * pressure, streaming degradation, per-signal values), the thresholds in force as dashed step lines, and marks
 * (raised, cleared, throttle, notified) as vertical lines with a short label. Pure: a {@link Spec} in, markup out.
 *
 * <p>Fit for a page under {@code Content-Security-Policy: default-src 'self'}: no script, no {@code style}
 * attribute or element, no external reference. Sizes and dashes are SVG presentation attributes; colour comes
 * only from {@code currentColor} (so an unstyled chart takes the page's text colour) and is meant to be set by the
 * page's stylesheet through the classes below, which any CSS rule overrides. The root has a {@code viewBox} of
 * {@code 0 0 width height}, {@code width="100%"} and no height, so it scales to its container (a 375 px phone
 * included) keeping its proportions; coordinates and font sizes are in viewBox units.
 *
 * <h2>Classes (stable: the page colours by them and its tests select on them)</h2>
 * <ul>
 * <li>{@code svg.chart}: the root, with {@code role="img"}, {@code aria-label} and a {@code <title>} (the spec's
 * title) and a {@code <desc>} summing the data up in words.</li>
 * <li>{@code rect.plot}: the plot area's frame.</li>
 * <li>{@code line.grid}: a grid line at every time and value tick.</li>
 * <li>{@code text.tick.time}: time tick labels, {@code HH:mm} in the spec's zone at round local times (minutes
 * apart for a short span, hours for a day; {@code MM-dd} at local midnights when ticks are days apart).</li>
 * <li>{@code text.tick.value}: value tick labels (plain numbers; {@code k}, {@code M}, {@code G} from 10,000).</li>
 * <li>{@code text.unit}: the spec's unit, written upwards left of the value labels (absent when empty).</li>
 * <li>{@code path.series.<cssClass>}: one path per line series; every gap (a NaN value, or a jump of more than
 * {@value #GAP_FACTOR} times the series' typical step) starts a new subpath ({@code M}).</li>
 * <li>{@code path.threshold.<cssClass>}: one dashed path per step series.</li>
 * <li>{@code line.mark.<cssClass>}: a mark, the full plot height, with a {@code <title>} child giving label and
 * time ({@code HH:mm:ss}); marks of one class falling on the same pixel share one line, whose title counts them.</li>
 * <li>{@code text.mark-label.<cssClass>}: the mark's label above the plot, on one of two rows; left out where it
 * would come closer than {@value #MARK_LABEL_SPACING} units to, or overlap, another label on both rows.</li>
 * <li>{@code line.swatch.series.<cssClass>}, {@code line.swatch.threshold.<cssClass>}: the legend's short line
 * samples, so they take the same stroke as the line they stand for; {@code text.legend.<cssClass>}: the legend's
 * labels, readable without colour.</li>
 * <li>{@code text.empty}: "{@value #NO_DATA}", when no line series has a value in the period (the time axis and
 * the marks are still drawn).</li>
 * </ul>
 * Style by element and class, not by the bare series class, which the legend's text carries too ({@code .score
 * { stroke: red }} would outline the label): for example
 * <pre>
 * path.score, line.swatch.score { stroke: #c33; }   text.legend.score { fill: #c33; }
 * line.mark.raised { stroke: #c00; }                text.mark-label.raised { fill: #c00; }
 * svg.chart { width: 100%; height: auto; }          line.grid { stroke-opacity: .25; }
 * </pre>
 *
 * <p>Text is 11 viewBox units (mark labels 10), so it shrinks with the chart: a 720-wide chart on a 375 px phone
 * writes about 5.7 px. Render at about the width the page is read at (375 to 400 for a phone-first page).
 *
 * <p>Bounded by the width, not the number of windows: each series keeps at most its lowest and highest point per
 * pixel column (so a one-window spike stays visible; a step line also the level held into and out of a column its
 * neighbours leave empty), flat and vertical runs are merged, numbers carry at most one decimal, texts from
 * outside are shortened, and marks of one class on one column share a line. 24 hours of 5-second windows in three
 * noisy series, four thresholds changing every few minutes and fifty marks come to about 50 KB at width 720; about
 * 80 KB if every threshold also jumped in every window.
 */
public final class SvgChart {

    /** A series: values at instants, in non-decreasing time order. The arrays are read, not copied. */
    public record Series(String label, String cssClass, long[] atMillis, double[] values) {
        /**
         * @param label shown in the legend and the description; any text (escaped, shortened)
         * @param cssClass one CSS class name ({@code [A-Za-z_][A-Za-z0-9_-]*}, at most 40 characters)
         * @param atMillis epoch milliseconds, non-decreasing
         * @param values one per instant; NaN (or infinite) for no value
         */
        public Series {
            label = label == null ? "" : label;
            cssClass = checkClass(cssClass);
            Objects.requireNonNull(atMillis, "atMillis");
            Objects.requireNonNull(values, "values");
            if (atMillis.length != values.length) {
                throw new IllegalArgumentException(
                        "series " + cssClass + ": " + atMillis.length + " instants but " + values.length + " values");
            }
            for (int i = 1; i < atMillis.length; i++) {
                if (atMillis[i] < atMillis[i - 1]) {
                    throw new IllegalArgumentException("series " + cssClass + ": instants go back at index " + i);
                }
            }
        }
    }

    /**
     * A vertical line across the plot at an instant, labelled on top.
     *
     * @param label a short word ("raised", "cleared", "throttle", "notified"); any text (escaped, shortened to
     *            {@value SvgChart#MARK_LABEL_CHARS} characters)
     * @param cssClass one CSS class name, as for {@link Series}
     */
    public record Mark(long atMillis, String label, String cssClass) {
        public Mark {
            label = label == null ? "" : label;
            cssClass = checkClass(cssClass);
        }
    }

    /**
     * What to draw.
     *
     * @param title the chart's accessible name ({@code <title>}, {@code aria-label}); any text
     * @param fromMillis start of the period shown
     * @param toMillis end of the period shown, after {@code fromMillis}
     * @param yMin bottom of the value axis; NaN: 0, or lower if a value is negative (rounded to a tick). Fixed
     *            bounds lie within ±1e15, at least 1e-6 apart.
     * @param yMax top of the value axis; NaN: from the values and thresholds in the period, rounded up to a tick.
     *            Values outside a fixed range are drawn at its edge.
     * @param unit of the values, e.g. {@code "%"} or {@code "MB/s"}; empty for none
     * @param width viewBox width, 200 to 4000 (about the pixel width it is meant for, e.g. 720)
     * @param height viewBox height, 100 to 4000; grown when the legend needs more room
     * @param zone in which time labels are written
     * @param lines drawn as lines; points outside the period are left out
     * @param steps thresholds in force, drawn dashed as step lines: each value holds from its instant until the
     *            next one, the last until {@code toMillis}; a value set before the period counts from its start;
     *            a NaN ends the step line until the next value. No gap for a long interval: a step series lists
     *            changes.
     * @param marks drawn when inside the period
     */
    public record Spec(String title, long fromMillis, long toMillis, double yMin, double yMax, String unit, int width,
            int height, ZoneId zone, List<Series> lines, List<Series> steps, List<Mark> marks) {
        public Spec {
            title = title == null ? "" : title;
            unit = unit == null ? "" : unit;
            Objects.requireNonNull(zone, "zone");
            if (toMillis <= fromMillis || toMillis - fromMillis < 0) { // the second: a span beyond the long range
                throw new IllegalArgumentException("the period must end after it starts: " + fromMillis + ".." + toMillis);
            }
            if (width < 200 || width > 4000 || height < 100 || height > 4000) {
                throw new IllegalArgumentException("width must be 200..4000 and height 100..4000: " + width + "x" + height);
            }
            if (Math.abs(yMin) > MAX_VALUE || Math.abs(yMax) > MAX_VALUE) {
                throw new IllegalArgumentException("yMin and yMax must be within ±1e15 or NaN (from the data)");
            }
            if (yMax - yMin < MIN_RANGE) {
                throw new IllegalArgumentException("yMax must be above yMin: " + yMin + ".." + yMax);
            }
            lines = lines == null ? List.of() : List.copyOf(lines);
            steps = steps == null ? List.of() : List.copyOf(steps);
            marks = marks == null ? List.of() : List.copyOf(marks);
        }
    }

    /** Written in the plot when no line series has a value in the period. */
    public static final String NO_DATA = "no data for this period";
    /** A line breaks where consecutive points are more than this many typical steps apart. */
    static final int GAP_FACTOR = 3;
    /** Closest two mark labels may come on one row, in viewBox units. */
    static final int MARK_LABEL_SPACING = 40;
    static final int MARK_LABEL_CHARS = 12;
    static final int TITLE_CHARS = 120;
    static final int LABEL_CHARS = 40;
    static final int UNIT_CHARS = 16;
    /** Largest magnitude on the value axis; larger values are drawn at its edge. */
    static final double MAX_VALUE = 1e15;
    /** Smallest value range the axis spans. */
    static final double MIN_RANGE = 1e-6;

    private static final Pattern CSS_CLASS = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,39}");
    private static final int FONT = 11;
    private static final int MARK_FONT = 10;
    /** Average advance of a sans-serif glyph, in ems: enough to lay text out without measuring it. */
    private static final double GLYPH = 0.58;
    private static final int LEGEND_ROW = 16;
    private static final int MARK_ROW = 12;
    private static final int RIGHT = 18;
    private static final int BOTTOM = 20;
    private static final int MIN_PLOT_HEIGHT = 40;
    /** Room a time label needs: "HH:mm" is about 32 units wide, plus space between labels. */
    private static final int TIME_TICK_SPACING = 60;
    private static final long MINUTE = 60_000L;
    private static final long DAY = 86_400_000L;
    /** Time tick intervals, all dividing a day, so ticks fall on the same local times every day. */
    private static final int[] TICK_MINUTES = {1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720};

    private final Spec spec;
    private final StringBuilder out = new StringBuilder(16_384);
    private final DateTimeFormatter minutes;
    private final DateTimeFormatter seconds;
    private int plotLeft;
    private int plotTop;
    private int plotRight;
    private int plotBottom;
    private double lo;
    private double hi;

    private SvgChart(Spec spec) {
        this.spec = spec;
        this.minutes = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(spec.zone());
        this.seconds = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(spec.zone());
    }

    /** The chart as one {@code <svg>} element, well-formed XML, to be placed in the page as is. */
    public static String render(Spec spec) {
        return new SvgChart(Objects.requireNonNull(spec, "spec")).draw();
    }

    private record Legend(String swatchClass, String textClass, String label, boolean dashed, double x, int row) {
    }

    private record MarkLine(double x, String label, String cssClass, long atMillis, int count) {
    }

    private record MarkLabel(double x, int row, boolean toTheLeft, String label, String cssClass) {
    }

    private String draw() {
        String title = clip(spec.title(), TITLE_CHARS);
        String unit = clip(spec.unit(), UNIT_CHARS);
        int width = spec.width();
        boolean hasData = spec.lines().stream().anyMatch(this::hasValueInPeriod);

        double[] valueTicks = new double[0];
        List<String> valueLabels = List.of();
        if (hasData) {
            double step = valueScale();
            valueTicks = ticks(lo, hi, step);
            valueLabels = valueLabels(valueTicks, step);
        }
        int labelChars = valueLabels.stream().mapToInt(SvgChart::length).max().orElse(0);
        boolean showUnit = hasData && !unit.isEmpty();
        plotLeft = (int) Math.ceil(6 + (showUnit ? FONT + 4 : 0) + labelChars * GLYPH * FONT + (hasData ? 6 : 0));
        plotRight = width - RIGHT;

        List<Legend> legend = legend(width);
        int legendRows = legend.stream().mapToInt(l -> l.row() + 1).max().orElse(0);
        List<MarkLine> markLines = markLines();
        List<MarkLabel> markLabels = markLabels(markLines, width);
        plotTop = 4 + legendRows * LEGEND_ROW + (markLines.isEmpty() ? 8 : 2 * MARK_ROW + 4);
        int height = Math.max(spec.height(), plotTop + MIN_PLOT_HEIGHT + BOTTOM);
        plotBottom = height - BOTTOM;

        String name = title.isEmpty() ? "chart" : title;
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\"");
        escape(name);
        out.append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" font-family=\"sans-serif\" font-size=\"")
                .append(FONT).append("\">\n<title>");
        escape(name);
        out.append("</title>\n<desc>");
        escape(description());
        out.append("</desc>\n");

        int maxTicks = Math.max(2, (plotRight - plotLeft) / TIME_TICK_SPACING);
        long[] timeTicks = timeTicks(spec.fromMillis(), spec.toMillis(), spec.zone(), maxTicks);
        DateTimeFormatter tickFormat = tickDays(spec.toMillis() - spec.fromMillis(), maxTicks) > 0
                ? DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT).withZone(spec.zone())
                : minutes;

        out.append("<g fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.2\">\n");
        for (long t : timeTicks) {
            line("grid", x(t), plotTop, x(t), plotBottom);
        }
        for (double v : valueTicks) {
            line("grid", plotLeft, y(v), plotRight, y(v));
        }
        out.append("</g>\n<rect class=\"plot\" x=\"").append(plotLeft).append("\" y=\"").append(plotTop)
                .append("\" width=\"").append(plotRight - plotLeft).append("\" height=\"").append(plotBottom - plotTop)
                .append("\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.4\"/>\n");

        out.append("<g fill=\"currentColor\" text-anchor=\"middle\">\n");
        for (long t : timeTicks) {
            double x = x(t);
            // A label that would stick out of the chart is left out; its grid line stays.
            if (x - 16 >= 0 && x + 16 <= width) {
                text("tick time", x, plotBottom + 14, null, tickFormat.format(Instant.ofEpochMilli(t)));
            }
        }
        out.append("</g>\n");
        if (hasData) {
            out.append("<g fill=\"currentColor\" text-anchor=\"end\">\n");
            for (int i = 0; i < valueTicks.length; i++) {
                text("tick value", plotLeft - 5, y(valueTicks[i]) + 4, null, valueLabels.get(i));
            }
            out.append("</g>\n");
            if (showUnit) {
                double cy = (plotTop + plotBottom) / 2.0;
                out.append("<text class=\"unit\" x=\"6\" y=\"");
                num(cy);
                out.append("\" transform=\"rotate(-90 6 ");
                num(cy);
                out.append(")\" text-anchor=\"middle\" dominant-baseline=\"hanging\" fill=\"currentColor\">");
                escape(unit);
                out.append("</text>\n");
            }
            out.append("<g fill=\"none\" stroke=\"currentColor\" stroke-width=\"1\" stroke-dasharray=\"5 3\">\n");
            for (Series s : spec.steps()) {
                path("threshold " + s.cssClass(), stepPath(s));
            }
            out.append("</g>\n<g fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linejoin=\"round\""
                    + " stroke-linecap=\"round\">\n");
            for (Series s : spec.lines()) {
                path("series " + s.cssClass(), linePath(s));
            }
            out.append("</g>\n");
        } else {
            text("empty", (plotLeft + plotRight) / 2.0, (plotTop + plotBottom) / 2.0 + 4,
                    " text-anchor=\"middle\" fill=\"currentColor\"", NO_DATA);
        }

        if (!markLines.isEmpty()) {
            out.append("<g stroke=\"currentColor\" stroke-width=\"1\">\n");
            for (MarkLine m : markLines) {
                out.append("<line class=\"mark ").append(m.cssClass()).append('"');
                coordinates(m.x(), plotTop, m.x(), plotBottom);
                out.append("><title>");
                escape((m.label().isEmpty() ? "" : m.label() + " ") + seconds.format(Instant.ofEpochMilli(m.atMillis()))
                        + (m.count() > 1 ? " (" + m.count() + " within a pixel)" : ""));
                out.append("</title></line>\n");
            }
            out.append("</g>\n<g fill=\"currentColor\" font-size=\"").append(MARK_FONT).append("\">\n");
            for (MarkLabel l : markLabels) {
                text("mark-label " + l.cssClass(), l.toTheLeft() ? l.x() - 3 : l.x() + 3,
                        plotTop - 4 - (1 - l.row()) * MARK_ROW, l.toTheLeft() ? " text-anchor=\"end\"" : null, l.label());
            }
            out.append("</g>\n");
        }

        if (!legend.isEmpty()) {
            out.append("<g stroke=\"currentColor\" stroke-width=\"2\" fill=\"currentColor\">\n");
            for (Legend l : legend) {
                double mid = 4 + l.row() * LEGEND_ROW + LEGEND_ROW / 2.0;
                out.append("<line class=\"swatch ").append(l.swatchClass()).append('"');
                coordinates(l.x(), mid, l.x() + 16, mid);
                out.append(l.dashed() ? " stroke-dasharray=\"4 2\"/>\n" : "/>\n");
                text("legend " + l.textClass(), l.x() + 20, mid + 4, " stroke=\"none\"", l.label());
            }
            out.append("</g>\n");
        }
        out.append("</svg>");
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------- layout

    private List<Legend> legend(int width) {
        List<Legend> items = new ArrayList<>();
        double x = 6;
        int row = 0;
        int maxChars = (int) Math.min(LABEL_CHARS, (width - 40) / (GLYPH * FONT));
        List<Series> all = new ArrayList<>(spec.lines());
        all.addAll(spec.steps());
        for (int i = 0; i < all.size(); i++) {
            Series s = all.get(i);
            boolean threshold = i >= spec.lines().size();
            String label = clip(s.label(), maxChars);
            double itemWidth = 20 + length(label) * GLYPH * FONT + 14;
            if (x > 6 && x + itemWidth > width - 6) {
                row++;
                x = 6;
            }
            items.add(new Legend((threshold ? "threshold " : "series ") + s.cssClass(), s.cssClass(), label, threshold,
                    x, row));
            x += itemWidth;
        }
        return items;
    }

    /** Marks inside the period, by time; those of one class on one pixel column become one line. */
    private List<MarkLine> markLines() {
        List<Mark> inPeriod = spec.marks().stream()
                .filter(m -> m.atMillis() >= spec.fromMillis() && m.atMillis() <= spec.toMillis())
                .sorted(Comparator.comparingLong(Mark::atMillis)).toList();
        Map<String, MarkLine> byPixel = new LinkedHashMap<>();
        for (Mark m : inPeriod) {
            double x = x(m.atMillis());
            byPixel.merge(m.cssClass() + " " + Math.round(x),
                    new MarkLine(x, clip(m.label(), MARK_LABEL_CHARS), m.cssClass(), m.atMillis(), 1),
                    (a, b) -> new MarkLine(a.x(), a.label(), a.cssClass(), a.atMillis(), a.count() + 1));
        }
        return List.copyOf(byPixel.values());
    }

    /** Labels on two rows; one that would crowd the last label of both rows is left out (its line stays). */
    private static List<MarkLabel> markLabels(List<MarkLine> lines, int width) {
        List<MarkLabel> labels = new ArrayList<>();
        double[] lastX = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] lastRight = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (MarkLine m : lines) {
            if (m.label().isEmpty()) {
                continue;
            }
            double w = length(m.label()) * GLYPH * MARK_FONT;
            boolean toTheLeft = m.x() + 3 + w > width - 2;
            double left = toTheLeft ? m.x() - 3 - w : m.x() + 3;
            for (int row = 0; row < 2; row++) {
                if (m.x() - lastX[row] >= MARK_LABEL_SPACING && left >= lastRight[row] + 4) {
                    labels.add(new MarkLabel(m.x(), row, toTheLeft, m.label(), m.cssClass()));
                    lastX[row] = m.x();
                    lastRight[row] = left + w;
                    break;
                }
            }
        }
        return labels;
    }

    // ---------------------------------------------------------------------------------------------- scales

    private double x(long t) {
        long clamped = Math.max(spec.fromMillis(), Math.min(spec.toMillis(), t));
        double frac = (double) (clamped - spec.fromMillis()) / (spec.toMillis() - spec.fromMillis());
        return plotLeft + frac * (plotRight - plotLeft);
    }

    private double y(double v) {
        double frac = (v - lo) / (hi - lo);
        double y = plotBottom - frac * (plotBottom - plotTop);
        return Math.max(plotTop, Math.min(plotBottom, y));
    }

    /** Sets {@link #lo} and {@link #hi} from the spec or the data, returns the tick step. */
    private double valueScale() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : spec.lines()) {
            for (int i = 0; i < s.values().length; i++) {
                double v = s.values()[i];
                if (Double.isFinite(v) && inPeriod(s.atMillis()[i])) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        for (Series s : spec.steps()) {
            long[] at = s.atMillis();
            for (int i = 0; i < at.length; i++) {
                double v = s.values()[i];
                boolean inForce = at[i] <= spec.toMillis() && (i + 1 == at.length || at[i + 1] > spec.fromMillis());
                if (Double.isFinite(v) && inForce) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        boolean autoLo = Double.isNaN(spec.yMin());
        boolean autoHi = Double.isNaN(spec.yMax());
        // Absurd values (a broken sensor) are drawn at the edge rather than spread the axis beyond reading.
        lo = autoLo ? Math.max(-MAX_VALUE, Math.min(0, min)) : spec.yMin();
        hi = autoHi ? Math.min(MAX_VALUE, max) : spec.yMax();
        if (!(hi - lo >= MIN_RANGE)) {
            if (autoHi) {
                hi = lo + 1;
            } else {
                lo = hi - 1;
            }
        }
        int intervals = Math.max(2, Math.min(5, (spec.height() - 60) / 40));
        double step = niceStep((hi - lo) / intervals);
        if (autoHi) {
            hi = Math.ceil(hi / step - 1e-9) * step;
        }
        if (autoLo) {
            lo = Math.floor(lo / step + 1e-9) * step;
        }
        return step;
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        int exp = (int) Math.floor(Math.log10(raw));
        double pow = Math.pow(10, Math.abs(exp));
        double f = exp >= 0 ? raw / pow : raw * pow;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return exp >= 0 ? nice * pow : nice / pow;
    }

    private static double[] ticks(double lo, double hi, double step) {
        long first = (long) Math.ceil(lo / step - 1e-9);
        long last = (long) Math.floor(hi / step + 1e-9);
        double[] ticks = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = (first + i) * step;
        }
        return ticks;
    }

    private static List<String> valueLabels(double[] ticks, double step) {
        double magnitude = Arrays.stream(ticks).map(Math::abs).max().orElse(0);
        double div = 1;
        String suffix = "";
        if (magnitude >= 1e4) {
            String[] suffixes = {"k", "M", "G", "T"};
            int k = (int) Math.min(suffixes.length, Math.floor(Math.log10(magnitude) / 3));
            div = Math.pow(1000, k);
            suffix = suffixes[k - 1];
        }
        int decimals = Math.max(0, Math.min(6, BigDecimal.valueOf(step / div).stripTrailingZeros().scale()));
        List<String> labels = new ArrayList<>(ticks.length);
        for (double t : ticks) {
            boolean zero = Math.abs(t) < step * 1e-6;
            labels.add(String.format(Locale.ROOT, "%." + decimals + "f", zero ? 0.0 : t / div) + (zero ? "" : suffix));
        }
        return labels;
    }

    /**
     * Tick instants at round local times of the zone: the smallest interval of {@link #TICK_MINUTES} giving at most
     * {@code maxTicks} ticks, or local midnights every few days for long periods. Local times skipped by a
     * daylight-saving change get no tick.
     */
    static long[] timeTicks(long from, long to, ZoneId zone, int maxTicks) {
        long span = to - from;
        List<Long> ticks = new ArrayList<>();
        for (int m : TICK_MINUTES) {
            if (span / (m * MINUTE) > maxTicks) {
                continue;
            }
            ZonedDateTime start = Instant.ofEpochMilli(from).atZone(zone);
            LocalDate day = start.toLocalDate();
            int minute = (start.getHour() * 60 + start.getMinute()) / m * m;
            while (true) {
                LocalTime local = LocalTime.of(minute / 60, minute % 60);
                ZonedDateTime at = ZonedDateTime.of(day, local, zone);
                long t = at.toInstant().toEpochMilli();
                if (at.toLocalTime().equals(local)) {
                    if (t > to) {
                        break;
                    }
                    if (t >= from && (ticks.isEmpty() || t > ticks.get(ticks.size() - 1))) {
                        ticks.add(t);
                    }
                }
                minute += m;
                if (minute >= 24 * 60) {
                    minute = 0;
                    day = day.plusDays(1);
                }
            }
            return ticks.stream().mapToLong(Long::longValue).toArray();
        }
        long days = tickDays(span, maxTicks);
        long first = Math.floorDiv(Instant.ofEpochMilli(from).atZone(zone).toLocalDate().toEpochDay(), days) * days;
        for (LocalDate day = LocalDate.ofEpochDay(first); ; day = day.plusDays(days)) {
            long t = day.atStartOfDay(zone).toInstant().toEpochMilli();
            if (t > to) {
                break;
            }
            if (t >= from) {
                ticks.add(t);
            }
        }
        return ticks.stream().mapToLong(Long::longValue).toArray();
    }

    /** Days between ticks for a period too long for {@link #TICK_MINUTES}; 0 when minutes or hours do. */
    static long tickDays(long span, int maxTicks) {
        if (span / (TICK_MINUTES[TICK_MINUTES.length - 1] * MINUTE) <= maxTicks) {
            return 0;
        }
        return Math.max(1, -Math.floorDiv(-span, maxTicks * DAY));
    }

    // ---------------------------------------------------------------------------------------------- paths

    private boolean inPeriod(long t) {
        return t >= spec.fromMillis() && t <= spec.toMillis();
    }

    private boolean hasValueInPeriod(Series s) {
        for (int i = 0; i < s.values().length; i++) {
            if (Double.isFinite(s.values()[i]) && inPeriod(s.atMillis()[i])) {
                return true;
            }
        }
        return false;
    }

    /** The median interval between distinct instants; 0 with fewer than two. */
    static long typicalStep(long[] at) {
        long[] deltas = new long[Math.max(0, at.length - 1)];
        int n = 0;
        for (int i = 1; i < at.length; i++) {
            if (at[i] > at[i - 1]) {
                deltas[n++] = at[i] - at[i - 1];
            }
        }
        if (n == 0) {
            return 0;
        }
        Arrays.sort(deltas, 0, n);
        return deltas[n / 2];
    }

    private String linePath(Series s) {
        long typical = typicalStep(s.atMillis());
        long maxJump = typical == 0 || typical > Long.MAX_VALUE / GAP_FACTOR ? Long.MAX_VALUE : typical * GAP_FACTOR;
        PathData d = new PathData(false);
        boolean previous = false;
        long previousAt = 0;
        for (int i = 0; i < s.values().length; i++) {
            long t = s.atMillis()[i];
            double v = s.values()[i];
            if (!inPeriod(t)) {
                continue;
            }
            if (!Double.isFinite(v)) {
                d.breakLine();
                previous = false;
                continue;
            }
            if (previous && t - previousAt > maxJump) {
                d.breakLine();
            }
            d.add(x(t), y(v));
            previous = true;
            previousAt = t;
        }
        return d.finish();
    }

    private String stepPath(Series s) {
        PathData d = new PathData(true);
        long[] at = s.atMillis();
        for (int i = 0; i < at.length; i++) {
            long start = at[i];
            long end = i + 1 < at.length ? at[i + 1] : spec.toMillis();
            if (start > spec.toMillis()) {
                break;
            }
            if (end < spec.fromMillis() || (end == spec.fromMillis() && i + 1 < at.length)) {
                continue;
            }
            double v = s.values()[i];
            if (!Double.isFinite(v)) {
                d.breakLine();
                continue;
            }
            double y = y(v);
            d.add(x(start), y);
            d.add(x(end), y);
        }
        return d.finish();
    }

    /**
     * Path data reduced to its pixel columns: per column the lowest and highest point in time order, and for step
     * lines also the level coming in and going out where the neighbouring column has no point (so a level holds
     * up to the column where it changes); then points on one horizontal or vertical run merged. Written with
     * {@code H}, {@code V} and {@code L} where shorter; coordinates are whole columns and tenths of a unit.
     */
    private static final class PathData {
        private final boolean keepEnds;
        private final StringBuilder d = new StringBuilder();
        // The column being gathered.
        private long column = Long.MIN_VALUE;
        private long firstY;
        private long lastY;
        private long minY;
        private long maxY;
        private int seq;
        private int minSeq;
        private int maxSeq;
        private long lastColumn;
        // Points emitted in this subpath: a is written, b waits to see whether the next one continues its run.
        private int emitted;
        private long ax;
        private long ay;
        private long bx;
        private long by;
        private boolean hasB;
        private char command;

        PathData(boolean keepEnds) {
            this.keepEnds = keepEnds;
        }

        void add(double x, double y) {
            long col = Math.round(x);
            long ty = Math.round(y * 10);
            if (col != column) {
                flushColumn(col);
                column = col;
                firstY = minY = maxY = ty;
                seq = minSeq = maxSeq = 0;
            } else {
                seq++;
                if (ty < minY) {
                    minY = ty;
                    minSeq = seq;
                }
                if (ty > maxY) {
                    maxY = ty;
                    maxSeq = seq;
                }
            }
            lastY = ty;
        }

        void breakLine() {
            flushColumn(Long.MAX_VALUE);
            if (hasB) {
                write(bx, by);
            } else if (emitted == 1) {
                d.append("h0"); // a lone point: a dot under round line caps
            }
            emitted = 0;
            hasB = false;
        }

        String finish() {
            breakLine();
            return d.toString();
        }

        private void flushColumn(long next) {
            if (column == Long.MIN_VALUE) {
                return;
            }
            long x = column;
            column = Long.MIN_VALUE;
            if (keepEnds && (emitted == 0 || x > lastColumn + 1)) {
                emit(x, firstY);
            }
            if (minSeq <= maxSeq) {
                emit(x, minY);
                emit(x, maxY);
            } else {
                emit(x, maxY);
                emit(x, minY);
            }
            if (keepEnds && next > x + 1) {
                emit(x, lastY);
            }
            lastColumn = x;
        }

        private void emit(long x, long y) {
            if (emitted == 0) {
                d.append('M').append(x).append(' ');
                tenths(d, y);
                command = 'M';
                ax = x;
                ay = y;
                emitted = 1;
                return;
            }
            if (hasB ? (x == bx && y == by) : (x == ax && y == ay)) {
                return;
            }
            if (!hasB) {
                bx = x;
                by = y;
                hasB = true;
                return;
            }
            boolean horizontal = ay == by && by == y;
            boolean vertical = ax == bx && bx == x && (by - ay) * (y - by) > 0;
            if (!horizontal && !vertical) {
                write(bx, by);
            }
            bx = x;
            by = y;
        }

        private void write(long x, long y) {
            if (x == ax) {
                d.append('V');
                tenths(d, y);
                command = 'V';
            } else if (y == ay) {
                d.append('H').append(x);
                command = 'H';
            } else {
                // After M or L a further pair is another line-to without repeating the letter.
                d.append(command == 'M' || command == 'L' ? ' ' : 'L').append(x).append(' ');
                tenths(d, y);
                command = 'L';
            }
            ax = x;
            ay = y;
            emitted++;
        }
    }

    // ---------------------------------------------------------------------------------------------- text

    private String description() {
        StringBuilder s = new StringBuilder();
        DateTimeFormatter full = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(spec.zone());
        s.append(full.format(Instant.ofEpochMilli(spec.fromMillis()))).append(" to ")
                .append(full.format(Instant.ofEpochMilli(spec.toMillis()))).append(' ').append(spec.zone().getId())
                .append('.');
        String unit = spec.unit().isEmpty() ? "" : " " + clip(spec.unit(), UNIT_CHARS);
        for (Series series : spec.lines()) {
            double last = Double.NaN;
            double max = Double.NaN;
            for (int i = 0; i < series.values().length; i++) {
                double v = series.values()[i];
                if (Double.isFinite(v) && inPeriod(series.atMillis()[i])) {
                    last = v;
                    max = Double.isNaN(max) ? v : Math.max(max, v);
                }
            }
            s.append(' ').append(clip(series.label(), LABEL_CHARS)).append(": ");
            s.append(Double.isNaN(last) ? "no data." : "last " + plain(last) + unit + ", highest " + plain(max) + unit + ".");
        }
        Map<String, Integer> marks = new LinkedHashMap<>();
        spec.marks().stream().filter(m -> inPeriod(m.atMillis()))
                .forEach(m -> marks.merge(clip(m.label(), MARK_LABEL_CHARS), 1, Integer::sum));
        if (!marks.isEmpty()) {
            s.append(" Marks:");
            marks.forEach((label, n) -> s.append(' ').append(n).append(' ').append(label.isEmpty() ? "unlabelled" : label)
                    .append(','));
            s.setLength(s.length() - 1);
            s.append('.');
        }
        return s.toString();
    }

    private static String plain(double v) {
        StringBuilder b = new StringBuilder();
        tenths(b, Math.round(v * 10));
        return b.toString();
    }

    private void text(String cssClass, double x, double y, String extra, String content) {
        out.append("<text class=\"").append(cssClass).append("\" x=\"");
        num(x);
        out.append("\" y=\"");
        num(y);
        out.append('"');
        if (extra != null) {
            out.append(extra);
        }
        out.append('>');
        escape(content);
        out.append("</text>\n");
    }

    private void line(String cssClass, double x1, double y1, double x2, double y2) {
        out.append("<line class=\"").append(cssClass).append('"');
        coordinates(x1, y1, x2, y2);
        out.append("/>\n");
    }

    private void coordinates(double x1, double y1, double x2, double y2) {
        out.append(" x1=\"");
        num(x1);
        out.append("\" y1=\"");
        num(y1);
        out.append("\" x2=\"");
        num(x2);
        out.append("\" y2=\"");
        num(y2);
        out.append('"');
    }

    private void path(String cssClass, String d) {
        if (!d.isEmpty()) {
            out.append("<path class=\"").append(cssClass).append("\" d=\"").append(d).append("\"/>\n");
        }
    }

    private void num(double v) {
        tenths(out, Math.round(v * 10));
    }

    /** A number given in tenths, with one decimal only when it is not whole. */
    private static void tenths(StringBuilder b, long tenths) {
        if (tenths < 0) {
            b.append('-');
            tenths = -tenths;
        }
        b.append(tenths / 10);
        if (tenths % 10 != 0) {
            b.append('.').append(tenths % 10);
        }
    }

    /**
     * Text for XML content and attribute values: the five special characters as entities, line breaks and other
     * control characters (most of which XML 1.0 forbids) as spaces, and broken surrogates as U+FFFD.
     */
    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0xfffe || c == 0xffff) {
                        out.append(' ');
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append('\ufffd');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    /** At most {@code max} code points, the last one an ellipsis when shortened. */
    static String clip(String s, int max) {
        String t = s.strip();
        if (t.codePointCount(0, t.length()) <= max) {
            return t;
        }
        return t.substring(0, t.offsetByCodePoints(0, Math.max(0, max - 1))) + "…";
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    private static String checkClass(String cssClass) {
        if (cssClass == null || !CSS_CLASS.matcher(cssClass).matches()) {
            throw new IllegalArgumentException("not a single CSS class name: " + cssClass);
        }
        return cssClass;
    }
}
