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

    /** {@code setsByProducer[p]}: how many sets connection p makes. */
    Ledger(int run, int[] setsByProducer) {
        this.run = run;
        this.setsByProducer = setsByProducer.clone();
        this.deliveredByProducer = new BitSet[setsByProducer.length];
        for (int p = 0; p < setsByProducer.length; p++) {
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
