package io.darner.queue;

import io.darner.storage.StoreDamage;
import io.darner.storage.StoreException;
import io.darner.storage.TestEngine;
import io.darner.storage.TestItems;
import io.darner.testing.TempDataDir;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store damaged on disk (garbage over part of a table file, a table file cut short, a lost
 * CURRENT file): the damaged queue answers errors that name it, the other queues are served in
 * full, and {@code darner.repair-on-start} brings the damaged queue back with every item that can
 * still be read, in order. Queue {@code a} fills several table files, between {@code b} and
 * {@code c} in key order; the damage is to a table file that holds only items of {@code a}.
 */
class DamagedQueueTest {
    private static final int A_ITEMS = 6000;
    private static final int ITEM_SIZE = 2048;
    private static final List<String> SMALL = List.of("one", "two", "three");

    /** The undamaged store, built once; every test damages a copy. */
    private static Path pristine;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildStore() throws Exception {
        // the Java engine reports no damaged block and has no LevelDB repair (StoreDamageTest shows what it does)
        TestEngine.assumeNative("checks no block checksum and has no LevelDB repair");
        pristine = Files.createTempDirectory("darner-damage-");
        try (RepositoryFixture f = new RepositoryFixture(pristine)) {
            f.put("b", SMALL.toArray(new String[0]));
            for (int i = 0; i < A_ITEMS; i++) {
                f.put("a", itemOfA(i));
            }
            f.put("c", SMALL.toArray(new String[0]));
        }
        StoreDamage.compact(pristine);
    }

    @AfterAll
    static void removeStore() {
        if (pristine != null) {
            TempDataDir.deleteTree(pristine);
        }
    }

    /** Item i of queue a: its index, then bytes derived from it (incompressible, so the items fill tables). */
    static byte[] itemOfA(int i) {
        byte[] data = TestItems.randomBytes(ITEM_SIZE, i);
        ByteBuffer.wrap(data).putInt(i);
        return data;
    }

    /** A copy of the store with garbage over a table that holds only items of a. */
    private Path damagedCopy() {
        Path copy = StoreDamage.copy(pristine, dir.resolve("data"));
        StoreDamage.scribbleInsideAnItem(middleTable(copy), DamagedQueueTest::itemOfA, A_ITEMS, 100);
        return copy;
    }

    private static Path middleTable(Path store) {
        List<Path> tables = StoreDamage.tables(store);
        assertTrue(tables.size() >= 3, "queue a should span several tables: " + tables);
        return tables.get(1);
    }

    @Test
    void damageFoundByReadsFailsOnlyTheDamagedQueueAndNamesIt() {
        Path data = damagedCopy(); // stopped cleanly: the open reads only each queue's first and last keys
        try (RepositoryFixture f = new RepositoryFixture(data)) {
            assertEquals(List.of(), f.repo().damagedQueues());
            assertEquals(SMALL, f.drain("b"));
            assertEquals(SMALL, f.drain("c"));

            Queue a = f.repo().find("a");
            int taken = takeUntilFailure(a);
            assertTrue(taken > 0 && taken < A_ITEMS, "taken before the damage: " + taken);
            StoreException e = assertThrows(StoreException.class, () -> a.take(false), "the damage stays in the way");
            assertTrue(e.getMessage().startsWith("cannot read queue a: read failed: Corruption"), e.getMessage());
            assertEquals(A_ITEMS - taken, a.stats(List.of()).items(), "a failed read takes nothing");
            f.put("b", "four"); // writes, even to the damaged queue, go on
            f.put("a", itemOfA(A_ITEMS));
            assertEquals(List.of("four"), f.drain("b"));
        }
    }

    /**
     * Consumed items leave deletions in front of the damaged block, and reading past the last key
     * of the catalog steps over them into it: the server must still start.
     */
    @Test
    void aRestartAfterConsumingUpToTheDamageStillStarts() {
        Path data = damagedCopy();
        try (RepositoryFixture f = new RepositoryFixture(data)) {
            assertEquals(SMALL, f.drain("b"));
            takeUntilFailure(f.repo().find("a"));
        }
        try (RepositoryFixture f = new RepositoryFixture(data)) {
            assertThrows(StoreException.class, () -> f.repo().find("a").take(false));
            assertEquals(List.of(), f.drain("b"));
            assertEquals(SMALL, f.drain("c"));
        }
    }

    @Test
    void repairOnStartBringsBackEveryReadableItemInOrder() {
        Path data = damagedCopy();
        int taken;
        try (RepositoryFixture f = new RepositoryFixture(data)) {
            taken = takeUntilFailure(f.repo().find("a"));
        }
        try (RepositoryFixture f = new RepositoryFixture(data, true)) {
            assertEquals(List.of(), f.repo().damagedQueues());
            List<Integer> rest = drainA(f);
            assertTrue(rest.size() < A_ITEMS - taken && rest.size() > A_ITEMS - taken - 50,
                    "items after the repair: " + rest.size() + " of " + (A_ITEMS - taken) + ", less a damaged block");
            assertEquals(A_ITEMS - 1, rest.get(rest.size() - 1), "the items after the damage are all there");
            assertTrue(lost(rest, taken) > 0, "the items of the damaged block are gone");
            assertEquals(SMALL, f.drain("b"));
            assertEquals(SMALL, f.drain("c"));
        }
        try (RepositoryFixture f = new RepositoryFixture(data)) {
            assertEquals(List.of(), drainA(f), "the repaired queue keeps what was consumed consumed");
        }
    }

