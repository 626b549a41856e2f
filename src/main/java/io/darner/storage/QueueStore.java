package io.darner.storage;

import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.Range;
import org.iq80.leveldb.ReadOptions;
import org.iq80.leveldb.Snapshot;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Every queue in one LevelDB (see {@link Keys} for the layout): one set of files, caches and
 * threads whatever the number of queues.
 *
 * <p>Crash safety:
 * <ul>
 * <li>Every change is one LevelDB write batch, so it is all there or not at all. LevelDB's log is
 * written before a call returns, so a killed process loses no change that returned; {@link #sync()}
 * makes changes durable against power loss too (see {@link LogSyncer}).</li>
 * <li>An item becomes visible in one batch that writes its record (and, for a large item, deletes
 * the pending marker of its chunks). Chunks without a record are removed at the next open.</li>
 * <li>Nothing assumes seqs are contiguous: a reader seeks to the next stored key, so items
 * confirmed out of order leave harmless gaps.</li>
 * <li>Open reads are not written: an item stays stored until it is confirmed, so after a crash the
 * items that were open are simply items again.</li>
 * <li>Flushing or deleting a queue moves its name to a fresh queue id and records the old id for
 * purging, in one batch; purging runs in the background and resumes after a restart.</li>
 * <li>Item and byte counts are written only at a clean stop, with a marker that the next open
 * removes; after a crash the counts are recomputed from the items.</li>
 * </ul>
 *
 * Thread-safe: LevelDB serialises writes itself. Callers order writes to one queue themselves.
 */
public final class QueueStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(QueueStore.class);
    /** Size of the chunks a large item is cut into; items up to this size are stored inline. */
    public static final int CHUNK_SIZE = 64 * 1024;
    /** Consumed bytes of one queue after which its consumed key range is compacted. */
    private static final long COMPACT_AFTER_BYTES = 32L * 1024 * 1024;
    private static final long COMPACT_AFTER_ITEMS = 200_000;
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

    private final Path dir;
    private final DB db;
    private final LogSyncer syncer;
    private final ExecutorService maintenance;
    private final AtomicLong nextBlob;
    private final List<StoredQueue> recovered;
    private final Map<Long, ConsumedSinceCompaction> consumed = new ConcurrentHashMap<>();
    private final AtomicLong deletedBlobBytes = new AtomicLong();
    private final StoreFailures failures = new StoreFailures();
    /** Held while a shared large item's reference count is read and rewritten. */
    private final Object blobReferences = new Object();
    private long nextQid;
    private volatile boolean closed;

    private static final class ConsumedSinceCompaction {
        long bytes;
        long items;
    }

    private QueueStore(Path dir, DB db, StoreRecovery recovery) {
        this.dir = dir;
        this.db = db;
        this.syncer = new LogSyncer(dir, failures);
        this.maintenance = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "darner-maintenance");
            t.setDaemon(true);
            return t;
        });
        this.recovered = recovery.queues();
        this.nextQid = recovery.nextQid();
        this.nextBlob = new AtomicLong(recovery.nextBlob());
        recovery.purgesToResume().forEach(this::schedulePurge);
    }

    /** Opens (creating if needed) the store in {@code dir} and recovers its queues. */
    public static QueueStore open(Path dir, long cacheBytes) {
        return open(dir, cacheBytes, false, UnaryOperator.identity());
    }

    /**
     * As {@link #open(Path, long)}; with {@code repair} the store is first rebuilt from every
     * record that can still be read (see {@link StoreRebuild}).
     */
    public static QueueStore open(Path dir, long cacheBytes, boolean repair) {
        return open(dir, cacheBytes, repair, UnaryOperator.identity());
    }

    /**
     * As {@link #open(Path, long)}, with every LevelDB call going through {@code decorate}'s result:
     * the seam through which tests make writes fail.
     */
    static QueueStore open(Path dir, long cacheBytes, UnaryOperator<DB> decorate) {
        return open(dir, cacheBytes, false, decorate);
    }

    static QueueStore open(Path dir, long cacheBytes, boolean repair, UnaryOperator<DB> decorate) {
        DB db = null;
        try {
            Files.createDirectories(dir);
            StoreRebuild.finishInterrupted(dir);
            if (repair) {
                StoreRebuild.run(dir);
            }
            boolean exists = Files.isRegularFile(dir.resolve("CURRENT"));
            if (!exists && holdsStoreFiles(dir)) {
                // LevelDB would start an empty store here and delete the tables it does not know
                throw new StoreException("its CURRENT file is missing, although the directory holds store files");
            }
            Options options = new Options().createIfMissing(!exists).compressionType(CompressionType.SNAPPY)
                    .cacheSize(cacheBytes).writeBufferSize(4 * 1024 * 1024).maxOpenFiles(MAX_OPEN_FILES)
                    .paranoidChecks(true);
            long started = System.nanoTime();
            db = decorate.apply(openChecked(dir, options));
            long opened = System.nanoTime();
            StoreRecovery recovery = new StoreRecovery(db, repair);
            recovery.recover();
            LOG.infof("store opened in %d ms (LevelDB %d ms, recovery %d ms)", (System.nanoTime() - started) / 1_000_000,
                    (opened - started) / 1_000_000, (System.nanoTime() - opened) / 1_000_000);
            return new QueueStore(dir, db, recovery);
        } catch (IOException | RuntimeException e) {
            if (db != null) {
                closeQuietly(db); // release the files and the lock: the caller may repair and retry
            }
            String message = "cannot open the store in " + dir + ": " + StoreFailures.describe(e) + advice(e, repair);
            LOG.error(message);
            throw new StoreException(message, e);
        }
    }

    /** What the operator can do about a store that does not open. */
    private static String advice(Throwable e, boolean repaired) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("LOCK")) { // LevelDB: "IO error: lock .../LOCK: Resource temporarily unavailable"
            return ". Is another server running on this data directory?";
        }
        if (repaired) {
            return ". The repair (darner.repair-on-start) could not recover it: see docs/reliability.md, Damaged store";
        }
        return ". If the store is damaged, start the server once with darner.repair-on-start=true "
                + "(DARNER_REPAIR_ON_START=true): it rebuilds the store from every record that can still be read "
                + "(see docs/reliability.md, Damaged store)";
    }

    /**
     * Opens LevelDB with {@code paranoid_checks}: its compactions then check the blocks they read,
     * and refuse a damaged one (writes fail from then on, reads go on) instead of copying it into a
     * new table with a valid checksum, which would make a later read hand its garbage out as an
     * item. The same setting makes LevelDB 1.8 refuse to open a store whose write-ahead log ends
     * in a torn record, which a power loss leaves: then the store is opened without it, which
     * drops the torn record (a write that was never acknowledged as durable), as LevelDB does by
     * default, with a warning; the next start checks again.
     */
    private static DB openChecked(Path dir, Options options) throws IOException {
        try {
            return JniDBFactory.factory.open(dir.toFile(), options);
        } catch (IOException | RuntimeException e) {
            String reason = StoreFailures.describe(e);
            if (!reason.startsWith("Corruption")) {
                throw e;
            }
            LOG.warnf("the store does not pass LevelDB's checks (%s), which a power loss in the middle of a write "
                    + "leaves: opened without them, dropping the damaged log records", reason);
            return JniDBFactory.factory.open(dir.toFile(), options.paranoidChecks(false));
        }
    }

    /** Whether {@code dir} holds LevelDB files (tables, logs, manifests), as opposed to being new or empty. */
    static boolean holdsStoreFiles(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).anyMatch(n -> n.startsWith("MANIFEST-")
                    || n.endsWith(".sst") || n.endsWith(".ldb") || n.endsWith(".log"));
        }
    }

    private static void closeQuietly(DB db) {
        try {
            db.close();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("closing a store that failed to open: %s", e.getMessage());
        }
    }

    public Path dir() {
        return dir;
    }

    /** The queues found at open, in name order. */
    public List<StoredQueue> recoveredQueues() {
        return recovered;
    }

    /** Records a new queue name and returns its id. */
    public synchronized long createQueue(String name) {
        long qid = nextQid++;
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.put(Keys.catalog(name), longBytes(qid));
            batch.put(Keys.META_NEXT_QID, longBytes(nextQid));
            write(batch);
        } catch (IOException e) {
            throw failures.write(e);
        }
        return qid;
    }

    /**
     * Empties a queue at once: its name moves to a fresh id and its old items are purged in the
     * background. Returns the new id.
     */
    public long renewQueue(String name, long oldQid) {
        return renewQueue(name, oldQid, true);
    }

    /**
     * As {@link #renewQueue(String, long)}; without {@code purgeOld} the old items are left where
     * they are, unreferenced (a damaged queue: purging would only trip over the damage again).
     */
    public synchronized long renewQueue(String name, long oldQid, boolean purgeOld) {
        long qid = nextQid++;
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.put(Keys.catalog(name), longBytes(qid));
            batch.put(Keys.META_NEXT_QID, longBytes(nextQid));
            if (purgeOld) {
                batch.put(Keys.purge(oldQid), new byte[0]);
            }
            write(batch);
        } catch (IOException e) {
            throw failures.write(e);
        }
        if (purgeOld) {
            schedulePurge(oldQid);
        }
        return qid;
    }

    /** Forgets a queue; its items are purged in the background. */
    public void dropQueue(String name, long qid) {
        dropQueue(name, qid, true);
    }

    /** As {@link #dropQueue(String, long)}; without {@code purge} its items are left unreferenced. */
    public synchronized void dropQueue(String name, long qid, boolean purge) {
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.delete(Keys.catalog(name));
            if (purge) {
                batch.put(Keys.purge(qid), new byte[0]);
            }
            write(batch);
        } catch (IOException e) {
            throw failures.write(e);
        }
        if (purge) {
            schedulePurge(qid);
        }
    }

    /** Stores an item record at {@code seq}; for a large item its chunks must be written already. */
    public void append(long qid, long seq, ItemRecord record, BlobWriter blob) {
        if (blob == null) {
            put(Keys.item(qid, seq), record.encode());
            return;
        }
        blob.finish();
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.put(Keys.item(qid, seq), record.encode());
            batch.delete(Keys.pendingBlob(blob.blobId()));
            write(batch);
        } catch (IOException e) {
            throw failures.write(e);
        }
    }

    /** Adds one to the delivery count of a stored item; returns the new count, or -1 if it is gone. */
    public int countDelivery(long qid, long seq) {
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
        byte[] v = read(Keys.item(qid, seq));
        return v == null ? null : ItemRecord.decode(v, true);
    }

    /** The first stored item of the queue with {@code from <= seq < until}, or null. */
    public StoredItem seek(long qid, long from, long until) {
        List<StoredItem> first = scan(qid, from, until, 1, Integer.MAX_VALUE);
        return first.isEmpty() ? null : first.get(0);
    }

    /** Up to {@code max} items from {@code from} on, in order (for peeking at a queue). */
    public List<StoredItem> scan(long qid, long from, int max) {
        return scan(qid, from, Long.MAX_VALUE, max, Integer.MAX_VALUE);
    }

    /**
     * The items with {@code from <= seq < until}, in order, with one iterator: at most {@code max}
     * of them, and no more than {@code maxBytes} of stored records (the first item always).
     */
    public List<StoredItem> scan(long qid, long from, long until, int max, int maxBytes) {
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
            try {
                db.delete(Keys.item(qid, seq));
            } catch (RuntimeException e) {
                throw failures.write(e);
            }
        } else {
            deleteSharing(Keys.item(qid, seq), record);
        }
        noteConsumed(qid, seq, record);
    }

    /** Deletes a large item's record and releases its reference to the chunks, in one batch. */
    void deleteSharing(byte[] itemKey, ItemRecord record) {
        synchronized (blobReferences) {
            try (WriteBatch batch = db.createWriteBatch()) {
                batch.delete(itemKey);
                releaseBlob(batch, record);
                write(batch);
            } catch (IOException e) {
                throw failures.write(e);
            }
        }
    }

    /**
     * Marks a large item's chunks as shared by {@code references} items (the copies of a fanout),
     * before any of them is stored: the chunks are deleted with the last of them.
     */
    public void shareBlob(long blobId, int references) {
        put(Keys.blobReferences(blobId), ByteBuffer.allocate(4).putInt(references).array());
    }

    /** Gives up one reference to a shared large item that was not stored after all. */
    public void releaseBlob(ItemRecord record) {
        synchronized (blobReferences) {
            try (WriteBatch batch = db.createWriteBatch()) {
                releaseBlob(batch, record);
                write(batch);
            } catch (IOException e) {
                throw failures.write(e);
            }
        }
    }

    /** Adds to {@code batch} the release of one reference to the record's chunks; holds {@link #blobReferences}. */
    private void releaseBlob(WriteBatch batch, ItemRecord record) {
        byte[] refsKey = Keys.blobReferences(record.blobId());
        byte[] v = read(refsKey);
        int refs = v == null ? 1 : ByteBuffer.wrap(v).getInt();
        if (refs > 1) {
            batch.put(refsKey, ByteBuffer.allocate(4).putInt(refs - 1).array());
            return;
        }
        int chunks = (int) ((record.length() + (long) CHUNK_SIZE - 1) / CHUNK_SIZE);
        for (int i = 0; i < chunks; i++) {
            batch.delete(Keys.chunk(record.blobId(), i));
        }
        batch.delete(refsKey);
        batch.delete(Keys.pendingBlob(record.blobId()));
    }

    /** Tests: runs {@code check} before every fsync, which fails when it throws. */
    void beforeFsync(LogSyncer.FsyncCheck check) {
        syncer.beforeFsync(check);
    }

    /** Completes once every change made before this call is durable on disk. */
    public CompletableFuture<Void> sync() {
        return syncer.sync();
    }

    /** Bytes the queue's items take on disk, as LevelDB estimates them. */
    public long approximateSize(long qid) {
        try {
            return db.getApproximateSizes(new Range(Keys.item(qid, 0), Keys.item(qid, Long.MAX_VALUE)))[0];
        } catch (RuntimeException e) {
            throw failures.read(e);
        }
    }

    public String readSetting(String name) {
        byte[] v = read(Keys.meta("setting:" + name));
        return v == null ? null : new String(v, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes a server-wide setting durably. */
    public void writeSetting(String name, String value) {
        try {
            db.put(Keys.meta("setting:" + name), value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    new WriteOptions().sync(true));
        } catch (RuntimeException e) {
            throw failures.write(e);
        }
    }

    /**
     * Stops background work, records the counts of every queue with the clean marker (so the next
     * open need not recount), syncs and closes.
     */
    public void close(Map<Long, long[]> countsByQid) {
        if (closed) {
            return;
        }
        closed = true;
        maintenance.shutdownNow();
        try {
            maintenance.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (WriteBatch batch = db.createWriteBatch()) {
            countsByQid.forEach((qid, c) -> {
                ByteBuffer b = ByteBuffer.allocate(8 * c.length);
                for (long v : c) {
                    b.putLong(v);
                }
                batch.put(Keys.counts(qid), b.array());
            });
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
    }

    @Override
    public void close() {
        close(Map.of());
    }

    /** The last write failures, for health checks. */
    public StoreFailures failures() {
        return failures;
    }

    public boolean isClosed() {
        return closed;
    }

    private void noteConsumed(long qid, long seq, ItemRecord record) {
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

    private void compactLater(byte[] from, byte[] to) {
        if (closed) {
            return;
        }
        maintenance.execute(() -> {
            try {
                db.compactRange(from, to);
            } catch (RuntimeException e) {
                LOG.warnf("compaction failed: %s", e.getMessage());
            }
        });
    }

    private void schedulePurge(long qid) {
        if (closed) {
            return;
        }
        maintenance.execute(() -> {
            try {
                new QueuePurge(db, this, qid).run();
                db.compactRange(Keys.item(qid, 0), Keys.item(qid, Long.MAX_VALUE));
            } catch (RuntimeException e) {
                LOG.warnf("purging queue id %d failed, retried at the next start: %s", qid, e.getMessage());
            }
        });
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

    static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }
}
