package io.darner.storage;

import org.iq80.leveldb.DB;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The version of the on-disk format ({@link Keys}), under the server-wide value "format-version":
 * written into a new store, and into one from before the value existed (which is version 1),
 * checked at every open. A store of an older version this server reads is opened and stamped with
 * this version (it may then hold what only this version reads, so an older server refuses it). A
 * store of a version this server does not read (a newer one, in practice) is refused before
 * anything is written to it: this server would misread it, and its writes could damage it.
 *
 * <p>Version 2 added delayed items (key type 0x09), which a version-1 server would leave behind
 * unseen, and the item record of a dead letter that keeps its origin queue (record version 2),
 * which it could not read: a version-1 store opens as it is and is stamped version 2, so that an
 * older server refuses it from then on.
 *
 * <p>Version 3 writes item records as varints (record version 3), which a version-2 server cannot
 * read; it reads records of every version, so an older store opens as it is and is stamped 3.
 */
final class StoreFormat {
    private static final Logger LOG = Logger.getLogger(StoreFormat.class);
    /**
     * The version this server writes. 2: delayed items (key type 0x09), and dead letters that keep
     * their origin queue (a version-2 item record). 3: item records as varints (record version 3).
     */
    static final int VERSION = 3;
    /** The oldest version this server reads: every version from it to {@link #VERSION}. */
    static final int OLDEST_READ = 1;
    /** Where {@link #refuseOtherBeforeOpening} copies the store to read its version. */
    private static final String SCRATCH = ".format-check";

    private StoreFormat() {}

    /**
     * Refuses a store of a version this server does not read; gives one without a version (version
     * 1) or of an older version this server's version.
     */
    static void checkAndStamp(DB db) {
        byte[] v = db.get(Keys.META_FORMAT_VERSION, QueueStore.VERIFIED);
        if (v != null) {
            refuseUnknown(v);
        }
        if (v == null || ByteBuffer.wrap(v).getInt() != VERSION) {
            db.put(Keys.META_FORMAT_VERSION, ByteBuffer.allocate(Integer.BYTES).putInt(VERSION).array());
        }
    }

    /**
     * Refuses a store of another version without changing a byte of it. Opening LevelDB rewrites
     * its manifest and log even when nothing is written to it, so the version is read from a copy:
     * the table files are hard-linked into it (LevelDB never changes a table file), the small ones
     * (CURRENT, manifest, logs) copied. Best effort: if the copy cannot be made or opened (no hard
     * links, a damaged store, another server running), nothing is refused here, and the store's
     * opening decides with {@link #checkAndStamp}, before anything is written to it.
     */
    static void refuseOtherBeforeOpening(Path dir, StoreEngine engine) throws IOException {
        if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
            return; // a new store, or one that fails to open anyway
        }
        Path scratch = dir.resolve(SCRATCH);
        byte[] version;
        try {
            StoreFiles.deleteTree(scratch);
            copyForReading(dir, scratch);
            try (DB copy = engine.open(scratch, engine.options().createIfMissing(false))) {
                version = copy.get(Keys.META_FORMAT_VERSION, QueueStore.VERIFIED);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("the format version could not be read before opening (%s): checked after opening",
                    StoreFailures.describe(e));
            return;
        } finally {
            StoreFiles.deleteTree(scratch);
        }
        if (version != null) {
            refuseUnknown(version);
        }
    }

    /** Refuses a store whose format-version value {@code v} is not a version this server reads. */
    static void refuseUnknown(byte[] v) {
        if (v.length != Integer.BYTES) {
            throw new StoreFormatException("the store's format version cannot be read (" + v.length
                    + " bytes); this server reads " + versionsRead());
        }
        int version = ByteBuffer.wrap(v).getInt();
        if (version < OLDEST_READ || version > VERSION) {
            throw new StoreFormatException("the store has format version " + version + ", and this server reads "
                    + versionsRead() + " only: run a server release that reads version " + version
                    + " (the store is left as it is)");
        }
    }

    private static String versionsRead() {
        return "format version" + (OLDEST_READ == VERSION ? " " + VERSION : "s " + OLDEST_READ + " to " + VERSION);
    }

    private static void copyForReading(Path dir, Path scratch) throws IOException {
        Files.createDirectory(scratch);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String name = String.valueOf(f.getFileName());
            if (StoreFiles.isTable(name)) {
                Files.createLink(scratch.resolve(name), f);
            } else if (name.equals("CURRENT") || name.startsWith("MANIFEST-") || name.endsWith(".log")) {
                Files.copy(f, scratch.resolve(name));
            }
        }
    }
}
