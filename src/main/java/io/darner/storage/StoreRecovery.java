package io.darner.storage;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Brings the store back to a consistent state at open and reads what the queue layer needs: the
 * queues, where each starts and ends, and their counts. Cheap with a clean-stop marker (a few seeks
 * per queue); after a crash it also recounts every queue's items.
 */
final class StoreRecovery {
    private static final Logger LOG = Logger.getLogger(StoreRecovery.class);

    private final DB db;
    private long nextQid = 1;
    private long nextBlob;
    private final List<Long> purges = new ArrayList<>();
    private List<StoredQueue> queues;

    /**
     * Whether this open follows a repair ({@code darner.repair-on-start}): every queue is recounted,
     * and a large item whose chunks did not all survive is removed.
     */
    private final boolean repaired;

    StoreRecovery(DB db, boolean repaired) {
        this.db = db;
        this.repaired = repaired;
    }

    /** The queues found by {@link #recover()}. */
    List<StoredQueue> queues() {
        return queues;
    }

    void recover() {
        try {
            if (db.get(Keys.SENTINEL, QueueStore.VERIFIED) == null) {
                db.put(Keys.SENTINEL, new byte[0]);
            }
            // after a repair the saved counts may not match what survived: recount
            boolean clean = !repaired && db.get(Keys.META_CLEAN, QueueStore.VERIFIED) != null;
            byte[] q = db.get(Keys.META_NEXT_QID, QueueStore.VERIFIED);
            if (q != null) {
                nextQid = ByteBuffer.wrap(q).getLong();
            }
            nextBlob = findNextBlob();
            removeUnfinishedBlobs();
            forEachKey(Keys.PURGE, (key, value) -> purges.add(Keys.idOf(key)));
            Map<String, Long> catalog = new java.util.LinkedHashMap<>();
            forEachKey(Keys.CATALOG, (key, value) -> catalog.put(Keys.catalogName(key), ByteBuffer.wrap(value).getLong()));
            List<StoredQueue> queues = new ArrayList<>(catalog.size());
            for (Map.Entry<String, Long> e : catalog.entrySet()) {
                queues.add(locateOrDamaged(e.getKey(), e.getValue(), clean));
            }
            if (repaired) {
                removeIncompleteDelayed();
            }
            forgetCleanStop();
            if (!clean && !queues.isEmpty()) {
                LOG.infof("the last stop was not clean: recounted %d queues", queues.size());
            }
            this.queues = queues;
        } catch (IOException | RuntimeException e) {
            throw new StoreException("recovery failed: " + StoreFailures.describe(e), e);
        }
    }

    long nextQid() {
        return nextQid;
    }

    long nextBlob() {
        return nextBlob;
    }

    List<Long> purgesToResume() {
        return purges;
    }

    /**
     * The queue as {@link #locate} finds it; if its items cannot be read (a damaged block), the queue
     * is reported damaged and the others are recovered all the same.
     */
    private StoredQueue locateOrDamaged(String name, long qid, boolean clean) {
        try {
            return locate(name, qid, clean);
        } catch (IOException | RuntimeException e) {
            String reason = StoreFailures.describe(e);
            LOG.errorf("queue '%s' is damaged: its items cannot be read (%s). It answers SERVER_ERROR until the "
                    + "store is repaired (start once with darner.repair-on-start=true), or it is flushed or deleted; "
                    + "the other queues are served", name, reason);
            return StoredQueue.damaged(name, qid, reason);
        }
    }

    private StoredQueue locate(String name, long qid, boolean clean) throws IOException {
        StoredCounts saved = clean ? savedCounts(qid) : null;
        if (saved != null) {
            return locateSaved(name, qid, saved);
        }
        long first = -1;
        long last = -1;
        try (DBIterator it = db.iterator(QueueStore.VERIFIED)) {
            it.seek(Keys.item(qid, 0));
            Map.Entry<byte[], byte[]> e = it.peekNext();
            if (Keys.isItemOf(e.getKey(), qid)) {
                first = Keys.itemSeq(e.getKey());
                last = LastKeys.highest(it, first, Keys.item(qid, Long.MAX_VALUE), seq -> Keys.item(qid, seq),
                        k -> Keys.isItemOf(k, qid), Keys::itemSeq);
            }
        }
        if (first < 0) {
            return new StoredQueue(name, qid, 0, 0, 0, 0);
        }
        long[] counts = count(qid);
        return new StoredQueue(name, qid, first, last + 1, counts[0], counts[1]);
    }

    /**
     * A queue as a clean stop left it, from its saved items, bytes and next seq: a seek finds its
     * first item, and none is needed for an empty one. No seek goes past the queue's own keys, so
     * a damaged block beyond them (after other queues' consumed items) is not met.
     */
    private StoredQueue locateSaved(String name, long qid, StoredCounts saved) throws IOException {
        long next = saved.nextSeq();
        if (saved.items() == 0) {
            return new StoredQueue(name, qid, next, next, 0, 0);
        }
        try (DBIterator it = db.iterator(QueueStore.VERIFIED)) {
            it.seek(Keys.item(qid, 0));
            Map.Entry<byte[], byte[]> e = it.peekNext();
            if (!Keys.isItemOf(e.getKey(), qid)) {
                throw new StoreException("the saved counts of queue " + name + " do not match its items");
            }
            return new StoredQueue(name, qid, Keys.itemSeq(e.getKey()), next, saved.items(), saved.bytes());
        }
    }

    /** What a clean stop saved of the queue, or null if nothing usable. */
    private StoredCounts savedCounts(long qid) {
        byte[] v = db.get(Keys.counts(qid), QueueStore.VERIFIED);
        return v == null ? null : StoredCounts.decode(v);
    }

