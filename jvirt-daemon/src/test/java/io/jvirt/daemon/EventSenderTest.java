package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.rpc.wire.Keepalive;
import io.jvirt.rpc.wire.Message;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-client event queue is bounded: past the bound the client is ended once, and nothing more is held. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EventSenderTest {
    @Test
    void aClientWhoseEventsPileUpIsEndedOnceAndTheQueueStaysBounded() throws InterruptedException {
        CountDownLatch writable = new CountDownLatch(1);
        AtomicInteger overflows = new AtomicInteger();
        AtomicInteger written = new AtomicInteger();
        EventSender sender = new EventSender(
                1,
                m -> {
                    try {
                        writable.await(); // the client does not read: every write blocks
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    written.incrementAndGet();
                },
                overflows::incrementAndGet);
        Message frame = Keepalive.ping();
        int maxSeen = 0;
        for (int i = 0; i < 3 * EventSender.MAX_QUEUED; i++) {
            sender.queue(List.of(frame));
            maxSeen = Math.max(maxSeen, sender.queued());
        }
        assertThat(maxSeen).isLessThanOrEqualTo(EventSender.MAX_QUEUED);
        assertThat(overflows).hasValue(1);
        sender.stop();
        writable.countDown();
        assertThat(written.get()).isLessThanOrEqualTo(1);
    }

    @Test
    void aReadingClientGetsEveryEventInOrder() {
        List<Message> got = new CopyOnWriteArrayList<>();
        EventSender sender = new EventSender(1, got::add, () -> {
            throw new AssertionError("no overflow expected");
        });
        Message ping = Keepalive.ping();
        Message pong = Keepalive.pong();
        for (int i = 0; i < EventSender.MAX_QUEUED; i++) {
            sender.queue(List.of(i % 2 == 0 ? ping : pong));
        }
        await().until(() -> got.size() == EventSender.MAX_QUEUED);
        assertThat(got.get(0)).isSameAs(ping);
        assertThat(got.get(1)).isSameAs(pong);
        sender.stop();
    }
}
