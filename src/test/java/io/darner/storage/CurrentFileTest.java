package io.darner.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CURRENT file that a power cut left empty or torn (LevelDB 1.8 replaces it at every open without
 * an fsync) is mended at the next open: the store opens with its queues (PowerLossIT found it).
 */
class CurrentFileTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyCurrentFileIsMendedAndTheStoreOpens() throws IOException {
        createStoreWithQueue();
        Files.write(dir.resolve("CURRENT"), new byte[0]);

        assertEquals(List.of("jobs"), queuesAfterOpening());
    }

    @Test
    void aCurrentFileOfZerosIsMended() throws IOException {
        createStoreWithQueue();
        Files.write(dir.resolve("CURRENT"), new byte[65536]); // what an unsynced mapped write leaves

        assertTrue(CurrentFile.mend(dir));
        assertEquals(List.of("jobs"), queuesAfterOpening());
    }

    @Test
    void aGoodCurrentFileIsLeftAlone() throws IOException {
        createStoreWithQueue();
        byte[] before = Files.readAllBytes(dir.resolve("CURRENT"));

        assertFalse(CurrentFile.mend(dir));
        assertEquals(new String(before), new String(Files.readAllBytes(dir.resolve("CURRENT"))));
    }

    private void createStoreWithQueue() {
        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            store.createQueue("jobs");
        }
    }

    private List<String> queuesAfterOpening() {
        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            return store.recoveredQueues().stream().map(StoredQueue::name).toList();
        }
    }
}
