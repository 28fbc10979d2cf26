package dev.mediawatch.aggregator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.mediawatch.aggregator.web.SvgChart.Mark;
import dev.mediawatch.aggregator.web.SvgChart.Series;
import dev.mediawatch.aggregator.web.SvgChart.Spec;

class SvgChartTest {

    static final long T0 = Instant.parse("2026-12-02T00:00:00Z").toEpochMilli();
    static final long SECOND = 1000;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final ZoneId UTC = ZoneOffset.UTC;
    static final String EVIL = "<script>alert(\"x\")</script> & 'q'";

    // ------------------------------------------------------------------------------------------ well-formed

    @Test
    void rendersWellFormedAccessibleSvg_thatScalesToItsContainer_withoutAnythingCspForbids() throws Exception {
        String svg = SvgChart.render(day(List.of(line("Score", "score", 5 * SECOND, i -> 50 + 40 * Math.sin(i / 500.0))),
                List.of(), List.of(new Mark(T0 + 3 * HOUR, "raised", "raised"))));

        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("svg");
        assertThat(root.getAttribute("xmlns")).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(classes(root)).contains("chart");
        assertThat(root.getAttribute("role")).isEqualTo("img");
        assertThat(root.getAttribute("aria-label")).isEqualTo("Contention");
        assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 720 240");
        assertThat(root.getAttribute("width")).isEqualTo("100%");
        assertThat(root.hasAttribute("height")).as("a fixed height would not scale with the width").isFalse();
        assertThat(root.getAttribute("preserveAspectRatio")).isEqualTo("xMidYMid meet");
        Element title = (Element) root.getElementsByTagName("title").item(0);
        assertThat(title.getParentNode()).isSameAs(root);
        assertThat(title.getTextContent()).isEqualTo("Contention");
        assertThat(root.getElementsByTagName("desc").item(0).getTextContent())
                .contains("2026-12-02 00:00 to 2026-12-03 00:00 Z", "Score: last", "Marks: 1 raised");

        // default-src 'self': no script, no inline style, nothing loaded from elsewhere; colour only via currentColor.
        assertThat(select(doc, "//*[@style]")).isEmpty();
        assertThat(select(doc, "//script | //style | //foreignObject | //*[@*[contains(name(), 'href')]]")).isEmpty();
        for (Element e : select(doc, "//*[@fill or @stroke]")) {
            assertThat(List.of(e.getAttribute("fill"), e.getAttribute("stroke"))).as(e.getTagName())
                    .allMatch(v -> v.isEmpty() || v.equals("none") || v.equals("currentColor"));
        }
    }

