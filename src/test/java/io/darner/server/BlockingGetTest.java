package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking gets ({@code t=}): woken by a set on another connection, first come first served, END on
 * timeout, and never a lost item when a waiter goes away (spec 1, 4). Timing bounds are generous on
 * purpose: they tell "woken by the set" from "ran into the timeout", nothing finer.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class BlockingGetTest extends ServerTestBase {
    /** Much longer than any test waits for: a waiter still waiting this long was never woken. */
    private static final String LONG_WAIT = "/t=10000";
    private static final long PROMPT_MS = 2_000;

    @Test
    void waiterIsWokenPromptlyBySetFromAnotherConnection() throws Exception {
        MemcacheClient waiter = startWaiting(q + LONG_WAIT, 1);
        long start = System.nanoTime();
        assertEquals("STORED", connect().set(q, "wake up"));
        assertEquals("wake up", waiter.readItem().text());
        assertTrue(elapsedMs(start) < PROMPT_MS, "woken after " + elapsedMs(start) + " ms");
        assertEquals(0, queueStat(q, "waiters"));
        assertDrains(q);
    }

    @Test
    void waitersAreServedFirstComeFirstServed() throws Exception {
        MemcacheClient first = startWaiting(q + LONG_WAIT, 1);
        MemcacheClient second = startWaiting(q + LONG_WAIT, 2);
        MemcacheClient producer = connect();
        assertEquals("STORED", producer.set(q, "for the first"));
        assertEquals("for the first", first.readItem().text());
        assertEquals("STORED", producer.set(q, "for the second"));
        assertEquals("for the second", second.readItem().text());
    }

    @Test
    void waitWithoutAnItemEndsWithEndAfterRoughlyTheTimeout() throws Exception {
        long missesBefore = globalStat("get_misses");
        MemcacheClient c = connect();
        long start = System.nanoTime();
        assertNull(c.get(q + "/t=300"));
        long waited = elapsedMs(start);
        assertTrue(waited >= 250 && waited < PROMPT_MS, "waited " + waited + " ms for t=300");
        assertEquals(0, queueStat(q, "waiters"));
        assertEquals(missesBefore + 1, globalStat("get_misses"));
        assertAlive(c);
    }

    @Test
    void zeroTimeoutDoesNotWait() throws Exception {
        long start = System.nanoTime();
        assertNull(connect().get(q + "/t=0"));
        assertTrue(elapsedMs(start) < PROMPT_MS);
    }

    @Test
    void theLastTimeoutOptionWins() throws Exception {
        MemcacheClient c = connect();
        long start = System.nanoTime();
        assertNull(c.get(q + "/t=60000/t=100"));
        assertTrue(elapsedMs(start) < PROMPT_MS, "t=100 should have won over t=60000");

        c.send("get " + q + "/t=50/t=10000\r\n");
        awaitQueueStat(q, "waiters", 1);
        assertHoldsFor(200, () -> assertEquals(1, queueStat(q, "waiters"))); // well past t=50: t=10000 won
        assertEquals("STORED", connect().set(q, "late"));
        assertEquals("late", c.readItem().text());
    }

    @Test
    void blockingGetHoldsLaterRequestsOfItsConnection() throws Exception {
        MemcacheClient c = connect();
        c.send("get " + q + LONG_WAIT + "\r\nversion\r\nget " + q + "\r\n");
        awaitQueueStat(q, "waiters", 1);
        MemcacheClient producer = connect();
        assertEquals("STORED", producer.set(q, "first"));
        assertEquals("first", c.readItem().text());
        assertTrue(c.readLine().startsWith("VERSION "));
        assertNull(c.readItem());
    }

    @Test
    void openWaiterGetsAnOpenRead() throws Exception {
        MemcacheClient waiter = startWaiting(q + LONG_WAIT + "/open", 1);
        assertEquals("STORED", connect().set(q, "job"));
        assertEquals("job", waiter.readItem().text());
        assertEquals(1, queueStat(q, "open_transactions"));
        assertEquals(1, queueStat(q, "transactions"));
        assertNull(waiter.get(q + "/close"));
        assertEquals(0, queueStat(q, "open_transactions"));
        assertDrains(q);
    }

    @Test
    void peekWaiterSeesTheItemAndLeavesItForTheNextWaiter() throws Exception {
        MemcacheClient peeker = startWaiting(q + LONG_WAIT + "/peek", 1);
        MemcacheClient taker = startWaiting(q + LONG_WAIT, 2);
        assertEquals("STORED", connect().set(q, "shared"));
        assertEquals("shared", peeker.readItem().text());
        assertEquals("shared", taker.readItem().text());
        assertDrains(q);
    }

    @Test
    void waiterReceivesALargeItemByteExact() throws Exception {
        byte[] data = randomBytes(2 * 1024 * 1024, 42);
        MemcacheClient waiter = startWaiting(q + LONG_WAIT, 1);
        assertEquals("STORED", connect().set(q, data));
        assertArrayEquals(data, waiter.readValue());
    }

    /** Darner's bug: the next item went to a blocked reader whose connection was already gone. */
    @Test
    void aWaiterThatDisconnectsNeverSwallowsAnItem() throws Exception {
        MemcacheClient gone = startWaiting(q + LONG_WAIT, 1);
        gone.close();
        awaitQueueStat(q, "waiters", 0);
        assertEquals("STORED", connect().set(q, "not for the dead"));
        assertDrains(q, "not for the dead");
    }

    @Test
    void aWaiterThatDisconnectsLeavesTheItemToTheNextWaiter() throws Exception {
        MemcacheClient gone = startWaiting(q + LONG_WAIT, 1);
        MemcacheClient alive = startWaiting(q + LONG_WAIT, 2);
        gone.close();
        awaitQueueStat(q, "waiters", 1);
        assertEquals("STORED", connect().set(q, "for the living"));
        assertEquals("for the living", alive.readItem().text());
        assertDrains(q);
    }

    @Test
    void anOpenReadRolledBackByDisconnectGoesToAWaiterElsewhere() throws Exception {
        fill(q, "a");
        MemcacheClient holder = connect();
        assertEquals("a", holder.get(q + "/open"));
        MemcacheClient waiter = startWaiting(q + LONG_WAIT, 1);
        long start = System.nanoTime();
        holder.close();
        assertEquals("a", waiter.readItem().text());
        assertTrue(elapsedMs(start) < PROMPT_MS, "rolled back after " + elapsedMs(start) + " ms");
        assertDrains(q);
    }

    @Test
    void anAbortedReadGoesToAWaiterElsewhere() throws Exception {
        fill(q, "a");
        MemcacheClient holder = connect();
        assertEquals("a", holder.get(q + "/open"));
        MemcacheClient waiter = startWaiting(q + LONG_WAIT, 1);
        assertNull(holder.get(q + "/abort"));
        assertEquals("a", waiter.readItem().text());
        assertDrains(q);
    }

    @Test
    void deletingTheQueueEndsItsWaitersWithEnd() throws Exception {
        MemcacheClient waiter = startWaiting(q + LONG_WAIT, 1);
        long start = System.nanoTime();
        assertEquals("DELETED", connect().call("delete " + q));
        assertNull(waiter.readItem());
        assertTrue(elapsedMs(start) < PROMPT_MS);
        assertAlive(waiter);
    }

    /** Sends a blocking get on a new connection and waits until the queue counts it as the n-th waiter. */
    private MemcacheClient startWaiting(String key, int waitersThen) throws Exception {
        MemcacheClient c = connect();
        c.send("get " + key + "\r\n");
        awaitQueueStat(q, "waiters", waitersThen);
        return c;
    }
}
