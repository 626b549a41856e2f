package io.darner.server;

import io.darner.queue.Delivery;
import io.darner.queue.Queue;
import io.darner.queue.Waiter;

import java.util.function.Consumer;

/**
 * A blocking read of one session (a get with t=, or a monitor), registered with its queue until an
 * item or the timeout comes.
 */
final class PendingGet implements Waiter {
    final Session session;
    final Queue queue;
    /** What to do with the item, on the session's thread. */
    final Consumer<Delivery> onItem;
    /** What to answer when the wait ends with nothing. */
    final Runnable onNothing;
    long timerId = -1;

    PendingGet(Session session, Queue queue, Consumer<Delivery> onItem, Runnable onNothing) {
        this.session = session;
        this.queue = queue;
        this.onItem = onItem;
        this.onNothing = onNothing;
    }

    @Override
    public boolean offer(Delivery delivery) {
        if (session.isGone()) {
            return false; // never hand an item to a connection that is already gone
        }
        session.context().runOnContext(v -> session.onOffered(this, delivery));
        return true;
    }

    @Override
    public void cancel() {
        session.context().runOnContext(v -> session.onWaitEnded(this));
    }
}
