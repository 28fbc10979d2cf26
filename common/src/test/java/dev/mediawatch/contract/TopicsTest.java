package dev.mediawatch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private final HostId download = HostId.of("download-stack");

    @Test
    void defaultTopics_followTheContract() {
        Topics t = Topics.defaults();
        assertThat(t.availability(download)).isEqualTo("mediawatch/download-stack/availability");
        assertThat(t.state(download)).isEqualTo("mediawatch/download-stack/state");
        assertThat(t.events(download)).isEqualTo("mediawatch/download-stack/events");
        assertThat(t.command(download, Command.REFRESH)).isEqualTo("mediawatch/download-stack/cmd/refresh");
        assertThat(t.commandFilter(download)).isEqualTo("mediawatch/download-stack/cmd/+");
        assertThat(t.filter(Topics.Kind.STATE)).isEqualTo("mediawatch/+/state");
        assertThat(t.status()).isEqualTo("mediawatch/status");
    }

    @Test
    void parse_roundTripsEveryKind_underAMultiLevelPrefix() {
        Topics t = Topics.withPrefix("home/media");
        for (Topics.Kind kind : Topics.Kind.values()) {
            assertThat(t.parse(t.topic(download, kind))).contains(new Topics.Ref(download, kind));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "mediawatch/Download/state", "mediawatch/download-stack/state/extra",
            "mediawatch/download-stack/unknown", "other/download-stack/state", "mediawatch/state",
            "mediawatch//state", "mediawatch/-x/state", "mediawatchx/a/state" })
    void parse_refusesTopicsOutsideTheContract(String topic) {
        assertThat(Topics.defaults().parse(topic)).isEmpty();
    }

    @Test
    void parseCommand_onlyForTheOwnHost_andKnownCommands() {
        Topics t = Topics.defaults();
        assertThat(t.parseCommand(download, "mediawatch/download-stack/cmd/refresh")).contains(Command.REFRESH);
        assertThat(t.parseCommand(download, "mediawatch/download-stack/cmd/reboot")).isEmpty();
        assertThat(t.parseCommand(download, "mediawatch/streaming-stack/cmd/refresh")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "/mediawatch", "mediawatch/", "a//b", "media+watch", "media#", "$SYS", "a b" })
    void withPrefix_refusesPrefixesThatBreakFilters(String prefix) {
        assertThatThrownBy(() -> Topics.withPrefix(prefix)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid topic prefix");
    }

    @ParameterizedTest
    @ValueSource(strings = { "download-stack", "a", "vm210", "x-1-y" })
    void hostId_acceptsSlugs(String value) {
        assertThat(HostId.of(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "Download", "-a", "a-", "a_b", "a/b", "a+b", "a#", "a b", "é",
            "a234567890123456789012345678901234567890123456789012345678901234" })
    void hostId_refusesWhatCannotBeATopicLevelOrHaObjectId(String value) {
        assertThatThrownBy(() -> HostId.of(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid host id");
    }

    @Test
    void hostId_errorEscapesControlCharacters() {
        assertThatThrownBy(() -> HostId.of("bad\nline")).hasMessageContaining("bad\\x0aline");
    }

    @org.junit.jupiter.api.Test
    void isReserved_namesTheAggregatorsOwnTopics_notTheHosts() {
        Topics t = Topics.withPrefix("home/mw");
        assertThat(t.isReserved("home/mw/aggregator/availability")).isTrue();
        assertThat(t.isReserved("home/mw/ha/download-stack")).isTrue();
        assertThat(t.isReserved("home/mw/status")).isFalse(); // the aggregator's status: no per-host filter matches it
        assertThat(t.isReserved("home/mw/ha/download-stack/web")).isFalse();
        assertThat(t.isReserved("home/mw/download-stack/state")).isFalse();
        assertThat(t.isReserved("mediawatch/aggregator/availability")).isFalse();
        assertThat(t.isReserved(null)).isFalse();
        assertThat(t.parse("home/mw/aggregator/availability")).isEmpty();
    }
}
