package io.darner.storage;

import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The repair of a damaged store ({@code darner.repair-on-start}): LevelDB's repair, then a new
 * store holding every record that can still be read, which replaces the old one.
 *
 * <ol>
 * <li>LevelDB's {@code RepairDB} rebuilds a lost or damaged manifest or {@code CURRENT} from the
 * table files, and sets aside in {@code lost/} a table file it cannot open at all. It keeps a
 * table with a damaged block as it is.</li>
 * <li>Every record the repaired store can still read is copied, in key order, into a new store in
 * {@code .rebuild/}, stepping over the damaged blocks: where a read fails, a binary search over
 * the key space finds the first key that can be read again. The source is opened with
 * {@code paranoid_checks}, so that LevelDB's own compaction, started by the opening, cannot copy a
 * damaged block into a new table with a valid checksum while this runs.</li>
 * <li>The old files move to {@code damaged-<time>/} (kept for the operator to inspect, then
 * delete), the new ones into the data directory. Each step is marked, and an interrupted swap is
 * finished at the next start; an interrupted copy is thrown away, leaving the old store as it was.</li>
 * </ol>
 *
 * The store that results holds no damaged block and no deleted record: nothing of the damage is
 * left for a later read, seek or compaction to trip over.
 */
final class StoreRebuild {
    private static final Logger LOG = Logger.getLogger(StoreRebuild.class);
    private static final String WORK = ".rebuild";
    private static final String COPIED = "COPIED";
    private static final String OLD_MOVED = "OLD_MOVED";
    private static final int BATCH = 1000;
    /** Keys are compared over this many bytes in the binary search (longer keys: a few more may be stepped over). */
    private static final int KEY_WIDTH = 32;
    private static final int MAX_DAMAGED_RANGES = 10_000;

    private final Path dir;
    private final StoreEngine engine;
    private long copied;
    private final List<String> skipped = new ArrayList<>();

    private StoreRebuild(Path dir, StoreEngine engine) {
        this.dir = dir;
        this.engine = engine;
    }

