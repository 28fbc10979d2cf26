package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.mediawatch.agent.TestHttp;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.HostActivity;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.StreamSession;
import dev.mediawatch.testing.MutableClock;

/**
 * Playback stalls seen from recorded {@code /Sessions} sequences: a real HTTP server on loopback answers each poll
 * with the recorded answer whose time has come (the test sets the time, not the wall clock), read through the
 * real {@link JellyfinClient} and judged by the {@link PlaybackTracker} inside a real {@link ActivityCollector}
 * on the same test-driven clock, as the activity loop does every 5 s.
 *
 * <p>Jellyfin cannot run on this machine, so the sequences are written from Jellyfin's documented
 * {@code SessionInfo}/{@code PlayerStateInfo} model and from its session manager's behaviour, not captured: each
 * client posts progress every 10 s ({@code LastPlaybackCheckIn}), and between posts Jellyfin's automatic progress
 * moves {@code PlayState.PositionTicks} on by a second each second and sets {@code LastActivityDate}. Jellyfin's
 * clock in them is 1 h 12 min 46.75 s behind the agent's. See
 * {@code src/test/resources/fixtures/jellyfin/stall/README.md}.
 *
 * <p>Each run is shown as {@code atSeconds:stalled/silent/advanceRatio} per poll.
 */
class JellyfinStallTest {

    private static final String KEY = "7a6b5c4d3e2f10017a6b5c4d3e2f1001";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Instant AGENT = Instant.parse("2026-11-21T21:00:00Z");
    private static final HostId HOST = HostId.of("streaming-stack");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded answer: from {@code atSeconds} on, until the next one's time. */
    private record Recorded(int atSeconds, String body) {
    }

