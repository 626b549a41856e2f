package io.darner.queue;

import io.darner.storage.ItemRecord;

/**
 * An item taken from a queue and not yet settled: it stays stored until {@link Queue#confirm}, or
 * goes back to the head with {@link Queue#release}. {@code record} carries the inline data until
 * the reply is written.
 *
 * @param qid the queue generation it was taken from (a flush starts a new one)
 */
public record Delivery(Queue queue, long qid, long seq, ItemRecord record) {

    /** The same delivery without inline data, for keeping while it is open. */
    public Delivery withoutData() {
        return record.data() == null ? this : new Delivery(queue, qid, seq, record.headerOnly());
    }
}
