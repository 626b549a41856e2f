package io.darner.server;

import io.darner.storage.QueueStore;
import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.darner.server.ParityProfile.MAX_OPEN_READS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code monitor <q> <seconds> [max]} and {@code confirm <q> <count>} (spec 3, docs/protocol.md 9):
 * items as open reads as they come, then END; confirm settles them all or nothing.
 */
@QuarkusTest
@TestProfile(ParityProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ParityMonitorTest extends ParityTestBase {

    private static List<String> texts(List<MemcacheClient.Item> items) {
        return items.stream().map(MemcacheClient.Item::text).toList();
    }

    /** Sends a monitor and reads its items up to the final END. */
    private static List<String> monitor(MemcacheClient c, String queue, String args) throws Exception {
        c.send("monitor " + queue + " " + args + "\r\n");
        return texts(c.readItems());
    }

    @Test
    void monitorHandsOutUpToMaxItemsAsOpenReadsThenEnds() throws Exception {
        fill(q, "a", "b", "c");
        MemcacheClient c = connect();
        long start = System.nanoTime();
        assertEquals(List.of("a", "b"), monitor(c, q, "10 2"));
        assertTrue(elapsedMs(start) < 5_000, "max reached: no waiting for the time to be up");
        assertQueue(q, "items", 1, "open_transactions", 2, "transactions", 2);

        assertEquals("ERROR", c.call("confirm " + q + " 3"), "only 2 are open");
        assertAlive(c);
        assertQueue(q, "open_transactions", 2, "items", 1);
        assertEquals("END", c.call("confirm " + q + " 2"));
        assertQueue(q, "open_transactions", 0, "items", 1, "canceled_transactions", 0);
        assertDrains(q, "c");
    }

    @Test
    void monitorWaitsForItemsUntilTheTimeIsUp() throws Exception {
        MemcacheClient c = connect();
        long start = System.nanoTime();
        c.send("monitor " + q + " 1\r\n");
        awaitQueueStat(q, "waiters", 1);
        fill(q, "late");
        List<String> items = texts(c.readItems());
        long elapsed = elapsedMs(start);
        assertEquals(List.of("late"), items);
        assertTrue(elapsed >= 950 && elapsed < 5_000, "END after " + elapsed + " ms");
        assertEquals("END", c.call("confirm " + q + " 1"));
        assertDrains(q);
    }

    @Test
    void monitoredItemsRollBackInOrderWhenTheConnectionEnds() throws Exception {
        fill(q, "a", "b", "c");
        MemcacheClient c = connect();
        assertEquals(List.of("a", "b"), monitor(c, q, "1 2"));
        disconnect(c);
        assertQueue(q, "items", 3, "open_transactions", 0, "canceled_transactions", 2);
        assertDrains(q, "a", "b", "c");
    }

    @Test
    void monitorIsNotLimitedByMaxOpenReads() throws Exception {
        int n = MAX_OPEN_READS + 2;
        fillPipelined(q, "item", n);
        MemcacheClient c = connect();
        assertEquals(n, monitor(c, q, "1 " + n).size());
        assertEquals("END", c.call("confirm " + q + " " + n));
        assertQueue(q, "items", 0, "open_transactions", 0);
    }

    @Test
    void monitorStreamsLargeItems() throws Exception {
        byte[] large = randomBytes(QueueStore.CHUNK_SIZE * 2 + 1, 9);
        MemcacheClient producer = connect();
        assertEquals("STORED", producer.set(q, large));
        assertEquals("STORED", producer.set(q, "small"));
        MemcacheClient c = connect();
        c.send("monitor " + q + " 1 2\r\n");
        List<MemcacheClient.Item> items = c.readItems();
        assertArrayEquals(large, items.get(0).data());
        assertEquals("small", items.get(1).text());
        assertEquals("END", c.call("confirm " + q + " 2"));
        assertDrains(q);
    }

    @Test
    void confirmWithNothingOpenIsAnErrorAndTheConnectionStays() throws Exception {
        MemcacheClient c = connect();
        assertEquals("ERROR", c.call("confirm " + q + " 1"));
        assertAlive(c);
    }

    @Test
    void confirmSettlesTheOldestReadsOfTheConnectionOnly() throws Exception {
        fill(q, "a", "b", "c");
        MemcacheClient first = connect();
        MemcacheClient second = connect();
        assertEquals(List.of("a", "b"), monitor(first, q, "1 2"));
        assertEquals(List.of("c"), monitor(second, q, "1 1"));
        assertEquals("ERROR", second.call("confirm " + q + " 2"), "the other connection's reads are not its own");
        assertEquals("END", first.call("confirm " + q + " 1"));
        disconnect(first);
        disconnect(second);
        assertDrains(q, "b", "c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"monitor", "monitor q", "monitor q x", "monitor q 1 -1", "monitor q -1", "monitor q 1 2 3",
            "monitor bad/name 1", "confirm", "confirm q", "confirm q x", "confirm q -1", "confirm q 1 2",
            "confirm bad/name 1", "flush_expired", "flush_expired bad/name", "flush_expired a b",
            "flush_all_expired x", "status sideways", "status up now"})
    void malformedArgumentsGetAClientErrorWithAReasonAndTheConnectionStays(String request) throws Exception {
        MemcacheClient c = connect();
        String reply = c.call(request);
        assertTrue(reply.matches("CLIENT_ERROR \\S.*"), request + " -> " + reply);
        assertAlive(c);
    }
}