    private HttpServer server;
    private ExecutorService serverThreads;
    private volatile List<Recorded> recorded = List.of();
    private volatile int nowSeconds;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newFixedThreadPool(2);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().toString());
            boolean authorized = ("MediaBrowser Token=\"" + KEY + "\"")
                    .equals(exchange.getRequestHeaders().getFirst("Authorization"));
            String body = authorized ? answerNow() : null;
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            int status = !authorized ? 401 : body == null ? 500 : 200;
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    /** The recorded answer whose time has come: the last one at or before the test's time. */
    private String answerNow() {
        String body = null;
        for (Recorded r : recorded) {
            if (r.atSeconds() <= nowSeconds) {
                body = r.body();
            }
        }
        return body;
    }

    private static List<Recorded> load(String name) throws IOException {
        try (InputStream in = JellyfinStallTest.class.getResourceAsStream("/fixtures/jellyfin/stall/" + name)) {
            assertThat(in).as(name).isNotNull();
            List<Recorded> out = new ArrayList<>();
            for (JsonNode poll : JSON.readTree(in)) {
                out.add(new Recorded(poll.get("atSeconds").asInt(), JSON.writeValueAsString(poll.get("sessions"))));
            }
            return out;
        }
    }

    /**
     * Plays a sequence: at each recorded time the clock is set and one collection runs (one {@code GET /Sessions}).
     * Each poll as {@code atSeconds:stalled/silent/advanceRatio} of its one playing session ({@code -} for none),
     * or of {@code user} where several play.
     */
    private List<String> play(String fixture, String user) throws IOException {
        recorded = load(fixture);
        MutableClock clock = new MutableClock(AGENT);
        List<HostEvent> events = new ArrayList<>();
        JellyfinClient client = new JellyfinClient(TestHttp.CLIENT,
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Optional.of(KEY), TIMEOUT);
        ActivityCollector collector = new ActivityCollector(HOST, clock,
                new ActivityCollector.Clients(client, null, null, null), List.of(), () -> null, () -> null,
                () -> null, events::add, PlaybackTracker.Settings.DEFAULTS);

        List<String> timeline = new ArrayList<>();
        for (Recorded r : recorded) {
            nowSeconds = r.atSeconds();
            clock.set(AGENT.plusSeconds(r.atSeconds()));
            HostActivity activity = collector.collect();
            assertThat(activity.sources()).singleElement()
                    .satisfies(s -> assertThat(s.state()).isEqualTo(SourceState.OK));
            assertThat(new String(ContractJson.write(activity), StandardCharsets.UTF_8)).doesNotContain(KEY);
            List<StreamSession> mine = activity.sessions().stream()
                    .filter(s -> user == null || user.equals(s.user())).toList();
            assertThat(mine).hasSizeLessThanOrEqualTo(1);
            timeline.add(r.atSeconds() + ":" + (mine.isEmpty() ? "-"
                    : mine.get(0).stalled() + "/" + mine.get(0).silent() + "/" + mine.get(0).advanceRatio()));
        }
        // One GET /Sessions per collection; besides, the server's identity once (the first collection asks it).
        assertThat(requests).filteredOn(u -> u.equals(JellyfinClient.SESSIONS)).hasSize(recorded.size());
        assertThat(requests).filteredOn(u -> !u.equals(JellyfinClient.SESSIONS))
                .containsExactly(JellyfinClient.PUBLIC_INFO);
        assertThat(events).as("the source was ok throughout").isEmpty();
        return timeline;
    }

    private List<String> play(String fixture) throws IOException {
        return play(fixture, null);
    }

    @Test
    void normalPlay_isNotStalled_withRatioOne_fromTheFirstCoveredSpan() throws IOException {
        // Posts at -7.6, 2.4 and 12.4 (Jellyfin's clock as agent seconds) are seen by t = 15: 20 s, two after.
        assertThat(play("normal-play.json")).containsExactly(
                "0:null/false/null", "5:null/false/null", "10:null/false/null",
                "15:false/false/1.0", "20:false/false/1.0", "25:false/false/1.0", "30:false/false/1.0",
                "35:false/false/1.0", "40:false/false/1.0", "45:false/false/1.0", "50:false/false/1.0",
                "55:false/false/1.0", "60:false/false/1.0");
    }

    @Test
    void aRealStall_samePositionPostedAgainAndAgainNotPaused_isStalledWithRatioZero() throws IOException {
        // Stands still from the post at 22.4; PositionTicks still runs between posts (automatic progress), which the
        // client takes back off. Posts 12.4-32.4 hold 10 s of play (0.5: not below half), 22.4-42.4 none.
        assertThat(play("real-stall.json")).containsExactly(
                "0:null/false/null", "5:null/false/null", "10:null/false/null",
                "15:false/false/1.0", "20:false/false/1.0", "25:false/false/1.0", "30:false/false/1.0",
                "35:false/false/0.5", "40:false/false/0.5",
                "45:true/false/0.0", "50:true/false/0.0", "55:true/false/0.0", "60:true/false/0.0");
    }

    @Test
    void aClientThatStopsPosting_isSilent_after30sOfTheAgentsTime() throws IOException {
        // The last post (12.4) is first seen at t = 15: 30 s later (t = 45) is not more than 30 s, t = 50 is.
        // Its last span played at speed: stalled stays false, silence is the sign.
        assertThat(play("silent.json")).containsExactly(
                "0:null/false/null", "5:null/false/null", "10:null/false/null",
                "15:false/false/1.0", "20:false/false/1.0", "25:false/false/1.0", "30:false/false/1.0",
                "35:false/false/1.0", "40:false/false/1.0", "45:false/false/1.0",
                "50:false/true/1.0", "55:false/true/1.0", "60:false/true/1.0");
    }

    @Test
    void pauseAndResume_isNoStall_andIsJudgedAgainAfterAWholeSpanFromTheResume() throws IOException {
        // Paused by the post at 27.0 (seen at t = 30), resumed by the post at 53.0 (t = 55): posts 53, 63, 73.
        assertThat(play("pause-resume.json")).containsExactly(
                "0:null/false/null", "5:null/false/null", "10:null/false/null",
                "15:false/false/1.0", "20:false/false/1.0", "25:false/false/1.0",
                "30:null/null/null", "35:null/null/null", "40:null/null/null", "45:null/null/null",
                "50:null/null/null",
                "55:null/false/null", "60:null/false/null", "65:null/false/null", "70:null/false/null",
                "75:false/false/1.0", "80:false/false/1.0");
    }

    @Test
    void aSeekBackward_isNoStall_andIsJudgedAgainAfterAWholeSpan() throws IOException {
        // Back to 5:00 at 27.9; the player fills its buffer for 3 s: posts 27.9, 37.9, 47.9 hold 17 s of play.
        assertThat(play("seek-backward.json")).containsExactly(
                "0:null/false/null", "5:null/false/null", "10:null/false/null",
                "15:false/false/1.0", "20:false/false/1.0", "25:false/false/1.0",
                "30:null/false/null", "35:null/false/null", "40:null/false/null", "45:null/false/null",
                "50:false/false/0.85", "55:false/false/0.85", "60:false/false/1.0");
    }

    @Test
    void aSeekForward_isNoStall_andIsJudgedAgainAfterAWholeSpan() throws IOException {
        // 85 s of intro skipped at 27.9, then the same 3 s wait.
        assertThat(play("seek-forward.json")).containsExactly(
                "0:null/false/null", "5:null/false/null", "10:null/false/null",
                "15:false/false/1.0", "20:false/false/1.0", "25:false/false/1.0",
                "30:null/false/null", "35:null/false/null", "40:null/false/null", "45:null/false/null",
                "50:false/false/0.85", "55:false/false/0.85", "60:false/false/1.0");
    }

    @Test
    void aNewItem_isFollowedFromItsStart_andJudgedAfterItsOwnSpan() throws IOException {
        // Episode 1 stopped (the session idle at t = 25), episode 2 started at 26.0 from 0: posts 26, 36, 46.
        assertThat(play("new-item.json")).containsExactly(
                "0:null/false/null", "5:null/false/null", "10:null/false/null",
                "15:false/false/1.0", "20:false/false/1.0",
                "25:-",
                "30:null/false/null", "35:null/false/null", "40:null/false/null", "45:null/false/null",
                "50:false/false/1.0", "55:false/false/1.0", "60:false/false/1.0");
    }

    @Test
    void aTranscodeRestart_isNoStall_andIsJudgedFromTheClientsNextPost() throws IOException {
        // CompletionPercentage drops at t = 30 (a new ffmpeg job from the position) while the last post is still
        // 22.4; the player waits 8 s for the new job. Judged over posts 32.4, 42.4, 52.4.
        assertThat(play("transcode-restart.json")).containsExactly(
                "0:null/false/null", "5:null/false/null", "10:null/false/null",
                "15:false/false/1.0", "20:false/false/1.0", "25:false/false/1.0",
                "30:null/false/null", "35:null/false/null", "40:null/false/null", "45:null/false/null",
                "50:null/false/null",
                "55:false/false/1.0", "60:false/false/1.0", "65:false/false/1.0", "70:false/false/1.0");
    }

    @Test
    void anAudioTrackSwitch_isNoStall_andIsJudgedAgainAfterAWholeSpan() throws IOException {
        // AudioStreamIndex 1 -> 2 with the post at 27.9; the player waits 3 s for the new track.
        assertThat(play("audio-switch.json")).containsExactly(
                "0:null/false/null", "5:null/false/null", "10:null/false/null",
                "15:false/false/1.0", "20:false/false/1.0", "25:false/false/1.0",
                "30:null/false/null", "35:null/false/null", "40:null/false/null", "45:null/false/null",
                "50:false/false/0.85", "55:false/false/0.85", "60:false/false/1.0");
    }

    @Test
    void aPlaybackRateOfOneAndAHalf_isNeverJudged_butSilenceStillIs() throws IOException {
        assertThat(play("playback-rate.json")).containsOnly(
                "0:null/false/null", "5:null/false/null", "10:null/false/null", "15:null/false/null",
                "20:null/false/null", "25:null/false/null", "30:null/false/null", "35:null/false/null",
                "40:null/false/null");
    }

    @Test
    void withoutLastPlaybackCheckIn_aPositionStillForASpan_isStalledWithRatioZero() throws IOException {
        assertThat(play("no-check-in.json", "oscar")).containsExactly(
                "0:null/null/null", "5:null/null/null", "10:null/null/null", "15:null/null/null",
                "20:true/null/0.0", "25:true/null/0.0", "30:true/null/0.0", "35:true/null/0.0", "40:true/null/0.0");
    }

    @Test
    void withoutLastPlaybackCheckIn_normalPlay_isJudgedOnTheAgentsClock_andNeverSilent() throws IOException {
        // The position moves at t = 5 by 10 s after one of first sight: more than 5 s of polls allow, so it starts
        // over there (it cannot be told when the first position was posted); judged over t = 5, 15, 25.
        assertThat(play("no-check-in.json", "peggy")).containsExactly(
                "0:null/null/null", "5:null/null/null", "10:null/null/null", "15:null/null/null",
                "20:null/null/null", "25:false/null/1.0", "30:false/null/1.0", "35:false/null/1.0",
                "40:false/null/1.0");
    }
}
