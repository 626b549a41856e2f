package io.darner.queue;

/** The queue was deleted while the caller held it; look it up again by name. */
final class QueueDeletedException extends RuntimeException {
    QueueDeletedException() {
        super(null, null, false, false);
    }
}
