package dev.mediawatch.aggregator.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.mediawatch.contract.ContentionHistory;
import dev.mediawatch.contract.ContentionWindow;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.IncidentAction;
import dev.mediawatch.contract.SignalValue;

/** The detector's windows as charts: raises and clears where the alerts' flags change, one chart per signal. */
class ContentionChartsTest {

    private static final Instant T0 = Instant.parse("2026-11-30T21:00:00Z");
    private static final HostId ST = HostId.of("streaming-stack");
    private static final HostId DL = HostId.of("download-stack");
    private final ContentionCharts charts = new ContentionCharts(ZoneOffset.UTC);

    /** 60 windows of 5 s: stutter raised from window 20 to window 40. */
    private static List<ContentionWindow> evening() {
        List<ContentionWindow> out = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            boolean on = i >= 20 && i < 40;
            out.add(new ContentionWindow(T0.plusSeconds(5L * i), on ? 90 : 10, on ? 100 : 20, on ? 80 : 0,
                    on ? "contention" : "calm", true, on, false, List.of(
                            new SignalValue("disk-read-await", SignalValue.STREAMING, ST, on ? 30 : 1, "ms", 8, on),
                            new SignalValue("disk-write", SignalValue.DOWNLOAD, DL, on ? 9e7 : 1e5, "B/s", 1.25e7, on))));
        }
        return out;
    }

    private static Document xml(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static int count(Document d, String tag, String cls) {
        NodeList nodes = d.getElementsByTagName(tag);
        int n = 0;
        for (int i = 0; i < nodes.getLength(); i++) {
            List<String> classes = List.of(((Element) nodes.item(i)).getAttribute("class").split(" "));
            if (classes.containsAll(List.of(cls.split("\\.")))) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aRaiseAndItsClear_areMarked_whereTheFlagChanges() {
        List<SvgChart.Mark> marks = ContentionCharts.marks(evening());
        assertThat(marks).extracting(SvgChart.Mark::cssClass).containsExactly("raised", "cleared");
        assertThat(marks.get(0).atMillis()).isEqualTo(T0.plusSeconds(100).toEpochMilli());
        assertThat(marks.get(1).atMillis()).isEqualTo(T0.plusSeconds(200).toEpochMilli());
    }

    @Test
    void theDay_drawsTheScore_andOneChartPerSignal_streamingFirst_withItsThreshold() throws Exception {
        List<PageView.Chart> day = charts.day(ContentionHistory.of(T0.plusSeconds(300), 5, T0, evening()), T0.plusSeconds(300));
        assertThat(day).hasSize(3);
        assertThat(day.get(1).heading()).startsWith("disk-read-await on streaming-stack");
        assertThat(day.get(2).heading()).startsWith("disk-write on download-stack");
        Document score = xml(day.get(0).svg());
        assertThat(count(score, "path", "series.score")).isEqualTo(1);
        assertThat(count(score, "line", "mark.raised")).isEqualTo(1);
        assertThat(count(score, "line", "mark.cleared")).isEqualTo(1);
        assertThat(count(xml(day.get(1).svg()), "path", "threshold")).isEqualTo(1);
    }

    @Test
    void anIncident_marksWhatWasDone() throws Exception {
        List<PageView.Chart> drawn = charts.incident(evening(), T0, T0.plusSeconds(300), List.of(
                new IncidentAction(T0.plusSeconds(110), "throttle.applied", "download-stack: 5 MB/s"),
                new IncidentAction(T0.plusSeconds(120), "notify.sent", "ntfy")));
        Document d = xml(drawn.get(0).svg());
        assertThat(count(d, "line", "mark.throttle")).isEqualTo(1);
        assertThat(count(d, "line", "mark.notified")).isEqualTo(1);
        assertThat(count(d, "line", "mark.raised")).isEqualTo(1);
    }

    @Test
    void noWindows_noCharts() {
        assertThat(charts.day(ContentionHistory.of(T0, 5, T0, List.of()), T0)).isEmpty();
        assertThat(charts.day(null, T0)).isEmpty();
    }
}