    @Test
    void everyTextFromOutside_isEscaped_andReadsBackUnchanged() throws Exception {
        Spec spec = new Spec(EVIL, T0, T0 + DAY, 0, Double.NaN, EVIL.substring(0, 15), 720, 240, UTC,
                List.of(line(EVIL, "score", 5 * MINUTE, i -> i % 100)),
                List.of(step(EVIL, "limit", new long[] {T0}, new double[] {80})),
                List.of(new Mark(T0 + HOUR, "<b>&\"'", "raised")));

        String svg = SvgChart.render(spec);

        assertThat(svg).doesNotContainIgnoringCase("<script").doesNotContain("<b>");
        Document doc = parse(svg);
        assertThat(doc.getDocumentElement().getAttribute("aria-label")).isEqualTo(EVIL);
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent()).isEqualTo(EVIL);
        assertThat(texts(doc, "legend")).containsExactly(EVIL, EVIL);
        assertThat(texts(doc, "unit")).containsExactly(EVIL.substring(0, 15));
        assertThat(texts(doc, "mark-label")).containsExactly("<b>&\"'");
    }

    @Test
    void controlCharactersAndBrokenSurrogates_stillGiveWellFormedXml_andLongTextsAreShortened() throws Exception {
        String nasty = "a\u0000b\u0007c\nd\ud800e\uffff" + "x".repeat(500);
        Spec spec = new Spec(nasty, T0, T0 + HOUR, 0, 100, nasty, 720, 240, UTC,
                List.of(line(nasty, "score", MINUTE, i -> 10)), List.of(), List.of(new Mark(T0 + MINUTE, nasty, "raised")));

        Document doc = parse(SvgChart.render(spec));

        String title = doc.getElementsByTagName("title").item(0).getTextContent();
        assertThat(title).startsWith("a b c d\ufffde").endsWith("…").hasSizeLessThanOrEqualTo(SvgChart.TITLE_CHARS);
        assertThat(texts(doc, "mark-label").get(0)).hasSize(SvgChart.MARK_LABEL_CHARS);
        assertThat(texts(doc, "legend").get(0)).hasSize(SvgChart.LABEL_CHARS);
    }

    @Test
    void cssClasses_mustBeSingleClassNames() {
        assertThatThrownBy(() -> new Mark(T0, "x", "raised cleared")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Mark(T0, "x", "a\"onload=\"x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Series("x", null, new long[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Series("x", "s", new long[] {2, 1}, new double[] {1, 1}))
                .hasMessageContaining("go back");
        assertThatThrownBy(() -> new Series("x", "s", new long[] {1}, new double[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Spec("t", T0, T0, 0, 1, "", 720, 240, UTC, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Spec("t", Long.MIN_VALUE, Long.MAX_VALUE, 0, 1, "", 720, 240, UTC, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Spec("t", T0, T0 + 1, 5, 5, "", 720, 240, UTC, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------------------------------ size

    @Test
    void aDayOfFiveSecondWindows_staysSmall_andSpikesSurvive() throws Exception {
        Random random = new Random(42);
        int n = (int) (DAY / (5 * SECOND));
        assertThat(n).isEqualTo(17_280);
        List<Series> lines = new ArrayList<>();
        for (String name : List.of("score", "pressure", "degradation")) {
            // Noise in every window, the worst case for size, and one window at 100.
            lines.add(line(name, name, 5 * SECOND, i -> i == 9_001 ? 100 : random.nextDouble() * 60));
        }
        List<Series> steps = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            // In force per window: a learned raise threshold drifting by tenths, the lower clear threshold while
            // crossed (two minutes in every ten).
            int phase = k;
            steps.add(line("limit " + k, "limit" + k, 5 * SECOND, i -> {
                double raise = Math.round(700 + 20 * Math.sin(i / 2000.0 + phase)) / 10.0;
                return (i / 24 + phase) % 10 < 2 ? raise * 0.8 : raise;
            }));
        }
        List<Mark> marks = new ArrayList<>();
        for (int k = 0; k < 50; k++) {
            marks.add(new Mark(T0 + k * 28 * MINUTE, k % 2 == 0 ? "raised" : "cleared", k % 2 == 0 ? "raised" : "cleared"));
        }
        Spec spec = new Spec("Contention", T0, T0 + DAY, 0, 100, "/100", 720, 240, UTC, lines, steps, marks);

        String svg = SvgChart.render(spec);

        assertThat(svg.getBytes(StandardCharsets.UTF_8).length).isLessThan(60_000);
        Document doc = parse(svg);
        assertAtMostPointsPerColumn(doc);
        assertThat(select(doc, "//path[contains(@class, 'series')]")).hasSize(3);
        assertThat(select(doc, "//path[contains(@class, 'threshold')]")).hasSize(4);
        // The one window at 100 reaches the top of the plot; without it nothing would come above 60.
        Plot plot = plot(doc);
        for (Element path : select(doc, "//path[contains(@class, 'series')]")) {
            double top = points(path.getAttribute("d")).stream().mapToDouble(p -> p[1]).min().orElseThrow();
            assertThat(top).isEqualTo(plot.top);
        }
        assertThat(select(doc, "//line[contains(@class, 'mark')]")).hasSize(50);
    }

    @Test
    void thresholdsThatJumpEveryWindow_stayBoundedByTheWidth() throws Exception {
        Random random = new Random(7);
        List<Series> steps = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            steps.add(line("limit " + k, "limit" + k, 5 * SECOND, i -> random.nextDouble() * 100));
        }
        Spec spec = day(List.of(line("s", "s", MINUTE, i -> 5)), steps, List.of());

        String svg = SvgChart.render(spec);

        assertAtMostPointsPerColumn(parse(svg));
        // Four paths of at most two points (about 9 characters each) per column, and the rest of the chart.
        assertThat(svg.length()).isLessThan(4 * 720 * 2 * 9 + 10_000);
    }

    /** Lines keep at most their lowest and highest point per column; step lines also the level in and out. */
    static void assertAtMostPointsPerColumn(Document doc) throws Exception {
        for (Element path : select(doc, "//path")) {
            Map<Double, Integer> perColumn = new HashMap<>();
            for (double[] p : points(path.getAttribute("d"))) {
                perColumn.merge(p[0], 1, Integer::sum);
            }
            int allowed = classes(path).contains("threshold") ? 4 : 2;
            assertThat(perColumn.values()).as(path.getAttribute("class")).allMatch(c -> c <= allowed);
        }
    }

    @Test
    void numbers_carryAtMostOneDecimal() {
        String svg = SvgChart.render(day(List.of(line("a", "a", 7 * SECOND, i -> Math.PI * i / 1000)),
                List.of(step("t", "t", new long[] {T0 + 333, T0 + 7 * HOUR + 777}, new double[] {1.2345, 6.789})),
                List.of(new Mark(T0 + 12_345_678, "raised", "raised"))));

        assertThat(svg).doesNotContainPattern("\\d\\.\\d\\d").doesNotContain("NaN").doesNotContain("Infinity");
    }

    // ------------------------------------------------------------------------------------------ gaps

    @Test
    void nanValues_andJumpsOfMoreThanThreeSteps_breakTheLine_whileSmallJitterDoesNot() throws Exception {
        long[] at = new long[300];
        double[] v = new double[300];
        long t = T0;
        for (int i = 0; i < at.length; i++) {
            at[i] = t;
            v[i] = 20 + i % 7;
            // 5 s steps, one of 10 s (not a gap) at 50, the aggregator down for 10 minutes at 200.
            t += i == 50 ? 10 * SECOND : i == 200 ? 10 * MINUTE : 5 * SECOND;
        }
        v[100] = Double.NaN;
        v[101] = Double.NaN;
        Series s = new Series("score", "score", at, v);
        Spec spec = new Spec("gaps", T0, at[at.length - 1], 0, 100, "", 720, 240, UTC, List.of(s), List.of(), List.of());

        Document doc = parse(SvgChart.render(spec));

        String d = select(doc, "//path[contains(@class, 'series')]").get(0).getAttribute("d");
        assertThat(d.chars().filter(c -> c == 'M').count()).as(d).isEqualTo(3);
        assertThat(SvgChart.typicalStep(at)).isEqualTo(5 * SECOND);
    }

    @Test
    void aLonePointBetweenGaps_isDrawnAsADot() throws Exception {
        long[] at = {T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE, T0 + 4 * MINUTE};
        double[] v = {10, Double.NaN, 30, Double.NaN, 50};
        Spec spec = new Spec("dots", T0, T0 + 4 * MINUTE, 0, 100, "", 720, 240, UTC,
                List.of(new Series("s", "s", at, v)), List.of(), List.of());

        String d = select(parse(SvgChart.render(spec)), "//path").get(0).getAttribute("d");

        assertThat(d.split("M")).filteredOn(x -> !x.isEmpty()).hasSize(3).allMatch(x -> x.endsWith("h0"));
    }

    @Test
    void thresholds_holdUntilTheNextChange_fromBeforeThePeriodToItsEnd_andStopAtNaN() throws Exception {
        Series limit = step("limit", "limit", new long[] {T0 - DAY, T0 + 6 * HOUR, T0 + 12 * HOUR, T0 + 18 * HOUR},
                new double[] {80, 60, Double.NaN, 90});
        Spec spec = day(List.of(line("s", "s", HOUR, i -> 10)), List.of(limit), List.of());

        Document doc = parse(SvgChart.render(spec));

        Plot plot = plot(doc);
        List<double[]> p = points(select(doc, "//path[contains(@class, 'threshold limit')]").get(0).getAttribute("d"));
        String d = select(doc, "//path[contains(@class, 'threshold')]").get(0).getAttribute("d");
        assertThat(d.chars().filter(c -> c == 'M').count()).as(d).isEqualTo(2);
        assertThat(p.get(0)[0]).isEqualTo(plot.left);
        assertThat(p.get(p.size() - 1)[0]).isEqualTo(plot.right);
        // 80 until 06:00, 60 until 12:00, nothing until 18:00, 90 to the end: the axis reaches up to 90.
        assertThat(p).hasSize(6);
        assertThat(p.get(1)[0]).isCloseTo(plot.x(T0 + 6 * HOUR, T0, T0 + DAY), offset(0.6));
        assertThat(p.get(0)[1]).isLessThan(p.get(2)[1]);
        assertThat(p.get(4)[1]).isLessThan(p.get(0)[1]);
    }

    // ------------------------------------------------------------------------------------------ marks

    @Test
    void marks_areFullHeightLinesInsideThePlot_withTheirClasses_andLabelsThatDoNotCrowd() throws Exception {
        List<Mark> marks = List.of(
                new Mark(T0 - MINUTE, "raised", "raised"), // before the period
                new Mark(T0 + 3 * HOUR, "raised", "raised"),
                new Mark(T0 + 3 * HOUR + 5 * MINUTE, "throttle", "throttle"),
                new Mark(T0 + 3 * HOUR + 10 * MINUTE, "notified", "notified"),
                new Mark(T0 + 3 * HOUR + 15 * MINUTE, "cleared", "cleared"),
                new Mark(T0 + 12 * HOUR, "cleared", "cleared"),
                new Mark(T0 + DAY, "raised", "raised"), // on the right edge
                new Mark(T0 + DAY + 1, "cleared", "cleared")); // after
        Document doc = parse(SvgChart.render(day(List.of(line("s", "s", MINUTE, i -> 5)), List.of(), marks)));

        Plot plot = plot(doc);
        List<Element> lines = select(doc, "//line[contains(concat(' ', @class, ' '), ' mark ')]");
        assertThat(lines).hasSize(6);
        assertThat(lines).extracting(e -> e.getAttribute("class")).containsExactly("mark raised", "mark throttle",
                "mark notified", "mark cleared", "mark cleared", "mark raised");
        for (Element l : lines) {
            double x = Double.parseDouble(l.getAttribute("x1"));
            assertThat(x).isBetween(plot.left, plot.right).isEqualTo(Double.parseDouble(l.getAttribute("x2")));
            assertThat(Double.parseDouble(l.getAttribute("y1"))).isEqualTo(plot.top);
            assertThat(Double.parseDouble(l.getAttribute("y2"))).isEqualTo(plot.bottom);
        }
        assertThat(lines.get(1).getTextContent()).isEqualTo("throttle 03:05:00");
        // Four marks within 15 minutes (about 7 units apart): two labels stagger, the others are left out.
        List<Element> labels = select(doc, "//text[contains(@class, 'mark-label')]");
        assertThat(labels).extracting(e -> e.getAttribute("class")).containsExactly("mark-label raised",
                "mark-label throttle", "mark-label cleared", "mark-label raised");
        Map<String, Double> lastXByRow = new HashMap<>();
        for (Element label : labels) {
            double x = Double.parseDouble(label.getAttribute("x"));
            Double previous = lastXByRow.put(label.getAttribute("y"), x);
            assertThat(previous == null || x - previous >= SvgChart.MARK_LABEL_SPACING).as("labels on one row crowd").isTrue();
            assertThat(Double.parseDouble(label.getAttribute("y"))).isLessThan(plot.top);
        }
        // The label of the mark on the right edge is written leftwards so it stays inside the chart.
        assertThat(labels.get(3).getAttribute("text-anchor")).isEqualTo("end");
    }

    @Test
    void manyMarksOfOneClassOnOnePixel_shareALine_thatCountsThem() throws Exception {
        List<Mark> marks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            marks.add(new Mark(T0 + HOUR + i * 10, "raised", "raised"));
        }
        marks.add(new Mark(T0 + HOUR, "cleared", "cleared"));

        Document doc = parse(SvgChart.render(day(List.of(line("s", "s", MINUTE, i -> 5)), List.of(), marks)));

        List<Element> lines = select(doc, "//line[contains(@class, 'mark')]");
        assertThat(lines).extracting(e -> e.getAttribute("class")).containsExactly("mark raised", "mark cleared");
        assertThat(lines.get(0).getTextContent()).isEqualTo("raised 01:00:00 (1000 within a pixel)");
        assertThat(doc.getElementsByTagName("desc").item(0).getTextContent()).contains("Marks: 1000 raised, 1 cleared.");
    }

    // ------------------------------------------------------------------------------------------ axes

    @Test
    void aTwentyMinuteIncident_hasTicksEveryFewMinutes() throws Exception {
        long from = Instant.parse("2026-12-02T14:07:30Z").toEpochMilli();
        Spec spec = new Spec("incident", from, from + 20 * MINUTE, 0, 100, "", 720, 240, UTC,
                List.of(line("s", "s", 5 * SECOND, i -> 40, from, 240)), List.of(), List.of());

        List<String> labels = texts(parse(SvgChart.render(spec)), "tick time");

        assertThat(labels).hasSizeBetween(4, 12).first().isEqualTo("14:08");
        int interval = minutes(labels.get(1)) - minutes(labels.get(0));
        assertThat(interval).isIn(1, 2, 5);
        for (int i = 1; i < labels.size(); i++) {
            assertThat(minutes(labels.get(i)) - minutes(labels.get(i - 1))).isEqualTo(interval);
            assertThat(minutes(labels.get(i)) % interval).isZero();
        }
        assertThat(labels).last().isEqualTo("14:26");
    }

    @Test
    void aDay_hasTicksEveryFewHours_onRoundHours() throws Exception {
        List<String> labels = texts(parse(SvgChart.render(day(List.of(line("s", "s", MINUTE, i -> 1)), List.of(),
                List.of()))), "tick time");

        assertThat(labels).hasSizeBetween(4, 12).allMatch(l -> l.endsWith(":00"));
        int interval = minutes(labels.get(1)) - minutes(labels.get(0));
        assertThat(interval % 60).isZero();
        assertThat(interval).isBetween(60, 6 * 60);
        assertThat(labels).allMatch(l -> minutes(l) % interval == 0);
    }

    @Test
    void onAPhoneWidth_timeTicksThinOut() throws Exception {
        Spec narrow = new Spec("c", T0, T0 + DAY, 0, 100, "", 360, 200, UTC, List.of(line("s", "s", MINUTE, i -> 1)),
                List.of(), List.of());

        List<String> labels = texts(parse(SvgChart.render(narrow)), "tick time");

        assertThat(labels).hasSizeBetween(2, 6).allMatch(l -> minutes(l) % 360 == 0);
    }

    @Test
    void timeLabels_areRoundLocalTimesOfTheZone() throws Exception {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata"); // UTC+05:30: round there is half past in UTC
        Spec utc = day(List.of(line("s", "s", MINUTE, i -> 1)), List.of(), List.of(new Mark(T0 + HOUR, "raised", "raised")));
        Spec local = new Spec(utc.title(), utc.fromMillis(), utc.toMillis(), utc.yMin(), utc.yMax(), utc.unit(),
                utc.width(), utc.height(), kolkata, utc.lines(), utc.steps(), utc.marks());

        Document inUtc = parse(SvgChart.render(utc));
        Document inKolkata = parse(SvgChart.render(local));

        assertThat(texts(inUtc, "tick time")).first().isEqualTo("00:00");
        List<Element> ticks = select(inKolkata, "//text[@class='tick time']");
        assertThat(ticks).extracting(Element::getTextContent).allMatch(l -> l.endsWith(":00"));
        Plot plot = plot(inKolkata);
        // The first round local tick after 05:30 local (00:00 UTC) is 06:00 local, at 00:30 UTC.
        assertThat(ticks.get(0).getTextContent()).isEqualTo("06:00");
        assertThat(Double.parseDouble(ticks.get(0).getAttribute("x")))
                .isCloseTo(plot.x(T0 + 30 * MINUTE, T0, T0 + DAY), offset(0.1));
        assertThat(select(inKolkata, "//line[@class='mark raised']").get(0).getTextContent()).isEqualTo("raised 06:30:00");
        assertThat(inKolkata.getElementsByTagName("desc").item(0).getTextContent())
                .startsWith("2026-12-02 05:30 to 2026-12-03 05:30 Asia/Kolkata.");
    }

    @Test
    void noTickFallsInTheHourADaylightSavingChangeSkips() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long from = Instant.parse("2026-03-29T00:00:00Z").toEpochMilli(); // 02:00 local becomes 03:00 at 01:00 UTC

        long[] ticks = SvgChart.timeTicks(from, from + 2 * HOUR, berlin, 10);

        List<String> labels = Arrays.stream(ticks)
                .mapToObj(t -> Instant.ofEpochMilli(t).atZone(berlin).toLocalTime().toString()).toList();
        assertThat(labels).containsExactly("01:00", "01:15", "01:30", "01:45", "03:00", "03:15", "03:30", "03:45",
                "04:00");
    }

    @Test
    void longPeriods_getDateTicks_andHugeOnesStayBounded() throws Exception {
        Spec week = new Spec("week", T0, T0 + 14 * DAY, 0, 100, "", 720, 240, UTC,
                List.of(line("s", "s", HOUR, i -> 3, T0, 14 * 24)), List.of(), List.of());
        assertThat(texts(parse(SvgChart.render(week)), "tick time")).contains("12-03", "12-05").allMatch(l -> l.matches("\\d\\d-\\d\\d"));

        assertThat(SvgChart.timeTicks(0, Long.MAX_VALUE / 2, UTC, 10)).hasSizeLessThanOrEqualTo(11);
    }

    @Test
    void valueAxis_topsAtARoundNumberAboveTheData_fromZero_includingThresholds() throws Exception {
        Spec auto = new Spec("c", T0, T0 + DAY, Double.NaN, Double.NaN, "MB/s", 720, 240, UTC,
                List.of(line("s", "s", MINUTE, i -> i % 38)), List.of(), List.of());
        assertThat(texts(parse(SvgChart.render(auto)), "tick value")).containsExactly("0", "10", "20", "30", "40");

        Spec withLimit = new Spec("c", T0, T0 + DAY, Double.NaN, Double.NaN, "MB/s", 720, 240, UTC, auto.lines(),
                List.of(step("limit", "limit", new long[] {T0}, new double[] {72})), List.of());
        assertThat(texts(parse(SvgChart.render(withLimit)), "tick value")).containsExactly("0", "20", "40", "60", "80");

        Spec fixed = new Spec("c", T0, T0 + DAY, 0, 100, "", 720, 240, UTC, auto.lines(), List.of(), List.of());
        assertThat(texts(parse(SvgChart.render(fixed)), "tick value")).containsExactly("0", "25", "50", "75", "100");

        Spec large = new Spec("c", T0, T0 + DAY, Double.NaN, Double.NaN, "B/s", 720, 240, UTC,
                List.of(line("s", "s", MINUTE, i -> i * 50_000.0)), List.of(), List.of());
        assertThat(texts(parse(SvgChart.render(large)), "tick value")).containsExactly("0", "20M", "40M", "60M", "80M");

        Spec flatZero = new Spec("c", T0, T0 + DAY, Double.NaN, Double.NaN, "", 720, 240, UTC,
                List.of(line("s", "s", MINUTE, i -> 0)), List.of(), List.of());
        assertThat(texts(parse(SvgChart.render(flatZero)), "tick value")).containsExactly("0.00", "0.25", "0.50",
                "0.75", "1.00");
    }

    @Test
    void absurdValues_areDrawnAtTheEdge_neverAsNaN() throws Exception {
        double[] absurd = {Double.MAX_VALUE, -Double.MAX_VALUE, 1e300, -1e300, 4.9e-324, Double.POSITIVE_INFINITY, 7};
        Spec spec = new Spec("c", T0, T0 + DAY, Double.NaN, Double.NaN, "B/s", 720, 240, UTC,
                List.of(line("s", "s", HOUR, i -> absurd[i % absurd.length])), List.of(), List.of());

        String svg = SvgChart.render(spec);

        assertThat(svg).doesNotContain("NaN").doesNotContain("Infinity");
        Document doc = parse(svg);
        List<String> labels = texts(doc, "tick value");
        assertThat(labels).hasSizeBetween(3, 6).contains("0");
        assertThat(labels.get(labels.size() - 1)).endsWith("T");
        assertThat(plot(doc).left).isLessThan(80);

        Spec tiny = new Spec("c", T0, T0 + DAY, Double.NaN, Double.NaN, "", 720, 240, UTC,
                List.of(line("s", "s", HOUR, i -> 1e-9 * i)), List.of(), List.of());
        assertThat(texts(parse(SvgChart.render(tiny)), "tick value")).containsExactly("0.00", "0.25", "0.50", "0.75",
                "1.00");
    }

    @Test
    void aFixedRange_clampsValuesOutsideItToTheFrame() throws Exception {
        Spec spec = day(List.of(line("s", "s", HOUR, i -> i % 2 == 0 ? -50 : 500)), List.of(), List.of());

        Document doc = parse(SvgChart.render(spec));

        Plot plot = plot(doc);
        assertThat(points(select(doc, "//path").get(0).getAttribute("d")))
                .allMatch(p -> p[1] == plot.top || p[1] == plot.bottom);
    }

    @Test
    void legend_namesEverySeries_withASwatchOfItsClass() throws Exception {
        Spec spec = day(List.of(line("Score", "score", HOUR, i -> 1), line("Download pressure", "pressure", HOUR, i -> 2)),
                List.of(step("Score limit", "score-limit", new long[] {T0}, new double[] {50})), List.of());

        Document doc = parse(SvgChart.render(spec));

        assertThat(select(doc, "//text[starts-with(@class, 'legend')]")).extracting(e -> e.getAttribute("class"),
                Element::getTextContent).containsExactly(tuple("legend score", "Score"),
                        tuple("legend pressure", "Download pressure"),
                        tuple("legend score-limit", "Score limit"));
        assertThat(select(doc, "//line[starts-with(@class, 'swatch')]")).extracting(e -> e.getAttribute("class"))
                .containsExactly("swatch series score", "swatch series pressure", "swatch threshold score-limit");
    }

    @Test
    void aLegendTooWideForOneRow_wraps_andTheChartGrowsToKeepItsPlot() throws Exception {
        List<Series> lines = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lines.add(line("a rather long series label " + i, "s" + i, HOUR, k -> 1));
        }
        Spec spec = new Spec("c", T0, T0 + DAY, 0, 100, "", 200, 100, UTC, lines, List.of(), List.of());

        Document doc = parse(SvgChart.render(spec));

        Plot plot = plot(doc);
        assertThat(plot.bottom - plot.top).isGreaterThanOrEqualTo(40);
        String[] viewBox = doc.getDocumentElement().getAttribute("viewBox").split(" ");
        assertThat(Integer.parseInt(viewBox[3])).isGreaterThan(100);
        assertThat(select(doc, "//text[starts-with(@class, 'legend')]")).extracting(e -> e.getAttribute("y"))
                .doesNotHaveDuplicates();
    }

    // ------------------------------------------------------------------------------------------ empty

    @Test
    void noWindows_sayNoDataForThisPeriod() throws Exception {
        for (List<Series> lines : List.of(List.<Series>of(),
                List.of(new Series("s", "s", new long[0], new double[0])),
                List.of(line("s", "s", MINUTE, i -> Double.NaN)),
                List.of(line("s", "s", MINUTE, i -> 5, T0 - 2 * DAY, 100)))) {
            Spec spec = day(lines, List.of(step("limit", "limit", new long[] {T0}, new double[] {50})),
                    List.of(new Mark(T0 + HOUR, "raised", "raised")));

            Document doc = parse(SvgChart.render(spec));

            assertThat(texts(doc, "empty")).containsExactly(SvgChart.NO_DATA);
            assertThat(select(doc, "//path")).isEmpty();
            assertThat(texts(doc, "tick time")).isNotEmpty();
            assertThat(select(doc, "//line[@class='mark raised']")).hasSize(1);
            assertThat(doc.getDocumentElement().getAttribute("role")).isEqualTo("img");
        }
    }

    @Test
    void anAllNanSeries_nextToOneWithData_isInTheLegendButDrawsNothing() throws Exception {
        Spec spec = day(List.of(line("none", "none", MINUTE, i -> Double.NaN), line("some", "some", MINUTE, i -> 3)),
                List.of(), List.of());

        Document doc = parse(SvgChart.render(spec));

        assertThat(select(doc, "//path")).extracting(e -> e.getAttribute("class")).containsExactly("series some");
        assertThat(texts(doc, "legend")).containsExactly("none", "some");
        assertThat(texts(doc, "empty")).isEmpty();
        assertThat(doc.getElementsByTagName("desc").item(0).getTextContent()).contains("none: no data.",
                "some: last 3, highest 3.");
    }

    // ------------------------------------------------------------------------------------------ helpers

    interface Values {
        double at(int i);
    }

    static Series line(String label, String cssClass, long step, Values values) {
        return line(label, cssClass, step, values, T0, (int) (DAY / step));
    }

    static Series line(String label, String cssClass, long step, Values values, long from, int n) {
        long[] at = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            at[i] = from + i * step;
            v[i] = values.at(i);
        }
        return new Series(label, cssClass, at, v);
    }

    static Series step(String label, String cssClass, long[] at, double[] values) {
        return new Series(label, cssClass, at, values);
    }

    static Spec day(List<Series> lines, List<Series> steps, List<Mark> marks) {
        return new Spec("Contention", T0, T0 + DAY, 0, 100, "", 720, 240, UTC, lines, steps, marks);
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> select(Document doc, String xpath) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    /** Texts of the {@code <text>} elements whose classes include all of {@code cssClasses}. */
    static List<String> texts(Document doc, String cssClasses) throws Exception {
        List<String> wanted = List.of(cssClasses.split(" "));
        return select(doc, "//text").stream().filter(e -> classes(e).containsAll(wanted)).map(Element::getTextContent)
                .toList();
    }

    static Set<String> classes(Element e) {
        return Set.of(e.getAttribute("class").split(" "));
    }

    static int minutes(String hhmm) {
        return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3));
    }

    /** The vertices of path data made of M, L (or bare pairs after them), H, V and a closing {@code h0}. */
    static List<double[]> points(String d) {
        assertThat(d).startsWith("M").matches("[MLHVh\\d. ]+");
        List<double[]> points = new ArrayList<>();
        Matcher m = Pattern.compile("([MLHVh ])([\\d.]+)(?: ([\\d.]+))?").matcher(d);
        double x = 0;
        double y = 0;
        while (m.find()) {
            double a = Double.parseDouble(m.group(2));
            switch (m.group(1)) {
                case "H" -> x = a;
                case "V" -> y = a;
                case "h" -> {
                    continue;
                }
                default -> {
                    x = a;
                    y = Double.parseDouble(m.group(3));
                }
            }
            points.add(new double[] {x, y});
        }
        return points;
    }

    record Plot(double left, double top, double right, double bottom) {
        double x(long t, long from, long to) {
            return left + (double) (t - from) / (to - from) * (right - left);
        }
    }

    static Plot plot(Document doc) throws Exception {
        Element rect = select(doc, "//rect[@class='plot']").get(0);
        double x = Double.parseDouble(rect.getAttribute("x"));
        double y = Double.parseDouble(rect.getAttribute("y"));
        return new Plot(x, y, x + Double.parseDouble(rect.getAttribute("width")),
                y + Double.parseDouble(rect.getAttribute("height")));
    }
}
