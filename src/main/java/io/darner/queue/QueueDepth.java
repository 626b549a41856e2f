package io.darner.queue;

/**
 * How much one queue holds: items available to readers, and items taken but not settled (open),
 * each as a count and bytes. Every move of an item between these states is one method, so the
 * four counters never drift apart. Guarded by the queue's lock.
 */
final class QueueDepth {
    private long items;
    private long bytes;
    private long openItems;
    private long openBytes;

    QueueDepth(long items, long bytes) {
        this.items = items;
        this.bytes = bytes;
    }

    /** A new item at the tail. */
    void added(int length) {
        items++;
        bytes += length;
    }

    /** An available item went without being taken (expired, dead-lettered). */
    void removed(int length) {
        items--;
        bytes -= length;
    }

    /** An available item was taken: open until settled. */
    void opened(int length) {
        removed(length);
        openItems++;
        openBytes += length;
    }

    /** An open item went back to the head. */
    void returned(int length) {
        settled(length);
        added(length);
    }

    /** An open item was confirmed (or dropped): gone. */
    void settled(int length) {
        openItems--;
        openBytes -= length;
    }

    /** The counts said there were items but the store has none: trust the store. */
    void lostAvailable() {
        items = 0;
        bytes = 0;
    }

    void clear() {
        items = 0;
        bytes = 0;
        openItems = 0;
        openBytes = 0;
    }

    long items() {
        return items;
    }

    long bytes() {
        return bytes;
    }

    long openItems() {
        return openItems;
    }

    /** Items in the store, open ones included. */
    long storedItems() {
        return items + openItems;
    }

    long storedBytes() {
        return bytes + openBytes;
    }
}
