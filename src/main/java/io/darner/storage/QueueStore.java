package io.darner.storage;

import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Range;
import org.iq80.leveldb.ReadOptions;
import org.iq80.leveldb.Snapshot;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Every queue in one LevelDB (see {@link Keys} for the format): one set of files, caches and
 * threads whatever the number of queues. The store's opening and repair are {@link StoreOpening}'s,
 * the queue names {@link StoreCatalog}'s, the chunks that fanout copies share {@link SharedBlobs}',
 * purges and compactions {@link StoreMaintenance}'s.
 *
 * <p>Crash safety:
 * <ul>
 * <li>Every change is one LevelDB write batch, so it is all there or not at all. LevelDB's log is
 * written before a call returns, so a killed process loses no change that returned; {@link #sync()}
 * makes changes durable against power loss too (see {@link LogSyncer}).</li>
 * <li>An item becomes visible in one batch that writes its record (and, for a large item, deletes
 * the pending marker of its chunks). Chunks without a record are removed at the next open.</li>
 * <li>A large item shared by fanout copies has a reference count, written before the copies; each
 * copy's deletion and the count's decrement (or, for the last copy, the chunks' deletion) are one
 * batch.</li>
 * <li>A small item's put may wait for the end of the event loop's pass ({@link PendingPuts}), but its
 * set is answered only once it is written; every other operation writes the waiting puts first,
 * and an item taken and confirmed while its put waits is never written at all.</li>
 * <li>Nothing assumes seqs are contiguous: a reader seeks to the next stored key, so items
 * confirmed out of order leave harmless gaps.</li>
 * <li>Open reads are not written: an item stays stored until it is confirmed, so after a crash the
 * items that were open are simply items again.</li>
 * <li>Flushing or deleting a queue moves its name to a fresh queue id and records the old id for
 * purging, in one batch; purging runs in the background and resumes after a restart.</li>
 * <li>Item and byte counts are written only at a clean stop, with a marker that the next open
 * removes; after a crash the counts are recomputed from the items.</li>
 * <li>A delayed item is stored at once under its due time (key type 0x09); when due it moves to
 * the queue's tail in one batch (its record under its new seq, the delayed key deleted). After a
 * crash it is either still delayed or in the queue, never both nor lost.</li>
 * <li>A store in a format version this server does not read is refused at open, before anything
 * is written to it (see {@link StoreFormat}).</li>
 * </ul>
 *
 * Thread-safe: LevelDB serialises writes itself. Callers order writes to one queue themselves.
 */
public final class QueueStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(QueueStore.class);
    /** Size of the chunks a large item is cut into; items up to this size are stored inline. */
    public static final int CHUNK_SIZE = 64 * 1024;
    /** Level-0 tables at which large items wait (LevelDB compacts from 4, slows writes at 8). */
    private static final int BEHIND_AT_LEVEL0_FILES = 6;
    /** Table files LevelDB keeps open at most (its table cache): file descriptors the listener must leave it. */
    public static final int MAX_OPEN_FILES = 100;
    /**
     * Every read checks the CRC of each block it loads from disk: without it LevelDB hands out
     * whatever bytes a damaged block holds as if they were the item (blocks already in the cache
     * were checked when loaded, so this costs one CRC per block read from disk).
     */
    static final ReadOptions VERIFIED = new ReadOptions().verifyChecksums(true);

    /**
     * The native memory from which LevelDB calls on a serving thread take their key and value
     * buffers: handed out in turn and freed as a whole once every buffer in it is given back,
     * instead of a malloc and a free for each key and each value.
     */
    private static final int NATIVE_BUFFER_POOL_BYTES = 64 * 1024;
    private static final ThreadLocal<Boolean> POOLED_THREAD = ThreadLocal.withInitial(() -> false);

    private final DB db;
    /** Inline puts and item deletes on serving threads straight through leveldbjni; null on other stores. */
    private final JniWrites direct;
    /** Small puts waiting for the end of an event loop's pass; every other operation writes them first. */
    private final PendingPuts pending;
    private final StoreEngine engine;
    private final LogSyncer syncer;
    private final StoreFailures failures = new StoreFailures();
    private final SharedBlobs blobs;
    private final StoreMaintenance maintenance;
    private final AtomicLong nextBlob;
    private final List<StoredQueue> recovered;
    private final StoreCatalog catalog;
    private final NewFileSync newFiles;
    private volatile boolean closed;

    /** A store that {@link StoreOpening} opened and recovered; {@code newFiles} watches its directory. */
    QueueStore(Path dir, DB db, StoreRecovery recovery, NewFileSync newFiles, StoreEngine engine) {
        this.db = db;
        this.direct = JniWrites.of(db);
        this.pending = new PendingPuts(db, direct, failures);
        this.newFiles = newFiles;
        this.engine = engine;
        this.syncer = new LogSyncer(dir, failures);
        this.blobs = new SharedBlobs(db, failures);
        this.maintenance = new StoreMaintenance(db, blobs);
        this.recovered = recovery.queues();
        this.catalog = new StoreCatalog(db, failures, maintenance, recovery.nextQid());
        this.nextBlob = new AtomicLong(recovery.nextBlob());
        recovery.purgesToResume().forEach(maintenance::schedulePurge);
        // loads the engine's classes for the disk estimate now, not at the sweep's first estimate: a class
        // loaded while no file descriptor is left hangs its thread for good (the packaged application's
        // class loader never retries a jar it failed to open, quarkusio/quarkus#48750)
        try {
            approximateSize(0);
        } catch (StoreException e) {
            // an estimate of nothing, asked for its classes: a failure here is the sweep's to meet
        }
    }

    /** Opens (creating if needed) the store in {@code dir} with {@code engine} and recovers its queues. */
    static QueueStore open(Path dir, long cacheBytes, StoreEngine engine) {
        return open(dir, cacheBytes, false, engine, UnaryOperator.identity());
    }

    /**
     * As {@link #open(Path, long, StoreEngine)}; with {@code repair} the store is first rebuilt from
     * every record that can still be read (see {@link StoreRebuild}).
     */
    public static QueueStore open(Path dir, long cacheBytes, boolean repair, StoreEngine engine) {
        return open(dir, cacheBytes, repair, engine, UnaryOperator.identity());
    }

    /**
     * As {@link #open(Path, long, boolean, StoreEngine)}, with every LevelDB call going through
     * {@code decorate}'s result: the seam through which tests make writes fail.
     */
    static QueueStore open(Path dir, long cacheBytes, boolean repair, StoreEngine engine, UnaryOperator<DB> decorate) {
        return StoreOpening.open(dir, cacheBytes, repair, engine, decorate);
    }

    /** The LevelDB implementation this store runs on, and why. */
    public StoreEngine engine() {
        return engine;
    }

    /**
     * From now on, LevelDB calls made on the calling thread take their native buffers from a pool
     * of that thread's (see {@link #NATIVE_BUFFER_POOL_BYTES}), and its puts of inline items and
     * deletes of items go straight through leveldbjni from buffers of its own ({@link JniWrites}).
     * For threads that live as long as the process, such as event loops: the pool and the buffers
     * are never given back. Nothing to do on the Java engine.
     */
    public void poolNativeBuffersOnThisThread() {
        if (engine.kind() == StoreEngine.Kind.NATIVE && !POOLED_THREAD.get()) {
            JniWrites.serveOnThisThread(); // its buffer malloc'd, not carved from the pool below
            JniDBFactory.pushMemoryPool(NATIVE_BUFFER_POOL_BYTES);
            POOLED_THREAD.set(true);
        }
    }

    /** The queues found at open, in name order. */
    public List<StoredQueue> recoveredQueues() {
        return recovered;
    }

    /** Records a new queue name and returns its id. */
    public long createQueue(String name) {
        return catalog.create(name);
    }

    /**
     * Empties a queue at once: its name moves to a fresh id and its old items are purged in the
     * background. Returns the new id.
     */
    long renewQueue(String name, long oldQid) {
        return renewQueue(name, oldQid, true);
    }

    /**
     * As {@link #renewQueue(String, long)}; without {@code purgeOld} the old items are left where
     * they are, unreferenced (a damaged queue: purging would only trip over the damage again).
     */
    public long renewQueue(String name, long oldQid, boolean purgeOld) {
        pending.write(); // a waiting put written after the purge would outlive its queue
        return catalog.renew(name, oldQid, purgeOld);
    }

    /** Forgets a queue; its items are purged in the background. */
    void dropQueue(String name, long qid) {
        dropQueue(name, qid, true);
    }

    /** As {@link #dropQueue(String, long)}; without {@code purge} its items are left unreferenced. */
    public void dropQueue(String name, long qid, boolean purge) {
        pending.write();
        catalog.drop(name, qid, purge);
    }

    /** Stores an item record at {@code seq}; for a large item its chunks must be written already. */
    public void append(long qid, long seq, ItemRecord record, BlobWriter blob) {
        append(qid, seq, record, blob, null);
    }

    /**
     * {@link #append(long, long, ItemRecord, BlobWriter)}, except that a small item's put may wait
     * for the end of the event loop's pass (see {@link PendingPuts}): then it is returned, and
     * {@code owner} takes the item out again if its batch fails. Null when the item is stored.
     */
    public PendingPut append(long qid, long seq, ItemRecord record, BlobWriter blob, PendingPuts.LostPuts owner) {
        if (blob == null) {
            PendingPut waits = pending.offer(qid, seq, record, owner);
            if (waits != null) {
                return waits;
            }
            try {
                if (direct == null || !direct.putItem(qid, seq, record)) {
                    db.put(Keys.item(qid, seq), record.encode());
                }
            } catch (RuntimeException e) {
                throw failures.write(e);
            }
            return null;
        }
        blob.finish();
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.put(Keys.item(qid, seq), record.encode());
            batch.delete(Keys.pendingBlob(blob.blobId()));
            write(batch);
        } catch (IOException e) {
            throw failures.write(e);
        }
        return null;
    }

    /**
     * Stores a delayed item, due at {@code dueAt} (epoch ms), {@code seq} ordering it among the
     * items of the same due time; for a large item its chunks must be written already.
     */
    public void appendDelayed(long qid, long dueAt, long seq, ItemRecord record, BlobWriter blob) {
        byte[] key = Keys.delayed(qid, dueAt, seq);
        if (blob == null) {
            put(key, record.encode());
            return;
        }
        blob.finish();
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.put(key, record.encode());
            batch.delete(Keys.pendingBlob(blob.blobId()));
            write(batch);
        } catch (IOException e) {
            throw failures.write(e);
        }
    }

    /**
     * Stores copies of one item in several queues ({@code records[i]} at {@code seqs[i]} of
     * {@code qids[i]}) in one batch: all or none. The copies of a large item share its chunks, their
     * count written in the same batch.
     */
    public void appendCopies(long[] qids, long[] seqs, ItemRecord[] records, BlobWriter blob) {
        if (blob != null) {
            blob.finish();
        }
        try (WriteBatch batch = db.createWriteBatch()) {
            for (int i = 0; i < qids.length; i++) {
                batch.put(Keys.item(qids[i], seqs[i]), records[i].encode());
            }
            if (blob != null) {
                batch.delete(Keys.pendingBlob(blob.blobId()));
                if (qids.length > 1) {
                    SharedBlobs.share(batch, blob.blobId(), qids.length);
                }
            }
            write(batch);
        } catch (IOException e) {
            throw failures.write(e);
        }
    }

    /** Up to {@code max} of the queue's delayed items, the first due first (equal due times in the order set). */
    public List<DelayedItem> delayed(long qid, int max) {
        List<DelayedItem> out = new ArrayList<>(Math.min(max, 64));
        try (DBIterator it = db.iterator(VERIFIED)) {
            for (it.seek(Keys.delayed(qid, 0, 0)); out.size() < max && it.hasNext(); ) {
                Map.Entry<byte[], byte[]> e = it.next();
                if (!Keys.isDelayedOf(e.getKey(), qid)) {
                    break;
                }
                out.add(new DelayedItem(Keys.delayedDue(e.getKey()), Keys.delayedSeq(e.getKey()),
                        ItemRecord.decode(e.getValue(), true)));
            }
        } catch (IOException | RuntimeException e) {
            throw failures.read(e);
        }
        return out;
    }

    /** Counts the queue's delayed items (at open: they are few next to the queue's items, and never saved). */
    public StoredDelays delays(long qid) {
        long items = 0;
        long bytes = 0;
        long firstDue = Long.MAX_VALUE;
        long lastSeq = -1;
        try (DBIterator it = db.iterator(VERIFIED)) {
            for (it.seek(Keys.delayed(qid, 0, 0)); it.hasNext(); ) {
                Map.Entry<byte[], byte[]> e = it.next();
                if (!Keys.isDelayedOf(e.getKey(), qid)) {
                    break;
                }
                firstDue = Math.min(firstDue, Keys.delayedDue(e.getKey()));
                lastSeq = Math.max(lastSeq, Keys.delayedSeq(e.getKey()));
                items++;
                bytes += ItemRecord.decode(e.getValue(), false).length();
            }
        } catch (IOException | RuntimeException e) {
            throw failures.read(e);
        }
        return items == 0 ? StoredDelays.NONE : new StoredDelays(items, bytes, firstDue, lastSeq + 1);
    }

    /** Moves delayed items that fell due to the queue's tail, in one batch: the {@code i}-th under seq {@code firstSeq + i}. */
    public void joinTail(long qid, List<DelayedItem> due, long firstSeq) {
        try (WriteBatch batch = db.createWriteBatch()) {
            for (int i = 0; i < due.size(); i++) {
                DelayedItem d = due.get(i);
                batch.put(Keys.item(qid, firstSeq + i), d.record().encode());
                batch.delete(Keys.delayed(qid, d.dueAt(), d.seq()));
            }
            write(batch);
        } catch (IOException e) {
            throw failures.write(e);
        }
        if (!due.isEmpty()) {
            DelayedItem last = due.get(due.size() - 1);
            maintenance.noteJoined(qid, due.size(), last.dueAt(), last.seq());
        }
    }

    /** Adds one to the delivery count of a stored item; returns the new count, or -1 if it is gone. */
    public int countDelivery(long qid, long seq) {
        pending.write();
        byte[] key = Keys.item(qid, seq);
        byte[] v = read(key);
        if (v == null) {
            return -1;
        }
        ItemRecord r = ItemRecord.decode(v, true);
        put(key, r.withDeliveries(r.deliveries() + 1).encode());
        return r.deliveries() + 1;
    }

    /** Moves an item to another queue in one batch: its record, not its chunks, is rewritten. */
    public void move(long fromQid, long fromSeq, long toQid, long toSeq, ItemRecord record) {
        pending.write();
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.put(Keys.item(toQid, toSeq), record.encode());
            batch.delete(Keys.item(fromQid, fromSeq));
            write(batch);
        } catch (IOException e) {
            throw failures.write(e);
        }
    }

    /**
     * Whether LevelDB has more level-0 tables than its compaction has caught up with. Past 8 of
     * them LevelDB slows every write by a millisecond, past 12 it stops all writes, and the writes
     * of small items wait behind the large ones. Large items hold off while this is true, so that
     * the writes that fill the store fastest are the ones that wait, and small sets keep flowing.
     */
    public boolean behindOnCompaction() {
        try {
            String files = db.getProperty("leveldb.num-files-at-level0");
            return files != null && Integer.parseInt(files.trim()) >= BEHIND_AT_LEVEL0_FILES;
        } catch (RuntimeException e) {
            return false; // a store that cannot answer fails the write itself, with its reason
        }
    }

    /** Starts receiving a large item of {@code length} bytes. */
    public BlobWriter newBlob() {
        return new BlobWriter(db, nextBlob.getAndIncrement(), CHUNK_SIZE, failures);
    }

    /** The record at exactly {@code seq}, or null. */
    public ItemRecord get(long qid, long seq) {
        pending.write();
        byte[] v = read(Keys.item(qid, seq));
        return v == null ? null : ItemRecord.decode(v, true);
    }

    /** The first stored item of the queue with {@code from <= seq < until}, or null. */
    public StoredItem seek(long qid, long from, long until) {
        List<StoredItem> first = scan(qid, from, until, 1, Integer.MAX_VALUE);
        return first.isEmpty() ? null : first.get(0);
    }

    /** Up to {@code max} items from {@code from} on, in order (for peeking at a queue). */
    List<StoredItem> scan(long qid, long from, int max) {
        return scan(qid, from, Long.MAX_VALUE, max, Integer.MAX_VALUE);
    }

    /**
     * The items with {@code from <= seq < until}, in order, with one iterator: at most {@code max}
     * of them, and no more than {@code maxBytes} of stored records (the first item always).
     */
    public List<StoredItem> scan(long qid, long from, long until, int max, int maxBytes) {
        pending.write();
        List<StoredItem> out = new ArrayList<>(Math.min(max, 64));
        long bytes = 0;
        try (DBIterator it = db.iterator(VERIFIED)) {
            it.seek(Keys.item(qid, from));
            while (out.size() < max && it.hasNext()) {
                Map.Entry<byte[], byte[]> e = it.next();
                if (!Keys.isItemOf(e.getKey(), qid) || Keys.itemSeq(e.getKey()) >= until) {
                    break;
                }
                bytes += e.getValue().length;
                if (bytes > maxBytes && !out.isEmpty()) {
                    break;
                }
                out.add(new StoredItem(Keys.itemSeq(e.getKey()), ItemRecord.decode(e.getValue(), true)));
            }
        } catch (IOException | RuntimeException e) {
            throw failures.read(e);
        }
        return out;
    }

    /** Reads a large item's chunks; {@code consistent} pins a snapshot for an item that is not taken. */
    public ChunkReader chunks(ItemRecord record, boolean consistent) {
        return new ChunkReader(this, record, consistent ? db.getSnapshot() : null);
    }

    /** Chunk {@code index} of a large item, or null if it is gone. */
    byte[] chunk(long blobId, int index, Snapshot snapshot) {
        byte[] key = Keys.chunk(blobId, index);
        try {
            return db.get(key, snapshot == null ? VERIFIED : new ReadOptions().verifyChecksums(true).snapshot(snapshot));
        } catch (RuntimeException e) {
            throw failures.read(e);
        }
    }

    /** Removes a consumed item, and its chunks unless other items still share them. */
    public void delete(long qid, long seq, ItemRecord record) {
        if (record.isInline()) {
            if (pending.cancel(qid, seq)) {
                return; // never written: nothing to delete, no tombstone to compact away
            }
            try {
                if (direct == null || !direct.deleteItem(qid, seq)) {
                    db.delete(Keys.item(qid, seq));
                }
            } catch (RuntimeException e) {
                throw failures.write(e);
            }
        } else {
            blobs.deleteItem(Keys.item(qid, seq), record);
        }
        maintenance.noteConsumed(qid, seq, record);
    }

    /**
     * Marks a large item's chunks as shared by {@code references} items (the copies of a fanout),
     * before any of them is stored: the chunks are deleted with the last of them.
     */
    public void shareBlob(long blobId, int references) {
        blobs.share(blobId, references);
    }

    /** Gives up one reference to a shared large item that was not stored after all. */
    public void releaseBlob(ItemRecord record) {
        blobs.release(record);
    }

    /** Tests: runs {@code check} before every fsync, which fails when it throws. */
    void beforeFsync(LogSyncer.FsyncCheck check) {
        syncer.beforeFsync(check);
    }

    /** Completes once every change made before this call is durable on disk. */
    public CompletableFuture<Void> sync() {
        pending.write(); // the fsync covers every change made before the call
        return syncer.sync();
    }

    /** Bytes the queue's items, delayed ones too, take on disk, as LevelDB estimates them. */
    public long approximateSize(long qid) {
        try {
            long[] sizes = db.getApproximateSizes(new Range(Keys.item(qid, 0), Keys.item(qid, Long.MAX_VALUE)),
                    new Range(Keys.delayed(qid, 0, 0), Keys.delayed(qid, Long.MAX_VALUE, Long.MAX_VALUE)));
            return sizes[0] + sizes[1];
        } catch (RuntimeException e) {
            throw failures.read(e);
        }
    }

    public String readSetting(String name) {
        byte[] v = read(Keys.meta("setting:" + name));
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** Writes a server-wide setting durably. */
    public void writeSetting(String name, String value) {
        try {
            db.put(Keys.meta("setting:" + name), value.getBytes(StandardCharsets.UTF_8),
                    new WriteOptions().sync(true));
        } catch (RuntimeException e) {
            throw failures.write(e);
        }
    }

    /**
     * Stops background work, records the counts of every queue with the clean marker (so the next
     * open need not recount), syncs and closes.
     */
    public void close(Map<Long, StoredCounts> countsByQid) {
        if (closed) {
            return;
        }
        closed = true;
        pending.write();
        maintenance.stop();
        try (WriteBatch batch = db.createWriteBatch()) {
            countsByQid.forEach((qid, c) -> batch.put(Keys.counts(qid), c.encode()));
            batch.put(Keys.META_CLEAN, new byte[0]);
            db.write(batch, new WriteOptions().sync(true));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not record a clean stop (%s): the next start recounts the queues", e.getMessage());
        }
        syncer.close();
        try {
            db.close();
        } catch (IOException e) {
            LOG.warnf("closing the store: %s", e.getMessage());
        }
        newFiles.close();
    }

    @Override
    public void close() {
        close(Map.of());
    }

    /** The small puts waiting for the end of an event loop's pass. */
    public PendingPuts pending() {
        return pending;
    }

    /** The last write failures, for health checks. */
    public StoreFailures failures() {
        return failures;
    }

    public boolean isClosed() {
        return closed;
    }

    private byte[] read(byte[] key) {
        try {
            return db.get(key, VERIFIED);
        } catch (RuntimeException e) {
            throw failures.read(e);
        }
    }

    private void put(byte[] key, byte[] value) {
        try {
            db.put(key, value);
        } catch (RuntimeException e) {
            throw failures.write(e);
        }
    }

    private void write(WriteBatch batch) {
        try {
            db.write(batch);
        } catch (RuntimeException e) {
            throw failures.write(e);
        }
    }
}
