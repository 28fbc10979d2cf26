package dev.mediawatch.runtime.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MQTT 3.1.1 section 4.7: the examples of 4.7.1.2, 4.7.1.3 and 4.7.2, and the filters mediawatch uses. */
class TopicFilterTest {

    @ParameterizedTest
    @CsvSource({
            "sport/tennis/player1/#, sport/tennis/player1, true",
            "sport/tennis/player1/#, sport/tennis/player1/ranking, true",
            "sport/tennis/player1/#, sport/tennis/player1/score/wimbledon, true",
            "sport/#, sport, true",
            "#, anything/at/all, true",
            "sport/tennis/+, sport/tennis/player1, true",
            "sport/tennis/+, sport/tennis/player1/ranking, false",
            "sport/+, sport, false",
            "sport/+, sport/, true",
            "+/+, /finance, true",
            "/+, /finance, true",
            "+, /finance, false",
            "#, $SYS/broker, false",
            "+/monitor/Clients, $SYS/monitor/Clients, false",
            "$SYS/#, $SYS/broker, true",
            "mediawatch/+/state, mediawatch/download-stack/state, true",
            "mediawatch/+/state, mediawatch/download-stack/states, false",
            "mediawatch/+/state, mediawatch/download-stack/stat, false",
            "mediawatch/+/state, mediawatch/a/b/state, false",
            "mediawatch/+/availability, mediawatch/aggregator/availability, true",
            "mediawatch/h/cmd/+, mediawatch/h/cmd/refresh, true",
            "mediawatch/h/cmd/+, mediawatch/other/cmd/refresh, false",
            "homeassistant/#, homeassistant/status, true",
            "a/b, a/b/c, false",
            "a/b/c, a/b, false",
    })
    void matches_asTheSpecSays(String filter, String topic, boolean expected) {
        assertThat(TopicFilter.of(filter).matches(topic)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { "sport/tennis#", "sport/tennis/#/ranking", "sport+", "a/+b", "" })
    void badFilters_areRefused(String filter) {
        assertThatThrownBy(() -> TopicFilter.of(filter)).isInstanceOf(IllegalArgumentException.class);
    }
}
