package io.darner.storage;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * What a closed store holds, counted by key type straight from its LevelDB files (see
 * {@link Keys}): for checking that nothing is left over that no queue can reach.
 */
public record StoreContents(long queues, long items, long chunks, long pendingBlobs, long purges, long savedCounts,
                            boolean cleanMarker) {

    public static StoreContents of(Path dir) {
        long[] byType = new long[256];
        boolean clean;
        try (DB db = TestEngine.chosen().open(dir, TestEngine.chosen().options().createIfMissing(false));
             DBIterator it = db.iterator()) {
            for (it.seekToFirst(); it.hasNext(); ) {
                byType[it.next().getKey()[0] & 0xff]++;
            }
            clean = db.get(Keys.META_CLEAN) != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StoreContents(byType[Keys.CATALOG], byType[Keys.ITEM], byType[Keys.CHUNK],
                byType[Keys.PENDING_BLOB], byType[Keys.PURGE], byType[Keys.COUNTS], clean);
    }
}
