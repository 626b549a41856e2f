package io.darner.storage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The store's background work (purging, compaction) and group fsync, across stops and failures. */
class StoreMaintenanceTest {
    /** The name of the store's background thread (see {@link QueueStore}). */
    private static final String MAINTENANCE_THREAD = "darner-maintenance";
    private static final long WAIT_MS = 20_000;

    @TempDir
    Path dir;
    private StoreFixture fixture;

    @BeforeEach
    void open() {
        fixture = new StoreFixture(dir);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    /** The two ways a queue's items are thrown away, both purged in the background. */
    enum Removal {
        FLUSH, DELETE;

        void apply(QueueStore store, String name, long qid) {
            if (this == FLUSH) {
                store.renewQueue(name, qid);
            } else {
                store.dropQueue(name, qid);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Removal.class)
    void aPurgeThatDidNotFinishResumesAtTheNextOpen(Removal removal) {
        long qid = fixture.store().createQueue("q");
        fixture.append(qid, 0, randomBytes(10, 1));
        fixture.append(qid, 1, randomBytes(3 * QueueStore.CHUNK_SIZE, 2));
        fixture.faults.failWritesOn(MAINTENANCE_THREAD);

        removal.apply(fixture.store(), "q", qid);
        waitUntil(() -> fixture.faults.injectedFailures() > 0, "the purge to be tried");
        StoreContents halfway = fixture.stopAndInspect();
        assertEquals(1, halfway.purges(), "purge record kept for the next open");
        assertEquals(2, halfway.items(), "old items still on disk");

        fixture.faults.heal();
        fixture.reopen(Stop.CLEAN);
        assertEquals(removal == Removal.FLUSH ? 1 : 0, fixture.store().recoveredQueues().size());
        waitUntil(() -> !fixture.holds(Keys.purge(qid)), "the purge to finish");

        assertEquals(new StoreContents(removal == Removal.FLUSH ? 1 : 0, 0, 0, 0, 0, 0, true), fixture.stopAndInspect());
    }

    /** Consumed items must give their disk space back (Darner compacts the consumed range for this). */
    @Test
    void consumedSpaceIsReclaimed() {
        TestEngine.assumeNative("compacts no range on request");
        long qid = fixture.store().createQueue("q");
        int count = 256;
        byte[] data = randomBytes(256 * 1024, 3); // 64 MiB in all, incompressible
        List<ItemRecord> records = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            records.add(fixture.append(qid, seq, data));
        }
        long full = directorySize();
        for (int seq = 0; seq < count; seq++) {
            fixture.store().delete(qid, seq, records.get(seq));
        }

        // compaction runs in the background: allow it time, then ask only for most of the space back
        waitUntil(() -> directorySize() < full / 3, "the directory to shrink below a third of " + full + " bytes");
    }

    @Test
    void concurrentSyncsAllComplete() throws Exception {
        long qid = fixture.store().createQueue("q");
        List<CompletableFuture<Void>> syncs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            fixture.append(qid, i, randomBytes(100, i));
            syncs.add(fixture.store().sync());
        }
        CompletableFuture.allOf(syncs.toArray(CompletableFuture[]::new)).get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void aSyncAfterCloseFailsInsteadOfHanging() {
        QueueStore store = fixture.store();
        fixture.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> store.sync().get(WAIT_MS, TimeUnit.MILLISECONDS));
        assertInstanceOf(StoreException.class, e.getCause());
    }

    private long directorySize() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void waitUntil(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofMillis(WAIT_MS)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
