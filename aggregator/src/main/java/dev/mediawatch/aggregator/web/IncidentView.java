package dev.mediawatch.aggregator.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.mediawatch.contract.ContentionWindow;
import dev.mediawatch.contract.Incident;
import dev.mediawatch.contract.IncidentAction;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.contract.StutterEvidence;

/**
 * One incident's page: its timeline from a few minutes before the raise to the clear (the windows kept with it),
 * what both sides' signals did, the stalled sessions and top writers, and what was done when.
 *
 * @param line     the incident as listed
 * @param charts   the timeline charts; empty when no windows were kept for it
 * @param noCharts why there is no timeline, when there is none
 * @param actions  what was done, oldest first
 * @param evidence the evidence when it was raised and at its worst window (when kept)
 */
public record IncidentView(PageView.IncidentLine line, List<PageView.Chart> charts, String noCharts, List<Action> actions,
        List<Evidence> evidence, String zone) {

    /** Before the raise, the timeline shows this much. */
    static final Duration BEFORE = Duration.ofMinutes(5);

    public record Action(String time, String action, String detail) {
    }

    /**
     * @param id       {@code at-raise} or {@code at-peak}
     * @param heading  what the window was
     * @param score    the window's score
     * @param signals  its signals, crossed first
     * @param writers  top writing containers
     * @param sessions playback sessions, stalled ones marked
     */
    public record Evidence(String id, String heading, int score, List<PageView.Signal> signals, List<String> writers, List<PageView.Session> sessions) {
    }

    static IncidentView of(Incident i, List<ContentionWindow> windows, PageModel model, ContentionCharts charts, Instant now) {
        Instant from = i.raisedAt().minus(BEFORE);
        Instant to = i.clearedAt() == null ? now : i.clearedAt().plus(Duration.ofMinutes(1));
        if (!windows.isEmpty()) {
            from = from.isBefore(windows.get(0).at()) ? from : windows.get(0).at();
            Instant last = windows.get(windows.size() - 1).at();
            to = to.isAfter(last) ? to : last;
        }
        List<PageView.Chart> drawn = windows.isEmpty() ? List.of() : charts.incident(windows, from, to, i.actions());
        List<Action> actions = new ArrayList<>();
        for (IncidentAction a : i.actions()) {
            actions.add(new Action(model.when(a.at(), now), a.action(), a.detail() == null ? "" : a.detail()));
        }
        return new IncidentView(model.line(i, now), drawn,
                windows.isEmpty() ? "no timeline was kept for this incident (timelines are kept for the newest incidents)" : "",
                actions, evidence(i), model.zone().getId());
    }

    private static List<Evidence> evidence(Incident i) {
        List<Evidence> out = new ArrayList<>();
        if (i.atRaise() != null) {
            out.add(evidence("at-raise", "At the raise", i.atRaise()));
        }
        if (i.atPeak() != null) {
            out.add(evidence("at-peak", "At the worst window", i.atPeak()));
        }
        return out;
    }

    private static Evidence evidence(String id, String heading, StutterEvidence e) {
        List<PageView.Signal> signals = e.signals().stream().sorted((a, b) -> Boolean.compare(b.crossed(), a.crossed()))
                .map(PageModel::signal).toList();
        List<PageView.Session> sessions = new ArrayList<>();
        for (StreamSession s : e.sessions()) {
            boolean bad = Boolean.TRUE.equals(s.stalled()) || Boolean.TRUE.equals(s.transcodeBehind())
                    || Boolean.TRUE.equals(s.silent());
            sessions.add(new PageView.Session("", s.user() == null ? "" : s.user(), s.title() == null ? "" : s.title(),
                    s.client() == null ? "" : s.client(), (s.paused() ? "paused" : "playing")
                            + (Boolean.TRUE.equals(s.stalled()) ? ", stalled" : "")
                            + (Boolean.TRUE.equals(s.silent()) ? ", silent" : "")
                            + (Boolean.TRUE.equals(s.transcodeBehind()) ? ", transcode behind" : ""), bad));
        }
        return new Evidence(id, heading, e.score(), signals, e.topWriters(), sessions);
    }
}
