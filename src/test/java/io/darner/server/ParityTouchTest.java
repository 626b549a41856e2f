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
import static io.darner.server.ParityProfile.TIMED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** touch and abort with a delay on queues with an open-timeout and max-deliveries (issue 14). */
@QuarkusTest
@TestProfile(ParityProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ParityTouchTest extends ParityTestBase {

    @Test
    void touchWithZeroRemovesTheOpenTimeout() throws Exception {
        fill(TIMED, "a");
        MemcacheClient c = connect();
        assertEquals("a", c.get(TIMED + "/open"));
        assertEquals("TOUCHED", c.call("touch " + TIMED + " 0"));

        assertHoldsFor(3 * OPEN_TIMEOUT_MS, () -> assertEquals(1, queueStat(TIMED, "open_transactions")));
        assertNull(c.get(TIMED + "/close"), "still c's to confirm");
        assertDrains(TIMED);
    }

    @Test
    void touchSetsTheLeaseFromNowInsteadOfTheOpenTimeout() throws Exception {
        fill(TIMED, "a");
        MemcacheClient c = connect();
        assertEquals("a", c.get(TIMED + "/open"));
        long start = System.nanoTime();
        assertEquals("TOUCHED", c.call("touch " + TIMED + " 1"));

        assertEquals("a", connect().get(TIMED + "/t=5000/open"), "back when the lease ran out");
        assertTrue(elapsedMs(start) >= 900, "back after " + elapsedMs(start) + " ms, not the open-timeout's 300");
        assertNull(c.get(TIMED + "/close"), "too late for c");
        disconnect(c);
        awaitQueueStat(TIMED, "open_transactions", 0);
        assertDrains(TIMED, "a");
    }

    @Test
    void anAbortWithADelayCountsTowardsMaxDeliveries() throws Exception {
        long deadBefore = queueStats(POISON_DEAD).getOrDefault("items", 0L);
        fill(POISON, "p");
        MemcacheClient c = connect();
        assertEquals("p", c.get(POISON + "/open"));
        assertEquals("END", c.call("get " + POISON + "/abort/delay=50"));
        assertEquals("p", c.get(POISON + "/t=5000/open"));
        assertEquals("END", c.call("get " + POISON + "/abort/delay=50"));

        awaitQueueStat(POISON, "delayed", 0);
        assertNull(c.get(POISON), "handed out twice without a confirm: dead-lettered");
        assertEquals(deadBefore + 1, queueStat(POISON_DEAD, "items"));
        assertDrains(POISON_DEAD, "p");
    }
}
