package io.darner.queue;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Open reads aborted with a delay ({@code get <q>/abort/delay=<ms>}): still stored and still open,
 * held by the queue until due, then given back to its head. Nothing of this is written: after a
 * restart a held read is an item again at once, as any open read. Guarded by the queue's lock.
 */
final class HeldReads {
    private record Held(long dueAt, long order, Delivery delivery) {}

    private final PriorityQueue<Held> byDue = new PriorityQueue<>(
            Comparator.comparingLong(Held::dueAt).thenComparingLong(Held::order));
    /** Orders reads held for the same due time as they were aborted. */
    private long order;

    void hold(Delivery d, long dueAt) {
        byDue.add(new Held(dueAt, order++, d));
    }

    /** The first read due at {@code now} or before, taken out; null when none is. */
    Delivery pollDue(long now) {
        Held first = byDue.peek();
        if (first == null || first.dueAt() > now) {
            return null;
        }
        return byDue.poll().delivery();
    }

    /** When the first is due, or {@link Long#MAX_VALUE} when none is held. */
    long firstDue() {
        Held first = byDue.peek();
        return first == null ? Long.MAX_VALUE : first.dueAt();
    }

    int size() {
        return byDue.size();
    }

    /** The queue's items are gone (flush, delete): so are the reads held of them. */
    void clear() {
        byDue.clear();
    }
}
