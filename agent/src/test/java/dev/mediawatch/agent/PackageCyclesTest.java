package dev.mediawatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mediawatch.testing.PackageGraph;

/**
 * The agent's packages use each other one way only, read from its compiled classes: a package can be read, tested
 * and changed knowing only the packages below it. A cycle is printed with one class pair per edge, the use to undo.
 */
class PackageCyclesTest {

    @Test
    void agentPackages_haveNoCycle() throws Exception {
        List<String> cycles = PackageGraph.of(Path.of("target/classes"), "dev.mediawatch.agent").cycles();
        assertThat(cycles).as("package cycles in the agent:\n%s", String.join("\n", cycles)).isEmpty();
    }
}
