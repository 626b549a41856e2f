package io.darner.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * An item handed out {@code max-deliveries} times without a confirm is counted once: in
 * {@code deadLettered} when it moved to the dead-letter queue, in {@code discarded} when it was
 * dropped. A dead-letter queue set for every queue does not send its own items back to itself.
 */
class DeadLetterCountTest {
    @TempDir
    Path dir;
    private RepositoryFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Opens the head item and gives it back unconfirmed, as a consumer that fails. */
    private void failOnce(String queue) {
        Delivery d = fixture.take(queue, true);
        d.queue().release(d, true);
    }

    @Test
    void anItemDroppedWithoutADeadLetterQueueIsCountedOnlyAsDiscarded() {
        fixture = new RepositoryFixture(dir, Map.of("darner.queues.poison.max-deliveries", "1"));
        fixture.put("poison", "p1", "p2");
        failOnce("poison");

        assertEquals("p2", RepositoryFixture.text(fixture.take("poison", false)));
        QueueStats stats = fixture.repo().find("poison").stats(List.of());
        assertEquals(1, stats.discarded());
        assertEquals(0, stats.deadLettered());
    }

    @Test
    void anItemMovedToTheDeadLetterQueueIsCountedOnlyAsDeadLettered() {
        fixture = new RepositoryFixture(dir, Map.of("darner.queues.poison.max-deliveries", "1",
                "darner.queues.poison.dead-letter-queue", "poison_dead"));
        fixture.put("poison", "p1");
        failOnce("poison");

        assertNull(fixture.take("poison", false));
        QueueStats stats = fixture.repo().find("poison").stats(List.of());
        assertEquals(0, stats.discarded());
        assertEquals(1, stats.deadLettered());
        assertEquals(List.of("p1"), fixture.drain("poison_dead"));
    }

    @Test
    void theDeadLetterQueueOfEveryQueueDropsItsOwnFailedItemsInsteadOfTakingThemBack() {
        fixture = new RepositoryFixture(dir, Map.of("darner.queue-defaults.max-deliveries", "1",
                "darner.queue-defaults.dead-letter-queue", "dlq"));
        fixture.put("jobs", "j1");
        failOnce("jobs");
        assertNull(fixture.take("jobs", false));
        failOnce("dlq");

        assertNull(fixture.take("dlq", false), "j1 failed in dlq too: dropped, not moved back into dlq");
        QueueStats dlq = fixture.repo().find("dlq").stats(List.of());
        assertEquals(1, dlq.discarded());
        assertEquals(0, dlq.deadLettered());
        assertEquals(1, fixture.repo().find("jobs").stats(List.of()).deadLettered());
    }
}
