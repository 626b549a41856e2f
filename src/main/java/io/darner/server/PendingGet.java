package io.darner.server;

import io.darner.queue.Delivery;
import io.darner.queue.Queue;
import io.darner.queue.Waiter;

import java.util.function.Consumer;

/**
 * A blocking read of one connection (a get with t=, or a monitor), registered with its queue until
 * an item or the timeout comes. The queue calls it from any thread; it hands over to the
 * connection's thread.
 */
final class PendingGet implements Waiter {
    final ReadSide reads;
    final Queue queue;
    /** What to do with the item, on the connection's thread. */
    final Consumer<Delivery> onItem;
    /** What to answer when the wait ends with nothing. */
    final Runnable onNothing;
    long timerId = -1;

    PendingGet(ReadSide reads, Queue queue, Consumer<Delivery> onItem, Runnable onNothing) {
        this.reads = reads;
        this.queue = queue;
        this.onItem = onItem;
        this.onNothing = onNothing;
    }

    @Override
    public boolean offer(Delivery delivery) {
        if (reads.gone()) {
            return false; // never hand an item to a connection that is already gone
        }
        reads.onConnectionThread(() -> reads.onOffered(this, delivery));
        return true;
    }

    @Override
    public void cancel() {
        reads.onConnectionThread(() -> reads.onWaitEnded(this));
    }
}
