package io.darner.storage;

import org.iq80.leveldb.DB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The format version: written into every store, and a store of a newer one refused without a byte changed. */
class StoreFormatTest {
    private static final long QID = 5;
    private static final int ITEMS = 20;

    @TempDir
    Path dir;

    @Test
    void aNewStoreGetsTheFormatVersion() {
        QueueStore.open(dir, 1 << 20, TestEngine.chosen()).close();

        assertEquals(StoreFormat.VERSION, storedVersion());
    }

    @Test
    void aStoreFromBeforeTheVersionOpensAsVersionOneAndGetsTheCurrentOne() {
        fill();
        withLevelDb(db -> db.delete(Keys.META_FORMAT_VERSION));

        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            for (int i = 0; i < ITEMS; i++) {
                assertArrayEquals(randomBytes(100, i), store.get(QID, i).data(), "item " + i);
            }
        }

        assertEquals(StoreFormat.VERSION, storedVersion());
    }

    /** A store of format 1 or 2 holds fixed-width records (version 1, and 2 for dead letters): they read as they were. */
    @ParameterizedTest(name = "format {0}")
    @ValueSource(ints = {1, 2})
    void anOlderStoreOpensWithItsItemsAndGetsTheCurrentVersion(int format) {
        QueueStore.open(dir, 1 << 20, TestEngine.chosen()).close();
        withLevelDb(db -> {
            for (int i = 0; i < ITEMS; i++) {
                ItemRecord r = ItemRecord.inline(i, 0, 1000 + i, randomBytes(100, i));
                db.put(Keys.item(QID, i), OldItemRecords.encode(format == 2 && i % 2 == 0 ? r.withOrigin("from" + i) : r));
            }
            db.put(Keys.META_FORMAT_VERSION, ByteBuffer.allocate(4).putInt(format).array());
        });

        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            for (int i = 0; i < ITEMS; i++) {
                ItemRecord read = store.get(QID, i);
                assertArrayEquals(randomBytes(100, i), read.data(), "item " + i);
                assertEquals(i, read.flags());
                assertEquals(1000 + i, read.enqueuedAt());
                assertEquals(format == 2 && i % 2 == 0 ? "from" + i : null, read.origin());
            }
        }

        assertEquals(StoreFormat.VERSION, storedVersion());
    }

    @ParameterizedTest(name = "repair on start: {0}")
    @ValueSource(booleans = {false, true})
    void aStoreOfANewerFormatIsRefusedAndLeftByteForByteAsItWas(boolean repair) {
        fill();
        withLevelDb(db -> db.put(Keys.META_FORMAT_VERSION, ByteBuffer.allocate(4).putInt(StoreFormat.VERSION + 1).array()));
        Map<String, String> before = files();

        StoreException e = assertThrows(StoreException.class, () -> QueueStore.open(dir, 1 << 20, repair, TestEngine.chosen()));

        assertTrue(e.getMessage().contains("format version 4") && e.getMessage().contains("format versions 1 to 3"),
                e.getMessage());
        assertEquals(before, files());
    }

    /**
     * Without its CURRENT file the version cannot be read before the repair, which LevelDB's repair
     * then rebuilds: the copy of the records shows the version, and the store is not replaced.
     */
    @Test
    void theRepairDoesNotReplaceAStoreOfANewerFormat() throws IOException {
        TestEngine.assumeNative("has no LevelDB repair to rebuild a lost CURRENT file");
        fill();
        withLevelDb(db -> db.put(Keys.META_FORMAT_VERSION, ByteBuffer.allocate(4).putInt(StoreFormat.VERSION + 1).array()));
        StoreDamage.loseCurrent(dir);

        StoreException e = assertThrows(StoreException.class, () -> QueueStore.open(dir, 1 << 20, true, TestEngine.chosen()));

        assertTrue(e.getMessage().contains("format version 4"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(java.util.List.of(), files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith(".rebuild") || n.startsWith("damaged-")).toList(), "no copy swapped in");
        }
    }

    private void fill() {
        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            for (int i = 0; i < ITEMS; i++) {
                store.append(QID, i, ItemRecord.inline(0, 0, 0, randomBytes(100, i)), null);
            }
        }
    }

    private int storedVersion() {
        byte[][] v = new byte[1][];
        withLevelDb(db -> v[0] = db.get(Keys.META_FORMAT_VERSION));
        return ByteBuffer.wrap(v[0]).getInt();
    }

    private void withLevelDb(Consumer<DB> use) {
        try (DB db = TestEngine.chosen().open(dir, TestEngine.chosen().options().createIfMissing(false))) {
            use.accept(db);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under the store directory with a digest of its bytes. */
    private Map<String, String> files() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path p : (Iterable<Path>) paths::iterator) {
                String name = dir.relativize(p).toString();
                files.put(name, Files.isRegularFile(p) ? HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))) : "dir");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return files;
    }
}
