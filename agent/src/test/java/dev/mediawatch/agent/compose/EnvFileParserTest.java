package dev.mediawatch.agent.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which lines of a compose {@code .env} name a plaintext secret. */
class EnvFileParserTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SONARR_API_KEY=0123abcd                 | SONARR_API_KEY
            sonarr_api_key=0123abcd                 | sonarr_api_key
            DB_PASSWORD=hunter2                     | DB_PASSWORD
            JWT_SECRET=abc                          | JWT_SECRET
            PLEX_TOKEN=abc                          | PLEX_TOKEN
            API_KEY=abc                             | API_KEY
            PASSWORD=abc                            | PASSWORD
            SECRET=abc                              | SECRET
            TOKEN=abc                               | TOKEN
            export GITHUB_TOKEN=abc                 | GITHUB_TOKEN
            `export   GITHUB_TOKEN = abc`           | GITHUB_TOKEN
            `  DB_PASSWORD=abc  `                   | DB_PASSWORD
            DB_PASSWORD="abc"                       | DB_PASSWORD
            DB_PASSWORD='abc'                       | DB_PASSWORD
            `DB_PASSWORD="a b # c" # comment`       | DB_PASSWORD
            DB_PASSWORD=#abc                        | DB_PASSWORD
            DB_PASSWORD=${OTHER:-fallback}          | DB_PASSWORD
            DB_PASSWORD=${OTHER}suffix              | DB_PASSWORD
            DB_PASSWORD=                            | -
            `DB_PASSWORD=   `                       | -
            DB_PASSWORD=""                          | -
            DB_PASSWORD=''                          | -
            `DB_PASSWORD=" "`                       | -
            `DB_PASSWORD= # set me`                 | -
            DB_PASSWORD=${OTHER}                    | -
            DB_PASSWORD="${OTHER}"                  | -
            DB_PASSWORD=$OTHER                      | -
            # DB_PASSWORD=abc                       | -
            `   # DB_PASSWORD=abc`                  | -
            PUID=1000                               | -
            TOKEN_TTL=3600                          | -
            PASSWORD_FILE=/run/secrets/db           | -
            MYTOKEN=abc                             | -
            DB_PASSWORD                             | -
            =abc                                    | -
            `DB PASSWORD=abc`                       | -
            exportDB_PASSWORD=abc                   | exportDB_PASSWORD
            """)
    void oneLine(String line, String expected) {
        assertThat(EnvFileParser.parse(line).keys()).containsExactlyElementsOf(
                expected.equals("-") ? java.util.List.of() : java.util.List.of(expected));
    }

    @Test
    void aFile_keysSortedAndDistinct_windowsLineEndings_andMultiLineValuesAreNotKeys() {
        String file = String.join("\r\n",
                "# download stack",
                "PUID=1000",
                "TZ=Europe/Berlin",
                "SABNZBD_API_KEY=aaaa",
                "RADARR_API_KEY=bbbb",
                "SABNZBD_API_KEY=cccc",
                "CERT_KEY=\"-----BEGIN KEY-----",
                "FAKE_TOKEN=this-line-is-inside-a-value",
                "-----END KEY-----\"",
                "EMPTY_TOKEN=",
                "");
        EnvFileParser.Result r = EnvFileParser.parse(file);
        assertThat(r.keys()).containsExactly("RADARR_API_KEY", "SABNZBD_API_KEY");
        assertThat(r.truncated()).isFalse();
    }

    @Test
    void atMost200Keys_andTheCutIsSaid() {
        String file = IntStream.range(0, 250).mapToObj(i -> String.format("K%03d_TOKEN=v", i)).collect(Collectors.joining("\n"));
        EnvFileParser.Result r = EnvFileParser.parse(file);
        assertThat(r.keys()).hasSize(EnvFileParser.MAX_KEYS).first().isEqualTo("K000_TOKEN");
        assertThat(r.truncated()).isTrue();
        assertThat(EnvFileParser.parse(file.lines().limit(200).collect(Collectors.joining("\n"))).truncated()).isFalse();
    }

    @Test
    void theResultHoldsNamesOnly() {
        String value = "v4lue-" + java.util.UUID.randomUUID();
        EnvFileParser.Result r = EnvFileParser.parse("DB_PASSWORD=" + value + "\nAPI_KEY='" + value + "'\n");
        assertThat(r.toString()).doesNotContain(value);
        assertThat(r.keys()).containsExactly("API_KEY", "DB_PASSWORD");
    }
}
