package io.darner.queue;

import io.darner.storage.Stop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** delete-when-idle: an empty queue unused for that long goes away, counted, and comes back on its next use. */
class IdleQueueTest {
    private static final Duration IDLE = Duration.ofMinutes(10);

    @TempDir
    Path dir;
    private RepositoryFixture fixture;

    @BeforeEach
    void start() {
        fixture = new RepositoryFixture(dir, Map.of("darner.queue-defaults.delete-when-idle", "10m",
                "darner.queues.kept.max-items", "5", "darner.queues.kept.delete-when-idle", "1h"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void anEmptyQueueUnusedForThePeriodIsDeletedCountedAndComesBackNew() {
        fixture.put("jobs", "a");
        assertEquals(List.of("a"), fixture.drain("jobs"));
        Queue before = fixture.repo().find("jobs");

        fixture.clock.advance(IDLE.minusMillis(1));
        assertEquals(0, idleDeleted(), "not yet");
        fixture.clock.advanceMillis(1);
        assertEquals(1, idleDeleted());

        assertNull(fixture.repo().find("jobs"));
        assertEquals(0, fixture.repo().counters().queueDeletes.sum(), "an explicit delete is counted apart");
        fixture.put("jobs", "b");
        assertNotSame(before, fixture.repo().find("jobs"));
        assertEquals(1, fixture.repo().stats("jobs").totalItems(), "its figures start again");
        assertEquals(List.of("b"), fixture.drain("jobs"));
    }

    @Test
    void aQueueHoldingItemsIsNeverDeletedForIdleness() {
        fixture.put("jobs", "a");
        fixture.clock.advance(IDLE.multipliedBy(100));

        assertEquals(0, idleDeleted());
        assertEquals(List.of("a"), fixture.drain("jobs"));
    }

    @Test
    void anOpenReadOrAWaiterKeepsItAndTheIdlePeriodStartsWhenTheyEnd() {
        fixture.put("jobs", "a");
        Delivery open = fixture.take("jobs", true);
        fixture.clock.advance(IDLE.multipliedBy(2));
        assertEquals(0, idleDeleted(), "an open read");
        fixture.repo().find("jobs").confirm(open);
        fixture.clock.advance(IDLE.minusMillis(1));
        assertEquals(0, idleDeleted(), "idle only since the sweep saw the open read");

        Queue q = fixture.repo().find("jobs");
        Waiter waiter = new Waiter() {
            @Override
            public boolean offer(Delivery d) {
                return false;
            }

            @Override
            public void cancel() {
            }
        };
        assertNull(q.takeOrWait(waiter, false));
        fixture.clock.advance(IDLE.multipliedBy(2));
        assertEquals(0, idleDeleted(), "a waiter");
        assertTrue(q.stopWaiting(waiter));
        fixture.clock.advance(IDLE);
        assertEquals(1, idleDeleted());
    }

    @Test
    void aSetOrAGetOnAnEmptyQueueRestartsThePeriod() {
        fixture.repo().getOrCreate("jobs");
        fixture.clock.advance(IDLE.minusMillis(1));
        assertNull(fixture.take("jobs", false), "a get that finds nothing is a use too");
        fixture.clock.advance(IDLE.minusMillis(1));
        assertEquals(0, idleDeleted());
        assertNull(fixture.repo().find("jobs").peek());
        fixture.clock.advance(IDLE.minusMillis(1));
        assertEquals(0, idleDeleted());
        fixture.clock.advanceMillis(1);
        assertEquals(1, idleDeleted());
    }

    @Test
    void eachQueueGoesByItsOwnSetting() {
        fixture.repo().getOrCreate("kept");
        fixture.repo().getOrCreate("jobs");
        fixture.clock.advance(IDLE);

        assertEquals(1, idleDeleted());
        assertNotNull(fixture.repo().find("kept"), "an hour for this one");
        assertEquals(5, fixture.repo().find("kept").policy().maxItems(), "its own entry and the defaults together");
        fixture.clock.advance(Duration.ofHours(1));
        assertEquals(2, idleDeleted());
    }

    @Test
    void aProducerHoldingTheDeletedQueueStoresIntoTheNewOne() {
        Queue old = fixture.repo().getOrCreate("jobs");
        fixture.clock.advance(IDLE);
        assertEquals(1, idleDeleted());

        assertThrows(QueueDeletedException.class, () -> old.put(null, null));
        fixture.put("jobs", "x");
        assertEquals(List.of("x"), fixture.drain("jobs"));
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void aDeletedQueueStaysDeletedAcrossARestartAndTheIdlePeriodStartsAgainAtTheStart(Stop how) {
        fixture.repo().getOrCreate("gone");
        fixture.repo().getOrCreate("jobs");
        fixture.clock.advance(IDLE.minusMillis(1));
        fixture.take("jobs", false);
        fixture.clock.advanceMillis(1);
        assertEquals(1, idleDeleted());

        fixture.restart(how);

        assertNull(fixture.repo().find("gone"));
        assertNotNull(fixture.repo().find("jobs"));
        fixture.clock.advance(IDLE.minusMillis(1));
        assertEquals(0, idleDeleted());
        fixture.clock.advanceMillis(1);
        assertEquals(1, idleDeleted());
    }

    @Test
    void aPeriodInDaysIsUnderstood() {
        QueuePolicies p = new QueuePolicies(TestConfig.darner(Map.of("darner.queue-defaults.delete-when-idle", "1d")));
        assertEquals(Duration.ofDays(1).toMillis(), p.forQueue("any").deleteWhenIdleMs());
    }

    @Test
    void aPeriodThatIsNotPositiveStopsTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new QueuePolicies(TestConfig.darner(Map.of("darner.queues.q.delete-when-idle", "0s"))));
        assertTrue(e.getMessage().startsWith("darner.queues.\"q\".delete-when-idle=0"), e.getMessage());
    }

    /**
     * Sweeps for idle queues and returns how many were deleted since the start: the background
     * sweep, going by the same clock, may have deleted them first.
     */
    @Test
    void aQueueWhoseItemsAreAllDelayedIsNotIdle() {
        fixture.putDelayed("jobs", IDLE.toMillis() * 2, "later");

        fixture.clock.advance(IDLE.plusMinutes(1));
        assertEquals(0, idleDeleted(), "a delayed item waits in it");
        assertNotNull(fixture.repo().find("jobs"));
    }

    private long idleDeleted() {
        fixture.repo().deleteIdleQueues();
        return fixture.repo().counters().queueExpires.sum();
    }
}
