package dev.mediawatch.agent.activity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.mediawatch.contract.StreamSession;

/**
 * Whether a Jellyfin session's playback stands still: the judgement behind {@link StreamSession#stalled()},
 * {@link StreamSession#silent()} and {@link StreamSession#advanceRatio()}. Pure: no I/O, the time is passed in,
 * one caller at a time (the activity thread).
 *
 * <p>Why: Jellyfin's {@code /Sessions} has no buffering field. While a player waits for data it keeps posting
 * progress (about every 10 s) with {@code PlayState.PositionTicks} standing still and {@code IsPaused} false,
 * and a player stuck hard may stop posting at all. So each playing session is followed across polls, keyed by
 * its {@code Id} and {@code NowPlayingItem.Id}:
 * <ul>
 * <li><b>A report</b> is a new {@code LastPlaybackCheckIn}: Jellyfin sets it on each progress post of the
 * client, never on its own automatic progress. The position is judged against the time between the client's
 * reports, never against poll times: the agent's polls and the client's posts are not in step.</li>
 * <li><b>Stalled</b>: over the judging span (at least {@link Settings#span()} of report time and at least
 * {@value #MIN_REPORTS_AFTER_BASE} reports after the base report) the position advanced less than
 * {@link Settings#minAdvance()} of the time that passed. {@code advanceRatio} is advance over elapsed time,
 * two decimals, never below 0. The base is the newest report that still covers the span, so the judgement is
 * about the last span, not the whole session.</li>
 * <li><b>Silent</b>: playing and not paused, and {@code LastPlaybackCheckIn} has not changed for more than
 * {@link Settings#silentAfter()} of the agent's own time, counted from when the agent first saw the current
 * value (or from the last paused sample). Jellyfin's clock is never compared with the agent's, so skew
 * between the two does not matter. Unknown (null) when the API gives no check-in, and while paused.</li>
 * <li><b>Not judged</b> (stalled and ratio null), and the session's reports start over from the current sample
 * (from the client's next post when the change shows between two posts, as a transcode restart does) so that a
 * whole span must pass again: the first poll of a session; a span not covered yet; a paused sample
 * (pause and resume); a seek (the position going back by more than {@value #TOLERANCE_SECONDS} s, or forward
 * by more than the time that passed plus that much); a new item (a new key: a track of its own); a transcode
 * restart or stream switch ({@code PlayMethod}, {@code MediaSourceId}, {@code AudioStreamIndex} or
 * {@code SubtitleStreamIndex} changed, or {@code TranscodingInfo.CompletionPercentage} went down); a
 * {@code PlayState.PlaybackRate} other than 1 where the API gives one; no position.</li>
 * <li><b>Without {@code LastPlaybackCheckIn}</b> (an API that does not give it) the agent's clock stands in: a
 * report is a poll where the position changed, timed at that poll (the post came at most one poll interval
 * earlier, which the seek check allows for), and a playing session whose position did not change for a whole
 * span of agent time is stalled with ratio 0. Where such a server moves the position on its own between posts,
 * a stuck player shows as seeks and is not judged: never a false stall.</li>
 * </ul>
 * The tolerance allows for the report time being when the server received the post, not when the player took
 * the position, and for {@link JellyfinClient}'s removal of Jellyfin's automatic progress (whole seconds).
 *
 * <p>Bounded: at most {@link JellyfinClient#MAX_SESSIONS} tracks (sessions beyond are passed on unjudged), at
 * most {@value #MAX_REPORTS} reports each (reports older than the newest base covering the span are dropped as
 * they come, and of reports closer together than a {@code MAX_REPORTS / 2}-th of the span only the later is kept,
 * so a span holds about half the cap however often a client posts), and a track whose key is not in the latest
 * poll is dropped. Navidrome's sessions never come here: its API gives no position.
 */
final class PlaybackTracker {

    /** Reports needed after the base report: a single post could be a stray one. */
    static final int MIN_REPORTS_AFTER_BASE = 2;

    /** Reports kept per session at most. */
    static final int MAX_REPORTS = 64;

    /** Seconds of position a report may differ from the time that passed before it counts as a seek. */
    static final long TOLERANCE_SECONDS = 2;

    private static final long TICKS_PER_SECOND = 10_000_000L;
    private static final long TOLERANCE_TICKS = TOLERANCE_SECONDS * TICKS_PER_SECOND;
    /** A playback rate this close to 1 is 1 (a float sent by the client). */
    private static final double RATE_EPSILON = 0.001;

    /**
     * The thresholds ({@code mediawatch.activity.stall.*}).
     *
     * @param span        report time a judgement must cover (with at least two reports after its base)
     * @param minAdvance  the share of that time the position must advance not to be stalled, in (0, 1)
     * @param silentAfter agent time without a new check-in after which a playing session is silent
     */
    record Settings(Duration span, double minAdvance, Duration silentAfter) {

        /** 20 s, 0.5, 30 s: two of a Jellyfin web player's 10 s posts, half speed, three posts missed. */
        static final Settings DEFAULTS = new Settings(Duration.ofSeconds(20), 0.5, Duration.ofSeconds(30));

