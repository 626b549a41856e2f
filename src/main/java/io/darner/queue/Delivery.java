package io.darner.queue;

import io.darner.storage.ItemRecord;

/**
 * An item taken from a queue and not yet settled: it stays stored until {@link Queue#confirm}, or
 * goes back to the head with {@link Queue#release}. Its record carries the inline data until the
 * reply is written.
 */
public final class Delivery extends Item {
    private final Queue queue;
    /** The queue generation it was taken from (a flush starts a new one). */
    private final long qid;
    private final long seq;
    private final ItemRecord record;

    Delivery(Queue queue, long qid, long seq, ItemRecord record) {
        this.queue = queue;
        this.qid = qid;
        this.seq = seq;
        this.record = record;
    }

    public Queue queue() {
        return queue;
    }

    long qid() {
        return qid;
    }

    long seq() {
        return seq;
    }

    @Override
    ItemRecord record() {
        return record;
    }

    /** The same delivery without inline data, for keeping while it is open. */
    Delivery withoutData() {
        return record.data() == null ? this : new Delivery(queue, qid, seq, record.headerOnly());
    }
}
