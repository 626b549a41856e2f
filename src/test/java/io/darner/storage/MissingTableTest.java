package io.darner.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A table that the manifest names but a power cut took away, where a file's name is durable only
 * once its directory is fsynced: LevelDB wrote and fsynced the table and its manifest record, and
 * deleted the log it was made from, before anything fsynced the directory, and the cut kept the
 * manifest record, lost the table's name and gave the log back. LevelDB refuses such a store
 * ("1 missing files"); the store repairs itself from the log, loses nothing and says so.
 */
class MissingTableTest {
    private static final int ITEMS = 200;

    @TempDir
    Path dir;

    @Test
    void aTableACutTookIsRebuiltFromTheLogItWasMadeFrom() throws IOException {
        TestEngine.assumeNative("has no LevelDB repair");
        FaultInjector faults = new FaultInjector();
        QueueStore store = faults.open(dir);
        long qid = store.createQueue("jobs");
        for (int i = 0; i < ITEMS; i++) {
            store.append(qid, i, ItemRecord.inline(0, 0, 0, ("item " + i).getBytes()), null);
        }
        faults.closeAsIfKilled(store::close); // the items are in the log
        Path log = only(files(".log"));
        byte[] logBytes = Files.readAllBytes(log);
        Set<Path> tablesBefore = files(".sst");
        faults.closeAsIfKilled(faults.open(dir)::close); // the opening writes the log into a table, then deletes the log
        Set<Path> newTables = files(".sst");
        newTables.removeAll(tablesBefore);
        assertFalse(Files.exists(log));

        Files.delete(only(newTables)); // what the cut left: the table's name lost, the log's deletion undone
        Files.write(log, logBytes);

        try (QueueStore reopened = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            StoredQueue jobs = reopened.recoveredQueues().stream().filter(q -> q.name().equals("jobs")).findFirst()
                    .orElseThrow(() -> new AssertionError("queue jobs lost"));
            assertEquals(ITEMS, jobs.items());
            for (int i = 0; i < ITEMS; i++) {
                assertEquals("item " + i, new String(reopened.get(qid, i).data()));
            }
        }
    }

    private Set<Path> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).collect(Collectors.toSet());
        }
    }

    private static Path only(Set<Path> files) {
        assertEquals(1, files.size(), "files: " + files);
        return List.copyOf(files).get(0);
    }
}
