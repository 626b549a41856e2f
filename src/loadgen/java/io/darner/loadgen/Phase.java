package io.darner.loadgen;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One step of the run that every connection takes part in. The run waits until each connection
 * has finished its part or failed; each reports exactly once.
 */
final class Phase {
    enum Kind {
        /** Open every connection. */
        CONNECT,
        /** Every connection makes its share of the sets. */
        SET,
        /** Every connection makes its share of the gets. */
        GET,
        /** Every connection alternates set and get (interleaved mode). */
        MIXED
    }

    private final Kind kind;
    private final int index;
    private final CountDownLatch unfinished;

    Phase(Kind kind, int index, int connections) {
        this.kind = kind;
        this.index = index;
        this.unfinished = new CountDownLatch(connections);
    }

    Kind kind() {
        return kind;
    }

    /** Position in the run, 0 for CONNECT: the index of this phase's statistics. */
    int index() {
        return index;
    }

    void finished() {
        unfinished.countDown();
    }

    /** True once every connection has finished, false if the time ran out first. */
    boolean await(long millis) throws InterruptedException {
        return unfinished.await(millis, TimeUnit.MILLISECONDS);
    }
}