    /** Repairs the store in {@code dir}, if it holds one. */
    static void run(Path dir, StoreEngine engine) throws IOException {
        if (!StoreFiles.holdsStoreFiles(dir)) {
            LOG.infof("darner.repair-on-start: no store in %s to repair", dir);
            return;
        }
        LOG.warnf("darner.repair-on-start: repairing the store in %s (unset the setting once the server runs again)", dir);
        long started = System.nanoTime();
        if (engine.repairs()) {
            engine.repair(dir, new Options().compressionType(CompressionType.SNAPPY));
        } else if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
            throw new StoreException("its CURRENT file is missing, and the " + engine + " engine has no LevelDB repair to "
                    + "rebuild it: repair the store where the native engine runs (Linux x86-64 or aarch64), see "
                    + "docs/reliability.md, Store engines");
        } else {
            LOG.warnf("darner.repair-on-start: the %s engine has no LevelDB repair (which rebuilds a lost manifest and "
                    + "sets aside unreadable tables); every record the store can still read is copied", engine);
        }
        long setAside = countTables(dir.resolve("lost"));
        StoreRebuild rebuild = new StoreRebuild(dir, engine);
        rebuild.copy();
        Path backup = swap(dir);
        LOG.warnf("darner.repair-on-start: done in %d ms: %d records kept; %s; %s. The old files are in %s: delete them "
                + "once the server runs", (System.nanoTime() - started) / 1_000_000, rebuild.copied,
                rebuild.skipped.isEmpty() ? "no damaged block"
                        : "the records (queue id/seq) lost in damaged blocks lay " + String.join(", ", rebuild.skipped),
                setAside == 0 ? "every table file could be opened" : setAside + " table files that could not be opened are lost",
                backup);
    }

    /** Finishes a swap that a crash interrupted, or throws away an unfinished copy. */
    static void finishInterrupted(Path dir) throws IOException {
        Path work = dir.resolve(WORK);
        if (!Files.isDirectory(work)) {
            return;
        }
        if (Files.exists(work.resolve(COPIED))) {
            LOG.warnf("finishing the repair of the store in %s that was interrupted", dir);
            swap(dir);
        } else {
            LOG.warnf("removing an unfinished repair copy in %s; the store is as it was", work);
            StoreFiles.deleteTree(work);
        }
    }

    // ---- the copy

    private void copy() throws IOException {
        Path work = dir.resolve(WORK);
        StoreFiles.deleteTree(work);
        Options paranoid = engine.options().createIfMissing(false).paranoidChecks(true).compressionType(CompressionType.SNAPPY);
        byte[] version;
        try (DB source = engine.open(dir, paranoid);
             DB target = engine.open(work, engine.options().createIfMissing(true).compressionType(CompressionType.SNAPPY))) {
            copyReadable(source, target);
            version = target.get(Keys.META_FORMAT_VERSION);
        }
        // a store whose version the check before opening could not read (its CURRENT or manifest lost)
        if (version != null) {
            try {
                StoreFormat.refuseUnknown(version);
            } catch (StoreFormatException e) {
                StoreFiles.deleteTree(work);
                throw e;
            }
        }
        // LevelDB's close fsyncs neither its log nor the directory: the copy must be durable before it is marked
        StoreFiles.fsyncFilesAndDirectory(work);
        StoreFiles.fsync(dir);
        Files.createFile(work.resolve(COPIED));
        StoreFiles.fsync(work);
    }

    private void copyReadable(DB source, DB target) throws IOException {
        byte[] from = null; // null: from the first key
        Batch batch = new Batch(target);
        while (true) {
            byte[] last = null;
            try (DBIterator it = source.iterator(QueueStore.VERIFIED)) {
                if (from == null) {
                    it.seekToFirst();
                } else {
                    it.seek(from);
                }
                while (it.hasNext()) {
                    Map.Entry<byte[], byte[]> e = it.peekNext();
                    batch.put(e.getKey(), e.getValue());
                    last = e.getKey();
                    it.next(); // moving on reads the next block, which may be the damaged one
                }
                batch.finish();
                return;
            } catch (RuntimeException damaged) {
                byte[] start = last != null ? successor(last) : from != null ? from : new byte[0];
                byte[] resume = firstReadableFrom(source, start);
                if (skipped.size() >= MAX_DAMAGED_RANGES) {
                    throw new StoreException("more than " + MAX_DAMAGED_RANGES + " damaged ranges: given up");
                }
                skipped.add(resume == null ? "after " + hex(last == null ? start : last) + " to the end"
                        : "between " + (last == null ? hex(start) : hex(last)) + " and " + hex(resume));
                if (resume == null) {
                    batch.finish();
                    return;
                }
                from = resume;
            }
        }
    }

    /**
     * The smallest key (over {@value #KEY_WIDTH} bytes) at or after {@code start} at which a seek
     * works, or null if none does: a seek into the damaged range fails, a seek past it works.
     */
    private static byte[] firstReadableFrom(DB db, byte[] start) {
        BigInteger lo = toNumber(start);
        BigInteger hi = BigInteger.ONE.shiftLeft(8 * KEY_WIDTH).subtract(BigInteger.ONE);
        if (!seekWorks(db, toKey(hi))) {
            return null;
        }
        while (lo.compareTo(hi) < 0) {
            BigInteger mid = lo.add(hi).shiftRight(1);
            if (seekWorks(db, toKey(mid))) {
                hi = mid;
            } else {
                lo = mid.add(BigInteger.ONE);
            }
        }
        byte[] key = toKey(lo);
        return Arrays.compare(key, start) > 0 ? key : successor(start); // always move on
    }

    private static boolean seekWorks(DB db, byte[] key) {
        try (DBIterator it = db.iterator(QueueStore.VERIFIED)) {
            it.seek(key);
            if (it.hasNext()) {
                it.peekNext();
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static BigInteger toNumber(byte[] key) {
        return new BigInteger(1, Arrays.copyOf(key, KEY_WIDTH));
    }

    private static byte[] toKey(BigInteger n) {
        byte[] raw = n.toByteArray();
        byte[] key = new byte[KEY_WIDTH];
        int len = Math.min(raw.length, KEY_WIDTH);
        System.arraycopy(raw, raw.length - len, key, KEY_WIDTH - len, len);
        return key;
    }

    private static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** A key as the log shows it: an item as its queue id and seq, anything else in hex. */
    private static String hex(byte[] key) {
        if (key.length >= 17 && key[0] == Keys.ITEM) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(key);
            return "item " + b.getLong(1) + "/" + b.getLong(9) + (key.length > 17 ? "+" : "");
        }
        StringBuilder b = new StringBuilder("0x");
        for (int i = 0; i < Math.min(key.length, 17); i++) {
            b.append(String.format("%02x", key[i]));
        }
        return b.append(key.length > 17 ? "..." : "").toString();
    }

    /** Writes to the new store in batches. */
    private final class Batch {
        private final DB db;
        private WriteBatch batch;
        private int size;

        Batch(DB db) {
            this.db = db;
            this.batch = db.createWriteBatch();
        }

        void put(byte[] key, byte[] value) throws IOException {
            batch.put(key, value);
            copied++;
            if (++size == BATCH) {
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

    // ---- the swap

    /** Moves the old store aside and the new one in; each step is marked, so it can be finished after a crash. */
    private static Path swap(Path dir) throws IOException {
        Path work = dir.resolve(WORK);
        Path backup = dir.resolve("damaged-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (!Files.exists(work.resolve(OLD_MOVED))) {
            Files.createDirectories(backup);
            for (Path f : storeFiles(dir)) {
                Files.move(f, backup.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            StoreFiles.fsync(backup); // each step's renames durable before its mark
            StoreFiles.fsync(dir);
            Files.createFile(work.resolve(OLD_MOVED));
            StoreFiles.fsync(work);
        }
        for (Path f : storeFiles(work)) {
            Files.move(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        StoreFiles.fsync(dir);
        StoreFiles.deleteTree(work);
        return backup;
    }

    /** The regular files of a store directory (LevelDB's files and its info logs), not the directories. */
    private static List<Path> storeFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals(COPIED) && !f.getFileName().toString().equals(OLD_MOVED))
                    .toList();
        }
    }

    private static long countTables(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> StoreFiles.isTable(String.valueOf(f.getFileName()))).count();
        }
    }
}
