package io.darner.queue;

import io.darner.storage.Stop;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Delayed sets (issue 14): stored at once, but neither handed out, peeked nor counted in items
 * until due; then at the tail, in the order they fell due. By the fixture's manual clock.
 */
class DelayedItemsTest {
    @TempDir
    Path dir;
    private RepositoryFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private QueueStats stats(String queue) {
        return fixture.repo().stats(queue);
    }

    @Test
    void aDelayedItemIsNotHandedOutPeekedOrCountedUntilDue() {
        fixture = new RepositoryFixture(dir);
        fixture.putDelayed("q", 1000, "later");

        Queue q = fixture.repo().find("q");
        assertNull(q.peek());
        assertNull(fixture.take("q", false));
        assertEquals(0, stats("q").items());
        assertEquals(1, stats("q").delayed());

        fixture.advance(999);
        assertNull(fixture.take("q", false), "1 ms early");

        fixture.advance(1);
        assertEquals(1, stats("q").items());
        assertEquals(0, stats("q").delayed());
        assertEquals(List.of("later"), fixture.drain("q"));
    }

    @Test
    void dueItemsJoinTheTailInTheOrderTheyFellDueAndEqualDueTimesInSetOrder() {
        fixture = new RepositoryFixture(dir);
        fixture.put("q", "now");
        fixture.putDelayed("q", 3000, "third");
        fixture.putDelayed("q", 1000, "first");
        fixture.putDelayed("q", 2000, "second-a", "second-b", "second-c");

        fixture.advance(5000);

        assertEquals(List.of("now", "first", "second-a", "second-b", "second-c", "third"), fixture.drain("q"));
    }

    @Test
    void aDueItemJoinsBehindTheItemsSetBeforeItFellDue() {
        fixture = new RepositoryFixture(dir);
        fixture.putDelayed("q", 1000, "delayed");
        fixture.put("q", "before");
        fixture.advance(1000);
        fixture.put("q", "after");

        assertEquals(List.of("before", "delayed", "after"), fixture.drain("q"));
    }

    /** More than one wake moves (a wake holds the queue's lock): the rest follow at once, in order. */
    @Test
    void moreDueItemsThanOneWakeMovesAllJoinInOrder() {
        int n = 2000;
        fixture = new RepositoryFixture(dir);
        for (int i = 0; i < n; i++) {
            fixture.putDelayed("q", 1 + i % 7, "i" + i);
        }
        fixture.advance(10); // one wake moves 1024 at most: the timer moves the rest
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stats("q").items() == n);

        List<String> drained = fixture.drain("q");
        assertEquals(n, drained.size());
        int at = 0;
        for (int delay = 1; delay <= 7; delay++) { // by due time, and in set order within one
            for (int i = delay - 1; i < n; i += 7) {
                assertEquals("i" + i, drained.get(at++));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void aDelaySurvivesARestart(Stop how) {
        fixture = new RepositoryFixture(dir);
        fixture.putDelayed("q", 1000, "a");
        fixture.putDelayed("q", 2000, "b");
        fixture.put("q", "plain");

        fixture.restart(how);

        assertEquals(1, stats("q").items());
        assertEquals(2, stats("q").delayed());
        assertEquals(List.of("plain"), fixture.drain("q"));
        fixture.advance(1000);
        fixture.putDelayed("q", 1000, "c");
        assertEquals(List.of("a"), fixture.drain("q"));
        fixture.advance(1000);
        assertEquals(List.of("b", "c"), fixture.drain("q"), "c, set after the restart, falls due with b, after it");
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void anItemThatFellDueWhileTheServerWasDownIsThereAtStart(Stop how) {
        fixture = new RepositoryFixture(dir);
        fixture.putDelayed("q", 1000, "a");
        fixture.clock.advanceMillis(5000);

        fixture.restart(how);

        assertEquals(1, stats("q").items());
        assertEquals(List.of("a"), fixture.drain("q"));
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void aLargeDelayedItemKeepsItsData(Stop how) {
        fixture = new RepositoryFixture(dir);
        byte[] large = randomBytes(300_000, 7);
        fixture.putDelayed("q", 1000, large);

        fixture.restart(how);
        fixture.advance(1000);

        List<byte[]> drained = fixture.drainData("q");
        assertEquals(1, drained.size());
        assertArrayEquals(large, drained.get(0));
    }

    @Test
    void fanoutChildrenGetDelayedCopies() {
        fixture = new RepositoryFixture(dir);
        fixture.repo().getOrCreate("orders+audit");
        fixture.putDelayed("orders", 1000, "o1");

        assertEquals(1, stats("orders+audit").delayed());
        assertNull(fixture.take("orders+audit", false));
        fixture.advance(1000);

        assertEquals(List.of("o1"), fixture.drain("orders"));
        assertEquals(List.of("o1"), fixture.drain("orders+audit"));
    }

    @Test
    void delayedItemsCountAgainstTheQueuesLimits() {
        fixture = new RepositoryFixture(dir, Map.of("darner.queues.q.max-items", "2"));
        fixture.putDelayed("q", 1000, "a");
        fixture.put("q", "b");

        assertEquals(PutResult.NOT_STORED, fixture.putDelayed("q", 1000, new byte[] {1}));
    }

    @Test
    void aFlushRemovesTheDelayedItemsToo() {
        fixture = new RepositoryFixture(dir);
        fixture.putDelayed("q", 1000, "a");

        fixture.repo().flush("q");
        fixture.advance(1000);

        assertEquals(0, stats("q").delayed());
        assertEquals(List.of(), fixture.drain("q"));
        fixture.restart(Stop.KILLED);
        fixture.advance(1000);
        assertEquals(List.of(), fixture.drain("q"), "not back from the store after a restart");
    }

    @Test
    void anItemThatExpiresWhileDelayedIsExpiredWhenDue() {
        fixture = new RepositoryFixture(dir);
        byte[] data = {1};
        ItemIntake item = fixture.repo().beginItem(1);
        item.write(data, 0, 1);
        item.finish("q", 0, 1, 5000); // exptime 1 s from the set, due in 5 s

        fixture.advance(5000);

        assertNull(fixture.take("q", false));
        assertEquals(1, stats("q").expiredItems());
    }
}
