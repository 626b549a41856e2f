package io.darner.storage;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The repair of one queue whose items cannot all be read ({@code darner.repair-on-start}): every
 * item that can still be read is copied, in order and with its seq, to a fresh queue id, stepping
 * over the damaged blocks; then the queue's name is pointed at the copy. The items of the damaged
 * blocks are lost, and so is a large item any of whose chunks cannot be read.
 *
 * <p>The originals are left where they are, unreferenced, damaged block included: deleting them
 * would leave tombstones that every iteration crossing that key range (the end of the queue
 * before it, a purge) walks over, into the damaged block. They cost their size on disk.
 *
 * <p>Crash-safe: until the one batch that switches the name, the copy is unreferenced, and a repair
 * run again writes it again, to the same keys.
 *
 * <p>LevelDB's own repair does not do this: it keeps a table with a damaged block as it is (it sets
 * aside only a table it cannot open at all), so without this step the queue would keep failing
 * at the damaged block.
 */
final class QueueSalvage {
    private static final int BATCH_ITEMS = 1000;

    private final DB db;
    private final String name;
    private final long oldQid;
    private final long newQid;

    private long first = -1;
    private long last = -1;
    private long items;
    private long bytes;
    private long droppedLarge;
    private final List<String> skipped = new ArrayList<>();

    QueueSalvage(DB db, String name, long oldQid, long newQid) {
        this.db = db;
        this.name = name;
        this.oldQid = oldQid;
        this.newQid = newQid;
    }

    /** Copies, then switches the name; returns the queue as it is now ({@link #report()} says what was lost). */
    StoredQueue run(long nextQidAfter) throws IOException {
        Batches copy = new Batches();
        traverse((key, value) -> {
            ItemRecord record = ItemRecord.decode(value, false);
            if (!record.isInline() && !chunksReadable(record)) {
                droppedLarge++;
                return;
            }
            long seq = Keys.itemSeq(key);
            copy.put(Keys.item(newQid, seq), value);
            first = first < 0 ? seq : first;
            last = seq;
            items++;
            bytes += record.length();
        });
        copy.finish();
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.put(Keys.catalog(name), QueueStore.longBytes(newQid));
            batch.put(Keys.META_NEXT_QID, QueueStore.longBytes(nextQidAfter));
            db.write(batch);
        }
        return first < 0 ? new StoredQueue(name, newQid, 0, 0, 0, 0)
                : new StoredQueue(name, newQid, first, last + 1, items, bytes);
    }

    /** What the repair kept and lost, for the log. */
    String report() {
        return String.format("kept %d items; lost %s%s", items,
                skipped.isEmpty() ? "none" : "any items with " + String.join(", ", skipped),
                droppedLarge == 0 ? "" : " and " + droppedLarge + " large items with unreadable chunks")
;
    }

    private interface Visitor {
        void visit(byte[] key, byte[] value) throws IOException;
    }

    /** Visits every readable item of the old queue id in order, stepping over damaged blocks. */
    private void traverse(Visitor visitor) throws IOException {
        skipped.clear();
        long seq = 0;
        while (true) {
            try (DBIterator it = db.iterator(QueueStore.VERIFIED)) {
                it.seek(Keys.item(oldQid, seq));
                while (it.hasNext()) {
                    Map.Entry<byte[], byte[]> e = it.peekNext();
                    if (!Keys.isItemOf(e.getKey(), oldQid)) {
                        return;
                    }
                    visitor.visit(e.getKey(), e.getValue());
                    seq = Keys.itemSeq(e.getKey()) + 1;
                    it.next(); // moving on may load the next block, which may be the damaged one
                }
                return;
            } catch (RuntimeException damaged) {
                long resume = nextReadable(seq);
                if (resume < 0) {
                    skipped.add("seq " + seq + " to the end");
                    return;
                }
                resume = Math.max(resume, seq + 1); // always make progress
                skipped.add(resume == seq + 1 ? "seq " + seq : "seqs " + seq + " to " + (resume - 1));
                seq = resume;
            }
        }
    }

    /**
     * The lowest seq from {@code seq} on at which a seek lands on a readable block, or -1 if none
     * does up to the end of the queue's key range: a binary search, as a seek into the damaged
     * block fails and a seek past it works.
     */
    private long nextReadable(long seq) {
        if (!seekWorks(Long.MAX_VALUE)) {
            return -1;
        }
        long lo = seq;
        long hi = Long.MAX_VALUE;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (seekWorks(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private boolean seekWorks(long seq) {
        try (DBIterator it = db.iterator(QueueStore.VERIFIED)) {
            it.seek(Keys.item(oldQid, seq));
            if (it.hasNext()) {
                it.peekNext();
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private boolean chunksReadable(ItemRecord record) {
        int chunks = (int) ((record.length() + (long) QueueStore.CHUNK_SIZE - 1) / QueueStore.CHUNK_SIZE);
        try {
            for (int i = 0; i < chunks; i++) {
                if (db.get(Keys.chunk(record.blobId(), i), QueueStore.VERIFIED) == null) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Writes in batches of {@value #BATCH_ITEMS}. */
    private final class Batches {
        private WriteBatch batch = db.createWriteBatch();
        private int size;

        void put(byte[] key, byte[] value) throws IOException {
            batch.put(key, value);
            maybeWrite();
        }

        private void maybeWrite() throws IOException {
            if (++size == BATCH_ITEMS) {
                finish();
                batch = db.createWriteBatch();
            }
        }

        void finish() throws IOException {
            try {
                if (size > 0) {
                    db.write(batch);
                }
            } finally {
                batch.close();
                size = 0;
            }
        }
    }
}
