package io.darner.queue;

/** What became of an item offered to a queue. */
public enum PutResult {
    STORED,
    /** The queue is full (and does not discard old items), or the item is over its max item size. */
    NOT_STORED
}
