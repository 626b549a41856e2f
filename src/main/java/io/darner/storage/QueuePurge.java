package io.darner.storage;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;

import java.io.IOException;
import java.util.Map;

/**
 * Deletes every item (and its chunks, unless shared) of a flushed or deleted queue generation, in batches, then its
 * purge record. Interrupted, it leaves the record, and the next open resumes it.
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
                more = deleteBatch();
            }
            if (!Thread.currentThread().isInterrupted()) {
                db.delete(Keys.purge(qid));
            }
        } catch (IOException e) {
            throw new StoreException("purge failed: " + e.getMessage(), e);
        }
    }

    private boolean deleteBatch() throws IOException {
        int n = 0;
        try (WriteBatch batch = db.createWriteBatch(); DBIterator it = db.iterator(QueueStore.VERIFIED)) {
            for (it.seek(Keys.item(qid, 0)); it.hasNext() && n < BATCH_ITEMS; n++) {
                Map.Entry<byte[], byte[]> e = it.next();
                if (!Keys.isItemOf(e.getKey(), qid)) {
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
