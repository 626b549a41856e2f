package io.darner.storage;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;

import java.io.IOException;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Deletes every item, delayed ones too (and their chunks, unless shared), of a flushed or deleted queue generation,
 * in batches, then its purge record. Interrupted, it leaves the record, and the next open resumes it.
 */
final class QueuePurge {
    private static final int BATCH_ITEMS = 10_000;

    private final DB db;
    private final SharedBlobs blobs;
    private final long qid;

    QueuePurge(DB db, SharedBlobs blobs, long qid) {
        this.db = db;
        this.blobs = blobs;
        this.qid = qid;
    }

    void run() {
        try {
            boolean more = true;
            while (more && !Thread.currentThread().isInterrupted()) {
                more = deleteBatch(Keys.item(qid, 0), key -> Keys.isItemOf(key, qid));
            }
            more = true;
            while (more && !Thread.currentThread().isInterrupted()) {
                more = deleteBatch(Keys.delayed(qid, 0, 0), key -> Keys.isDelayedOf(key, qid));
            }
            if (!Thread.currentThread().isInterrupted()) {
                db.delete(Keys.purge(qid));
            }
        } catch (IOException e) {
            throw new StoreException("purge failed: " + e.getMessage(), e);
        }
    }

    /** Deletes up to a batch of the keys from {@code first} on that are {@code ours}; true if there may be more. */
    private boolean deleteBatch(byte[] first, Predicate<byte[]> ours) throws IOException {
        int n = 0;
        try (WriteBatch batch = db.createWriteBatch(); DBIterator it = db.iterator(QueueStore.VERIFIED)) {
            for (it.seek(first); it.hasNext() && n < BATCH_ITEMS; n++) {
                Map.Entry<byte[], byte[]> e = it.next();
                if (!ours.test(e.getKey())) {
                    break;
                }
                ItemRecord record = ItemRecord.decode(e.getValue(), false);
                if (record.isInline()) {
                    batch.delete(e.getKey());
                } else {
                    blobs.deleteItem(e.getKey(), record); // its chunks may be shared with fanout copies
                }
            }
            db.write(batch);
        }
        return n == BATCH_ITEMS;
    }
}
