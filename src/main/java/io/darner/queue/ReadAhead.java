package io.darner.queue;

import io.darner.storage.ItemRecord;
import io.darner.storage.QueueStore;
import io.darner.storage.StoredItem;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The next few items of one queue, held so that readers need not look each up in the store: a
 * queue with a backlog is read in runs, with one iterator instead of one lookup each (a LevelDB
 * lookup of one key costs nearly what a seek costs, and reading on from a seek is cheap); and an
 * item stored when the readers have caught up with the tail is kept as it is stored, so a queue
 * drained as fast as it fills reads nothing back. Holds only copies of records stored at seqs from
 * the queue's cursor on, with no stored item between them left out; the queue clears it whenever
 * such items go another way (expiry, flush, delete). Not thread-safe: the queue's lock guards it.
 *
 * <p>Heap is bounded: each queue holding items reserves {@link #MAX_BYTES} of a budget shared by
 * all queues; a queue that finds the budget spent reads one item at a time, as without read-ahead.
 */
final class ReadAhead {
    static final int MAX_ITEMS = 64;
    static final int MAX_BYTES = 16 * 1024;
    /** What all queues together may hold: 256 queues reading ahead at once. */
    static final long BUDGET_BYTES = 4L * 1024 * 1024;

    /** What the heap holds of a record besides an inline item's data (header, objects). */
    private static final int RECORD_OVERHEAD = 64;

    private final AtomicLong budget;
    private final ArrayDeque<StoredItem> items = new ArrayDeque<>();
    /** Bytes of the items kept as they were stored (a run read from the store is bounded by the read). */
    private int appendedBytes;

    /** {@code budget}: the bytes still free, shared by the queues of one repository. */
    ReadAhead(AtomicLong budget) {
        this.budget = budget;
    }

    static AtomicLong newBudget() {
        return new AtomicLong(BUDGET_BYTES);
    }

    /** The next item read ahead, or null when none is held. */
    StoredItem poll() {
        StoredItem next = items.pollFirst();
        if (next != null && items.isEmpty()) {
            budget.addAndGet(MAX_BYTES);
            appendedBytes = 0;
        }
        return next;
    }

    /**
     * An item just stored at {@code seq}: kept if it continues what is held without a gap (or
     * nothing is held and the readers are at {@code seq}: nothing stored lies before it), within
     * the bounds; else it is read from the store when its turn comes, as any item.
     */
    void appended(long seq, ItemRecord record, long cursor) {
        int size = (record.isInline() ? record.length() : 0) + RECORD_OVERHEAD;
        if (items.isEmpty()) {
            if (seq != cursor || size > MAX_BYTES) {
                return;
            }
            if (budget.addAndGet(-MAX_BYTES) < 0) {
                budget.addAndGet(MAX_BYTES); // spent by other queues
                return;
            }
        } else if (items.peekLast().seq() != seq - 1 || items.size() >= MAX_ITEMS
                || appendedBytes + size > MAX_BYTES) {
            return;
        }
        items.addLast(new StoredItem(seq, record));
        appendedBytes += size;
    }

    /**
     * Reads the items stored from {@code from} up to {@code until} (exclusive) when the buffer is
     * empty and the budget allows; otherwise does nothing. Even a short span is read as a run: once
     * the buffer reaches the tail, the items stored next are kept as they come (see
     * {@link #appended}), so a queue that holds a few items while readers and writers keep pace
     * stops reading from the store at all, where reading one item at a time would never catch up.
     */
    void fill(QueueStore store, long qid, long from, long until) {
        if (!items.isEmpty() || until <= from) {
            return;
        }
        if (budget.addAndGet(-MAX_BYTES) < 0) {
            budget.addAndGet(MAX_BYTES); // spent by other queues
            return;
        }
        try {
            items.addAll(store.scan(qid, from, until, MAX_ITEMS, MAX_BYTES));
        } finally {
            if (items.isEmpty()) {
                budget.addAndGet(MAX_BYTES);
            }
        }
    }

    /** Forgets the item at {@code seq} if it is held (it turned out not to be stored). */
    void remove(long seq) {
        if (items.removeIf(item -> item.seq() == seq) && items.isEmpty()) {
            budget.addAndGet(MAX_BYTES);
            appendedBytes = 0;
        }
    }

    /** Forgets what was read: the items it held may be gone from the store. */
    void clear() {
        if (!items.isEmpty()) {
            items.clear();
            budget.addAndGet(MAX_BYTES);
        }
        appendedBytes = 0;
    }
}
