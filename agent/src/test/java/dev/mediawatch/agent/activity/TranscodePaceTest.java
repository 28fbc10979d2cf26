package dev.mediawatch.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The keep-up judgement at its boundaries: 2 s and 10 s buffered, 95 % of the media's frame rate. */
class TranscodePaceTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // case                                    | transcoding | paused | tfps | mfps | buffered | behind
            "direct play is never judged                | false | false | 10   | 24   | 1     | -",
            "direct play paused is never judged         | false | true  | -    | -    | -     | -",
            "paused, starving: not behind               | true  | true  | 1    | 24   | 0.5   | false",
            "paused, nothing known: not behind          | true  | true  | -    | -    | -     | false",
            "buffer unknown: no judgement               | true  | false | 30   | 24   | -     | -",
            "1.99 s buffered at any rate: behind        | true  | false | 100  | 24   | 1.99  | true",
            "2 s buffered and fast: keeping up          | true  | false | 100  | 24   | 2.0   | false",
            "transcoder behind the player: behind       | true  | false | 100  | 24   | -3    | true",
            "9.99 s and just under 95 %: behind         | true  | false | 22.7 | 24   | 9.99  | true",
            "9.99 s and exactly 95 %: keeping up        | true  | false | 22.8 | 24   | 9.99  | false",
            "9.99 s and transcode rate unknown: behind  | true  | false | -    | 24   | 9.99  | true",
            "9.99 s and media rate unknown: behind      | true  | false | 30   | -    | 9.99  | true",
            "10 s and slow: keeping up                  | true  | false | 5    | 24   | 10.0  | false",
            "10 s and nothing known of rates: keeping up | true | false | -    | -    | 10.0  | false",
            "throttled, far ahead: keeping up           | true  | false | 1    | 24   | 120   | false",
            "5 s and three times real time: keeping up  | true  | false | 71.5 | 24   | 5     | false",
    })
    void judgesAtTheBoundaries(String name, boolean transcoding, boolean paused, Double transcodeFps, Double mediaFps,
            Double buffered, Boolean expected) {
        assertThat(TranscodePace.behind(transcoding, paused, transcodeFps, mediaFps, buffered)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "NaN in {0}")
    @CsvSource({ "transcodeFps", "mediaFps", "buffered" })
    void notANumber_isUnknown(String which) {
        Double tfps = which.equals("transcodeFps") ? Double.NaN : 30.0;
        Double mfps = which.equals("mediaFps") ? Double.NaN : 24.0;
        Double buffered = which.equals("buffered") ? Double.NaN : 5.0;
        // With 5 s buffered an unknown rate counts as behind; an unknown buffer gives no judgement.
        assertThat(TranscodePace.behind(true, false, tfps, mfps, buffered))
                .isEqualTo(which.equals("buffered") ? null : Boolean.TRUE);
    }
}
