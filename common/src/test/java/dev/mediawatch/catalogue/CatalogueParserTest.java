package dev.mediawatch.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mediawatch.contract.HostId;
import dev.mediawatch.testing.ConfigKeys;

class CatalogueParserTest {

    static final String HEAD = "version: 1\nhosts: [download-stack, streaming-stack]\nservices:\n";

    @Test
    void shippedCatalogue_holdsTheRealInventory() throws Exception {
        ServiceCatalogue c = CatalogueParser.load(ConfigKeys.repo().resolve("deploy/config/media.services.yaml"));
        HostId dl = HostId.of("download-stack");
        HostId st = HostId.of("streaming-stack");
        assertThat(c.forHost(dl)).hasSize(24);
        assertThat(c.forHost(st)).hasSize(10);
        assertThat(c.forHost(dl)).filteredOn(s -> s.expected() == ExpectedState.PARKED).extracting(CatalogueService::name)
                .containsExactlyInAnyOrder("tdarr", "huntarr");
        CatalogueService sonarr = c.match(dl, "sonarr", null).orElseThrow();
        assertThat(sonarr.category()).isEqualTo("management");
        assertThat(sonarr.probe()).isEqualTo(new HealthProbe("/ping", 8989, 200));
        assertThat(c.match(st, "jellyfin", null).orElseThrow().probe().path()).isEqualTo("/health");
        assertThat(c.match(dl, "jellyfin", null)).isEmpty();
        assertThat(c.forHost(st)).extracting(CatalogueService::name).contains("watchtower", "node-exporter");
    }

    @Test
    void defaults_andComposeMatching() throws Exception {
        ServiceCatalogue c = CatalogueParser.parse(HEAD + """
                  - name: sonarr
                    host: download-stack
                    category: management
                    ports: [8989]
                    probe: { path: /ping }
                  - name: radarr
                    host: download-stack
                    category: management
                    compose-service: radarr-4k
                    expected: stopped
                """, "t.yaml");
        CatalogueService sonarr = c.services().get(0);
        assertThat(sonarr.container()).isEqualTo("sonarr");
        assertThat(sonarr.expected()).isEqualTo(ExpectedState.RUNNING);
        assertThat(sonarr.probe()).isEqualTo(new HealthProbe("/ping", 8989, 200));
        assertThat(sonarr.line()).isEqualTo(4);
        assertThat(c.match(HostId.of("download-stack"), "whatever", "radarr-4k")).map(CatalogueService::name).contains("radarr");
        assertThat(c.match(HostId.of("download-stack"), "radarr", null)).isEmpty();
        assertThat(c.services().get(1).probe()).isNull();
    }

    static Stream<Arguments> errors() {
        String svc = "  - name: sonarr\n    host: download-stack\n    category: management\n";
        return Stream.of(
                Arguments.of("unknown top key", "version: 1\nhosts: [a]\nservices: []\nextra: 1\n", 4, "unknown key 'extra'"),
                Arguments.of("unknown service key", HEAD + svc + "    colour: blue\n", 7, "unknown key 'colour' in a service"),
                Arguments.of("unknown probe key", HEAD + svc + "    ports: [1]\n    probe: { path: /, timeout: 1 }\n", 8,
                        "unknown key 'timeout' in a probe"),
                Arguments.of("service twice on a host", HEAD + svc + svc, 7, "service 'sonarr' is on download-stack twice (first at line 4)"),
                Arguments.of("bad host", HEAD + "  - name: x\n    host: media-stack\n    category: c\n", 5,
                        "host 'media-stack' is not one of the hosts [download-stack, streaming-stack]"),
                Arguments.of("port clash on one host", HEAD + svc + "    ports: [8080]\n"
                        + "  - name: qbittorrent\n    host: download-stack\n    category: download\n    ports: [8080]\n", 8,
                        "port clash on download-stack: 'qbittorrent' publishes port 8080, already published by 'sonarr' (line 4)"),
                Arguments.of("same port on two hosts is fine, same container twice is not", HEAD + svc
                        + "  - name: sonarr2\n    host: download-stack\n    category: management\n    container: sonarr\n", 7,
                        "name the same container"),
                Arguments.of("duplicate key", HEAD + svc + "    category: download\n", 7, "duplicate key 'category' in a service"),
                Arguments.of("bad expected", HEAD + svc + "    expected: maybe\n", 7, "expected must be running, parked or stopped"),
                Arguments.of("port out of range", HEAD + svc + "    ports: [70000]\n", 7, "port 70000 is out of range"),
                Arguments.of("port not a number", HEAD + svc + "    ports: [http]\n", 7, "a port must be a whole number"),
                Arguments.of("probe without port", HEAD + svc + "    probe: { path: /ping }\n", 7, "the probe needs a port"),
                Arguments.of("probe path", HEAD + svc + "    ports: [1]\n    probe: { path: ping }\n", 8, "probe path must start with '/'"),
                Arguments.of("bad status", HEAD + svc + "    ports: [1]\n    probe: { path: /, expect: 42 }\n", 8, "expect must be an HTTP status"),
                Arguments.of("missing category", HEAD + "  - name: x\n    host: download-stack\n", 4, "missing key 'category'"),
                Arguments.of("name not a slug", HEAD + "  - name: Sonarr\n    host: download-stack\n    category: c\n", 4,
                        "name 'Sonarr' must be a slug"),
                Arguments.of("version", "version: 2\nhosts: []\nservices: []\n", 1, "version 2 is not supported"),
                Arguments.of("not yaml", "version: 1\nhosts: [a\n", 3, "not valid YAML"),
                Arguments.of("empty", "", 1, "empty file"),
                Arguments.of("services not a list", "version: 1\nhosts: []\nservices: {a: 1}\n", 3, "services must be a list"),
                Arguments.of("both container and compose", HEAD + svc + "    container: a\n    compose-service: b\n", 8,
                        "give container or compose-service, not both"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void everyCatalogueError_namesFileLineAndProblem(String name, String yaml, int line, String problem) {
        assertThatThrownBy(() -> CatalogueParser.parse(yaml, "media.services.yaml"))
                .isInstanceOfSatisfying(CatalogueException.class, e -> {
                    assertThat(e.getMessage()).startsWith("media.services.yaml:" + line + ": ").contains(problem);
                    assertThat(e.line()).isEqualTo(line);
                });
    }

    @Test
    void missingFile_isAnErrorNamingIt() {
        assertThatThrownBy(() -> CatalogueParser.load(Path.of("/nonexistent/media.services.yaml")))
                .isInstanceOf(CatalogueException.class).hasMessageStartingWith("/nonexistent/media.services.yaml:0: cannot read");
    }
}
