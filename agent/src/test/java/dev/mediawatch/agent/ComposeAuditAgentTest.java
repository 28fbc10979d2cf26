package dev.mediawatch.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.BrokerAndEngine.InjectBroker;
import dev.mediawatch.agent.compose.ComposeDirsResource;
import dev.mediawatch.agent.compose.ComposeDirsResource.ComposeDirs;
import dev.mediawatch.agent.compose.ComposeDirsResource.InjectComposeDirs;
import dev.mediawatch.contract.Command;
import dev.mediawatch.contract.CommandRequest;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.EnvAudit;
import dev.mediawatch.contract.EnvFile;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;
import dev.mediawatch.contract.Topics;
import dev.mediawatch.testing.RealServices;
import dev.mediawatch.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The plaintext-secret audit in the running agent: compose directories on real files, the audit in the
 * retained state with key names only, the configured address, and a refresh that audits again. The periodic
 * republish is slow here (60 s), so a new state can only come from a change or the refresh.
 *
 * <p>Needs the test dockerd ({@code scripts/services.sh start}): the agent under test watches it.
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerAndEngine.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "mediawatch.publish.interval", value = "60s"))
@QuarkusTestResource(value = ComposeDirsResource.class, restrictToAnnotatedClass = true)
@RealServices
class ComposeAuditAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectBroker
    TestBroker broker;

    @InjectComposeDirs
    ComposeDirs dirs;

    private final Topics topics = Topics.defaults();
    private final HostId host = HostId.of(BrokerAndEngine.HOST);

    private EnvAudit audit() throws Exception {
        TestBroker.Published last = broker.last(topics.state(host));
        return last == null ? null : ContractJson.readState(last.payload(), host).envAudit();
    }

    private List<HostState> since(int before) {
        return broker.messages(topics.state(host)).stream().skip(before).map(m -> {
            try {
                return ContractJson.readState(m.payload(), host);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void theStateCarriesTheAudit_keyNamesOnly_andTheValueIsNowhere() throws Exception {
        EnvAudit audit = await().atMost(WAIT).until(this::audit, a -> a != null);
        assertThat(audit.dirs()).containsExactly(dirs.dir("stacks"), dirs.dir("single"), dirs.dir("missing"));
        assertThat(audit.files()).contains(
                new EnvFile(dirs.dir("single") + "/.env", List.of("JELLYFIN_TOKEN")),
                new EnvFile(dirs.dir("stacks") + "/download/.env", List.of("DB_PASSWORD", "SABNZBD_API_KEY")));
        assertThat(audit.files()).extracting(EnvFile::path).doesNotContain(dirs.dir("stacks") + "/streaming/.env")
                .isSorted();
        assertThat(audit.problems()).containsExactly(dirs.dir("missing") + ": does not exist");
        assertThat(audit.checkedAt()).isNotNull();

        HostState state = ContractJson.readState(broker.last(topics.state(host)).payload(), host);
        assertThat(state.address()).isEqualTo(ComposeDirsResource.ADDRESS);
        assertThat(state.requestId()).isNull();

        String value = dirs.value();
        assertThat(broker.messages(topics.state(host))).allSatisfy(m -> assertThat(m.text()).doesNotContain(value));
        assertThat(given().get("/api/state").then().statusCode(200).extract().asString())
                .contains("SABNZBD_API_KEY").doesNotContain(value);
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString()).doesNotContain(value);
        Path log = dirs.log();
        await("the audit logged").atMost(WAIT).until(() -> Files.exists(log)
                && Files.readString(log).contains("compose audit: "));
        assertThat(Files.readString(log)).doesNotContain(value);
    }

    @Test
    void aRefresh_auditsAgain_andTheChangeIsRepublished() throws Exception {
        await().atMost(WAIT).until(this::audit, a -> a != null);
        // Ready means connected with every subscription granted: a command sent before that would be lost (the
        // broker has nobody to give it to), as a command to an agent that is reconnecting is.
        await().atMost(WAIT).until(() -> io.restassured.RestAssured.given().get("/q/health/ready").statusCode() == 200);
        Path added = Path.of(dirs.dir("stacks"), "added", ".env");
        Files.createDirectories(added.getParent());
        Files.writeString(added, "ADDED_TOKEN=" + dirs.value() + "\n");
        int before = broker.messages(topics.state(host)).size();

        broker.publish(topics.command(host, Command.REFRESH),
                ContractJson.write(CommandRequest.of(Command.REFRESH, "audit-1", Instant.now())), false);

        // Audit interval and publish interval are 60 s: only the refresh can have found it. The audit asked again
        // runs on its own thread, so its change and the state that answers the request (carrying the id) come in
        // either order: both must come.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(audit().files()).contains(new EnvFile(added.toString(), List.of("ADDED_TOKEN")));
            assertThat(since(before)).extracting(HostState::requestId).contains("audit-1");
        });
        assertThat(broker.messages(topics.state(host))).allSatisfy(m -> assertThat(m.text()).doesNotContain(dirs.value()));
        assertThat(Files.readString(dirs.log())).doesNotContain(dirs.value());
    }
}
