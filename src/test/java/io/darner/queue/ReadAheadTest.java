package io.darner.queue;

import io.darner.storage.ItemRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A queue with a backlog reads its items in runs ({@link ReadAhead}): what it hands out must be
 * exactly what it would without, whatever happens to the items it read ahead.
 */
class ReadAheadTest {
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

    @Test
    void setsBetweenGetsKeepStrictOrder() {
        List<String> expected = new ArrayList<>();
        List<String> got = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 7; i++) {
                String item = "item-" + next++;
                fixture.put("q", item);
                expected.add(item);
            }
            for (int i = 0; i < 5; i++) {
                got.add(takeConfirmed("q"));
            }
        }
        got.addAll(fixture.drain("q"));
        assertEquals(expected, got);
        assertEquals(ReadAhead.BUDGET_BYTES, fixture.repo().readAheadBytesFree(), "drained: all budget back");
    }

    @Test
    void anItemStoredWhileTheReadersAreCaughtUpIsKeptWithoutAGapAndWithinBounds() {
        ReadAhead ahead = new ReadAhead(ReadAhead.newBudget());
        ahead.appended(5, record("a"), 4);
        assertNull(ahead.poll(), "seq 4 may be stored: the readers are not caught up");

        ahead.appended(5, record("a"), 5);
        ahead.appended(7, record("c"), 5); // 6 is missing: 7 must come from the store
        ahead.appended(6, record("b"), 5);
        assertEquals(5, ahead.poll().seq());
        assertEquals(6, ahead.poll().seq());
        assertNull(ahead.poll());

        for (int seq = 0; seq < ReadAhead.MAX_ITEMS * 2; seq++) {
            ahead.appended(seq, record("x"), 0);
        }
        int kept = 0;
        while (ahead.poll() != null) {
            kept++;
        }
        assertEquals(ReadAhead.MAX_ITEMS, kept);
    }

    @Test
    void aQueueDrainedAsFastAsItFillsServesFromWhatItKept() {
        for (int i = 0; i < 300; i++) {
            fixture.put("q", "item-" + i);
            assertEquals("item-" + i, takeConfirmed("q"));
        }
        assertEquals(ReadAhead.BUDGET_BYTES, fixture.repo().readAheadBytesFree(), "drained: all budget back");
    }

    private static ItemRecord record(String text) {
        return ItemRecord.inline(0, 0, 0, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAbortedReadComesBeforeTheItemsReadAhead() {
        fixture.put("q", numbered(20));
        Delivery first = fixture.take("q", true);
        assertEquals("0", RepositoryFixture.text(first));
        assertEquals("1", takeConfirmed("q"));
        first.queue().release(first, true);
        assertEquals("0", takeConfirmed("q"));
        assertEquals(List.of(numbered(20)).subList(2, 20), fixture.drain("q"));
    }

    @Test
    void itemsExpiredWhileReadAheadAreNotHandedOut() {
        long now = fixture.clock.millis();
        for (int i = 0; i < 30; i++) {
            long expiresAt = i % 2 == 1 ? now + 300 : 0; // every odd item expires soon
            fixture.repo().put("q", ItemRecord.inline(0, expiresAt, now, ("" + i).getBytes(StandardCharsets.UTF_8)), null);
        }
        assertEquals("0", takeConfirmed("q")); // reads a run ahead, odd items included
        fixture.clock.advanceMillis(400);
        assertEquals(15, fixture.repo().flushExpired("q"), "items 1, 3, .., 29");
        List<String> rest = fixture.drain("q");
        List<String> even = new ArrayList<>();
        for (int i = 2; i < 30; i += 2) {
            even.add("" + i);
        }
        assertEquals(even, rest);
    }

    @Test
    void aFlushForgetsWhatWasReadAhead() {
        fixture.put("q", numbered(20));
        assertEquals("0", takeConfirmed("q"));
        fixture.repo().flush("q");
        assertNull(fixture.take("q", false));
        fixture.put("q", "after");
        assertEquals(List.of("after"), fixture.drain("q"));
        assertEquals(ReadAhead.BUDGET_BYTES, fixture.repo().readAheadBytesFree());
    }

    @Test
    void queuesBeyondTheBudgetReadOneAtATime() {
        int queues = (int) (ReadAhead.BUDGET_BYTES / ReadAhead.MAX_BYTES) + 50;
        for (int q = 0; q < queues; q++) {
            fixture.put("q" + q, numbered(10));
            assertEquals("0", takeConfirmed("q" + q));
        }
        assertEquals(0, fixture.repo().readAheadBytesFree(), "spent by the first queues");
        for (int q = 0; q < queues; q++) {
            assertEquals(List.of(numbered(10)).subList(1, 10), fixture.drain("q" + q), "queue " + q);
        }
        assertEquals(ReadAhead.BUDGET_BYTES, fixture.repo().readAheadBytesFree());
    }

    @Test
    void aDeletedQueueGivesItsBudgetBack() {
        fixture.put("q", numbered(20));
        assertEquals("0", takeConfirmed("q"));
        fixture.repo().delete("q");
        assertEquals(ReadAhead.BUDGET_BYTES, fixture.repo().readAheadBytesFree());
    }

    private String takeConfirmed(String queue) {
        Delivery d = fixture.take(queue, false);
        d.queue().confirm(d);
        return RepositoryFixture.text(d);
    }

    private static String[] numbered(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "" + i;
        }
        return out;
    }
}
