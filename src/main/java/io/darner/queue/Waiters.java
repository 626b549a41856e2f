package io.darner.queue;

import java.util.ArrayDeque;

/** The readers waiting for an item on one queue, first come, first served. Guarded by the queue's lock. */
final class Waiters {
    private record Wait(Waiter waiter, boolean open) {}

    private final ArrayDeque<Wait> waiting = new ArrayDeque<>();

    void add(Waiter waiter, boolean open) {
        waiting.add(new Wait(waiter, open));
    }

    /** False when the waiter is not waiting (it was offered an item already). */
    boolean remove(Waiter waiter) {
        return waiting.removeIf(w -> w.waiter() == waiter);
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    int size() {
        return waiting.size();
    }

    /** Whether the first waiter wants an open read. */
    boolean firstOpens() {
        return waiting.getFirst().open();
    }

    Waiter pollFirst() {
        return waiting.pollFirst().waiter();
    }

    /** The queue is gone: every waiter stops waiting, with nothing. */
    void cancelAll() {
        waiting.forEach(w -> w.waiter().cancel());
        waiting.clear();
    }
}
