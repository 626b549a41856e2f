package io.darner.queue;

/**
 * A reader waiting for an item on an empty queue. Waiters are served first come, first served.
 * Both methods are called with the queue locked, from any thread: they must only hand the work
 * over to the waiter's own thread.
 */
public interface Waiter {

    /**
     * Hands an item over. Return false if the waiter is gone: the item then goes to the next waiter
     * and this one is dropped. When true, the waiter must later confirm or release the delivery.
     */
    boolean offer(Delivery delivery);

    /** The queue was deleted: stop waiting, with nothing. */
    void cancel();
}
