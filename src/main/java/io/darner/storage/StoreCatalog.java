package io.darner.storage;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.WriteBatch;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The queue names and their ids (key type 0x01 of {@link Keys}) and the next queue id. Each change
 * is one batch, together with the next id and, when a queue generation is let go, its purge
 * record; the purge itself runs in the background ({@link StoreMaintenance}).
 */
final class StoreCatalog {
    private final DB db;
    private final StoreFailures failures;
    private final StoreMaintenance maintenance;
    private long nextQid;

    StoreCatalog(DB db, StoreFailures failures, StoreMaintenance maintenance, long nextQid) {
        this.db = db;
        this.failures = failures;
        this.maintenance = maintenance;
        this.nextQid = nextQid;
    }

    synchronized long create(String name) {
        long qid = nextQid++;
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.put(Keys.catalog(name), longBytes(qid));
            batch.put(Keys.META_NEXT_QID, longBytes(nextQid));
            db.write(batch);
        } catch (IOException | RuntimeException e) {
            throw failures.write(e);
        }
        return qid;
    }

    /** Moves the name to a fresh id, and the old id to purging when {@code purgeOld}; returns the new id. */
    synchronized long renew(String name, long oldQid, boolean purgeOld) {
        long qid = nextQid++;
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.put(Keys.catalog(name), longBytes(qid));
            batch.put(Keys.META_NEXT_QID, longBytes(nextQid));
            if (purgeOld) {
                batch.put(Keys.purge(oldQid), new byte[0]);
            }
            db.write(batch);
        } catch (IOException | RuntimeException e) {
            throw failures.write(e);
        }
        if (purgeOld) {
            maintenance.schedulePurge(oldQid);
        }
        return qid;
    }

    synchronized void drop(String name, long qid, boolean purge) {
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.delete(Keys.catalog(name));
            if (purge) {
                batch.put(Keys.purge(qid), new byte[0]);
            }
            db.write(batch);
        } catch (IOException | RuntimeException e) {
            throw failures.write(e);
        }
        if (purge) {
            maintenance.schedulePurge(qid);
        }
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }
}
