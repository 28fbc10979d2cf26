package dev.mediawatch.runtime.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The send path's rules: order, the window, retained replacement, bounds, and what a lost connection fails. */
class SendQueueTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends what the window allows, as packets 1, 2, ...; returns the topics in sending order. */
    private static List<SendQueue.Entry> drain(SendQueue q, int[] nextId) {
        List<SendQueue.Entry> out = new ArrayList<>();
        SendQueue.Entry e;
        while ((e = q.next()) != null) {
            q.written(e, nextId[0]++);
            out.add(e);
        }
        return out;
    }

    @Test
    void neverMoreThanTheWindowUnacknowledged_andTheRestInOrder() {
        SendQueue q = new SendQueue(10, 1000, 1 << 20);
        for (int i = 0; i < 160; i++) {
            assertThat(q.offer("homeassistant/sensor/x/c" + i + "/config", b("{}"), true, i).refusal()).isNull();
        }
        int[] id = { 1 };
        List<String> sent = new ArrayList<>();
        int maxOut = 0;
        while (sent.size() < 160) {
            List<SendQueue.Entry> batch = drain(q, id);
            maxOut = Math.max(maxOut, q.inFlight());
            batch.forEach(e -> sent.add(e.topic));
            // the broker acknowledges the oldest three
            for (int k = 0; k < 3 && q.inFlight() > 0; k++) {
                int acked = id[0] - q.inFlight();
                assertThat(q.acknowledged(acked)).isNotNull();
            }
        }
        assertThat(maxOut).isEqualTo(10);
        for (int i = 0; i < 160; i++) {
            assertThat(sent.get(i)).isEqualTo("homeassistant/sensor/x/c" + i + "/config");
        }
    }

    @Test
    void aRetainedMessageWaiting_isReplacedByANewerOne_whichGoesBehindWhatCameBetween() {
        SendQueue q = new SendQueue(1, 100, 1 << 20);
        q.offer("a", b("1"), false, 0);
        SendQueue.Offer first = q.offer("mediawatch/h/state", b("old"), true, 1);
        q.offer("mediawatch/h/events", b("e"), false, 2);
        SendQueue.Offer second = q.offer("mediawatch/h/state", b("new"), true, 3);
        assertThat(second.replaced()).isSameAs(first.entry());
        assertThat(q.waiting()).isEqualTo(3);
        List<String> order = new ArrayList<>();
        int id = 1;
        SendQueue.Entry e;
        while ((e = q.next()) != null || q.inFlight() > 0) {
            if (e != null) {
                order.add(e.topic + "=" + new String(e.payload, StandardCharsets.UTF_8));
                q.written(e, id);
            }
            q.acknowledged(id++);
        }
        assertThat(order).containsExactly("a=1", "mediawatch/h/events=e", "mediawatch/h/state=new");
    }

    @Test
    void aRetainedMessageAlreadyOut_isNotReplaced_theNewerOneFollows() {
        SendQueue q = new SendQueue(4, 100, 1 << 20);
        q.offer("t", b("1"), true, 0);
        SendQueue.Entry out = q.next();
        SendQueue.Offer newer = q.offer("t", b("2"), true, 1);
        assertThat(newer.replaced()).isNull();
        assertThat(q.next()).isSameAs(newer.entry());
        assertThat(out.superseded).isFalse();
    }

    @Test
    void boundedByCountAndBytes_aRefusedOfferLeavesTheQueueAsItWas() {
        SendQueue q = new SendQueue(1, 3, 10);
        assertThat(q.offer("a", b("1234"), false, 0).refusal()).isNull();
        assertThat(q.offer("b", b("1234"), false, 0).refusal()).isNull();
        assertThat(q.offer("c", b("123"), false, 0).refusal()).isEqualTo(SendQueue.Refusal.QUEUE_FULL);
        assertThat(q.offer("c", b("12"), false, 0).refusal()).isNull();
        assertThat(q.offer("d", b(""), false, 0).refusal()).isEqualTo(SendQueue.Refusal.QUEUE_FULL);
        assertThat(q.waiting()).isEqualTo(3);
        assertThat(q.waitingBytes()).isEqualTo(10);
        // replacing a retained message needs no more room than the difference
        SendQueue r = new SendQueue(1, 1, 4);
        assertThat(r.offer("t", b("1234"), true, 0).refusal()).isNull();
        assertThat(r.offer("t", b("4321"), true, 0).refusal()).isNull();
        assertThat(r.waiting()).isEqualTo(1);
    }

    @Test
    void anAcknowledgementBeforeThePacketIdIsKnown_stillCompletesTheMessage() {
        SendQueue q = new SendQueue(2, 10, 100);
        q.offer("a", b("1"), false, 0);
        SendQueue.Entry e = q.next();
        assertThat(q.acknowledged(7)).isNull(); // the PUBACK raced ahead of the write's completion
        assertThat(q.written(e, 7)).isTrue();
        assertThat(q.inFlight()).isZero();
    }

    @Test
    void clear_returnsEverythingWaitingAndOut_butNotWhatWasReplaced() {
        SendQueue q = new SendQueue(1, 10, 100);
        q.offer("a", b("1"), false, 0);
        q.offer("t", b("1"), true, 0);
        q.offer("t", b("2"), true, 0);
        SendQueue.Entry out = q.next();
        q.written(out, 1);
        List<SendQueue.Entry> all = q.clear();
        assertThat(all).extracting(x -> x.topic + "=" + new String(x.payload, StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("a=1", "t=2");
        assertThat(q.waiting()).isZero();
        assertThat(q.inFlight()).isZero();
        assertThat(q.waitingBytes()).isZero();
    }
}
