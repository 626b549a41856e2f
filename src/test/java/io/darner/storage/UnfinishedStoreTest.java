package io.darner.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store whose first open a power cut interrupted (LevelDB 1.8 writes its first manifest and
 * CURRENT without an fsync) holds nothing, and is created again at the next start instead of
 * refusing to open (PowerLossIT found it: "CURRENT file does not end with newline").
 */
class UnfinishedStoreTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyCurrentBesideEmptyManifestsAndLogIsCreatedAgain() throws IOException {
        Files.write(dir.resolve("CURRENT"), new byte[0]);
        Files.write(dir.resolve("MANIFEST-000001"), new byte[0]);
        Files.write(dir.resolve("MANIFEST-000002"), new byte[0]);
        Files.write(dir.resolve("000003.log"), new byte[0]);

        assertEquals(List.of("jobs"), queuesAfterCreatingOne());
    }

    @Test
    void aFirstManifestWithoutCurrentIsCreatedAgain() throws IOException {
        Files.write(dir.resolve("MANIFEST-000001"), new byte[0]);

        assertEquals(List.of("jobs"), queuesAfterCreatingOne());
    }

    @Test
    void aCurrentNamingAManifestOfZerosIsCreatedAgain() throws IOException {
        Files.write(dir.resolve("CURRENT"), "MANIFEST-000001\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("MANIFEST-000001"), new byte[65536]); // an unsynced mapped write
        Files.write(dir.resolve("000001.dbtmp"), new byte[0]);

        assertTrue(UnfinishedStore.clear(dir));
        assertEquals(List.of("jobs"), queuesAfterCreatingOne());
    }

    @Test
    void aStoreWithALogThatHoldsRecordsIsLeftToTheOpen() throws IOException {
        createStoreWithQueue();
        Files.write(dir.resolve("CURRENT"), new byte[0]);
        try (var manifests = Files.list(dir)) {
            for (Path m : (Iterable<Path>) manifests.filter(f -> f.getFileName().toString().startsWith("MANIFEST-"))::iterator) {
                Files.write(m, new byte[0]);
            }
        }
        byte[] current = Files.readAllBytes(dir.resolve("CURRENT"));

        assertFalse(UnfinishedStore.clear(dir));
        assertArrayEquals(current, Files.readAllBytes(dir.resolve("CURRENT")));
        assertThrows(StoreException.class, () -> QueueStore.open(dir, 1 << 20, TestEngine.chosen()).close());
    }

    @Test
    void aGoodStoreIsLeftAlone() {
        createStoreWithQueue();

        assertFalse(assertDoesNotThrow(() -> UnfinishedStore.clear(dir)));
        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            assertEquals(List.of("jobs"), store.recoveredQueues().stream().map(StoredQueue::name).toList());
        }
    }

    private void createStoreWithQueue() {
        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            store.createQueue("jobs");
        }
    }

    private List<String> queuesAfterCreatingOne() {
        createStoreWithQueue();
        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            return store.recoveredQueues().stream().map(StoredQueue::name).toList();
        }
    }
}
