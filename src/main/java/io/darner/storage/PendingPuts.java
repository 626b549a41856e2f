package io.darner.storage;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.WriteBatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Puts of small items that wait for the end of an event loop's pass, to be written together in one
 * LevelDB batch: an item taken and confirmed before then (a queue drained as fast as it fills) is
 * never written at all, and the others cost one write for the pass instead of one each. LevelDB's
 * put and delete were about a quarter of the CPU of a set and its get.
 *
 * <p>A put waits here only while the thread handling its request has a {@link Collector} open (the
 * memcache session's set, whose {@code STORED} is held until its puts are written, see
 * {@link PendingPut}). Every other store operation writes what waits first, so nothing reads the
 * store, or rewrites a key, behind a waiting put; a delete of a waiting put takes it out instead.
 * At most {@link #MAX_WAITING} puts or {@link #MAX_WAITING_BYTES} of items wait: the put that
 * reaches either bound writes them all at once.
 *
 * <p>When the batch fails, none of its items is stored: each put is marked failed, and its queue
 * takes the item out again ({@link LostPuts}) when {@link #settleLost()} runs, on a thread that holds
 * no queue's lock. Thread-safe: the batch is written under the lock that taking out is done under,
 * so a delete never overtakes the put it deletes.
 */
public final class PendingPuts {
    /** The most puts that wait at once. */
    static final int MAX_WAITING = 256;
    /** The most bytes of items that wait at once (small items reach 64 KiB: the heap holds them meanwhile). */
    static final int MAX_WAITING_BYTES = 1024 * 1024;

    /** The queue an item of a failed batch goes back out of. */
    public interface LostPuts {
        /** {@code record}, put at {@code seq} of generation {@code qid}, was not stored after all. */
        void lost(long qid, long seq, ItemRecord record);
    }

    /** The puts of the request being handled on one thread, which may wait for the end of the pass. */
    public static final class Collector {
        private final List<PendingPut> puts = new ArrayList<>(2);

        public List<PendingPut> puts() {
            return puts;
        }

        public boolean isEmpty() {
            return puts.isEmpty();
        }

        /** The first failure among the puts, all settled; null when every one was stored. */
        public StoreException failure() {
            for (PendingPut put : puts) {
                if (put.failure() != null) {
                    return put.failure();
                }
            }
            return null;
        }

        public void clear() {
            puts.clear();
        }
    }

    private static final ThreadLocal<Collector> COLLECTING = new ThreadLocal<>();

    private final DB db;
    /** A batch of one is a plain put, straight through leveldbjni where it can be; null: through {@link DB}. */
    private final JniWrites direct;
    private final StoreFailures failures;
    private final Object lock = new Object();
    private ArrayList<PendingPut> waiting = new ArrayList<>();
    private int waitingBytes;
    /** Whether any put waits: read without the lock, so that the operations that write first seldom take it. */
    private volatile boolean any;
    private final ConcurrentLinkedQueue<PendingPut> lost = new ConcurrentLinkedQueue<>();

    PendingPuts(DB db, JniWrites direct, StoreFailures failures) {
        this.db = db;
        this.direct = direct;
        this.failures = failures;
    }

    /** Lets the small puts this thread makes until {@link #endCollecting()} wait, gathered in {@code into}. */
    public static void collectInto(Collector into) {
        COLLECTING.set(into);
    }

    public static void endCollecting() {
        COLLECTING.set(null); // not remove(): the next set would allocate a new entry
    }

    /** The put to wait, or null when this thread writes its puts at once. */
    PendingPut offer(long qid, long seq, ItemRecord record, LostPuts owner) {
        Collector collector = COLLECTING.get();
        if (collector == null || owner == null) {
            return null;
        }
        PendingPut put = new PendingPut(qid, seq, record, owner);
        collector.puts.add(put);
        boolean full;
        synchronized (lock) {
            waiting.add(put);
            waitingBytes += record.length();
            any = true;
            full = waiting.size() >= MAX_WAITING || waitingBytes >= MAX_WAITING_BYTES;
        }
        if (full) {
            write();
        }
        return put;
    }

    /** Takes out the waiting put of {@code qid}/{@code seq}: true when there was one (it need not be deleted). */
    boolean cancel(long qid, long seq) {
        if (!any) {
            return false;
        }
        synchronized (lock) {
            for (int i = waiting.size() - 1; i >= 0; i--) { // the item taken is usually one of the last put
                PendingPut p = waiting.get(i);
                if (p.seq == seq && p.qid == qid) {
                    waiting.remove(i);
                    waitingBytes -= p.record.length();
                    any = !waiting.isEmpty();
                    p.settle(null);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Writes every waiting put in one batch. A failure marks each of them failed (their requests
     * answer with it); it is not thrown, for the caller's own operation may still go on.
     */
    public void write() {
        if (!any) {
            return;
        }
        synchronized (lock) {
            if (waiting.isEmpty()) {
                return;
            }
            ArrayList<PendingPut> batchOf = waiting;
            waiting = new ArrayList<>(Math.max(16, batchOf.size()));
            waitingBytes = 0;
            StoreException failure = null;
            try {
                writeAll(batchOf);
            } catch (IOException | RuntimeException e) {
                failure = failures.write(e);
            }
            for (PendingPut p : batchOf) {
                p.settle(failure);
                if (failure != null) {
                    lost.add(p);
                }
            }
            any = false; // only now: a delete that finds nothing waiting must not overtake the batch
        }
    }

    private void writeAll(List<PendingPut> puts) throws IOException {
        if (puts.size() == 1) { // a reader came before the pass ended (a queue with a backlog)
            PendingPut p = puts.get(0);
            if (direct == null || !direct.putItem(p.qid, p.seq, p.record)) {
                db.put(Keys.item(p.qid, p.seq), p.record.encode());
            }
            return;
        }
        try (WriteBatch batch = db.createWriteBatch()) {
            for (PendingPut p : puts) {
                batch.put(Keys.item(p.qid, p.seq), p.record.encode());
            }
            db.write(batch);
        }
    }

    /** Has the queues take out the items of failed batches. Call holding no queue's lock. */
    public void settleLost() {
        for (PendingPut p; (p = lost.poll()) != null; ) {
            p.owner.lost(p.qid, p.seq, p.record);
        }
    }
}
