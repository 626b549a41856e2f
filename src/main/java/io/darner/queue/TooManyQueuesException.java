package io.darner.queue;

import io.darner.storage.StoreException;

/**
 * A new queue past darner.max-queues. A {@link StoreException}, so that it is answered like the
 * store refusing a write: {@code SERVER_ERROR too many queues (...)}, connection kept.
 */
public class TooManyQueuesException extends StoreException {
    public TooManyQueuesException(int max) {
        super("too many queues (darner.max-queues=" + max + ")");
    }
}
