package io.darner.queue;

import io.darner.storage.BlobWriter;
import io.darner.storage.ItemRecord;
import io.darner.storage.PendingPuts;
import io.darner.storage.StoreContents;
import io.darner.storage.StoreException;
import io.darner.storage.Stop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A write the store refuses (a full or failing disk) fails that one operation with a
 * {@link StoreException}; the queue's counters still match the store, nothing is lost or
 * stranded, and the queue works once the disk does.
 */
class QueueWriteFailureTest {
    @TempDir
    Path dir;
    private RepositoryFixture fixture;

    @BeforeEach
    void start() {
        fixture = new RepositoryFixture(dir);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aFailedPutStoresNothing() {
        fixture.put("q", "a");
        failingWrites(() -> fixture.put("q", "b"));
        fixture.put("q", "c");

        assertItems("q", 2);
        fixture.restart(Stop.KILLED);
        assertEquals(List.of("a", "c"), fixture.drain("q"));
    }

    @Test
    void aFailedPutIntoANewQueueCreatesNoQueue() {
        failingWrites(() -> fixture.put("new", "a"));

        fixture.restart(Stop.KILLED);

        assertEquals(0, fixture.repo().queueCount());
    }

    /** As the session does: a set whose commit fails aborts its blob, and the next open removes what is left. */
    @Test
    void aFailedLargePutLeavesNothingBehind() {
        byte[] data = randomBytes(300 * 1024, 1);
        ItemIntake item = fixture.repo().beginItem(data.length);
        item.write(data, 0, data.length);

        failingWrites(() -> item.finish("q", 0, 0), item::abort);
        assertItems("q", 0);

        fixture.restart(Stop.CLEAN);
        StoreContents left = fixture.stopAndInspect();
        assertEquals(0, left.chunks(), "chunks");
        assertEquals(0, left.pendingBlobs(), "pending markers");
    }

    /** The item was not deleted, so it must be delivered again: at least once, never stranded. */
    @Test
    void aFailedConfirmPutsTheItemBackAtTheHead() {
        fixture.put("q", "a", "b");
        Delivery a = fixture.take("q", true);

        failingWrites(() -> fixture.repo().find("q").confirm(a));

        QueueStats stats = fixture.repo().find("q").stats(java.util.List.of());
        assertEquals(2, stats.items(), "items");
        assertEquals(0, stats.openTransactions(), "open");
        fixture.restart(Stop.CLEAN); // the counts saved at this stop must match the store
        assertItems("q", 2);
        assertEquals(List.of("a", "b"), fixture.drain("q"));
    }

    @Test
    void aFailedExpiryKeepsTheQueueConsistent() {
        long past = System.currentTimeMillis() - 1000;
        fixture.repo().put("q", ItemRecord.inline(0, past, past, "expired".getBytes(StandardCharsets.UTF_8)), null);
        fixture.put("q", "b");

        failingWrites(() -> fixture.take("q", false));

        assertEquals(List.of("b"), fixture.drain("q"));
        QueueStats stats = fixture.repo().find("q").stats(java.util.List.of());
        assertEquals(0, stats.items(), "items");
        assertEquals(1, stats.expiredItems(), "expired");
        assertEquals(0, fixture.stopAndInspect().items(), "items on disk");
    }

    @Test
    void aFailedFlushKeepsEveryItem() {
        fixture.put("q", "a", "b");

        failingWrites(() -> fixture.repo().flush("q"));

        assertEquals(List.of("a", "b"), fixture.drain("q"));
    }

    /** A delete the store refused must not make the queue vanish while its items stay stored. */
    @Test
    void aFailedDeleteKeepsTheQueue() {
        fixture.put("q", "a");

        failingWrites(() -> fixture.repo().delete("q"));

        assertNotNull(fixture.repo().find("q"), "the queue is still there");
        fixture.put("q", "b");
        assertEquals(List.of("a", "b"), fixture.drain("q"));
        fixture.restart(Stop.CLEAN);
        assertEquals(1, fixture.repo().queueCount());
        assertItems("q", 0);
    }

    /**
     * Puts that waited for the end of the pass (as a memcache set's do) and whose batch then
     * failed: the items leave the queue, one read ahead as well as one further on, and the queue
     * holds what it held before; the counts match the store after a stop.
     */
    @Test
    void itemsOfAFailedBatchOfWaitingPutsLeaveTheQueue() {
        fixture.put("q", "a");
        putsWaiting(() -> fixture.put("q", "b", "c"));
        fixture.faults.failWrites();
        fixture.repo().writePendingPuts();
        fixture.faults.heal();

        fixture.repo().settleLostPuts();

        assertItems("q", 1);
        fixture.put("q", "d");
        fixture.restart(Stop.CLEAN);
        assertItems("q", 2);
        assertEquals(List.of("a", "d"), fixture.drain("q"));
    }

    /** An item of a failed batch that a reader took meanwhile stays taken: its confirm finds nothing to delete. */
    @Test
    void anItemOfAFailedBatchAlreadyTakenStaysTaken() {
        putsWaiting(() -> fixture.put("q", "a", "b"));
        Delivery a = fixture.take("q", true);
        fixture.faults.failWrites();
        fixture.repo().writePendingPuts();
        fixture.faults.heal();

        fixture.repo().settleLostPuts();
        fixture.repo().find("q").confirm(a);

        QueueStats stats = fixture.repo().find("q").stats(java.util.List.of());
        assertEquals(0, stats.items(), "items");
        assertEquals(0, stats.openTransactions(), "open");
        fixture.restart(Stop.CLEAN);
        assertItems("q", 0);
    }

    /** An item taken and confirmed while its put waits is never written, and nothing of it is lost or left. */
    @Test
    void anItemConfirmedWhileItsPutWaitsIsNeverWritten() {
        putsWaiting(() -> fixture.put("q", "a", "b"));

        Delivery a = fixture.take("q", false);
        fixture.repo().find("q").confirm(a);
        fixture.repo().writePendingPuts();

        assertEquals(1, fixture.stopAndInspect().items(), "items on disk");
    }

    private static void putsWaiting(Runnable puts) {
        PendingPuts.collectInto(new PendingPuts.Collector());
        try {
            puts.run();
        } finally {
            PendingPuts.endCollecting();
        }
    }

    /** Runs {@code op} with every write failing, expecting it to fail; then {@code cleanUps}, still failing. */
    private void failingWrites(Executable op, Runnable... cleanUps) {
        fixture.faults.failWrites();
        try {
            assertThrows(StoreException.class, op);
            for (Runnable cleanUp : cleanUps) {
                cleanUp.run();
            }
        } finally {
            fixture.faults.heal();
        }
    }

    private void assertItems(String queue, long items) {
        Queue q = fixture.repo().find(queue);
        assertEquals(items, q == null ? 0 : q.stats(java.util.List.of()).items(), "items of " + queue);
    }
}
