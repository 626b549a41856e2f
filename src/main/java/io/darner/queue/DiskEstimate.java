package io.darner.queue;

import io.darner.storage.QueueStore;
import io.darner.storage.StoreException;

import java.util.function.LongSupplier;

/**
 * LevelDB's estimate of the disk one queue takes (the {@code logsize} stat): costly to ask, as it
 * reads table indexes, so it is refreshed in the background, outside the queue's lock.
 */
final class DiskEstimate {
    private volatile long bytes;
    private long askedAtMs;

    long bytes() {
        return bytes;
    }

    /** Asks the store again if the last answer is older than {@code maxAgeMs}; false when it was fresh enough. */
    boolean refreshIfDue(QueueStore store, LongSupplier qid, long nowMs, long maxAgeMs) {
        synchronized (this) {
            if (nowMs - askedAtMs < maxAgeMs) {
                return false;
            }
            askedAtMs = nowMs;
        }
        try {
            bytes = store.approximateSize(qid.getAsLong());
        } catch (StoreException e) {
            // a damaged store: the figure is an estimate anyway, the last one stays
        }
        return true;
    }
}
