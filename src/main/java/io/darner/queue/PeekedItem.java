package io.darner.queue;

import io.darner.storage.ItemRecord;

/** An item looked at without being taken ({@link Queue#peek}, {@link Queue#peekMany}). */
public final class PeekedItem extends Item {
    private final ItemRecord record;

    PeekedItem(ItemRecord record) {
        this.record = record;
    }

    @Override
    ItemRecord record() {
        return record;
    }
}
