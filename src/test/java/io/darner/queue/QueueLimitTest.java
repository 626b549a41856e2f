package io.darner.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** darner.max-queues: a client cannot make queues (heap) without end. */
class QueueLimitTest {
    @TempDir
    Path dir;

    @Test
    void aQueuePastTheLimitIsRefusedUntilOneIsDeleted() {
        try (RepositoryFixture f = new RepositoryFixture(dir, Map.of("darner.max-queues", "3"))) {
            f.put("a", "1");
            f.put("b", "2");
            f.repo().getOrCreate("c");
            TooManyQueuesException e = assertThrows(TooManyQueuesException.class, () -> f.put("d", "4"));
            assertEquals("too many queues (darner.max-queues=3)", e.getMessage());
            assertThrows(TooManyQueuesException.class, () -> f.repo().getOrCreate("e"));
            f.put("a", "more"); // the queues there are served as ever
            assertEquals(3, f.repo().queueCount());

            f.repo().delete("c");
            f.put("d", "4");
            assertEquals(List.of("1", "more"), f.drain("a"));
            assertEquals(List.of("4"), f.drain("d"));
        }
    }
}
