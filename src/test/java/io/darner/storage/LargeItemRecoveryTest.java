package io.darner.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static io.darner.storage.StoreFixture.chunksOf;
import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Large items (chunked, see {@link BlobWriter}) across a stop: a committed one comes back byte for
 * byte, one never committed leaves nothing behind, whether the process stopped or the disk failed.
 */
class LargeItemRecoveryTest {
    private static final int[] LARGE_SIZES = {QueueStore.CHUNK_SIZE + 1, 3 * QueueStore.CHUNK_SIZE, 200 * 1024 + 7,
            1024 * 1024 + 3};

    @TempDir
    Path dir;
    private StoreFixture fixture;

    @BeforeEach
    void open() {
        fixture = new StoreFixture(dir);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void largeItemsComeBackByteExact(Stop stop) {
        long qid = fixture.store().createQueue("q");
        List<byte[]> items = IntStream.range(0, LARGE_SIZES.length * 2)
                .mapToObj(i -> randomBytes(i % 2 == 0 ? LARGE_SIZES[i / 2] : 100, i)).toList();
        for (int seq = 0; seq < items.size(); seq++) {
            fixture.append(qid, seq, items.get(seq));
        }

        fixture.reopen(stop);

        StoredQueue q = fixture.recovered("q");
        assertEquals(items.size(), q.items());
        assertEquals(items.stream().mapToLong(b -> b.length).sum(), q.bytes());
        List<StoredItem> stored = fixture.store().scan(q.qid(), q.firstSeq(), 100);
        assertEquals(items.size(), stored.size());
        for (int i = 0; i < items.size(); i++) {
            assertArrayEquals(items.get(i), fixture.data(stored.get(i).record()), "item " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void aLargeItemNeverCommittedIsRemovedAtTheNextOpen(Stop stop) {
        long qid = fixture.store().createQueue("q");
        byte[] committed = randomBytes(3 * QueueStore.CHUNK_SIZE + 5, 1);
        fixture.append(qid, 0, committed);
        BlobWriter unfinished = fixture.store().newBlob();
        unfinished.write(randomBytes(3 * QueueStore.CHUNK_SIZE + 100, 2), 0, 3 * QueueStore.CHUNK_SIZE + 100);
        fixture.append(qid, 1, randomBytes(10, 3));

        fixture.reopen(stop);

        StoredQueue q = fixture.recovered("q");
        assertEquals(2, q.items());
        assertArrayEquals(committed, fixture.data(fixture.store().get(qid, 0)));
        StoreContents left = fixture.stopAndInspect();
        assertEquals(0, left.pendingBlobs());
        assertEquals(chunksOf(committed.length), left.chunks(), "only the committed item's chunks");
    }

    /** Darner, killed during a multi-chunk set into an empty queue, could not start again. */
    @Test
    void aLargeItemCutOffInAnEmptyQueueLeavesAnEmptyQueue() {
        fixture.store().createQueue("q");
        BlobWriter cutOff = fixture.store().newBlob();
        byte[] part = randomBytes(QueueStore.CHUNK_SIZE, 4);
        for (int i = 0; i < 128; i++) { // half of an 8 MiB item
            cutOff.write(part, 0, part.length);
        }

        fixture.reopen(Stop.KILLED);

        assertEquals(0, fixture.recovered("q").items());
        assertEquals(new StoreContents(1, 0, 0, 0, 0, 0, true), fixture.stopAndInspect());
    }

    @Test
    void aLargeItemWhoseChunkWriteFailsLeavesNothing() {
        long qid = fixture.store().createQueue("q");
        BlobWriter blob = fixture.store().newBlob();
        byte[] data = randomBytes(4 * QueueStore.CHUNK_SIZE, 5);
        blob.write(data, 0, 2 * QueueStore.CHUNK_SIZE);

        fixture.faults.failWrites();
        assertThrows(StoreException.class, () -> blob.write(data, 0, QueueStore.CHUNK_SIZE));
        blob.abort(); // as the session does; it fails too, leaving the pending marker
        fixture.faults.heal();

        assertNothingLeftButOneSmallItem(qid);
    }

    @Test
    void aLargeItemWhoseCommitFailsLeavesNothing() {
        long qid = fixture.store().createQueue("q");
        BlobWriter blob = fixture.store().newBlob();
        byte[] data = randomBytes(2 * QueueStore.CHUNK_SIZE + 9, 6);
        blob.write(data, 0, data.length);
        ItemRecord record = new ItemRecord(0, 0, 0, 0, data.length, blob.blobId(), null);

        fixture.faults.failWrites();
        assertThrows(StoreException.class, () -> fixture.store().append(qid, 0, record, blob));
        blob.abort();
        fixture.faults.heal();

        assertNothingLeftButOneSmallItem(qid);
    }

    /** Blob ids found at open must not be handed out again while their chunks exist. */
    @ParameterizedTest
    @EnumSource(Stop.class)
    void largeItemsAddedAfterAReopenLeaveTheStoredOnesIntact(Stop stop) {
        long qid = fixture.store().createQueue("q");
        byte[] first = randomBytes(2 * QueueStore.CHUNK_SIZE + 1, 7);
        byte[] second = randomBytes(2 * QueueStore.CHUNK_SIZE + 2, 8);
        fixture.append(qid, 0, first);
        ItemRecord consumed = fixture.append(qid, 1, randomBytes(QueueStore.CHUNK_SIZE + 1, 9));
        fixture.store().delete(qid, 1, consumed);

        fixture.reopen(stop);
        fixture.append(qid, 1, second);
        fixture.reopen(stop);

        assertArrayEquals(first, fixture.data(fixture.store().get(qid, 0)));
        assertArrayEquals(second, fixture.data(fixture.store().get(qid, 1)));
    }

    /** The store still works after the failure, and the next open removes what the failure left. */
    private void assertNothingLeftButOneSmallItem(long qid) {
        fixture.append(qid, 0, randomBytes(10, 0));
        fixture.reopen(Stop.KILLED);
        assertEquals(1, fixture.recovered("q").items());
        StoreContents left = fixture.stopAndInspect();
        assertEquals(0, left.chunks(), "chunks");
        assertEquals(0, left.pendingBlobs(), "pending markers");
        assertEquals(1, left.items(), "items");
    }
}
