package io.darner.queue;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Cumulative items and data bytes into and out of one queue since it was created, from which the
 * admin API derives rates. "In" is every item stored (sets, fanout copies, items moved in by expiry
 * or dead-lettering); "out" is every item handed to a reader (a redelivery after an abort counts
 * again). Flushes do not reset them.
 *
 * <p>Written only under the queue's lock, so a plain read-add-write cannot lose an update;
 * {@code lazySet} publishes it to other threads without a fence on the hot path.
 */
public final class QueueFlow {
    private final AtomicLong itemsIn = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong itemsOut = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();

    void in(long bytes) {
        itemsIn.lazySet(itemsIn.get() + 1);
        bytesIn.lazySet(bytesIn.get() + bytes);
    }

    void out(long bytes) {
        itemsOut.lazySet(itemsOut.get() + 1);
        bytesOut.lazySet(bytesOut.get() + bytes);
    }

    /** Takes back an {@link #out} whose item went back to the head before any reader got it. */
    void undoOut(long bytes) {
        itemsOut.lazySet(itemsOut.get() - 1);
        bytesOut.lazySet(bytesOut.get() - bytes);
    }

    public long itemsIn() {
        return itemsIn.get();
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    public long itemsOut() {
        return itemsOut.get();
    }

    public long bytesOut() {
        return bytesOut.get();
    }
}
