package io.darner.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QueueCheckTest {
    private static final int RUN = 42;
    /** Two producers with 3 sets each. */
    private final Ledger ledger = new Ledger(RUN, new int[] {3, 3});
    private final QueueCheck check = new QueueCheck(ledger);

    @Test
    void producersMayInterleaveWhileEachRises() {
        assertNull(check.verify(0, item(0, 0)));
        assertNull(check.verify(0, item(1, 0)));
        assertNull(check.verify(0, item(0, 2)));
        assertNull(check.verify(0, item(1, 1)));
    }

    @Test
    void aFallingSequenceFromOneProducerIsNotFifo() {
        assertNull(check.verify(0, item(0, 1)));
        assertTrue(check.verify(0, item(0, 0)).contains("not FIFO"));
    }

    @Test
    void orderIsPerGettingConnection() {
        assertNull(check.verify(0, item(0, 1)));
        assertNull(new QueueCheck(ledger).verify(0, item(0, 0)), "another connection may see an earlier item later");
    }

    @Test
    void orderIsPerQueue() {
        assertNull(check.verify(1, item(0, 2)));
        assertNull(check.verify(0, item(0, 1)), "a connection cycling over queues takes from each at its own pace");
        assertTrue(check.verify(0, item(0, 0)).contains("not FIFO"));
    }

    @Test
    void anItemIsHandedOutOnceInTheWholeRun() {
        assertNull(check.verify(0, item(1, 2)));
        assertTrue(new QueueCheck(ledger).verify(0, item(1, 2)).contains("delivered twice"));
    }

    @Test
    void itemsNeverSetAreErrors() {
        assertTrue(check.verify(0, item(0, 3)).contains("never set"));
        assertTrue(check.verify(0, item(2, 0)).contains("never set"));
    }

    @Test
    void itemsOfEarlierRunsAreStaleNotErrors() {
        assertNull(check.verify(0, new ItemId(RUN + 1, 0, 2)));
        assertNull(check.verify(0, new ItemId(RUN + 1, 0, 2)));
        assertNull(check.verify(0, item(0, 0)), "an earlier run's sequence numbers do not count");
        assertEquals(2, ledger.stale());
    }

    @Test
    void aCacheAcceptsAnyWellFormedItem() {
        assertNull(DeliveryCheck.CACHE.verify(0, item(0, 1)));
        assertNull(DeliveryCheck.CACHE.verify(0, item(0, 1)));
    }

    private static ItemId item(int producer, int seq) {
        return new ItemId(RUN, producer, seq);
    }
}