    private long[] count(long qid) throws IOException {
        long items = 0;
        long bytes = 0;
        long incomplete = 0;
        try (DBIterator it = db.iterator(QueueStore.VERIFIED); WriteBatch removals = db.createWriteBatch()) {
            for (it.seek(Keys.item(qid, 0)); it.hasNext(); ) {
                Map.Entry<byte[], byte[]> e = it.next();
                if (!Keys.isItemOf(e.getKey(), qid)) {
                    break;
                }
                ItemRecord record = ItemRecord.decode(e.getValue(), false);
                if (repaired && !record.isInline() && !chunksPresent(record)) {
                    removals.delete(e.getKey()); // a large item that lost chunks in the repair could never be sent
                    incomplete++;
                    continue;
                }
                items++;
                bytes += record.length();
            }
            if (incomplete > 0) {
                db.write(removals);
                LOG.warnf("repair: removed %d large items that lost chunks in damaged blocks", incomplete);
            }
        }
        return new long[] {items, bytes};
    }

    /** After a repair: removes the delayed large items that lost chunks in damaged blocks (they could never be sent). */
    private void removeIncompleteDelayed() throws IOException {
        List<byte[]> incomplete = new ArrayList<>();
        forEachKey(Keys.DELAYED, (key, value) -> {
            ItemRecord record = ItemRecord.decode(value, false);
            if (!record.isInline() && !chunksPresent(record)) {
                incomplete.add(key);
            }
        });
        if (incomplete.isEmpty()) {
            return;
        }
        try (WriteBatch removals = db.createWriteBatch()) {
            incomplete.forEach(removals::delete);
            db.write(removals);
        }
        LOG.warnf("repair: removed %d delayed large items that lost chunks in damaged blocks", incomplete.size());
    }

    private boolean chunksPresent(ItemRecord record) {
        int chunks = (int) ((record.length() + (long) QueueStore.CHUNK_SIZE - 1) / QueueStore.CHUNK_SIZE);
        for (int i = 0; i < chunks; i++) {
            if (db.get(Keys.chunk(record.blobId(), i), QueueStore.VERIFIED) == null) {
                return false;
            }
        }
        return true;
    }

    /** One past the highest blob id that has chunks, so ids are never reused while chunks exist. */
    private long findNextBlob() throws IOException {
        try {
            return lastBlob();
        } catch (RuntimeException damaged) {
            // a damaged block next to the chunks: ids above any used so far, from the clock
            long next = System.currentTimeMillis() << 16;
            LOG.warnf("the highest large item id cannot be read (%s): new large items take ids from %d on",
                    StoreFailures.describe(damaged), next);
            return next;
        }
    }

    private long lastBlob() throws IOException {
        try (DBIterator it = db.iterator(QueueStore.VERIFIED)) {
            return 1 + LastKeys.highest(it, 0, Keys.prefix(Keys.PENDING_BLOB), blob -> Keys.chunk(blob, 0),
                    k -> k.length == 13 && k[0] == Keys.CHUNK, Keys::chunkBlob);
        }
    }

    /** Removes the chunks of large items that were still being received when the process stopped. */
    private void removeUnfinishedBlobs() throws IOException {
        List<Long> unfinished = new ArrayList<>();
        forEachKey(Keys.PENDING_BLOB, (key, value) -> unfinished.add(Keys.idOf(key)));
        for (long blob : unfinished) {
            try (WriteBatch batch = db.createWriteBatch(); DBIterator it = db.iterator(QueueStore.VERIFIED)) {
                for (it.seek(Keys.chunk(blob, 0)); it.hasNext(); ) {
                    byte[] key = it.next().getKey();
                    if (!Keys.isChunkOf(key, blob)) {
                        break;
                    }
                    batch.delete(key);
                }
                batch.delete(Keys.pendingBlob(blob));
                batch.delete(Keys.blobReferences(blob));
                db.write(batch);
            }
        }
        if (!unfinished.isEmpty()) {
            LOG.infof("removed %d large items that were still being received at the last stop", unfinished.size());
        }
    }

    /** From now on a crash must lead to a recount: remove the marker and the saved counts. */
    private void forgetCleanStop() throws IOException {
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.delete(Keys.META_CLEAN);
            forEachKey(Keys.COUNTS, (key, value) -> batch.delete(key));
            db.write(batch, new WriteOptions().sync(true));
        }
    }

    private interface EntryVisitor {
        void visit(byte[] key, byte[] value);
    }

    /**
     * Visits every key of one type. Moving on from the last one reads the next live key, and on
     * the way every deleted key in between (LevelDB's iterators step over deletions one by one): if
     * a damaged block lies on that way, after consumed items, the move fails although every key of
     * the type was read. Such a failure, after at least one key, is taken as the end of the type's
     * keys, with a warning; a failure to reach the first one is an error.
     */
    private void forEachKey(byte type, EntryVisitor visitor) throws IOException {
        try (DBIterator it = db.iterator(QueueStore.VERIFIED)) {
            it.seek(Keys.prefix(type));
            int visited = 0;
            while (it.hasNext()) {
                Map.Entry<byte[], byte[]> e = it.peekNext();
                if (e.getKey()[0] != type) {
                    return;
                }
                visitor.visit(e.getKey(), e.getValue());
                visited++;
                try {
                    it.next();
                } catch (RuntimeException damaged) {
                    LOG.warnf("a damaged block follows the %d keys of type %d: taken as their end (%s)", visited, type,
                            StoreFailures.describe(damaged));
                    return;
                }
            }
        }
    }
}
