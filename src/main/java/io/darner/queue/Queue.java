package io.darner.queue;

import io.darner.storage.BlobWriter;
import io.darner.storage.ItemRecord;
import io.darner.storage.QueueStore;
import io.darner.storage.StoreException;
import io.darner.storage.StoredItem;
import io.darner.storage.StoredQueue;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One named FIFO queue. Its items live in the store; the heap holds only positions and counters:
 * the next seq to read ({@code cursor}), the next seq to write, the seqs of items handed back to the
 * head, and the waiters. Every method locks the queue; none blocks on anything but the store.
 *
 * <p>An item taken is "open" until it is confirmed (deleted from the store) or released (back to
 * the head). Plain gets take and confirm; reliable reads keep it open until the client says.
 *
 * <p>Expired and dead-lettered items move to their target queue while this queue is locked; the
 * configuration is checked for cycles at start (see {@link QueuePolicies}), so queues are always
 * locked in the same order.
 */
public final class Queue {
    private static final Logger LOG = Logger.getLogger(Queue.class);

    private final String name;
    private final QueueStore store;
    private final QueuePolicy policy;
    /** Finds (creating) the queues that expired and dead-lettered items move to. */
    private final Function<String, Queue> targets;

    private long qid;
    private long cursor;
    private long nextSeq;
    /** Items handed back (aborted or rolled back): served before the cursor, lowest seq first. */
    private final TreeSet<Long> returned = new TreeSet<>();
    private final ArrayDeque<Wait> waiters = new ArrayDeque<>();
    /** Items from the cursor on, read in runs (cleared when items there go another way). */
    private final ReadAhead ahead;
    private boolean deleted;
    /** Whether the queue may hold items with an expiry; false lets the background sweep skip it. */
    private boolean mayExpire;
    /**
     * Why the queue's items could not be read when the store was opened, or null. A damaged queue
     * knows neither its items nor its next seq: it refuses everything but flush and delete.
     */
    private String damage;
    /** Whether reading the queue's items from its cursor on failed (logged once, until such a read works again). */
    private boolean readFailing;

    private long items;
    private long bytes;
    private long openItems;
    private long openBytes;
    private long totalItems;
    private long expiredItems;
    private long discarded;
    private long deadLettered;
    private long transactions;
    private long canceledTransactions;
    private long totalFlushes;
    private long lastAgeMs;
    private final QueueFlow flow = new QueueFlow();
    /** LevelDB's estimate of the disk the queue takes; costly to ask, so refreshed in the background. */
    private volatile long logSize;
    private long logSizeAtMs;

    private record Wait(Waiter waiter, boolean open) {}

    Queue(String name, QueueStore store, long qid, QueuePolicy policy, Function<String, Queue> targets,
            AtomicLong readAheadBudget) {
        this.name = name;
        this.ahead = new ReadAhead(readAheadBudget);
        this.store = store;
        this.qid = qid;
        this.policy = policy;
        this.targets = targets;
    }

    Queue(QueueStore store, StoredQueue stored, QueuePolicy policy, Function<String, Queue> targets,
            AtomicLong readAheadBudget) {
        this(stored.name(), store, stored.qid(), policy, targets, readAheadBudget);
        this.cursor = stored.firstSeq();
        this.nextSeq = stored.nextSeq();
        this.items = stored.items();
        this.bytes = stored.bytes();
        this.mayExpire = stored.items() > 0;
        this.damage = stored.damage();
    }

    public String name() {
        return name;
    }

    public QueuePolicy policy() {
        return policy;
    }

    /** The items and bytes that went in and out, for rates. */
    public QueueFlow flow() {
        return flow;
    }

    /**
     * Stores an item at the tail (its chunks written already when {@code blob} is not null), within
     * the queue's limits: when full it refuses, or drops the oldest items with discard-old-when-full.
     * Its expiry is capped by max-age.
     */
    public synchronized PutResult put(ItemRecord record, BlobWriter blob) {
        if (deleted) {
            throw new QueueDeletedException();
        }
        refuseIfDamaged();
        long now = System.currentTimeMillis();
        if (!makeRoom(record.length(), now)) {
            return PutResult.NOT_STORED;
        }
        ItemRecord stored = capExpiry(record, now);
        store.append(qid, nextSeq++, stored, blob);
        added(stored, now);
        return PutResult.STORED;
    }

