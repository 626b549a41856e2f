package io.darner.server;

import io.darner.protocol.GetKey;
import io.darner.queue.Delivery;
import io.darner.queue.Queue;
import io.darner.queue.Waiter;

/** A blocking get of one session, registered with its queue until an item or the timeout comes. */
final class PendingGet implements Waiter {
    final Session session;
    final Queue queue;
    final GetKey key;
    long timerId = -1;

    PendingGet(Session session, Queue queue, GetKey key) {
        this.session = session;
        this.queue = queue;
        this.key = key;
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
