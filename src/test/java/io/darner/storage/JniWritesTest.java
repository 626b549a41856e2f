package io.darner.storage;

import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBException;
import org.iq80.leveldb.Options;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Puts and deletes straight through leveldbjni: what they write is what the DB interface would have written. */
class JniWritesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void nativeOnly() {
        TestEngine.assumeNative("is not leveldbjni");
    }

    @Test
    void aServingThreadsPutsAndDeletesAreLevelDbsRecords() throws Exception {
        try (DB db = JniDBFactory.factory.open(dir.toFile(), new Options().createIfMissing(true))) {
            JniWrites direct = JniWrites.of(db);
            assertNotNull(direct, "leveldbjni's internals found");
            onServingThread(() -> {
                for (int i = 0; i < 1000; i++) {
                    ItemRecord r = ItemRecord.inline(i, 0, 1000 + i, randomBytes(i % 300, i));
                    assertTrue(direct.putItem(7, i, i % 3 == 0 ? r.withOrigin("from" + i) : r), "item " + i);
                }
                for (int i = 0; i < 1000; i += 2) {
                    assertTrue(direct.deleteItem(7, i));
                }
                return null;
            });
            for (int i = 0; i < 1000; i++) {
                byte[] stored = db.get(Keys.item(7, i));
                if (i % 2 == 0) {
                    assertNull(stored, "deleted " + i);
                    continue;
                }
                ItemRecord r = ItemRecord.inline(i, 0, 1000 + i, randomBytes(i % 300, i));
                assertArrayEquals((i % 3 == 0 ? r.withOrigin("from" + i) : r).encode(), stored, "item " + i);
            }
        }
    }

    @Test
    void otherThreadsAndLargeRecordsAreLeftToTheDbInterface() throws Exception {
        try (DB db = JniDBFactory.factory.open(dir.toFile(), new Options().createIfMissing(true))) {
            JniWrites direct = JniWrites.of(db);
            ItemRecord small = ItemRecord.inline(0, 0, 0, new byte[10]);
            assertFalse(direct.putItem(1, 1, small), "not a serving thread");
            assertFalse(direct.deleteItem(1, 1), "not a serving thread");
            ItemRecord fits = ItemRecord.inline(0, 0, 0, new byte[JniWrites.CAPACITY - Keys.ITEM_KEY_LENGTH - 20]);
            ItemRecord tooLarge = ItemRecord.inline(0, 0, 0, new byte[JniWrites.CAPACITY]);
            assertEquals(true, onServingThread(() -> direct.putItem(1, 2, fits)));
            assertEquals(false, onServingThread(() -> direct.putItem(1, 3, tooLarge)));
            assertArrayEquals(fits.encode(), db.get(Keys.item(1, 2)));
            assertNull(db.get(Keys.item(1, 1)));
            assertNull(db.get(Keys.item(1, 3)));
        }
    }

    @Test
    void aClosedStoreIsAnErrorNotACrash() throws Exception {
        DB db = JniDBFactory.factory.open(dir.toFile(), new Options().createIfMissing(true));
        JniWrites direct = JniWrites.of(db);
        db.close();
        ItemRecord r = ItemRecord.inline(0, 0, 0, new byte[10]);
        Exception e = assertThrows(Exception.class, () -> onServingThread(() -> direct.putItem(1, 1, r)));
        assertTrue(e.getCause() instanceof DBException, String.valueOf(e));
        e = assertThrows(Exception.class, () -> onServingThread(() -> direct.deleteItem(1, 1)));
        assertTrue(e.getCause() instanceof DBException, String.valueOf(e));
    }

    /**
     * A failure LevelDB reports (here: a compaction that met a damaged block stops all writes) comes
     * out as leveldbjni's own exception, with LevelDB's words, as through the {@link DB} interface.
     */
    @Test
    void levelDbsRefusalIsLevelDbjnisException() throws Exception {
        StoreEngine engine = StoreEngine.nativeOnly();
        try (DB db = engine.open(dir, engine.options().createIfMissing(true).paranoidChecks(true))) {
            for (int i = 0; i < 3000; i++) {
                db.put(Keys.item(7, i), ItemRecord.inline(0, 0, 0, randomBytes(2048, i)).encode());
            }
        }
        StoreDamage.compact(dir);
        StoreDamage.scribble(StoreDamage.tables(dir).get(0), 100);
        try (DB db = engine.open(dir, engine.options().paranoidChecks(true))) {
            JniWrites direct = JniWrites.of(db);
            db.put(Keys.item(7, 10), new byte[10]); // a key in the damaged table's range, to merge with it
            try {
                db.compactRange(null, null);
            } catch (RuntimeException refused) {
                // LevelDB reports the damage here or on the next write
            }
            ItemRecord r = ItemRecord.inline(0, 0, 0, new byte[10]);
            Exception e = assertThrows(Exception.class, () -> onServingThread(() -> direct.putItem(7, 5000, r)));
            assertTrue(e.getCause() instanceof DBException && e.getCause().getMessage().contains("Corruption"),
                    String.valueOf(e.getCause()));
            e = assertThrows(Exception.class, () -> onServingThread(() -> direct.deleteItem(7, 11)));
            assertTrue(e.getCause() instanceof DBException && e.getCause().getMessage().contains("Corruption"),
                    String.valueOf(e.getCause()));
        }
    }

    @Test
    void notLevelDbJniNoDirectWrites() throws IOException {
        try (DB db = StoreEngine.javaOnly().open(dir, new Options().createIfMissing(true))) {
            assertNull(JniWrites.of(db));
        }
    }

    /** Runs {@code task} on a fresh thread made a serving thread, as an event loop is. */
    private static <T> T onServingThread(Callable<T> task) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(() -> {
                JniWrites.serveOnThisThread();
                return task.call();
            }).get();
        } finally {
            thread.shutdown();
        }
    }
}
