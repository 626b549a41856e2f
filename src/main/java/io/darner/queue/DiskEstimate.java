package io.darner.queue;

import io.darner.storage.QueueStore;
import io.darner.storage.StoreException;

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

    /** Whether the last answer is older than {@code maxAgeMs}: if so, the caller refreshes it now. */
    synchronized boolean due(long nowMs, long maxAgeMs) {
        if (nowMs - askedAtMs < maxAgeMs) {
            return false;
        }
        askedAtMs = nowMs;
        return true;
    }

    void refresh(QueueStore store, long qid) {
        try {
            bytes = store.approximateSize(qid);
        } catch (StoreException e) {
            // a damaged store: the figure is an estimate anyway, the last one stays
        }
    }
}
