package io.darner.loadgen;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every item of this run handed out by a queue, over all connections: an item must have been set
 * by this run and is handed out at most once. Items left in the queue by an earlier run are
 * counted as stale, not as errors.
 */
final class Ledger {
    private final int run;
    private final int[] setsByProducer;
    private final BitSet[] deliveredByProducer;
    private final AtomicLong stale = new AtomicLong();

    Ledger(int run, long sets, int producers) {
        this.run = run;
        this.setsByProducer = new int[producers];
        this.deliveredByProducer = new BitSet[producers];
        for (int p = 0; p < producers; p++) {
            setsByProducer[p] = Script.share(sets, producers, p);
            deliveredByProducer[p] = new BitSet();
        }
    }

    int run() {
        return run;
    }

    long stale() {
        return stale.get();
    }

    /** Records that a get returned {@code item}: null if that is fine, else what is wrong. */
    String deliver(ItemId item) {
        if (item.run() != run) {
            stale.incrementAndGet();
            return null;
        }
        if (item.producer() >= setsByProducer.length || item.seq() >= setsByProducer[item.producer()]) {
            return "item " + item + " was never set";
        }
        BitSet delivered = deliveredByProducer[item.producer()];
        synchronized (delivered) {
            if (delivered.get(item.seq())) {
                return "item " + item + " delivered twice";
            }
            delivered.set(item.seq());
        }
        return null;
    }
}
