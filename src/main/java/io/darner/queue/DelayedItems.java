package io.darner.queue;

import io.darner.storage.StoredDelays;

/**
 * What one queue knows of its delayed items, which live in the store until due: how many wait and
 * their bytes (they count against the queue's limits, not in its items), when the first is due,
 * and the seq the next gets (ordering the items of one due time as they were set). Guarded by the
 * queue's lock.
 */
final class DelayedItems {
    private long items;
    private long bytes;
    private long firstDue = Long.MAX_VALUE;
    private long nextSeq;

    /** Takes over what the store holds (at open). */
    void load(StoredDelays stored) {
        items = stored.items();
        bytes = stored.bytes();
        firstDue = stored.firstDue();
        nextSeq = stored.nextSeq();
    }

    /** The seq of the next delayed item. */
    long takeSeq() {
        return nextSeq++;
    }

    /** An item was stored, due at {@code dueAt}. */
    void added(long dueAt, int length) {
        items++;
        bytes += length;
        firstDue = Math.min(firstDue, dueAt);
    }

    /** A due item moved to the queue's tail. */
    void joined(int length) {
        items--;
        bytes -= length;
    }

    /** When the first of those still waiting is due, as the store says, or {@link Long#MAX_VALUE} for none. */
    void firstDue(long at) {
        firstDue = at;
        if (at == Long.MAX_VALUE) {
            items = 0; // the store holds none: trust it
            bytes = 0;
        }
    }

    long firstDue() {
        return firstDue;
    }

    long items() {
        return items;
    }

    long bytes() {
        return bytes;
    }

    /** A new generation of the queue (flush) or none (delete). */
    void clear() {
        load(StoredDelays.NONE);
    }
}
