package io.darner.storage;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The group commit fsyncs the logs oldest first, by LevelDB's file number (not by name: numbers
 * past 999,999 have more digits), so a power cut in the middle of a round leaves no hole.
 */
class LogSyncerOrderTest {
    @Test
    void logsAreInTheOrderLevelDbCreatedThem() {
        List<Path> logs = new ArrayList<>(List.of(Path.of("d/1000000.log"), Path.of("d/000010.log"),
                Path.of("d/notes.log"), Path.of("d/000009.log")));
        logs.sort(Comparator.comparingLong(LogSyncer::fileNumber));
        assertEquals(List.of(Path.of("d/000009.log"), Path.of("d/000010.log"), Path.of("d/1000000.log"),
                Path.of("d/notes.log")), logs);
    }
}
