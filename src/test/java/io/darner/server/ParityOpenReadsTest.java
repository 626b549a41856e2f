package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.darner.server.ParityProfile.OPEN_TIMEOUT_MS;
import static io.darner.server.ParityProfile.POISON;
import static io.darner.server.ParityProfile.POISON_DEAD;
import static io.darner.server.ParityProfile.POISON_DROPPED;
import static io.darner.server.ParityProfile.TIMED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Open reads beyond one (max-open-reads=2 in this app, spec 4), open-timeout, and dead-lettering
 * after max-deliveries (spec 5, ours).
 */
@QuarkusTest
@TestProfile(ParityProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ParityOpenReadsTest extends ParityTestBase {

    @Test
    void twoOpenReadsAreAllowedAndAThirdIsAnErrorThatClosesTheConnection() throws Exception {
        fill(q, "a", "b", "c");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        assertEquals("b", c.get(q + "/open"));
        assertQueue(q, "open_transactions", 2, "items", 1);
        assertRepliedAndClosed(c, "get " + q + "/open\r\n", "ERROR");
        awaitQueueStat(q, "open_transactions", 0);
        assertDrains(q, "a", "b", "c");
    }

    @Test
    void closeConfirmsTheOldestOpenReadAndCloseOpenKeepsTwoOpen() throws Exception {
        fill(q, "a", "b", "c", "d");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        assertEquals("b", c.get(q + "/open"));
        assertEquals("c", c.get(q + "/close/open"), "a is confirmed, then c opened");
        assertNull(c.get(q + "/abort"), "b, the oldest, goes back");
        assertQueue(q, "open_transactions", 1, "items", 2, "transactions", 3, "canceled_transactions", 1);
        disconnect(c);
        assertDrains(q, "b", "c", "d");
    }

    @Test
    void aPlainGetWhileReadsAreOpenIsAnErrorThatClosesTheConnection() throws Exception {
        fill(q, "a", "b");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        assertRepliedAndClosed(c, "get " + q + "\r\n", "ERROR");
        awaitQueueStat(q, "open_transactions", 0);
        assertDrains(q, "a", "b");
    }

    @Test
    void anOpenReadNotConfirmedInTimeGoesBackToTheHead() throws Exception {
        fill(TIMED, "a");
        MemcacheClient slow = connect();
        MemcacheClient other = connect();
        long start = System.nanoTime();
        assertEquals("a", slow.get(TIMED + "/open"));
        assertEquals("a", other.get(TIMED + "/t=5000/open"), "a comes back to the head after the open-timeout");
        long elapsed = elapsedMs(start);
        assertTrue(elapsed >= OPEN_TIMEOUT_MS - 50, "back after " + elapsed + " ms");
        assertNull(other.get(TIMED + "/close"), "confirmed in time");
        assertQueue(TIMED, "canceled_transactions", 1, "transactions", 2, "open_transactions", 0, "items", 0);

        assertNull(slow.get(TIMED + "/close"), "too late: nothing of slow's is open any more");
        assertAlive(slow);
        assertQueue(TIMED, "canceled_transactions", 1, "transactions", 2);
        assertDrains(TIMED);
    }

    @Test
    void anItemDeliveredMaxDeliveriesTimesWithoutConfirmMovesToTheDeadLetterQueue() throws Exception {
        fill(POISON, "poison", "good");
        MemcacheClient c = connect();
        assertEquals("poison", c.get(POISON + "/open"));
        assertNull(c.get(POISON + "/abort")); // delivery 1
        assertEquals("poison", c.get(POISON + "/open"));
        disconnect(c); // delivery 2

        MemcacheClient next = connect();
        assertEquals("good", next.get(POISON + "/open"), "the poison item is not handed out a third time");
        assertNull(next.get(POISON + "/close"));
        assertQueue(POISON, "items", 0, "canceled_transactions", 2, "transactions", 3);
        assertQueue(POISON_DEAD, "items", 1, "total_items", 1);
        assertDrains(POISON_DEAD, "poison");
    }

    @Test
    void withoutADeadLetterQueueAnItemDeliveredMaxDeliveriesTimesIsDroppedAndCounted() throws Exception {
        fill(POISON_DROPPED, "poison", "good");
        MemcacheClient c = connect();
        assertEquals("poison", c.get(POISON_DROPPED + "/open"));
        assertNull(c.get(POISON_DROPPED + "/abort"));
        assertEquals("good", c.get(POISON_DROPPED + "/close/open"));
        assertNull(c.get(POISON_DROPPED + "/close"));
        assertQueue(POISON_DROPPED, "items", 0, "discarded", 1, "canceled_transactions", 1);
    }
}