    @Test
    void damageFoundWhenRecountingAfterAKillMakesTheQueueRefuseEverythingButFlushAndDelete() {
        Path data = damagedCopy();
        StoreDamage.forgetCleanStop(data);
        try (RepositoryFixture f = new RepositoryFixture(data)) {
            assertEquals(List.of("a"), f.repo().damagedQueues());
            Queue a = f.repo().find("a");
            assertNotNull(a);
            StoreException e = assertThrows(StoreException.class, () -> a.take(false));
            assertTrue(e.getMessage().startsWith("queue a is damaged: Corruption"), e.getMessage());
            assertThrows(StoreException.class, () -> f.put("a", "x"));
            assertEquals(SMALL, f.drain("b"));
            assertEquals(SMALL, f.drain("c"));

            f.repo().flush("a"); // giving up its items makes it a working, empty queue
            assertEquals(List.of(), f.repo().damagedQueues());
            f.put("a", "fresh");
        }
        try (RepositoryFixture f = new RepositoryFixture(data)) {
            assertEquals(List.of(), f.repo().damagedQueues());
            assertEquals(List.of("fresh"), f.drain("a"));
        }
    }

    @Test
    void repairOnStartAfterAKillSalvagesTheDamagedQueue() {
        Path data = damagedCopy();
        StoreDamage.forgetCleanStop(data);
        try (RepositoryFixture f = new RepositoryFixture(data, true)) {
            assertEquals(List.of(), f.repo().damagedQueues());
            List<Integer> all = drainA(f);
            assertTrue(all.size() < A_ITEMS && all.size() > A_ITEMS - 50, "items after the repair: " + all.size());
            assertEquals(SMALL, f.drain("b"));
            assertEquals(SMALL, f.drain("c"));
        }
    }

    @Test
    void aTruncatedTableIsSetAsideByTheRepairAndTheRestIsServed() {
        Path data = StoreDamage.copy(pristine, dir.resolve("data"));
        StoreDamage.truncate(middleTable(data));
        try (RepositoryFixture f = new RepositoryFixture(data)) {
            int taken = takeUntilFailure(f.repo().find("a"));
            assertTrue(taken > 0 && taken < A_ITEMS);
        }
        try (RepositoryFixture f = new RepositoryFixture(data, true)) {
            List<Integer> all = drainA(f);
            assertTrue(all.size() > 0 && all.size() < A_ITEMS, "items after the repair: " + all.size());
            assertEquals(SMALL, f.drain("b"));
            assertEquals(SMALL, f.drain("c"));
        }
        assertTrue(Files.isDirectory(data.resolve("lost")), "the unreadable table is set aside in lost/");
    }

    @Test
    void aLostCurrentFileIsRebuiltByTheRepairWithEveryItem() {
        Path data = StoreDamage.copy(pristine, dir.resolve("data"));
        StoreDamage.loseCurrent(data);
        assertThrows(StoreException.class, () -> new RepositoryFixture(data));
        try (RepositoryFixture f = new RepositoryFixture(data, true)) {
            assertEquals(A_ITEMS, drainA(f).size());
            assertEquals(SMALL, f.drain("b"));
            assertEquals(SMALL, f.drain("c"));
        }
    }

    /** Plain takes from a until one fails; returns how many worked, each checked to be the next item. */
    private static int takeUntilFailure(Queue a) {
        for (int i = 0; ; i++) {
            Delivery d;
            try {
                d = a.take(false);
            } catch (StoreException e) {
                return i;
            }
            if (d == null) {
                throw new AssertionError("queue a ran out without a failure after " + i + " items");
            }
            assertEquals(i, indexOf(d.record().data()), "item in order");
            a.confirm(d);
        }
    }

    /** Drains queue a, checking each item's data, that they come in order and none twice; returns their indexes. */
    private static List<Integer> drainA(RepositoryFixture f) {
        List<Integer> indexes = new ArrayList<>();
        for (byte[] data : f.drainData("a")) {
            int i = indexOf(data);
            assertTrue(Arrays.equals(itemOfA(i), data), "item " + i + " intact");
            assertFalse(!indexes.isEmpty() && indexes.get(indexes.size() - 1) >= i, "in order: " + i + " after " + indexes);
            indexes.add(i);
        }
        return indexes;
    }

    /** How many indexes between {@code from} and the last of {@code rest} are missing. */
    private static int lost(List<Integer> rest, int from) {
        return rest.get(rest.size() - 1) + 1 - from - rest.size();
    }

    private static int indexOf(byte[] data) {
        return ByteBuffer.wrap(data).getInt();
    }
}
