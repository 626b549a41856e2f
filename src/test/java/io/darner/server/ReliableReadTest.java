package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reliable reads: open, close, abort, peek and the rules about combining them (spec 4). */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ReliableReadTest extends ServerTestBase {

    @Test
    void anOpenReadIsHiddenFromOthersUntilClosed() throws Exception {
        fill(q, "a", "b");
        MemcacheClient reader = connect();
        assertEquals("a", reader.get(q + "/open"));
        assertEquals(1, queueStat(q, "open_transactions"));
        assertEquals(1, queueStat(q, "items"), "open reads are not counted in items");
        assertDrains(q, "b");
        assertNull(reader.get(q + "/close"), "close alone replies END");
        assertEquals(0, queueStat(q, "open_transactions"));
        assertDrains(q);
    }

    @Test
    void closeAloneConfirmsNothingWhenNothingIsOpen() throws Exception {
        fill(q, "a");
        assertNull(connect().get(q + "/close"));
        assertDrains(q, "a");
    }

    @Test
    void closeOpenLoopConsumesEveryItemOnceInOrder() throws Exception {
        fill(q, "1", "2", "3", "4", "5");
        MemcacheClient c = connect();
        assertEquals("1", c.get(q + "/open"));
        for (String expected : new String[] {"2", "3", "4", "5"}) {
            assertEquals(expected, c.get(q + "/t=500/close/open"));
        }
        assertNull(c.get(q + "/t=10/close/open"), "the last item is confirmed and nothing is left");
        assertNull(c.get(q + "/close"));
        assertEquals(5, queueStat(q, "transactions"));
        assertEquals(0, queueStat(q, "open_transactions"));
        assertEquals(0, queueStat(q, "canceled_transactions"));
        assertDrains(q);
    }

    @Test
    void optionsMayComeInAnyOrder() throws Exception {
        fill(q, "1", "2");
        MemcacheClient c = connect();
        assertEquals("1", c.get(q + "/t=50/open"));
        assertEquals("2", c.get(q + "/open/close/t=50"));
        assertNull(c.get(q + "/close"));
        assertDrains(q);
    }

    @Test
    void abortPutsTheOpenItemBackAtTheHead() throws Exception {
        fill(q, "a", "b");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        assertNull(c.get(q + "/abort"), "abort replies END");
        assertEquals(1, queueStat(q, "canceled_transactions"));
        assertEquals(0, queueStat(q, "open_transactions"));
        assertNull(c.get(q + "/abort"), "abort with nothing open is a no-op");
        assertEquals(1, queueStat(q, "canceled_transactions"));
        assertDrains(q, "a", "b");
    }

    @Test
    void peekShowsTheHeadWithoutTakingIt() throws Exception {
        MemcacheClient c = connect();
        assertNull(c.get(q + "/peek"), "peek on an empty queue");
        fill(q, "a", "b");
        assertEquals("a", c.get(q + "/peek"));
        assertEquals("a", c.get(q + "/peek"));
        assertEquals("a", c.get(q));
        assertEquals("b", c.get(q + "/peek"));
        assertEquals(1, queueStat(q, "items"));
        assertDrains(q, "b");
    }

    @Test
    void peekSkipsItemsOpenElsewhereAndIsAllowedWithOwnOpenRead() throws Exception {
        fill(q, "a", "b");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        assertEquals("b", c.get(q + "/peek"), "the head is the next item not handed out");
        assertEquals("b", connect().get(q + "/peek"));
        assertNull(c.get(q + "/close"));
        assertDrains(q, "b");
    }

    @Test
    void peekOfALargeItemIsByteExactAndLeavesIt() throws Exception {
        byte[] data = randomBytes(700 * 1024, 7);
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(q, data));
        assertArrayEquals(data, c.getBytes(q + "/peek"));
        assertArrayEquals(data, c.getBytes(q));
        assertNull(c.get(q));
    }

    @Test
    void openReadsArePerQueue() throws Exception {
        String other = q + ".other";
        fill(q, "a");
        fill(other, "x");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        assertEquals("x", c.get(other + "/open"), "max-open-reads counts per queue");
        assertNull(c.get(q + "/close"));
        assertNull(c.get(other + "/close"));
        assertDrains(q);
        assertDrains(other);
    }

    /** Refused with CLIENT_ERROR and the connection closed, so the open read on it rolls back. */
    @ParameterizedTest
    @ValueSource(strings = {"%s/peek/open", "%s/open/peek", "%s/peek/close", "%s/close/peek", "%s/abort/open",
            "%s/close/abort", "%s/abort/peek", "%s/opne", "%s/open/", "%s/t=abc", "%s/t=-5", "%s/t=", "/open", "/t=10"})
    void refusedOptionCombinationsCloseTheConnection(String keyPattern) throws Exception {
        String request = "get " + String.format(keyPattern, q) + "\r\n";
        fill(q, "a", "b");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        c.send(request);
        String reply = c.readLine();
        assertTrue(reply.startsWith("CLIENT_ERROR "), request + " -> " + reply);
        assertClosedByServer(c);
        awaitQueueStat(q, "open_transactions", 0);
        assertDrains(q, "a", "b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/t=50"})
    void plainGetWhileHoldingAnOpenReadIsErrorAndClose(String options) throws Exception {
        fill(q, "a", "b");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        assertRepliedAndClosed(c, "get " + q + options + "\r\n", "ERROR");
        awaitQueueStat(q, "open_transactions", 0);
        assertDrains(q, "a", "b");
    }

    /** Refused as a whole: no item of the other queues is taken into a reply that ends in ERROR. */
    @Test
    void multiKeyGetOfAQueueWithAnOpenReadIsErrorAndClose() throws Exception {
        String other = q + ".other";
        fill(q, "a", "b");
        fill(other, "x");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        assertRepliedAndClosed(c, "get " + other + " " + q + "\r\n", "ERROR");
        awaitQueueStat(q, "open_transactions", 0);
        assertDrains(q, "a", "b");
        assertDrains(other, "x");
    }

    @Test
    void openingOneMoreThanMaxOpenReadsIsErrorAndClose() throws Exception {
        fill(q, "a", "b");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        assertRepliedAndClosed(c, "get " + q + "/open\r\n", "ERROR");
        awaitQueueStat(q, "open_transactions", 0);
        assertDrains(q, "a", "b");
    }

    @Test
    void disconnectRollsOpenReadsBackToTheHeadInOrder() throws Exception {
        fill(q, "a", "b", "c");
        MemcacheClient first = connect();
        MemcacheClient second = connect();
        assertEquals("a", first.get(q + "/open"));
        assertEquals("b", second.get(q + "/open"));
        assertEquals(1, queueStat(q, "items"));
        second.close();
        first.close();
        awaitQueueStat(q, "open_transactions", 0);
        assertEquals(3, queueStat(q, "items"));
        assertEquals(2, queueStat(q, "canceled_transactions"));
        assertDrains(q, "a", "b", "c");
    }

    @Test
    void disconnectRollsBackOpenReadsOnEveryQueue() throws Exception {
        String other = q + ".other";
        fill(q, "a1", "a2");
        fill(other, "b1");
        MemcacheClient c = connect();
        assertEquals("a1", c.get(q + "/open"));
        assertEquals("b1", c.get(other + "/open"));
        c.close();
        awaitQueueStat(q, "open_transactions", 0);
        awaitQueueStat(other, "open_transactions", 0);
        assertDrains(q, "a1", "a2");
        assertDrains(other, "b1");
    }

    /** The reader leaves while a large item is still streaming to it: the item is not lost. */
    @ParameterizedTest
    @ValueSource(strings = {"", "/open"})
    void anItemStillStreamingWhenItsReaderLeavesGoesBackToTheHead(String options) throws Exception {
        byte[] data = randomBytes(16 * 1024 * 1024, 16); // far more than the socket buffers hold
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(q, data));
        assertEquals("STORED", c.set(q, "next"));
        MemcacheClient reader = connect();
        reader.send("get " + q + options + "\r\n");
        assertTrue(reader.readLine().startsWith("VALUE "));
        reader.close();
        awaitQueueStat(q, "items", 2);
        assertArrayEquals(data, c.getBytes(q));
        assertDrains(q, "next");
    }

    @Test
    void quitRollsBackOpenReads() throws Exception {
        fill(q, "a");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        c.send("quit\r\n");
        assertClosedByServer(c);
        awaitQueueStat(q, "open_transactions", 0);
        assertDrains(q, "a");
    }
}
