package io.darner.crash;

import io.darner.storage.StoreContents;
import io.darner.testing.ItemId;
import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;
import io.darner.testing.TempDataDir;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server, SIGKILLed at random moments under load and started again on the same data
 * directory (spec sections 4 and 8; field notes: Darner's holes and its failed restart after a
 * kill during a large set).
 */
class CrashRecoveryIT {
    private static final String QUEUE = "crash";
    private static final String FLUSH_QUEUE = "crash_flushed";
    /** Kill/restart cycles: 20 in the build; the soak runs more (docs/reliability.md). Override with -Dcrash.cycles. */
    private static final int KILL_CYCLES = Integer.getInteger("crash.cycles", 20);
    /** The load runs this long, at least, before the kill; plus up to {@link #KILL_SPREAD_MS} more. */
    private static final int KILL_AFTER_MS = 300;
    private static final int KILL_SPREAD_MS = 1200;
    /** Fixed so that a failure can be replayed: the kill moments come from it. Override with -Dcrash.seed. */
    private static final long SEED = Long.getLong("crash.seed", 22133);
    private static final int LARGE_ITEM = 8 * 1024 * 1024;
    private static final int MIB = 1024 * 1024;
    private static final String STATS_REQUEST = "stats\r\n";

    @TempDir
    Path dataDir;
    private ServerProcess server;

