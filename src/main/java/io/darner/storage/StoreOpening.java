package io.darner.storage;

import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Opens a store: finishes an interrupted repair, refuses a format it does not read, repairs when
 * asked, opens LevelDB with its checks, and recovers the queues. A store that does not open is closed
 * again, and the error says what the operator can do.
 */
final class StoreOpening {
    private static final Logger LOG = Logger.getLogger(StoreOpening.class);

    private StoreOpening() {}

    static QueueStore open(Path dir, long cacheBytes, boolean repair, StoreEngine engine, UnaryOperator<DB> decorate) {
        LOG.infof("store engine: %s", engine.describe());
        DB db = null;
        NewFileSync newFiles = null;
        try {
            StoreFiles.createDirectoriesDurably(dir);
            newFiles = new NewFileSync(dir); // from before LevelDB's opening, which creates files
            StoreRebuild.finishInterrupted(dir);
            if (!CurrentFile.mend(dir)) {
                UnfinishedStore.clear(dir);
            }
            long checkStarted = System.nanoTime();
            // before the repair or LevelDB's opening rewrite any file of it
            StoreFormat.refuseOtherBeforeOpening(dir, engine);
            long checked = System.nanoTime();
            LogTails.trimTorn(dir); // before LevelDB reads its logs: see there why it must not meet a torn one
            if (repair) {
                StoreRebuild.run(dir, engine);
            }
            boolean exists = Files.isRegularFile(dir.resolve("CURRENT"));
            if (!exists && StoreFiles.holdsStoreFiles(dir)) {
                // LevelDB would start an empty store here and delete the tables it does not know
                throw new StoreException("its CURRENT file is missing, although the directory holds store files");
            }
            Options options = engine.options().createIfMissing(!exists).compressionType(CompressionType.SNAPPY)
                    .cacheSize(cacheBytes).writeBufferSize(4 * 1024 * 1024).maxOpenFiles(QueueStore.MAX_OPEN_FILES)
                    .paranoidChecks(true);
            long started = System.nanoTime();
            Opened opening = openChecked(dir, options, engine);
            db = decorate.apply(opening.db());
            CurrentFile.makeDurable(dir); // the open replaced CURRENT, unsynced
            StoreFormat.checkAndStamp(db); // the first read, before recovery writes anything
            long opened = System.nanoTime();
            StoreRecovery recovery = new StoreRecovery(db, repair || opening.repaired());
            recovery.recover();
            LOG.infof("store opened in %d ms (format check %d ms, LevelDB %d ms, recovery %d ms)",
                    (checked - checkStarted + System.nanoTime() - started) / 1_000_000, (checked - checkStarted) / 1_000_000,
                    (opened - started) / 1_000_000, (System.nanoTime() - opened) / 1_000_000);
            return new QueueStore(dir, db, recovery, newFiles, engine);
        } catch (IOException | RuntimeException e) {
            if (db != null) {
                closeQuietly(db); // release the files and the lock: the caller may repair and retry
            }
            if (newFiles != null) {
                newFiles.close();
            }
            String message = "cannot open the store in " + dir + ": " + StoreFailures.describe(e) + advice(e, repair);
            LOG.error(message);
            throw new StoreException(message, e);
        }
    }

    /** What the operator can do about a store that does not open. */
    private static String advice(Throwable e, boolean repaired) {
        if (e instanceof StoreFormatException) {
            return ""; // the message says it, and a repair would not help
        }
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
     * item. The same setting makes LevelDB 1.8 refuse to open a store whose newest write-ahead log
     * holds a damaged record. {@link LogTails} cuts every log back to its last whole record before,
     * so this is a safety net for damage it would not recognise: then the store is opened without
     * the checks, which skips the damaged block, with a warning; the next start checks again. (The Java engine
     * ignores the setting: it skips a damaged log record with a line on standard output, and checks
     * no table block; see {@link StoreEngine}.)
     */
    private static Opened openChecked(Path dir, Options options, StoreEngine engine) throws IOException {
        try {
            return new Opened(engine.open(dir, options), false);
        } catch (IOException | RuntimeException e) {
            String reason = StoreFailures.describe(e);
            if (reason.contains("missing files") && engine.repairs()) {
                return new Opened(repairMissingTables(dir, options, engine, reason), true);
            }
            if (!reason.startsWith("Corruption")) {
                throw e;
            }
            LOG.warnf("the store does not pass LevelDB's checks (%s): opened without them, which skips the damaged "
                    + "log records", reason);
            return new Opened(engine.open(dir, options.paranoidChecks(false)), false);
        }
    }

    /** A LevelDB opened, and whether its repair ran first (then every queue is recounted). */
    private record Opened(DB db, boolean repaired) {}

    /**
     * A manifest that names missing tables: where a new file's name is durable only once its
     * directory is fsynced, a power cut can keep a table's manifest record and lose its name (LevelDB
     * fsyncs the table and the record, never the directory; {@link NewFileSync} fsyncs it as soon as
     * it can, a race it may lose). The same cut keeps the log the table was made from, whose
     * deletion came later: LevelDB's repair rebuilds the store from the tables and logs present.
     */
    private static DB repairMissingTables(Path dir, Options options, StoreEngine engine, String reason) throws IOException {
        LOG.warnf("the store's manifest names table files that are missing (%s), as a power cut leaves it where file "
                + "names are durable only once their directory is fsynced: repaired by LevelDB's repair from the tables "
                + "and logs present (the old logs and manifest are kept in lost/, which can be deleted)", reason);
        engine.repair(dir, options);
        return engine.open(dir, options);
    }

    private static void closeQuietly(DB db) {
        try {
            db.close();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("closing a store that failed to open: %s", e.getMessage());
        }
    }
}