    /** Takes over an item that expired or was dead-lettered in another queue; false if this queue is full. */
    private synchronized boolean acceptMoved(long fromQid, long fromSeq, ItemRecord record) {
        long now = System.currentTimeMillis();
        if (deleted || damage != null || !makeRoom(record.length(), now)) {
            return false;
        }
        ItemRecord stored = capExpiry(record, now);
        store.move(fromQid, fromSeq, qid, nextSeq++, stored);
        added(stored, now);
        return true;
    }

    private void added(ItemRecord record, long now) {
        mayExpire |= record.expiresAt() != 0;
        items++;
        bytes += record.length();
        totalItems++;
        flow.in(record.length());
        serveWaiters(now);
    }

    private ItemRecord capExpiry(ItemRecord record, long now) {
        long expiresAt = policy.capExpiry(record.expiresAt(), now);
        return expiresAt == record.expiresAt() ? record : record.withExpiry(expiresAt);
    }

    /** True when an item of {@code length} fits, after dropping old items if the queue does that. */
    private boolean makeRoom(int length, long now) {
        if (length > policy.maxItemSize() || length > policy.maxSize()) {
            return false;
        }
        while (items + openItems >= policy.maxItems() || bytes + openBytes + length > policy.maxSize()) {
            if (!policy.discardOldWhenFull() || !discardHead(now)) {
                return false;
            }
        }
        return true;
    }

    /** Drops the oldest available item; false if there is none to drop. */
    private boolean discardHead(long now) {
        Delivery d = takeAt(now, false);
        if (d == null) {
            return false;
        }
        openItems--;
        openBytes -= d.record().length();
        flow.undoOut(d.record().length());
        store.delete(qid, d.seq(), d.record());
        discarded++;
        return true;
    }

    /** Takes the head item, or returns null when there is none. The caller confirms or releases it. */
    public synchronized Delivery take(boolean open) {
        refuseIfDamaged();
        return takeAt(System.currentTimeMillis(), open);
    }

