package dev.mediawatch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The package graph read from this module's own classes: the edges it must see, and no cycle. */
class PackageGraphTest {

    @Test
    void commonsPackages_useEachOtherOneWay() throws Exception {
        PackageGraph g = PackageGraph.of(Path.of("target/classes"), "dev.mediawatch");
        assertThat(g.uses("dev.mediawatch.catalogue")).as("the catalogue names hosts by HostId")
                .contains("dev.mediawatch.contract");
        assertThat(g.uses("dev.mediawatch.contract")).doesNotContain("dev.mediawatch.catalogue");
        assertThat(g.cycles()).isEmpty();
    }
}