        Settings {
            Objects.requireNonNull(span, "span");
            Objects.requireNonNull(silentAfter, "silentAfter");
            if (span.isNegative() || span.isZero() || silentAfter.isNegative() || silentAfter.isZero()
                    || !(minAdvance > 0 && minAdvance < 1)) {
                throw new IllegalArgumentException("span and silentAfter must be positive, minAdvance in (0, 1): "
                        + span + ", " + minAdvance + ", " + silentAfter);
            }
        }
    }

    /**
     * What identifies the stream a session plays, from {@code PlayState}: a change means a transcode restart or
     * a switch of source, audio or subtitle track, after which the position may jump or wait.
     */
    record StreamIdentity(String playMethod, String mediaSourceId, Integer audioStreamIndex,
            Integer subtitleStreamIndex) {
    }

    /**
     * One playing session's progress in one poll.
     *
     * @param itemId               {@code NowPlayingItem.Id}
     * @param positionTicks        the position the client last posted ({@code PlayState.PositionTicks} without
     *                             Jellyfin's automatic progress), 10,000,000 a second; null when absent
     * @param paused               {@code PlayState.IsPaused}
     * @param playbackRate         {@code PlayState.PlaybackRate}; null when the API does not give it
     * @param checkIn              {@code LastPlaybackCheckIn}, Jellyfin's clock; null when absent
     * @param stream               the stream identity
     * @param completionPercentage {@code TranscodingInfo.CompletionPercentage}; null when not transcoding
     */
    record Progress(String itemId, Long positionTicks, boolean paused, Double playbackRate, Instant checkIn,
            StreamIdentity stream, Double completionPercentage) {
    }

    /** The three judged fields; null where not judged. */
    private record Judgement(Boolean stalled, Boolean silent, Double advanceRatio) {
    }

    /**
     * One post of the client: when ({@code at}), the earliest it can have been made ({@code earliest}: the same
     * with a check-in; the previous poll without), and the position it gave.
     */
    private record Report(Instant at, Instant earliest, long ticks) {
    }

    private final Settings settings;
    private Map<String, Track> tracks = new HashMap<>();

