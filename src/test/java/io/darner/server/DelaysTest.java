package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delayed sets, aborts with a delay and touch over a socket (issue 14): the exact replies, and
 * items handed out only when due. Delays are short and real: the server's clock keeps running.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class DelaysTest extends ServerTestBase {

    /** Sends {@code request} and reads exactly the bytes of {@code reply}. */
    private static void assertReplyBytes(MemcacheClient c, String request, String reply) throws Exception {
        c.send(request);
        byte[] expected = reply.getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(expected, c.readBytes(expected.length), request.strip());
    }

    // ---- delayed sets

    @Test
    void aDelayedSetIsStoredButHandedOutPeekedAndCountedOnlyWhenDue() throws Exception {
        MemcacheClient c = connect();
        long start = System.nanoTime();
        assertReplyBytes(c, "set " + q + "/delay=1000 0 0 5\r\nlater\r\n", "STORED\r\n");

        assertNull(c.get(q), "not due");
        assertNull(c.get(q + "/peek"), "not due: not peeked either");
        assertEquals(0, queueStat(q, "items"));
        assertEquals(1, queueStat(q, "delayed"));

        assertEquals("later", c.get(q + "/t=5000"));
        assertTrue(elapsedMs(start) >= 950, "handed out after " + elapsedMs(start) + " ms");
        assertEquals(0, queueStat(q, "delayed"));
        assertDrains(q);
    }

    @Test
    void dueItemsJoinTheTailInTheOrderTheyFallDue() throws Exception {
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(q + "/delay=400", "third"));
        assertEquals("STORED", c.set(q + "/delay=200", "second"));
        assertEquals("STORED", c.set(q, "first"));

        awaitQueueStat(q, "items", 3);
        assertDrains(q, "first", "second", "third");
    }

    @Test
    void aDelayGoesWithSyncAndNoreply() throws Exception {
        MemcacheClient c = connect();
        assertReplyBytes(c, "set " + q + "/sync/delay=100 0 0 1\r\na\r\n", "STORED\r\n");
        c.send("set " + q + "/delay=100/sync 0 0 1 noreply\r\nb\r\n");
        assertEquals("a", c.get(q + "/t=5000"));
        assertEquals("b", c.get(q + "/t=5000"), "stored without a reply");
    }

    @Test
    void theLongestDelayIsThirtyDays() throws Exception {
        MemcacheClient c = connect();
        assertReplyBytes(c, "set " + q + "/delay=2592000000 0 0 1\r\na\r\n", "STORED\r\n");
        assertEquals(1, queueStat(q, "delayed"));
        assertEquals("END", c.call("flush " + q));
        assertEquals(0, queueStat(q, "delayed"), "a flush removes delayed items too");
    }

    @ParameterizedTest
    @ValueSource(strings = {"delay=0", "delay=2592000001", "delay=", "delay=-1", "delay=1.5", "delay=1e3"})
    void aBadDelayOnASetIsAClientErrorAndTheConnectionStays(String option) throws Exception {
        MemcacheClient c = connect();
        assertReplyBytes(c, "set " + q + "/" + option + " 0 0 2\r\nhi\r\n", "CLIENT_ERROR bad delay '" + option + "'\r\n");
        assertAlive(c);
        assertFalse(queueExists(q), "nothing stored");
    }

    // ---- abort with a delay

    @Test
    void anAbortWithADelayAnswersEndAndGivesTheReadBackOnlyAfterIt() throws Exception {
        fill(q, "a", "b");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        long start = System.nanoTime();
        assertReplyBytes(c, "get " + q + "/abort/delay=1000\r\n", "END\r\n");

        assertEquals(1, queueStat(q, "delayed"));
        assertEquals(0, queueStat(q, "open_transactions"));
        assertEquals(1, queueStat(q, "canceled_transactions"));
        MemcacheClient other = connect();
        assertEquals("b", other.get(q));
        assertNull(other.get(q), "a is held");

        assertEquals("a", other.get(q + "/t=5000"));
        assertTrue(elapsedMs(start) >= 950, "back after " + elapsedMs(start) + " ms");
        assertEquals(0, queueStat(q, "delayed"));
        assertDrains(q);
    }

    @Test
    void anAbortWithADelayAndNothingOpenAnswersEnd() throws Exception {
        assertReplyBytes(connect(), "get " + q + "/abort/delay=100\r\n", "END\r\n");
    }

    @Test
    void aHeldReadIsNoLongerTheConnections() throws Exception {
        fill(q, "a");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        assertEquals("END", c.call("get " + q + "/abort/delay=500"));
        assertNull(c.get(q + "/close"), "nothing open to confirm");
        disconnect(c);

        assertEquals("a", connect().get(q + "/t=5000"));
        assertEquals(1, queueStat(q, "canceled_transactions"), "not rolled back again with the connection");
        assertDrains(q);
    }

    @ParameterizedTest
    @ValueSource(strings = {"delay=5", "abort/delay=5/t=10", "open/delay=5", "close/delay=5", "peek/delay=5",
        "abort/close/delay=5", "t=0/abort/delay=5"})
    void aDelayWithAnyGetOptionButAbortIsAClientError(String options) throws Exception {
        assertRepliedAndClosed(connect(), "get " + q + "/" + options + "\r\n", "CLIENT_ERROR delay goes with abort alone");
    }

    @Test
    void aBadDelayOnAnAbortIsAClientError() throws Exception {
        assertRepliedAndClosed(connect(), "get " + q + "/abort/delay=0\r\n", "CLIENT_ERROR bad delay 'delay=0'");
    }

    // ---- touch

    @Test
    void touchWithoutAnOpenReadIsNotFound() throws Exception {
        fill(q, "a");
        MemcacheClient c = connect();
        assertReplyBytes(c, "touch " + q + " 10\r\n", "NOT_FOUND\r\n");
        MemcacheClient reader = connect();
        assertEquals("a", reader.get(q + "/open"));
        assertReplyBytes(c, "touch " + q + " 10\r\n", "NOT_FOUND\r\n"); // another connection's read
        assertNull(reader.get(q + "/close"));
    }

    @Test
    void touchGivesALeaseToAQueueWithoutAnOpenTimeout() throws Exception {
        fill(q, "a");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        long start = System.nanoTime();
        assertReplyBytes(c, "touch " + q + " 1\r\n", "TOUCHED\r\n");

        assertEquals("a", connect().get(q + "/t=5000"), "back at the head when the lease ran out");
        assertTrue(elapsedMs(start) >= 900, "back after " + elapsedMs(start) + " ms");
        assertEquals(1, queueStat(q, "canceled_transactions"));
        assertNull(c.get(q + "/close"), "nothing of c's is open any more");
    }

    @Test
    void touchLeasesEveryOpenReadOfTheConnectionOnTheQueue() throws Exception {
        fill(q, "a", "b");
        fill(q + "x", "other");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        assertEquals("other", c.get(q + "x/open"));
        assertEquals("TOUCHED", c.call("touch " + q + " 1"));

        awaitQueueStat(q, "open_transactions", 0);
        assertEquals(1, queueStat(q + "x", "open_transactions"), "another queue's read keeps no lease");
        assertNull(c.get(q + "x/close"));
        assertDrains(q, "a", "b");
    }

    @Test
    void touchWithNoreplyAnswersNothing() throws Exception {
        fill(q, "a");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        c.send("touch " + q + " 60 noreply\r\ntouch " + q + "x 60 noreply\r\n");
        assertTrue(c.call("version").startsWith("VERSION "), "nothing before the version");
        assertNull(c.get(q + "/close"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"touch", "touch q", "touch q 1 noreply x", "touch q 1 yes", "touch q! 1", "touch q -1",
        "touch q 2147483648"})
    void aBadTouchIsAClientErrorAndTheConnectionStays(String line) throws Exception {
        MemcacheClient c = connect();
        assertTrue(c.call(line).startsWith("CLIENT_ERROR "), line);
        assertAlive(c);
    }
}
