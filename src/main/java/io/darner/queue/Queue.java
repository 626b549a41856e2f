package io.darner.queue;

import io.darner.storage.BlobWriter;
import io.darner.storage.ItemRecord;
import io.darner.storage.QueueStore;
import io.darner.storage.StoreException;
import io.darner.storage.StoredItem;
import io.darner.storage.StoredQueue;

import java.util.ArrayDeque;
import java.util.List;
import java.util.TreeSet;

/**
 * One named FIFO queue. Its items live in the store; the heap holds only positions and counters:
 * the next seq to read ({@code cursor}), the next seq to write, the seqs of items handed back to the
 * head, and the waiters. Every method locks the queue; none blocks on anything but the store.
 *
 * <p>An item taken is "open" until it is confirmed (deleted from the store) or released (back to
 * the head). Plain gets take and confirm; reliable reads keep it open until the client says.
 */
public final class Queue {
    private final String name;
    private final QueueStore store;

    private long qid;
    private long cursor;
    private long nextSeq;
    /** Items handed back (aborted or rolled back): served before the cursor, lowest seq first. */
    private final TreeSet<Long> returned = new TreeSet<>();
    private final ArrayDeque<Wait> waiters = new ArrayDeque<>();
    private boolean deleted;

    private long items;
    private long bytes;
    private long openItems;
    private long openBytes;
    private long totalItems;
    private long expiredItems;
    private long discarded;
    private long transactions;
    private long canceledTransactions;
    private long totalFlushes;
    private long lastAgeMs;

    private record Wait(Waiter waiter, boolean open) {}

    Queue(String name, QueueStore store, long qid) {
        this.name = name;
        this.store = store;
        this.qid = qid;
    }

    Queue(QueueStore store, StoredQueue stored) {
        this(stored.name(), store, stored.qid());
        this.cursor = stored.firstSeq();
        this.nextSeq = stored.nextSeq();
        this.items = stored.items();
        this.bytes = stored.bytes();
    }

    public String name() {
        return name;
    }

    /** Stores an item at the tail (its chunks written already when {@code blob} is not null). */
    public synchronized void put(ItemRecord record, BlobWriter blob) {
        if (deleted) {
            throw new QueueDeletedException();
        }
        store.append(qid, nextSeq++, record, blob);
        items++;
        bytes += record.length();
        totalItems++;
        serveWaiters(System.currentTimeMillis());
    }

    /** Takes the head item, or returns null when there is none. The caller confirms or releases it. */
    public synchronized Delivery take(boolean open) {
        return takeAt(System.currentTimeMillis(), open);
    }

    /**
     * Takes the head item, or, when the queue is empty, registers {@code waiter} to be offered the
     * next one and returns null.
     */
    public synchronized Delivery takeOrWait(Waiter waiter, boolean open) {
        if (deleted) {
            throw new QueueDeletedException();
        }
        Delivery d = takeAt(System.currentTimeMillis(), open);
        if (d == null) {
            waiters.add(new Wait(waiter, open));
        }
        return d;
    }

    /** Stops a wait. False when the waiter was already offered an item (it will arrive). */
    public synchronized boolean stopWaiting(Waiter waiter) {
        return waiters.removeIf(w -> w.waiter == waiter);
    }

    /** The head item without taking it, or null. */
    public synchronized ItemRecord peek() {
        long now = System.currentTimeMillis();
        while (items > 0) {
            StoredItem head = readNext();
            if (head == null) {
                lostCount();
                return null;
            }
            if (expireIfDue(head, now)) {
                continue;
            }
            returned.add(head.seq());
            return head.record();
        }
        return null;
    }

    /**
     * The item was handled: remove it from the store. If the store refuses, the item is still
     * stored, so it goes back to the head (to be delivered again) before the error is thrown.
     */
    public synchronized void confirm(Delivery d) {
        try {
            store.delete(d.qid(), d.seq(), d.record());
        } catch (StoreException e) {
            release(d, false);
            throw e;
        }
        if (d.qid() == qid && !deleted) {
            openItems--;
            openBytes -= d.record().length();
        }
    }