    PlaybackTracker(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The sessions of one Jellyfin poll, judged, in the same order. A session whose key was seen before in the
     * same poll, or beyond {@link JellyfinClient#MAX_SESSIONS} is passed on unjudged. Tracks of
     * sessions not in this poll are dropped.
     *
     * @param now the agent's time of the poll
     */
    List<StreamSession> judge(List<JellyfinSession> sessions, Instant now) {
        Objects.requireNonNull(now, "now");
        Map<String, Track> next = new HashMap<>();
        List<StreamSession> out = new ArrayList<>(sessions.size());
        for (JellyfinSession js : sessions) {
            StreamSession s = js.session();
            Progress p = js.progress();
            String key = s.id() + "\n" + p.itemId();
            if (next.containsKey(key) || next.size() >= JellyfinClient.MAX_SESSIONS) {
                out.add(s.judged(null, null, null));
                continue;
            }
            Track t = tracks.get(key);
            Judgement j;
            if (t == null) {
                t = new Track();
                j = t.start(p, now);
            } else {
                j = t.update(p, now);
            }
            next.put(key, t);
            out.add(s.judged(j.stalled(), j.silent(), j.advanceRatio()));
        }
        tracks = next;
        return out;
    }

    /** Sessions followed now. */
    int tracked() {
        return tracks.size();
    }

    /** Reports kept for one session ({@code Id} and {@code NowPlayingItem.Id}); 0 when not followed. */
    int reports(String sessionId, String itemId) {
        Track t = tracks.get(sessionId + "\n" + itemId);
        return t == null ? 0 : t.reports.size();
    }

    /** Rounded to two decimals, never below 0 (a position a little back within the tolerance is no advance). */
    static double ratio(long advanceTicks, Duration elapsed) {
        double r = (double) advanceTicks / TICKS_PER_SECOND / (elapsed.toNanos() / 1e9);
        return Math.max(0.0, Math.round(r * 100.0) / 100.0);
    }

    private final class Track {
        private final List<Report> reports = new ArrayList<>();
        private boolean withCheckIn;
        private Instant checkIn;
        private StreamIdentity stream;
        private Double completion;
        private Long lastPosition;
        private Instant lastSeen;
        private Instant quietSince;

        /** The first sample of a session (or the first after the agent's clock went back): not judged. */
        Judgement start(Progress p, Instant now) {
            withCheckIn = p.checkIn() != null;
            quietSince = now;
            lastSeen = null;
            restart(p, now, true);
            return new Judgement(null, silent(p, now), null);
        }

        Judgement update(Progress p, Instant now) {
            if (now.isBefore(lastSeen) || (p.checkIn() != null) != withCheckIn) {
                // The agent's clock went back, or the API began or stopped giving check-ins: start over.
                return start(p, now);
            }
            // A new post of the client in this sample (without check-ins, a position that moved).
            boolean posted = withCheckIn ? !p.checkIn().equals(checkIn)
                    : !Objects.equals(p.positionTicks(), lastPosition);
            if (withCheckIn && posted) {
                quietSince = now;
            }
            Boolean silent = silent(p, now);
            if (reports.isEmpty() || !judgeable(p) || !Objects.equals(stream, p.stream()) || completionDropped(p)
                    || (withCheckIn && p.checkIn().isBefore(checkIn))) {
                // Resumed (or first usable) sample, paused, another rate, a restarted or switched stream. A
                // transcode restart shows between posts: the base is then the client's next post, not its last
                // one from before. Without check-ins the agent's clock is the base's time anyway.
                restart(p, now, posted || !withCheckIn);
                return new Judgement(null, silent, null);
            }
            Report report = newReport(p, now);
            if (report != null) {
                Report previous = reports.get(reports.size() - 1);
                long advance = report.ticks() - previous.ticks();
                long maxElapsed = Duration.between(previous.earliest(), report.at()).toNanos() / 100;
                if (advance < -TOLERANCE_TICKS || advance > maxElapsed + TOLERANCE_TICKS) {
                    restart(p, now, true); // a seek
                    return new Judgement(null, silent, null);
                }
                add(report);
            }
            remember(p, now);
            return judgement(now, silent);
        }

        /** Reports start over; this sample's report is the new base when {@code base} and it can be judged. */
        private void restart(Progress p, Instant now, boolean base) {
            reports.clear();
            completion = p.completionPercentage();
            if (base && judgeable(p)) {
                Instant at = withCheckIn ? p.checkIn() : now;
                reports.add(new Report(at, withCheckIn ? at : (lastSeen == null ? now : lastSeen),
                        p.positionTicks()));
            }
            remember(p, now);
        }

        private void remember(Progress p, Instant now) {
            checkIn = p.checkIn();
            stream = p.stream();
            if (p.completionPercentage() != null) {
                completion = p.completionPercentage();
            }
            lastPosition = p.positionTicks();
            lastSeen = now;
            if (p.paused()) {
                quietSince = now;
            }
        }

        private boolean judgeable(Progress p) {
            return !p.paused() && p.positionTicks() != null
                    && (p.playbackRate() == null || Math.abs(p.playbackRate() - 1.0) < RATE_EPSILON);
        }

        /** A transcode that starts again (after a seek, or a new job) begins below where the old one was. */
        private boolean completionDropped(Progress p) {
            return completion != null && p.completionPercentage() != null && p.completionPercentage() < completion;
        }

        /** The client's new post in this sample, or null when there is none. */
        private Report newReport(Progress p, Instant now) {
            if (withCheckIn) {
                return p.checkIn().isAfter(checkIn) ? new Report(p.checkIn(), p.checkIn(), p.positionTicks()) : null;
            }
            return p.positionTicks().equals(lastPosition) ? null : new Report(now, lastSeen, p.positionTicks());
        }

        private void add(Report report) {
            reports.add(report);
            int n = reports.size();
            // A client posting far more often than the span needs: the one before the newest goes when it is
            // closer than a share of the span to the one before it (the newest stays, for the seek check).
            Duration minGap = settings.span().dividedBy(MAX_REPORTS / 2);
            if (n >= 3 && Duration.between(reports.get(n - 3).at(), reports.get(n - 2).at()).compareTo(minGap) < 0) {
                reports.remove(n - 2);
            }
            // What is older than the newest base that still covers the span is no longer needed.
            while (reports.size() > MIN_REPORTS_AFTER_BASE + 1 && covers(1)) {
                reports.remove(0);
            }
            // Not reached with the gap above (the span holds half the cap); a last guard for memory.
            if (reports.size() > MAX_REPORTS) {
                reports.remove(0);
            }
        }

        /** Whether the report at {@code index} covers the span up to the newest, with enough reports after it. */
        private boolean covers(int index) {
            int last = reports.size() - 1;
            Duration covered = Duration.between(reports.get(index).at(), reports.get(last).at());
            return last - index >= MIN_REPORTS_AFTER_BASE && covered.compareTo(settings.span()) >= 0;
        }

        private Judgement judgement(Instant now, Boolean silent) {
            if (reports.isEmpty()) {
                return new Judgement(null, silent, null);
            }
            Report last = reports.get(reports.size() - 1);
            if (!withCheckIn && Duration.between(last.at(), now).compareTo(settings.span()) >= 0) {
                // No check-in to tell posts apart: a position that did not move for a whole span stands still.
                return new Judgement(true, null, 0.0);
            }
            for (int i = reports.size() - 1 - MIN_REPORTS_AFTER_BASE; i >= 0; i--) {
                if (covers(i)) {
                    Report base = reports.get(i);
                    double ratio = ratio(last.ticks() - base.ticks(), Duration.between(base.at(), last.at()));
                    return new Judgement(ratio < settings.minAdvance(), silent, ratio);
                }
            }
            return new Judgement(null, silent, null); // the span is not covered yet
        }

        private Boolean silent(Progress p, Instant now) {
            if (!withCheckIn || p.paused()) {
                return null;
            }
            return Duration.between(quietSince, now).compareTo(settings.silentAfter()) > 0;
        }
    }
}
