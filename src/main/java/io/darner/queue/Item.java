package io.darner.queue;

import io.darner.storage.ItemRecord;

/**
 * What a reader sees of an item: its header, and the whole data of a small item. The bytes of any
 * item, small or large, are read with {@link QueueRepository#read(Item, boolean)}.
 */
public abstract sealed class Item permits Delivery, PeekedItem {

    abstract ItemRecord record();

    public long flags() {
        return record().flags();
    }

    public int length() {
        return record().length();
    }

    /** Epoch milliseconds when it was stored. */
    public long enqueuedAt() {
        return record().enqueuedAt();
    }

    /** Epoch milliseconds after which it is not handed out, 0 for never. */
    public long expiresAt() {
        return record().expiresAt();
    }

    /** Open reads of it that ended without a confirm. */
    public int deliveries() {
        return record().deliveries();
    }

    /** A large item is kept in chunks and read (streamed) with {@link ItemBytes}. */
    public boolean isLarge() {
        return !record().isInline();
    }

    /** The data of a small item (to be written out, not changed), or null for a large one. */
    public byte[] smallData() {
        return record().data();
    }
}
