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

    /** Version 1's item records are version 2's records without an origin, byte for byte. */
    @Test
    void aVersionOneStoreOpensWithItsItemsAndGetsVersionTwo() {
        fill();
        withLevelDb(db -> db.put(Keys.META_FORMAT_VERSION, ByteBuffer.allocate(4).putInt(1).array()));

        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            for (int i = 0; i < ITEMS; i++) {
                assertArrayEquals(randomBytes(100, i), store.get(QID, i).data(), "item " + i);
                assertEquals(null, store.get(QID, i).origin());
            }
        }

        assertEquals(2, storedVersion());
    }

    @Test
    void aDeadLettersOriginIsStoredWithItAndOtherRecordsAreAsInVersionOne() {
        ItemRecord plain = ItemRecord.inline(7, 0, 5, randomBytes(10, 1));
        byte[] v1 = plain.encode();
        assertEquals(1, v1[0], "no origin: a version-1 record");
        ItemRecord dead = ItemRecord.decode(plain.withOrigin("jobs.v2").encode(), true);
        assertEquals("jobs.v2", dead.origin());
        assertArrayEquals(plain.data(), dead.data());
        assertEquals(7, dead.flags());
        ItemRecord large = new ItemRecord(0, 0, 0, 3, 1 << 20, 42, null, "q");
        ItemRecord read = ItemRecord.decode(large.encode(), false);
        assertEquals("q", read.origin());
        assertEquals(42, read.blobId());
        assertEquals(3, read.deliveries());
    }

    @ParameterizedTest(name = "repair on start: {0}")
    @ValueSource(booleans = {false, true})
    void aStoreOfANewerFormatIsRefusedAndLeftByteForByteAsItWas(boolean repair) {
        fill();
        withLevelDb(db -> db.put(Keys.META_FORMAT_VERSION, ByteBuffer.allocate(4).putInt(3).array()));
        Map<String, String> before = files();

        StoreException e = assertThrows(StoreException.class, () -> QueueStore.open(dir, 1 << 20, repair, TestEngine.chosen()));

        assertTrue(e.getMessage().contains("format version 3") && e.getMessage().contains("format versions 1 to 2"),
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
        withLevelDb(db -> db.put(Keys.META_FORMAT_VERSION, ByteBuffer.allocate(4).putInt(3).array()));
        StoreDamage.loseCurrent(dir);

        StoreException e = assertThrows(StoreException.class, () -> QueueStore.open(dir, 1 << 20, true, TestEngine.chosen()));

        assertTrue(e.getMessage().contains("format version 3"), e.getMessage());
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
