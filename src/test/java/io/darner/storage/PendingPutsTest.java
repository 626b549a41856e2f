package io.darner.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small puts that wait for the end of an event loop's pass ({@link PendingPuts}), on a real
 * LevelDB: they are written in one batch at the pass end, before anything reads or rewrites the
 * store, and never when their item is deleted first; a batch that fails stores none of them and
 * hands each back to its owner; a put made without a collector open is written at once.
 */
class PendingPutsTest {
    @TempDir
    Path dir;
    private StoreFixture fixture;
    private long qid;
    private final List<Long> lost = new ArrayList<>();
    private final PendingPuts.LostPuts owner = (q, seq, record) -> lost.add(seq);

    @BeforeEach
    void open() {
        fixture = new StoreFixture(dir);
        qid = fixture.store().createQueue("q");
    }

    @AfterEach
    void close() {
        PendingPuts.endCollecting();
        fixture.close();
    }

    @Test
    void aPutWaitsUntilThePassEndAndIsWrittenThen() {
        PendingPut put = deferred(0, "a");

        assertFalse(put.settled());
        assertFalse(fixture.holds(Keys.item(qid, 0)), "not written before the pass ends");

        fixture.store().pending().write();
        assertTrue(put.settled());
        assertNull(put.failure());
        assertTrue(fixture.holds(Keys.item(qid, 0)));
    }

    @Test
    void anItemDeletedWhileItsPutWaitsIsNeverWritten() {
        ItemRecord record = record("a");
        PendingPut put = deferred(0, record);

        fixture.store().delete(qid, 0, record);
        fixture.store().pending().write();

        assertTrue(put.settled());
        assertNull(put.failure(), "its set is answered STORED: the item was stored and taken");
        assertFalse(fixture.holds(Keys.item(qid, 0)));
    }

    @Test
    void readingTheStoreWritesTheWaitingPutsFirst() {
        deferred(0, "a");
        deferred(1, "b");

        assertArrayEquals(bytes("a"), fixture.store().get(qid, 0).data());
        assertEquals(2, fixture.store().scan(qid, 0, 10).size());
    }

    @Test
    void flushingAQueueWritesItsWaitingPutsBeforeThePurge() {
        deferred(0, "a");

        long renewed = fixture.store().renewQueue("q", qid, true);

        assertEquals(0, fixture.store().scan(renewed, 0, 10).size());
        fixture.reopen(Stop.CLEAN);
        assertEquals(0, fixture.recovered("q").items(), "nothing of the old generation comes back");
    }

    @Test
    void aSyncWritesTheWaitingPutsItCovers() throws Exception {
        PendingPut put = deferred(0, "a");

        fixture.store().sync().get();

        assertTrue(put.settled());
        assertTrue(fixture.holds(Keys.item(qid, 0)));
    }

    @Test
    void aFailedBatchStoresNoneOfItsPutsAndHandsEachBack() {
        PendingPut a = deferred(0, "a");
        PendingPut b = deferred(1, "b");
        fixture.faults.failWrites();

        fixture.store().pending().write();
        fixture.faults.heal();

        assertNotNull(a.failure());
        assertEquals("write failed: injected write failure", b.failure().getMessage());
        assertTrue(lost.isEmpty(), "handed back only where no queue's lock is held");
        fixture.store().pending().settleLost();
        assertEquals(List.of(0L, 1L), lost);
        fixture.reopen(Stop.KILLED);
        assertEquals(0, fixture.recovered("q").items());
    }

    @Test
    void withoutACollectorAPutIsWrittenAtOnce() {
        PendingPuts.endCollecting();

        assertNull(fixture.store().append(qid, 0, record("a"), null, owner));
        assertTrue(fixture.holds(Keys.item(qid, 0)));
    }

    @Test
    void theMostThatWaitAreWrittenTogetherByThePutThatFillsThem() {
        List<PendingPut> puts = new ArrayList<>();
        for (int seq = 0; seq < PendingPuts.MAX_WAITING; seq++) {
            puts.add(deferred(seq, "item " + seq));
        }

        assertTrue(puts.stream().allMatch(PendingPut::settled));
        fixture.reopen(Stop.KILLED);
        assertEquals(PendingPuts.MAX_WAITING, fixture.recovered("q").items());
    }

    @Test
    void largerSmallItemsAreWrittenOnceAMebibyteWaits() {
        int size = QueueStore.CHUNK_SIZE;
        List<PendingPut> puts = new ArrayList<>();
        for (int seq = 0; seq < PendingPuts.MAX_WAITING_BYTES / size; seq++) {
            puts.add(deferred(seq, ItemRecord.inline(0, 0, 0, new byte[size])));
        }

        assertTrue(puts.stream().allMatch(PendingPut::settled), "the heap holds no more than that of them");
        assertFalse(deferred(puts.size(), "next").settled());
    }

    @Test
    void aCleanStopWritesWhatWaits() {
        deferred(0, "a");

        fixture.reopen(Stop.CLEAN);

        assertEquals(1, fixture.recovered("q").items());
    }

    private PendingPut deferred(long seq, String data) {
        return deferred(seq, record(data));
    }

    private PendingPut deferred(long seq, ItemRecord record) {
        PendingPuts.Collector collector = new PendingPuts.Collector();
        PendingPuts.collectInto(collector);
        try {
            PendingPut put = fixture.store().append(qid, seq, record, null, owner);
            assertEquals(List.of(put), collector.puts());
            return put;
        } finally {
            PendingPuts.endCollecting();
        }
    }

    private static ItemRecord record(String data) {
        return ItemRecord.inline(0, 0, 0, bytes(data));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
