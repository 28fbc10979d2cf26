package dev.mediawatch.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mediawatch.catalogue.ServiceCatalogue;
import dev.mediawatch.contract.EnvAudit;
import dev.mediawatch.contract.HostEvent;
import dev.mediawatch.contract.HostId;
import dev.mediawatch.contract.HostState;

/**
 * Refresh requests through the collector: the state that answers one carries its id and is published
 * whatever changed, only that one; requests that coalesce into one collection answer the latest id. The
 * engine is held inside a collection (as a slow engine would) so that requests really coalesce.
 */
class ContainerCollectorRequestTest {

    /** An engine whose snapshots wait for the test. */
    static final class HeldEngine extends DockerEngine {
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);
        final List<Long> calls = new CopyOnWriteArrayList<>();

        HeldEngine() {
            super("unix:///nonexistent/docker.sock", Duration.ofSeconds(1));
        }

        @Override
        public Snapshot snapshot() {
            calls.add(System.nanoTime());
            entered.countDown();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Snapshot("20.10.24", "1.41", List.of(), Map.of());
        }
    }

    record Published(HostState state, boolean force) {
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final HeldEngine engine = new HeldEngine();
    private final EnvAudit audit = new EnvAudit(List.of("/opt/stacks"), List.of(), List.of(), Instant.parse("2026-11-21T10:00:00Z"));
    private final dev.mediawatch.runtime.work.Ticker ticker = new dev.mediawatch.runtime.work.Ticker("test-ticker");
    private final ContainerCollector collector = new ContainerCollector(engine, HostId.of("download-stack"), "download",
            "test", Clock.systemUTC(), new ContainerCollector.Sink() {
                @Override
                public void state(HostState state, boolean force) {
                    published.add(new Published(state, force));
                }

                @Override
                public void event(HostEvent event) {
                }
            }, ServiceCatalogue.EMPTY, 3, Duration.ofMinutes(5), List::of, "192.0.2.10", () -> audit, ticker);

    @AfterEach
    void close() throws Exception {
        engine.gate.countDown();
        collector.close();
        ticker.close();
    }

    @Test
    void theAnswerCarriesTheId_isForced_andOnlyItDoes() {
        collector.request(false, "r-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
        collector.request(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);

        assertThat(published.get(0).state().requestId()).isEqualTo("r-1");
        assertThat(published.get(0).force()).as("an answer is published even if nothing changed").isTrue();
        assertThat(published.get(1).state().requestId()).isNull();
        assertThat(collector.last().requestId()).as("the snapshot kept is no answer").isNull();
        assertThat(published).allSatisfy(p -> {
            assertThat(p.state().address()).isEqualTo("192.0.2.10");
            assertThat(p.state().envAudit()).isEqualTo(audit);
        });
    }

    @Test
    void refreshesCoalescingIntoOneCollection_answerTheLatestId() throws InterruptedException {
        engine.gate = new CountDownLatch(1);
        collector.request(true, "a");
        assertThat(engine.entered.await(5, TimeUnit.SECONDS)).isTrue();
        // While "a" is being collected, three more arrive: one collection follows, answering the last.
        collector.request(true, "b");
        collector.request(true, null);
        collector.request(true, "c");
        collector.request(false);
        engine.gate.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> published.size() == 2);
        assertThat(published).extracting(p -> p.state().requestId()).containsExactly("a", "c");
    }

    @Test
    void closedDuringACollection_handsNothingOn_andReturnsOnceTheCollectionHasEnded() throws InterruptedException {
        engine.gate = new CountDownLatch(1);
        collector.request(true, "at-stop");
        assertThat(engine.entered.await(5, TimeUnit.SECONDS)).isTrue();
        // The stop interrupts the held engine call; the collection ends without publishing anything, as the agent's
        // beans may already be gone by then.
        collector.close();
        assertThat(published).isEmpty();
        collector.request(true);
        assertThat(published).isEmpty();
        assertThat(engine.calls).hasSize(1);
    }

    @Test
    void anEngineEvent_isLookedAtAgain_onceTheEnginesListHasCaughtUpWithIt() {
        // Docker's list can still say "running" right after its "die" event: one look now, one a moment later.
        collector.requestAfterEvent();
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.calls.size() == 2);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> engine.calls.size() == 2);
        long gapMillis = TimeUnit.NANOSECONDS.toMillis(engine.calls.get(1) - engine.calls.get(0));
        assertThat(gapMillis).isGreaterThanOrEqualTo(ContainerCollector.SETTLE_MILLIS - 100);
        assertThat(published).hasSize(2);
    }
}
