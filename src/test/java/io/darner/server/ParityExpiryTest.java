package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.darner.server.ParityProfile.CAPPED;
import static io.darner.server.ParityProfile.PENDING;
import static io.darner.server.ParityProfile.READY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expiry (spec 3 exptime, spec 5 max-age and expire-to-queue, docs/protocol.md 9): expired items
 * are never handed out, are counted, and go at the head, by the sweep, or by flush_expired.
 */
@QuarkusTest
@TestProfile(ParityProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ParityExpiryTest extends ParityTestBase {
    /** The background sweep looks at this many items from the head of each queue. */
    private static final int SWEEP_ITEMS = 1_000;

    @Test
    void aNegativeExptimeIsExpiredAlreadyAndNeverHandedOut() throws Exception {
        setExpiring(q, -1, "gone");
        setExpiring(q, 0, "kept");
        assertDrains(q, "kept");
        assertQueue(q, "items", 0, "total_items", 2, "expired_items", 1);
    }

    @Test
    void anAbsoluteExptimeInThePastIsExpiredAlready() throws Exception {
        setExpiring(q, unixNow() - 60, "gone");
        setExpiring(q, 1_000_000, "gone too"); // the first absolute time: 1970
        setExpiring(q, 0, "kept");
        assertDrains(q, "kept");
        assertQueue(q, "expired_items", 2);
    }

    @Test
    void expiredItemsAreNotHandedToPeeksOpenReadsBlockingGetsOrMultiGets() throws Exception {
        String other = q + ".other";
        setExpiring(q, -1, "gone1");
        setExpiring(q, -1, "gone2");
        setExpiring(q, 0, "kept");
        setExpiring(other, -1, "gone3");
        MemcacheClient c = connect();
        assertEquals("kept", c.get(q + "/peek"));
        assertEquals("kept", c.get(q + "/open"));
        assertNull(c.get(q + "/close"));
        assertNull(c.get(q + "/t=50"));
        c.send("get " + q + " " + other + "\r\n");
        assertTrue(c.readItems().isEmpty());
        assertQueue(q, "items", 0, "expired_items", 2);
        assertQueue(other, "items", 0, "expired_items", 1);
    }

    @Test
    void aRelativeExptimeExpiresThatManySecondsLaterAndTheSweepRemovesItBehindALiveHead() throws Exception {
        long start = System.nanoTime();
        setExpiring(q, 0, "head");
        setExpiring(q, 1, "one second");
        setExpiring(q, 3600, "an hour");
        assertEquals("head", connect().get(q + "/peek"));
        assertQueue(q, "items", 3);

        awaitSwept(q, "expired_items", 1); // nothing reads the queue meanwhile
        assertTrue(elapsedMs(start) >= 950, "expired after " + elapsedMs(start) + " ms");
        assertQueue(q, "items", 2);
        assertDrains(q, "head", "an hour");
    }

    @Test
    void anAbsoluteExptimeExpiresAtThatSecond() throws Exception {
        long at = unixNow() + 2;
        setExpiring(q, at, "until then");
        assertEquals("until then", connect().get(q + "/peek"), "not expired before its time");

        awaitSwept(q, "items", 0);
        assertTrue(clock.millis() >= at * 1000, "expired before its time");
        assertQueue(q, "expired_items", 1);
    }

    @Test
    void maxAgeCapsEveryExpiry() throws Exception {
        setExpiring(CAPPED, 0, "never");
        setExpiring(CAPPED, 3600, "in an hour");
        setExpiring(CAPPED, unixNow() + 86_400, "tomorrow");
        assertQueue(CAPPED, "items", 3);

        awaitSwept(CAPPED, "items", 0);
        assertQueue(CAPPED, "expired_items", 3);
        assertDrains(CAPPED);
    }

    @Test
    void flushExpiredScansTheWholeQueueAndRepliesTheCount() throws Exception {
        fillPipelined(q, "live", SWEEP_ITEMS); // the expired items lie beyond the sweep's reach
        setExpiring(q, -1, "x1");
        setExpiring(q, 0, "live");
        setExpiring(q, -1, "x2");
        setExpiring(q, -1, "x3");

        MemcacheClient c = connect();
        assertEquals("3", c.call("flush_expired " + q));
        assertEquals("0", c.call("flush_expired " + q));
        assertQueue(q, "items", SWEEP_ITEMS + 1, "expired_items", 3);
        assertEquals("END", c.call("flush " + q));
    }

    @Test
    void flushExpiredOfAnUnknownQueueIsZeroAndCreatesNothing() throws Exception {
        assertEquals("0", connect().call("flush_expired " + q));
        assertFalse(queueExists(q));
    }

    @Test
    void flushAllExpiredRepliesTheSumOverEveryQueue() throws Exception {
        String other = q + ".other";
        MemcacheClient c = connect();
        c.call("flush_all_expired"); // whatever has expired in other tests' queues goes first
        fillPipelined(q, "live", SWEEP_ITEMS);
        fillPipelined(other, "live", SWEEP_ITEMS);
        for (int i = 0; i < 2; i++) {
            setExpiring(q, -1, "x");
        }
        for (int i = 0; i < 3; i++) {
            setExpiring(other, -1, "x");
        }

        assertEquals("5", c.call("flush_all_expired"));
        assertEquals("0", c.call("flush_all_expired"));
        assertQueue(q, "expired_items", 2);
        assertQueue(other, "expired_items", 3);
        assertEquals("Flushed all queues.", c.call("flush_all"));
    }

    @Test
    void expireToQueueMakesADelayQueue() throws Exception {
        MemcacheClient consumer = connect();
        assertEquals("STORED", admin().set(PENDING, 7, 1, ascii("job")));
        assertNull(consumer.get(READY), "not ready before it expires");
        long start = System.nanoTime();

        consumer.setTimeout((int) SWEEP_MS + 5_000);
        consumer.send("get " + READY + "/t=" + SWEEP_MS + "\r\n");
        MemcacheClient.Item ready = consumer.readItem();

        assertEquals("job", ready.text());
        assertEquals(7, ready.flags(), "the flags move with the item");
        assertTrue(elapsedMs(start) >= 900, "ready after " + elapsedMs(start) + " ms");
        assertQueue(PENDING, "items", 0, "expired_items", 1);
        assertQueue(READY, "items", 0, "total_items", 1, "expired_items", 0);
    }
}