    @AfterEach
    void killServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.kill();
        }
    }

    /**
     * Kills the server under mixed load ({@link Workload}: sets with a large item in 64, delayed
     * sets, reliable reads closed or aborted, with a delay or not, a queue flushed every few sets)
     * at a random moment, restarts it on the same directory, lets the delayed items fall due, and
     * checks the invariants: every item acknowledged and not confirmed is there exactly once, in
     * order per producer; nothing confirmed comes back; the flushed queue holds exactly what was
     * stored since its last flush.
     */
    @Test
    @Timeout(value = 12, unit = java.util.concurrent.TimeUnit.HOURS) // each step has its own time limit
    void killedUnderLoadItLosesNoAcknowledgedItemAndRedeliversNoConfirmedOne() throws Exception {
        Random random = new Random(SEED);
        long started = System.nanoTime();
        long stored = 0;
        long confirmed = 0;
        long flushes = 0;
        server = ServerProcess.start(dataDir);
        for (int cycle = 0; cycle < KILL_CYCLES; cycle++) {
            Ledger ledger = new Ledger();
            FlushLedger flushLedger = new FlushLedger();
            Workload load = Workload.start(server.port(), QUEUE, cycle, ledger, FLUSH_QUEUE, flushLedger);
            long killAfterMs = KILL_AFTER_MS + random.nextInt(KILL_SPREAD_MS);
            Thread.sleep(killAfterMs);
            load.expectServerDeath();
            server.kill();
            load.awaitEnd();

            server = ServerProcess.start(dataDir);
            awaitNothingDelayed(server.port(), QUEUE);
            List<ItemId> drained = drain(server.port(), QUEUE);
            List<ItemId> flushed = drain(server.port(), FLUSH_QUEUE);
            System.out.printf("crash cycle %d, killed after %d ms: %s; %s%n", cycle, killAfterMs, ledger.summary(drained),
                    flushLedger.summary(flushed));
            ledger.verify(drained);
            flushLedger.verify(flushed);
            assertTrue(ledger.storedCount() > 0 && ledger.confirmedCount() > 0, "the cycle did some work");
            stored += ledger.storedCount();
            confirmed += ledger.confirmedCount();
            flushes += flushLedger.flushes();
        }
        System.out.printf("CRASH SOAK: %d kill/restart cycles in %d s, seed %d: %d items stored, %d confirmed, %d flushes, "
                + "no invariant broken%n", KILL_CYCLES, (System.nanoTime() - started) / 1_000_000_000, SEED, stored,
                confirmed, flushes);
        assertEquals(0, server.stop(), "a graceful stop exits 0");
    }

    /**
     * Darner, killed during a multi-chunk set into an empty queue, left chunks that kept it from
     * starting. Killed with 1 MiB, 4 MiB or all of an 8 MiB item sent, the server must start, with
     * the queue empty or holding the whole item, and nothing left behind on disk.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 4, 8})
    @Timeout(60)
    void killedDuringALargeSetIntoAnEmptyQueueItStartsAgain(int mibSentBeforeKill) throws Exception {
        byte[] item = largeItem();
        server = ServerProcess.start(dataDir);
        try (MemcacheClient client = new MemcacheClient(server.port());
             MemcacheClient stats = new MemcacheClient(server.port())) {
            assertNull(client.get(QUEUE), "the queue starts empty"); // and now exists
            long readBefore = bytesRead(stats);
            String header = "set " + QUEUE + " 0 0 " + LARGE_ITEM + "\r\n";
            client.send(header);
            client.send(Arrays.copyOf(item, mibSentBeforeKill * MIB));
            long sent = header.length() + (long) mibSentBeforeKill * MIB;
            if (mibSentBeforeKill * MIB == LARGE_ITEM) {
                client.send("\r\n");
                sent += 2;
            }
            awaitTakenIn(stats, readBefore, sent); // the kill is to land mid-item
            server.kill();
        }
        if (mibSentBeforeKill * MIB < LARGE_ITEM) {
            assertEquals(1, inspectCopy().pendingBlobs(), "the kill left a half-received item");
        }

        server = ServerProcess.start(dataDir);
        try (MemcacheClient client = new MemcacheClient(server.port())) {
            byte[] found = client.getBytes(QUEUE);
            if (found != null) {
                assertArrayEquals(item, found, "the item is whole");
            }
            System.out.printf("killed with %d MiB of a large set sent: the queue %s%n", mibSentBeforeKill,
                    found == null ? "is empty" : "holds the whole item");
            assertNull(client.get(QUEUE), "nothing else in the queue");
        }
        server.stop();
        StoreContents left = StoreContents.of(dataDir);
        assertEquals(0, left.chunks(), "chunks left on disk");
        assertEquals(0, left.pendingBlobs(), "pending markers left on disk");
    }

    /**
     * Waits until the server has taken in {@code sent} bytes more than it had read at {@code readBefore}
     * (which counted the request that asked for it): their chunks are written as they are read.
     */
    private static void awaitTakenIn(MemcacheClient stats, long readBefore, long sent) {
        long[] polls = {0};
        Awaitility.await("the server takes in the " + sent + " bytes sent").atMost(Duration.ofSeconds(30))
                .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> bytesRead(stats) - STATS_REQUEST.length() * ++polls[0] - readBefore >= sent);
    }

    /** The server's {@code bytes_read}, which counts this request too. */
    private static long bytesRead(MemcacheClient stats) throws IOException {
        stats.send(STATS_REQUEST);
        long read = -1;
        for (String line : stats.readLinesUntilEnd()) {
            if (line.startsWith("STAT bytes_read ")) {
                read = Long.parseLong(line.substring("STAT bytes_read ".length()));
            }
        }
        assertTrue(read >= 0, "stats has bytes_read");
        return read;
    }

    private static byte[] largeItem() {
        byte[] data = new byte[LARGE_ITEM];
        new Random(SEED).nextBytes(data);
        return data;
    }

    /** Waits until the queue's delayed items have fallen due (they were set with a short delay). */
    private static void awaitNothingDelayed(int port, String queue) throws IOException {
        try (MemcacheClient client = new MemcacheClient(port)) {
            Awaitility.await("the delayed items of " + queue + " fall due").atMost(Duration.ofSeconds(30))
                    .pollInSameThread().pollInterval(Duration.ofMillis(20))
                    .until(() -> client.queueStats(queue).getOrDefault("delayed", 0L) == 0);
        }
    }

    /** Takes every item with plain gets, checking each one's data. */
    private static List<ItemId> drain(int port, String queue) throws IOException {
        List<ItemId> drained = new ArrayList<>();
        try (MemcacheClient client = new MemcacheClient(port)) {
            for (byte[] v = client.getBytes(queue); v != null; v = client.getBytes(queue)) {
                drained.add(ItemId.of(v));
            }
        }
        return drained;
    }

    /** Reads a copy of the data directory, so the next start sees exactly what the kill left. */
    private StoreContents inspectCopy() throws IOException {
        Path copy = Files.createTempDirectory(dataDir.getParent(), "crash-copy-");
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        try {
            return StoreContents.of(copy);
        } finally {
            TempDataDir.deleteTree(copy);
        }
    }
}
