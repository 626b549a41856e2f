package io.darner.storage;

import org.iq80.leveldb.DB;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's background work on one thread: purging flushed and deleted queue generations, and
 * compacting the key ranges of consumed items so that their tombstones go and the disk space
 * comes back. Either can stop at any point: a purge leaves its record and resumes at the next
 * open, a compaction changes nothing LevelDB's readers see.
 */
final class StoreMaintenance {
    private static final Logger LOG = Logger.getLogger(StoreMaintenance.class);
    /** Consumed bytes of one queue after which its consumed key range is compacted. */
    private static final long COMPACT_AFTER_BYTES = 32L * 1024 * 1024;
    /**
     * Consumed items of one queue after which its consumed range is compacted. LevelDB's background
     * thread spends less per request at 100,000 than at 200,000 (docs/benchmarks.md, fifth round):
     * the sooner the range is compacted, the fewer tombstones its own compactions carry down.
     */
    private static final long COMPACT_AFTER_ITEMS = 100_000;

    private final DB db;
    private final SharedBlobs blobs;
    private final ExecutorService executor;
    private final Map<Long, ConsumedSinceCompaction> consumed = new ConcurrentHashMap<>();
    private final AtomicLong deletedBlobBytes = new AtomicLong();
    /** Delayed items moved to their queues since the delayed keys were last compacted. */
    private final AtomicLong joinedSinceCompaction = new AtomicLong();
    private volatile boolean stopped;

    private static final class ConsumedSinceCompaction {
        long bytes;
        long items;
    }

    StoreMaintenance(DB db, SharedBlobs blobs) {
        this.db = db;
        this.blobs = blobs;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "darner-maintenance");
            t.setDaemon(true);
            return t;
        });
    }

    /** Counts a consumed item, and compacts what its queue (or large items) consumed once enough is. */
    void noteConsumed(long qid, long seq, ItemRecord record) {
        if (!record.isInline() && deletedBlobBytes.addAndGet(record.length()) >= COMPACT_AFTER_BYTES) {
            deletedBlobBytes.set(0);
            long upTo = record.blobId() + 1;
            compactLater(Keys.chunk(0, 0), Keys.chunk(upTo, 0));
        }
        ConsumedSinceCompaction c = consumed.computeIfAbsent(qid, q -> new ConsumedSinceCompaction());
        boolean due;
        synchronized (c) {
            c.bytes += record.length() + 40;
            c.items++;
            due = c.bytes >= COMPACT_AFTER_BYTES || c.items >= COMPACT_AFTER_ITEMS;
            if (due) {
                c.bytes = 0;
                c.items = 0;
            }
        }
        if (due) {
            // everything below the consumed seq is gone or open: compacting it drops the tombstones
            // that a seek from the head would otherwise walk over, and gives the disk space back
            compactLater(Keys.item(qid, 0), Keys.item(qid, seq + 1));
        }
    }

    /**
     * Counts delayed items that moved to their queue's tail, and compacts the queue's delayed keys up
     * to the last of them once enough did: the next look for due items seeks past no tombstones.
     */
    void noteJoined(long qid, int items, long lastDue, long lastSeq) {
        if (joinedSinceCompaction.addAndGet(items) >= COMPACT_AFTER_ITEMS) {
            joinedSinceCompaction.set(0);
            compactLater(Keys.delayed(qid, 0, 0), Keys.delayed(qid, lastDue, lastSeq + 1));
        }
    }

    /** Deletes the items of a queue generation whose purge record is written, then compacts its range. */
    void schedulePurge(long qid) {
        if (stopped) {
            return;
        }
        executor.execute(() -> {
            try {
                new QueuePurge(db, blobs, qid).run();
                compact(Keys.item(qid, 0), Keys.item(qid, Long.MAX_VALUE));
                compact(Keys.delayed(qid, 0, 0), Keys.delayed(qid, Long.MAX_VALUE, Long.MAX_VALUE));
            } catch (RuntimeException e) {
                LOG.warnf("purging queue id %d failed, retried at the next start: %s", qid, e.getMessage());
            }
        });
    }

    /** Interrupts the work under way and waits for it to stop; nothing more is started. */
    void stop() {
        stopped = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void compactLater(byte[] from, byte[] to) {
        if (stopped) {
            return;
        }
        executor.execute(() -> {
            try {
                compact(from, to);
            } catch (RuntimeException e) {
                LOG.warnf("compaction failed: %s", e.getMessage());
            }
        });
    }

    /**
     * Compacts a key range, with the native engine; the Java engine has no compaction on request
     * (its background compaction still drops the tombstones, later).
     */
    private void compact(byte[] from, byte[] to) {
        try {
            db.compactRange(from, to);
        } catch (UnsupportedOperationException javaEngine) {
            LOG.tracef("no compaction on request with the Java engine: %s", javaEngine.getMessage());
        }
    }
}