    /**
     * Takes the head item, or, when the queue is empty, registers {@code waiter} to be offered the
     * next one and returns null. (On a queue deleted meanwhile the wait simply times out.)
     */
    public synchronized Delivery takeOrWait(Waiter waiter, boolean open) {
        refuseIfDamaged();
        Delivery d = takeAt(System.currentTimeMillis(), open);
        if (d == null && !deleted) {
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
        refuseIfDamaged();
        StoredItem head = nextLive(System.currentTimeMillis());
        if (head == null) {
            return null;
        }
        returned.add(head.seq()); // not taken: it stays at the head
        return head.record();
    }

    /** Up to {@code max} items from the head, not taken (for looking at a queue). */
    public synchronized List<StoredItem> peekMany(int max) {
        refuseIfDamaged();
        List<StoredItem> out = new java.util.ArrayList<>(Math.min(max, 1024));
        try {
            for (long seq : returned) {
                if (out.size() >= max) {
                    return out;
                }
                ItemRecord r = store.get(qid, seq);
                if (r != null) {
                    out.add(new StoredItem(seq, r));
                }
            }
            out.addAll(store.scan(qid, cursor, nextSeq, max - out.size(), Integer.MAX_VALUE));
        } catch (StoreException e) {
            throw unreadable(e);
        }
        readWorked();
        return out;
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
     * Puts the item back at the head, to be handed to the next reader. {@code canceled}: an open
     * read was aborted or rolled back, which counts as a canceled transaction and a delivery of the
     * item (kept in the store, for max-deliveries).
     */
    public synchronized void release(Delivery d, boolean canceled) {
        if (d.qid() != qid || deleted) {
            return; // flushed or deleted meanwhile: the item is gone with its generation
        }
        openItems--;
        openBytes -= d.record().length();
        if (canceled) {
            canceledTransactions++;
            if (store.countDelivery(qid, d.seq()) < 0) {
                return; // no longer stored
            }
        }
        items++;
        bytes += d.record().length();
        returned.add(d.seq());
        serveWaiters(System.currentTimeMillis());
    }

    /** Removes every item; open reads of the old items confirm or roll back into nothing. */
    public synchronized void flush() {
        if (deleted) {
            return;
        }
        qid = store.renewQueue(name, qid, damage == null && !readFailing); // a purge would trip over the damage
        damage = null;
        readFailing = false;
        cursor = 0;
        nextSeq = 0;
        returned.clear();
        ahead.clear();
        items = 0;
        bytes = 0;
        openItems = 0;
        openBytes = 0;
        totalFlushes++;
    }

    /**
     * Removes (or moves to expire-to-queue) expired items among the first {@code limit} items from
     * the head; returns how many.
     */
    public synchronized int expire(long limit) {
        if (!mayExpire || damage != null) {
            return 0;
        }
        if (items == 0 && openItems == 0) {
            mayExpire = false;
            return 0;
        }
        long now = System.currentTimeMillis();
        int n = 0;
        long scanned = 0;
        for (Iterator<Long> it = returned.iterator(); it.hasNext() && scanned < limit; scanned++) {
            long seq = it.next();
            ItemRecord r = readAt(seq);
            if (r != null && r.isExpired(now)) {
                it.remove();
                expireItem(seq, r);
                n++;
            }
        }
        long from = cursor;
        while (scanned < limit && from < nextSeq) {
            List<StoredItem> batch = readFrom(from, (int) Math.min(1000, limit - scanned));
            if (batch.isEmpty()) {
                break;
            }
            for (StoredItem si : batch) {
                if (si.record().isExpired(now)) {
                    ahead.clear(); // it may hold this item
                    expireItem(si.seq(), si.record());
                    n++;
                }
                from = si.seq() + 1;
                scanned++;
            }
        }
        return n;
    }

    private ItemRecord readAt(long seq) {
        try {
            return store.get(qid, seq);
        } catch (StoreException e) {
            throw unreadable(e);
        }
    }

    private List<StoredItem> readFrom(long seq, int max) {
        try {
            return store.scan(qid, seq, nextSeq, max, Integer.MAX_VALUE);
        } catch (StoreException e) {
            throw unreadable(e);
        }
    }

    /** Removes the queue and its items; waiters get nothing. False if it was deleted already. */
    synchronized boolean delete() {
        if (deleted) {
            return false;
        }
        store.dropQueue(name, qid, damage == null && !readFailing);
        deleted = true;
        ahead.clear();
        items = 0;
        bytes = 0;
        returned.clear();
        waiters.forEach(w -> w.waiter.cancel());
        waiters.clear();
        return true;
    }

    public synchronized QueueStats stats(List<String> children) {
        // mem_items and mem_bytes are 0 by design: the queue keeps no item data in the heap
        return new QueueStats(name, items, bytes, totalItems, logSize, expiredItems, 0, 0,
                items == 0 ? 0 : lastAgeMs, discarded, deadLettered, waiters.size(), openItems, transactions,
                canceledTransactions, totalFlushes, children);
    }

    /**
     * Asks the store again how much disk the queue takes, if the last answer is older than
     * {@code maxAgeMs}; false when it was fresh enough.
     */
    boolean refreshLogSize(long nowMs, long maxAgeMs) {
        long id;
        synchronized (this) {
            if (nowMs - logSizeAtMs < maxAgeMs) {
                return false;
            }
            logSizeAtMs = nowMs;
            id = qid;
        }
        try {
            logSize = store.approximateSize(id); // outside the lock: it reads table indexes
        } catch (StoreException e) {
            // a damaged store: the figure is an estimate anyway, the last one stays
        }
        return true;
    }

    /** Item count and data bytes in the store (open items included), and the next seq, for a clean stop. */
    synchronized long[] storedCounts() {
        return new long[] {items + openItems, bytes + openBytes, nextSeq};
    }

    synchronized long qid() {
        return qid;
    }

    /** Why the queue cannot serve at all (its items could not be read at open), or null. */
    public synchronized String damage() {
        return damage;
    }

    private void refuseIfDamaged() {
        if (damage != null) {
            throw new StoreException("queue " + name + " is damaged: " + damage);
        }
    }

    /**
     * A read of this queue's items failed: the queue cannot get past a damaged block of the store.
     * Logged once (until a read works again), naming the queue; the error goes to the client.
     */
    private StoreException unreadable(StoreException e) {
        if (!readFailing) {
            readFailing = true;
            LOG.errorf("queue '%s': its items cannot be read (%s). Its reads answer SERVER_ERROR until the store "
                    + "is repaired (start once with darner.repair-on-start=true), or it is flushed or deleted; "
                    + "the other queues are not affected", name, e.getMessage());
        }
        return new StoreException("cannot read queue " + name + ": " + e.getMessage(), e);
    }

    private void readWorked() {
        if (readFailing) {
            readFailing = false;
            LOG.infof("queue '%s': its items can be read again", name);
        }
    }

    /**
     * Reads the next item to hand out, removing on the way the expired and dead-lettered ones;
     * null when there is none. The caller takes it or puts it back.
     */
    private StoredItem nextLive(long now) {
        while (items > 0) {
            StoredItem head = readNext();
            if (head == null) {
                lostCount();
                return null;
            }
            if (!removeIfDue(head, now)) {
                return head;
            }
        }
        return null;
    }

    private Delivery takeAt(long now, boolean open) {
        StoredItem head = nextLive(now);
        if (head == null) {
            return null;
        }
        items--;
        bytes -= head.record().length();
        openItems++;
        openBytes += head.record().length();
        if (open) {
            transactions++;
        }
        flow.out(head.record().length());
        lastAgeMs = Math.max(0, now - head.record().enqueuedAt());
        return new Delivery(this, qid, head.seq(), head.record());
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
        flow.undoOut(d.record().length());
        if (open) {
            transactions--;
        }
    }

    /** The next stored item: a returned one first, then from the cursor on. Null if none is found. */
    private StoredItem readNext() {
        boolean atHead = returned.isEmpty(); // an item handed back says nothing about the damage further on
        try {
            StoredItem next = readNextOrThrow();
            if (atHead) {
                readWorked();
            }
            return next;
        } catch (StoreException e) {
            throw unreadable(e);
        }
    }

    /** {@link #readNext()}; a read that fails leaves the position as it was, to be tried again. */
    private StoredItem readNextOrThrow() {
        while (!returned.isEmpty()) {
            long seq = returned.first();
            ItemRecord r = store.get(qid, seq);
            returned.pollFirst();
            if (r != null) {
                return new StoredItem(seq, r);
            }
        }
        ahead.fill(store, qid, cursor, nextSeq);
        StoredItem buffered = ahead.poll();
        if (buffered != null) {
            cursor = buffered.seq() + 1;
            return buffered;
        }
        while (cursor < nextSeq) {
            ItemRecord r = store.get(qid, cursor);
            if (r != null) {
                return new StoredItem(cursor++, r);
            }
            // a gap (items confirmed out of order before a restart, or expired): seek past it
            StoredItem next = store.seek(qid, cursor, nextSeq);
            cursor = next == null ? nextSeq : next.seq() + 1;
            if (next != null) {
                return next;
            }
        }
        return null;
    }

    /** Expires or dead-letters the item just read if it is due; true if it was removed. */
    private boolean removeIfDue(StoredItem head, long now) {
        ItemRecord r = head.record();
        if (r.isExpired(now)) {
            expireItem(head.seq(), r);
            return true;
        }
        if (policy.maxDeliveries() > 0 && r.deliveries() >= policy.maxDeliveries()) {
            boolean moved = moveOrDeleteAtHead(head.seq(), r.withDeliveries(0), policy.deadLetterQueue());
            items--;
            bytes -= r.length();
            deadLettered++;
            if (!moved) {
                discarded++;
            }
            return true;
        }
        return false;
    }

    private void expireItem(long seq, ItemRecord r) {
        moveOrDeleteAtHead(seq, r.withExpiry(0), policy.expireToQueue());
        items--;
        bytes -= r.length();
        expiredItems++;
    }

    /**
     * {@link #moveOrDelete} for an item just taken from the head: if the store refuses, the item is
     * still stored, so it stays at the head (and is tried again later) before the error is thrown.
     */
    private boolean moveOrDeleteAtHead(long seq, ItemRecord r, String target) {
        try {
            return moveOrDelete(seq, r, target);
        } catch (StoreException e) {
            if (seq < cursor) {
                returned.add(seq);
            }
            throw e;
        }
    }

    /** Moves the item to {@code target}, or deletes it when there is none or it is full; true if moved. */
    private boolean moveOrDelete(long seq, ItemRecord r, String target) {
        if (target != null && targets.apply(target).acceptMoved(qid, seq, r)) {
            return true;
        }
        store.delete(qid, seq, r);
        return false;
    }

    /** The counters said there were items but the store has none: trust the store. */
    private void lostCount() {
        items = 0;
        bytes = 0;
    }
}
