package io.darner.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A store damaged on disk never hands out damaged data, and is never silently replaced by an empty one. */
class StoreDamageTest {
    private static final int ITEMS = 3000;
    private static final int ITEM_SIZE = 2048;

    @TempDir
    Path dir;

    /**
     * Items of incompressible data spread over several table files, under a queue id that no queue
     * name refers to (so that opening the store does not read them); returns the queue id.
     */
    private long fill() {
        try (StoreFixture fixture = new StoreFixture(dir)) {
            long qid = 99;
            for (int i = 0; i < ITEMS; i++) {
                fixture.append(qid, i, randomBytes(ITEM_SIZE, i));
            }
            return qid;
        } finally {
            StoreDamage.compact(dir);
        }
    }

    @Test
    void aLostCurrentFileStopsTheOpenInsteadOfStartingAnEmptyStoreOverTheData() {
        fill();
        List<Path> tables = StoreDamage.tables(dir);
        assertFalse(tables.isEmpty());
        StoreDamage.loseCurrent(dir);

        StoreException e = assertThrows(StoreException.class, () -> QueueStore.open(dir, 1 << 20, TestEngine.chosen()));

        assertTrue(e.getMessage().contains("CURRENT"), e.getMessage());
        tables.forEach(t -> assertTrue(Files.exists(t), "LevelDB deleted " + t));
    }

    @Test
    void aDamagedBlockIsAReadErrorNeverDamagedData() {
        TestEngine.assumeNative("checks no block checksum (iq80 0.12 leaves that check out)");
        long qid = fill();
        List<Path> tables = StoreDamage.tables(dir);
        assertTrue(tables.size() >= 2, "the items span several tables: " + tables);
        StoreDamage.scribble(tables.get(0), 100);

        int failed = 0;
        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            for (int i = 0; i < ITEMS; i++) {
                ItemRecord r;
                try {
                    r = store.get(qid, i);
                } catch (StoreException e) {
                    assertTrue(e.getMessage().contains("Corruption"), e.getMessage());
                    failed++;
                    continue;
                }
                assertArrayEquals(randomBytes(ITEM_SIZE, i), r.data(), "item " + i);
            }
        }
        assertTrue(failed > 0 && failed < 10, failed + " items unreadable: only those of the damaged block");
    }

    /**
     * The difference the Java engine makes (docs/reliability.md, Store engines): iq80 leveldb 0.12
     * checks no table block checksum, so the same damage reads as other bytes, without an error.
     */
    @Test
    void theJavaEngineReadsADamagedBlockWithoutNoticing() {
        long qid = fill();
        // inside the first item's data (a block holds about two 2 KiB items): a damaged block trailer
        // would fail the read on its compression type instead
        StoreDamage.scribble(StoreDamage.tables(dir).get(0), 100, 100);

        StoreEngine java = StoreEngine.javaOnly();
        int differ = 0;
        try (QueueStore store = QueueStore.open(dir, 1 << 20, java)) {
            for (int i = 0; i < ITEMS; i++) {
                if (!Arrays.equals(randomBytes(ITEM_SIZE, i), store.get(qid, i).data())) {
                    differ++;
                }
            }
        }
        assertTrue(differ > 0, "the damaged block's items come back as other bytes");
    }

    /**
     * The Java engine's repair (docs/reliability.md, Store engines): without LevelDB's repair, the
     * copy of every record it can read; a lost CURRENT file, which only LevelDB's repair rebuilds,
     * is refused with what to do.
     */
    @Test
    void theJavaEnginesRepairCopiesEveryRecordButCannotRebuildALostCurrentFile() throws Exception {
        long qid = fill();
        StoreEngine java = StoreEngine.javaOnly();
        try (QueueStore store = QueueStore.open(dir, 1 << 20, true, java)) {
            for (int i = 0; i < ITEMS; i++) {
                assertArrayEquals(randomBytes(ITEM_SIZE, i), store.get(qid, i).data(), "item " + i);
            }
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("damaged-")), "the old files are kept aside");
        }

        StoreDamage.loseCurrent(dir);
        StoreException e = assertThrows(StoreException.class, () -> QueueStore.open(dir, 1 << 20, true, java));
        assertTrue(e.getMessage().contains("CURRENT") && e.getMessage().contains("native engine"), e.getMessage());
    }

    /**
     * LevelDB compacts without checking blocks unless told to: it would copy a damaged block into a
     * new table with a valid checksum, and its garbage would then be read as an item. The store
     * opens LevelDB with paranoid checks: the compaction refuses, writes fail from then on (until a
     * restart or the repair), and no read ever returns garbage.
     */
    @Test
    void aCompactionOverADamagedBlockStopsWritesAndNeverTurnsTheDamageIntoData() {
        TestEngine.assumeNative("checks no block checksum, and compacts no range on request");
        long qid = fill();
        StoreDamage.scribble(StoreDamage.tables(dir).get(0), 100);
        try (StoreFixture fixture = new StoreFixture(dir)) {
            fixture.append(qid, 10, randomBytes(ITEM_SIZE, 10)); // a key in the damaged table's range, to merge with it
            try {
                fixture.faults.lastOpened().compactRange(null, null);
            } catch (RuntimeException refused) {
                // LevelDB reports the damage here or on the next write
            }
            StoreException e = assertThrows(StoreException.class, () -> fixture.append(qid, ITEMS + 1, new byte[10]));
            assertTrue(e.getMessage().contains("Corruption"), e.getMessage());
            assertNoGarbage(fixture.store(), qid);
        }
        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            assertNoGarbage(store, qid);
        }
    }

    /** Every item reads as what was stored, or fails: never other bytes. Some fail. */
    private static void assertNoGarbage(QueueStore store, long qid) {
        int failed = 0;
        for (int i = 0; i < ITEMS; i++) {
            try {
                ItemRecord r = store.get(qid, i);
                assertArrayEquals(randomBytes(ITEM_SIZE, i), r.data(), "item " + i);
            } catch (StoreException e) {
                failed++;
            }
        }
        assertTrue(failed > 0, "the damaged items are unreadable");
    }

    /**
     * A power loss in the middle of a write leaves the write-ahead log ending in a torn record,
     * which LevelDB 1.8 with paranoid checks refuses: the log is cut back to its last whole record
     * before ({@link LogTails}), and the store opens without the torn record (a write never
     * acknowledged as durable).
     */
    @Test
    void aTornRecordAtTheEndOfTheLogStillOpens() throws Exception {
        try (StoreFixture fixture = new StoreFixture(dir)) {
            for (int i = 0; i < 50; i++) {
                fixture.append(7, i, randomBytes(100, i));
            }
        }
        Path log;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            log = files.filter(f -> f.toString().endsWith(".log")).max(java.util.Comparator.naturalOrder()).orElseThrow();
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3);
        }
        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            for (int i = 0; i < 50; i++) {
                assertArrayEquals(randomBytes(100, i), store.get(7, i).data(), "item " + i);
            }
        }
    }

    @Test
    void anEmptyOrNewDirectoryIsAnEmptyStore() throws Exception {
        Path fresh = Files.createDirectories(dir.resolve("fresh"));
        try (QueueStore store = QueueStore.open(fresh, 1 << 20, TestEngine.chosen())) {
            assertEquals(0, store.recoveredQueues().size());
        }
        try (QueueStore store = QueueStore.open(dir.resolve("new/sub"), 1 << 20, TestEngine.chosen())) {
            assertEquals(0, store.recoveredQueues().size());
        }
    }
}
