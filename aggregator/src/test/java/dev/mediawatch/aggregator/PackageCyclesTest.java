package dev.mediawatch.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mediawatch.testing.PackageGraph;

/**
 * The aggregator's packages use each other one way only: read from the compiled classes, so a use that only a
 * signature or a generic names counts too.
 */
class PackageCyclesTest {

    @Test
    void aggregatorPackages_haveNoCycle() throws Exception {
        List<String> cycles = PackageGraph.of(Path.of("target/classes"), "dev.mediawatch.aggregator").cycles();
        assertThat(cycles).withFailMessage("packages that use each other:%n%s", String.join("\n", cycles)).isEmpty();
    }
}
