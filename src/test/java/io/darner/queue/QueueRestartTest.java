package io.darner.queue;

import io.darner.storage.QueueStore;
import io.darner.storage.Stop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What a queue holds after the server stops and starts again, cleanly or killed: exactly the items
 * stored and not confirmed, in order, with exact counts.
 */
class QueueRestartTest {
    @TempDir
    Path dir;
    private RepositoryFixture fixture;

    @BeforeEach
    void start() {
        fixture = new RepositoryFixture(dir);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void everyItemComesBackInOrder(Stop stop) {
        List<String> items = numbered("item-", 500);
        fixture.put("q", items.toArray(String[]::new));

        fixture.restart(stop);

        assertCounts("q", 500, 500 * "item-000".length());
        assertEquals(items, fixture.drain("q"));
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void largeItemsComeBackByteExactInOrder(Stop stop) {
        List<byte[]> items = IntStream.of(10, 300 * 1024 + 1, 20, QueueStore.CHUNK_SIZE + 1, 2 * 1024 * 1024)
                .mapToObj(size -> randomBytes(size, size)).toList();
        items.forEach(data -> fixture.put("q", data));

        fixture.restart(stop);

        assertCounts("q", items.size(), items.stream().mapToLong(b -> b.length).sum());
        List<byte[]> drained = fixture.drainData("q");
        assertEquals(items.size(), drained.size());
        for (int i = 0; i < items.size(); i++) {
            assertArrayEquals(items.get(i), drained.get(i), "item " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void openReadsNeverConfirmedAreItemsAgain(Stop stop) {
        fixture.put("q", "a", "b", "c", "d");
        assertEquals("a", RepositoryFixture.text(fixture.take("q", true)));
        assertEquals("b", RepositoryFixture.text(fixture.take("q", true)));

        fixture.restart(stop);

        assertCounts("q", 4, 4);
        assertEquals(0, fixture.repo().find("q").stats(java.util.List.of()).openTransactions());
        assertEquals(List.of("a", "b", "c", "d"), fixture.drain("q"));
    }

    /** Darner's holes: after items confirmed out of order and a restart, every get failed. */
    @ParameterizedTest
    @EnumSource(Stop.class)
    void confirmsOutOfOrderLeaveAWorkingQueue(Stop stop) {
        fixture.put("q", numbered("", 10).toArray(String[]::new));
        Delivery a = fixture.take("q", true);
        Delivery b = fixture.take("q", true);
        fixture.repo().find("q").confirm(b);

        fixture.restart(stop);

        assertCounts("q", 9, 9 * 3);
        fixture.put("q", "new");
        List<String> expected = new ArrayList<>(List.of(RepositoryFixture.text(a)));
        expected.addAll(numbered("", 10).subList(2, 10));
        expected.add("new");
        assertEquals(expected, fixture.drain("q"));
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void scatteredConfirmsLeaveTheRestInOrder(Stop stop) {
        fixture.put("q", numbered("", 10).toArray(String[]::new));
        Queue q = fixture.repo().find("q");
        List<Delivery> open = IntStream.range(0, 6).mapToObj(i -> q.take(true)).toList();
        for (int i : new int[] {5, 3, 0}) {
            q.confirm(open.get(i));
        }

        fixture.restart(stop);

        assertCounts("q", 7, 7 * 3);
        assertEquals(List.of("001", "002", "004", "006", "007", "008", "009"), fixture.drain("q"));
    }

    /** The newest items confirmed before the stop: their seqs may be used again, never over a live item. */
    @ParameterizedTest
    @EnumSource(Stop.class)
    void itemsAddedAfterTheNewestWereConfirmedKeepTheirPlace(Stop stop) {
        fixture.put("q", "x0", "x1", "x2");
        Queue q = fixture.repo().find("q");
        Delivery x0 = q.take(true);
        Delivery x1 = q.take(true);
        Delivery x2 = q.take(true);
        q.confirm(x2);
        q.confirm(x1);

        fixture.restart(stop);
        fixture.put("q", "y0", "y1");
        fixture.restart(stop);

        assertCounts("q", 3, 6);
        assertEquals(List.of(RepositoryFixture.text(x0), "y0", "y1"), fixture.drain("q"));
    }

    /** Counts saved at a clean stop describe that moment only: a later kill must lead to a recount. */
    @Test
    void countsOfAnEarlierCleanStopAreNotUsedAfterAKill() {
        fixture.put("q", "a", "bb", "ccc");
        fixture.restart(Stop.CLEAN);
        fixture.repo().find("q").confirm(fixture.take("q", false));
        fixture.put("q", "dddd");

        fixture.restart(Stop.KILLED);

        assertCounts("q", 3, 2 + 3 + 4);
        assertEquals(List.of("bb", "ccc", "dddd"), fixture.drain("q"));
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void tenThousandQueuesWithOneItemEach(Stop stop) {
        List<String> names = numbered("queue-", 10_000);
        names.forEach(name -> fixture.put(name, "item of " + name));

        fixture.restart(stop);

        assertEquals(10_000, fixture.repo().queueCount());
        for (String name : names) {
            Queue q = fixture.repo().find(name);
            assertNotNull(q, name);
            assertEquals(1, q.stats(java.util.List.of()).items(), name);
            assertEquals(List.of("item of " + name), fixture.drain(name));
        }
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void flushedItemsStayGone(Stop stop) {
        fixture.put("q", "a", "b", "c");
        Delivery openBeforeFlush = fixture.take("q", true);
        fixture.repo().flush("q");
        fixture.put("q", "after");
        // confirming an item of the flushed generation must not touch the new one
        fixture.repo().find("q").confirm(openBeforeFlush);

        fixture.restart(stop);

        assertCounts("q", 1, 5);
        assertEquals(List.of("after"), fixture.drain("q"));
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void aDeletedQueueStaysGone(Stop stop) {
        fixture.put("q", "a", "b");
        fixture.repo().delete("q");

        fixture.restart(stop);

        assertNull(fixture.repo().find("q"));
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void aQueueRecreatedUnderADeletedNameStartsEmpty(Stop stop) {
        fixture.put("q", "old1", "old2");
        fixture.repo().delete("q");
        fixture.put("q", "new1");

        fixture.restart(stop);
        fixture.put("q", "new2");

        assertEquals(List.of("new1", "new2"), fixture.drain("q"));
    }

    private void assertCounts(String queue, long items, long bytes) {
        QueueStats stats = fixture.repo().find(queue).stats(java.util.List.of());
        assertEquals(items, stats.items(), "items");
        assertEquals(bytes, stats.bytes(), "bytes");
    }

    /** prefix + 000, 001, ... (zero-padded to at least three digits, so they sort in order). */
    static List<String> numbered(String prefix, int n) {
        int width = Math.max(3, String.valueOf(n - 1).length());
        return IntStream.range(0, n).mapToObj(i -> prefix + String.format("%0" + width + "d", i)).toList();
    }
}