    /**
     * Puts the item back at the head, to be handed to the next reader. {@code canceled} counts it
     * as a canceled transaction (an open read aborted or rolled back).
     */
    public synchronized void release(Delivery d, boolean canceled) {
        if (d.qid() != qid || deleted) {
            return; // flushed or deleted meanwhile: the item is gone with its generation
        }
        openItems--;
        openBytes -= d.record().length();
        items++;
        bytes += d.record().length();
        returned.add(d.seq());
        if (canceled) {
            canceledTransactions++;
        }
        serveWaiters(System.currentTimeMillis());
    }

    /** Removes every item; open reads of the old items confirm or roll back into nothing. */
    public synchronized void flush() {
        if (deleted) {
            return;
        }
        qid = store.renewQueue(name, qid);
        cursor = 0;
        nextSeq = 0;
        returned.clear();
        items = 0;
        bytes = 0;
        openItems = 0;
        openBytes = 0;
        totalFlushes++;
    }

    /** Removes the queue and its items; waiters get nothing. False if it was deleted already. */
    synchronized boolean delete() {
        if (deleted) {
            return false;
        }
        store.dropQueue(name, qid);
        deleted = true;
        items = 0;
        bytes = 0;
        returned.clear();
        waiters.forEach(w -> w.waiter.cancel());
        waiters.clear();
        return true;
    }

    public synchronized QueueStats stats() {
        return new QueueStats(name, items, bytes, totalItems, store.approximateSize(qid), expiredItems, 0, 0,
                items == 0 ? 0 : lastAgeMs, discarded, waiters.size(), openItems, transactions,
                canceledTransactions, totalFlushes, List.of());
    }

    /** Item count and data bytes in the store (open items included), for a clean stop. */
    synchronized long[] storedCounts() {
        return new long[] {items + openItems, bytes + openBytes};
    }

    synchronized long qid() {
        return qid;
    }

    private Delivery takeAt(long now, boolean open) {
        while (items > 0) {
            StoredItem head = readNext();
            if (head == null) {
                lostCount();
                return null;
            }
            if (expireIfDue(head, now)) {
                continue;
            }
            items--;
            bytes -= head.record().length();
            openItems++;
            openBytes += head.record().length();
            if (open) {
                transactions++;
            }
            lastAgeMs = Math.max(0, now - head.record().enqueuedAt());
            return new Delivery(this, qid, head.seq(), head.record());
        }
        return null;
    }

    /** Hands available items to waiters, oldest waiter first, skipping waiters that are gone. */
    private void serveWaiters(long now) {
        while (!waiters.isEmpty() && items > 0) {
            Wait w = waiters.peekFirst();
            Delivery d = takeAt(now, w.open);
            if (d == null) {
                return;
            }
            waiters.pollFirst();
            if (!w.waiter.offer(d)) {
                undoTake(d, w.open);
            }
        }
    }

    private void undoTake(Delivery d, boolean open) {
        openItems--;
        openBytes -= d.record().length();
        items++;
        bytes += d.record().length();
        returned.add(d.seq());
        if (open) {
            transactions--;
        }
    }

    /** The next stored item: a returned one first, then from the cursor on. Null if none is found. */
    private StoredItem readNext() {
        while (!returned.isEmpty()) {
            long seq = returned.pollFirst();
            ItemRecord r = store.get(qid, seq);
            if (r != null) {
                return new StoredItem(seq, r);
            }
        }
        while (cursor < nextSeq) {
            ItemRecord r = store.get(qid, cursor);
            if (r != null) {
                return new StoredItem(cursor++, r);
            }
            // a gap (items confirmed out of order before a restart): seek to the next stored item
            StoredItem next = store.seek(qid, cursor, nextSeq);
            cursor = next == null ? nextSeq : next.seq() + 1;
            if (next != null) {
                return next;
            }
        }
        return null;
    }

    private boolean expireIfDue(StoredItem head, long now) {
        if (!head.record().isExpired(now)) {
            return false;
        }
        try {
            store.delete(qid, head.seq(), head.record());
        } catch (StoreException e) {
            returned.add(head.seq()); // still stored: it stays at the head and expires at a later try
            throw e;
        }
        items--;
        bytes -= head.record().length();
        expiredItems++;
        return true;
    }

    /** The counters said there were items but the store has none: trust the store. */
    private void lostCount() {
        items = 0;
        bytes = 0;
    }
}
