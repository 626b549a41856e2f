package io.darner.storage;

import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Delayed items in the store (key type 0x09): first due first, moved to the tail whole, purged, repaired. */
class DelayedItemStoreTest {
    @TempDir
    Path dir;

    @Test
    void delayedItemsComeFirstDueFirstAndInSetOrderWithinADueTime() {
        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            long qid = store.createQueue("q");
            store.appendDelayed(qid, 2000, 0, ItemRecord.inline(0, 0, 0, new byte[] {2}), null);
            store.appendDelayed(qid, 1000, 1, ItemRecord.inline(0, 0, 0, new byte[] {1}), null);
            store.appendDelayed(qid, 2000, 2, ItemRecord.inline(0, 0, 0, new byte[] {3}), null);
            store.appendDelayed(qid + 1, 1, 0, ItemRecord.inline(0, 0, 0, new byte[] {9}), null); // another queue's

            List<DelayedItem> first = store.delayed(qid, 10);
            assertEquals(List.of(1000L, 2000L, 2000L), first.stream().map(DelayedItem::dueAt).toList());
            assertEquals(List.of(1, 2, 3), first.stream().map(d -> (int) d.record().data()[0]).toList());
            assertEquals(new StoredDelays(3, 3, 1000, 3), store.delays(qid));

            store.joinTail(qid, first.subList(0, 2), 7);
            assertArrayEquals(new byte[] {1}, store.get(qid, 7).data());
            assertArrayEquals(new byte[] {2}, store.get(qid, 8).data());
            assertEquals(new StoredDelays(1, 1, 2000, 3), store.delays(qid));
        }
    }

    @Test
    void aRepairRemovesADelayedLargeItemThatLostAChunk() throws IOException {
        long qid;
        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            qid = store.createQueue("q");
            BlobWriter blob = store.newBlob();
            byte[] data = randomBytes(2 * QueueStore.CHUNK_SIZE + 5, 3);
            blob.write(data, 0, data.length);
            store.appendDelayed(qid, 1000, 0, new ItemRecord(0, 0, 0, 0, data.length, blob.blobId(), null), blob);
            store.appendDelayed(qid, 1000, 1, ItemRecord.inline(0, 0, 0, new byte[] {1}), null);
        }
        try (DB db = JniDBFactory.factory.open(dir.toFile(), new Options())) {
            db.delete(Keys.chunk(0, 1));
        }

        try (QueueStore store = QueueStore.open(dir, 1 << 20, true, TestEngine.chosen())) {
            assertEquals(new StoredDelays(1, 1, 1000, 2), store.delays(qid), "the small one is kept");
        }
    }
}
