package io.darner.queue;

import io.darner.storage.BlobWriter;
import io.darner.storage.DelayedItem;
import io.darner.storage.ItemRecord;
import io.darner.storage.PendingPuts;
import io.darner.storage.QueueStore;
import io.darner.storage.StoreException;
import io.darner.storage.StoredCounts;
import io.darner.storage.StoredItem;
import io.darner.storage.StoredQueue;

import java.time.InstantSource;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One named FIFO queue. Its items live in the store; the heap holds only positions and counters:
 * where readers are ({@link HeadReader}), the next seq to write, how much it holds
 * ({@link QueueDepth}), and the waiters. Every method locks the queue; none blocks on anything but
 * the store.
 *
 * <p>An item taken is "open" until it is confirmed (deleted from the store) or released (back to
 * the head). Plain gets take and confirm; reliable reads keep it open until the client says.
 *
 * <p>A delayed item ({@link #putDelayed}) waits in the store, outside the queue's items, until it
 * is due; then {@link #releaseDue} moves it to the tail. An open read aborted with a delay is
 * held ({@link HeldReads}) until due, then given back to the head. The repository's
 * {@link DueTimer} wakes the queue when the first of either is due.
 *
 * <p>Expired and dead-lettered items move to their target queue while this queue is locked; the
 * configuration is checked for cycles at start (see {@link QueuePolicies}), so queues are always
 * locked in the same order.
 */
public final class Queue implements PendingPuts.LostPuts {
    /** Delayed items moved to the tail in one write, at most. */
    private static final int JOIN_BATCH = 256;
    /**
     * Writes of due items per wake, at most: a wake holds the queue's lock, which its readers and
     * writers wait for, so many items falling due at once move over several wakes.
     */
    private static final int JOIN_BATCHES_PER_WAKE = 4;

    private final String name;
    private final QueueStore store;
    private final QueuePolicy policy;
    private final InstantSource clock;
    /** Finds (creating) the queues that expired and dead-lettered items move to. */
    private final Function<String, Queue> targets;

    private long qid;
    private long nextSeq;
    private final HeadReader head;
    private final QueueDepth depth;
    private final Waiters waiters = new Waiters();
    private final DelayedItems delayed = new DelayedItems();
    private final HeldReads held = new HeldReads();
    private final DueTimer dueTimer;
    /** When the due timer will wake this queue next (it may wake it more often), or {@link Long#MAX_VALUE}. */
    private long wakeAt = Long.MAX_VALUE;
    private boolean deleted;
    /** Whether the queue may hold items with an expiry; false lets the background sweep skip it. */
    private boolean mayExpire;
    /**
     * Why the queue's items could not be read when the store was opened, or null. A damaged queue
     * knows neither its items nor its next seq: it refuses everything but flush and delete.
     */
    private String damage;

    /** When the queue was last used (a set or get) or seen in use, for delete-when-idle. */
    private long lastUsedMs;
    private long totalItems, expiredItems, discarded, deadLettered;
    private long transactions, canceledTransactions, totalFlushes, lastAgeMs;
    private final DiskEstimate disk = new DiskEstimate();
    private final QueueFlow flow = new QueueFlow();

    /** The repository's view of what a queue needs besides its own state. */
    record Context(QueueStore store, InstantSource clock, Function<String, Queue> targets, AtomicLong readAheadBudget,
                   DueTimer dueTimer) {}

    /** A new, empty queue. */
    Queue(String name, long qid, QueuePolicy policy, Context context) {
        this(name, qid, 0, 0, 0, 0, null, policy, context);
    }

    /** A queue found in the store at open, with its delayed items (the caller then calls {@link #releaseDue}). */
    Queue(StoredQueue stored, QueuePolicy policy, Context context) {
        this(stored.name(), stored.qid(), stored.firstSeq(), stored.nextSeq(), stored.items(), stored.bytes(),
                stored.damage(), policy, context);
        if (damage == null) {
            try {
                delayed.load(store.delays(qid));
            } catch (StoreException e) {
                damage = "its delayed items cannot be read: " + e.getMessage();
            }
        }
    }

    private Queue(String name, long qid, long cursor, long nextSeq, long items, long bytes, String damage,
                  QueuePolicy policy, Context context) {
        this.name = name;
        this.qid = qid;
        this.nextSeq = nextSeq;
        this.damage = damage;
        this.mayExpire = items > 0;
        this.policy = policy;
        this.store = context.store();
        this.clock = context.clock();
        this.targets = context.targets();
        this.dueTimer = context.dueTimer();
        this.head = new HeadReader(name, store, cursor, context.readAheadBudget());
        this.depth = new QueueDepth(items, bytes);
        this.lastUsedMs = clock.millis();
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
    synchronized PutResult put(ItemRecord record, BlobWriter blob) {
        if (deleted) {
            throw new QueueDeletedException();
        }
        refuseIfDamaged();
        long now = clock.millis();
        lastUsedMs = now;
        if (!makeRoom(record.length(), now)) {
            return PutResult.NOT_STORED;
        }
        ItemRecord stored = capExpiry(record, now);
        long seq = nextSeq++;
        store.append(qid, seq, stored, blob, this);
        head.appended(seq, stored);
        added(stored, now);
        return PutResult.STORED;
    }

    /**
     * An item whose put waited for the end of the pass was not stored after all (its batch failed):
     * it leaves the queue as if never put, unless a reader has it already (its confirm or return
     * then finds nothing stored, as for an item flushed meanwhile).
     */
    @Override
    public synchronized void lost(long lostQid, long seq, ItemRecord record) {
        if (lostQid != qid || deleted) {
            return; // the generation it was put in is gone, and it with it
        }
        if (head.forget(seq)) {
            depth.removed(record.length());
            totalItems--;
        }
    }

    /** {@link #put}, or {@link #putDelayed} when {@code delayMs} is over 0. */
    PutResult put(ItemRecord record, BlobWriter blob, long delayMs) {
        return delayMs > 0 ? putDelayed(record, blob, delayMs) : put(record, blob);
    }

    /**
     * Stores an item that joins the tail only {@code delayMs} from now: within the queue's limits,
     * which delayed items count against, but not among its items until then.
     */
    synchronized PutResult putDelayed(ItemRecord record, BlobWriter blob, long delayMs) {
        if (deleted) {
            throw new QueueDeletedException();
        }
        refuseIfDamaged();
        long now = clock.millis();
        if (!makeRoom(record.length(), now)) {
            return PutResult.NOT_STORED;
        }
        ItemRecord stored = capExpiry(record, now);
        long dueAt = now + delayMs;
        store.appendDelayed(qid, dueAt, delayed.takeSeq(), stored, blob);
        delayed.added(dueAt, stored.length());
        wakeBy(dueAt);
        return PutResult.STORED;
    }

    /**
     * Gives an open read back after {@code delayMs} (an abort with a delay): it counts as a canceled
     * transaction and a delivery at once, as any abort, and is held, still open, until then.
     */
    public synchronized void releaseAfter(Delivery d, long delayMs) {
        if (d.qid() != qid || deleted) {
            return; // flushed or deleted meanwhile: the item is gone with its generation
        }
        canceledTransactions++;
        if (store.countDelivery(qid, d.seq()) < 0) {
            depth.settled(d.length());
            return; // no longer stored
        }
        long dueAt = clock.millis() + delayMs;
        held.hold(d, dueAt);
        wakeBy(dueAt);
    }

    /**
     * Moves the delayed items that fell due to the tail, in the order they fell due (up to
     * {@link #JOIN_BATCHES_PER_WAKE} writes of them; the rest at once after), and gives the held
     * reads that fell due back to the head; then asks to be woken when the next is due.
     */
    synchronized void releaseDue() {
        long now = clock.millis();
        if (wakeAt <= now) {
            wakeAt = Long.MAX_VALUE; // this is that wake (or a later call)
        }
        if (deleted || damage != null) {
            return;
        }
        for (int batches = 0; delayed.firstDue() <= now && batches < JOIN_BATCHES_PER_WAKE; batches++) {
            List<DelayedItem> first = store.delayed(qid, JOIN_BATCH);
            int due = 0;
            while (due < first.size() && first.get(due).dueAt() <= now) {
                due++;
            }
            join(first.subList(0, due), now);
            delayed.firstDue(due < first.size() ? first.get(due).dueAt() : due == JOIN_BATCH ? now : Long.MAX_VALUE);
        }
        boolean given = false;
        for (Delivery d = held.pollDue(now); d != null; d = held.pollDue(now)) {
            depth.returned(d.length());
            head.giveBack(d.seq());
            given = true;
        }
        if (given) {
            serveWaiters(now);
        }
        wakeBy(Math.min(delayed.firstDue(), held.firstDue()));
    }

    /** Delayed items due to join the tail, in one write. */
    private void join(List<DelayedItem> due, long now) {
        if (due.isEmpty()) {
            return;
        }
        store.joinTail(qid, due, nextSeq);
        for (DelayedItem d : due) {
            long seq = nextSeq++;
            head.appended(seq, d.record());
            delayed.joined(d.record().length());
            added(d.record(), now);
        }
    }

    /** Has the due timer wake this queue at {@code at} unless it will sooner. */
    private void wakeBy(long at) {
        if (at < wakeAt) {
            wakeAt = at;
            dueTimer.wakeAt(this, at);
        }
    }

    /** Takes over an item that expired, was dead-lettered or is redriven from another queue; false if this queue is full. */
    synchronized boolean acceptMoved(long fromQid, long fromSeq, ItemRecord record) {
        long now = clock.millis();
        if (deleted || damage != null || !makeRoom(record.length(), now)) {
            return false;
        }
        ItemRecord stored = capExpiry(record, now);
        store.move(fromQid, fromSeq, qid, nextSeq++, stored);
        added(stored, now);
        return true;
    }

    private void added(ItemRecord record, long now) {
        countAdded(record);
        serveWaiters(now);
    }

    private void countAdded(ItemRecord record) {
        mayExpire |= record.expiresAt() != 0;
        depth.added(record.length());
        totalItems++;
        flow.in(record.length());
    }

    // ---- a copy of an alias's set ({@link QueueRepository}): room is made in each destination
    // first, then every copy is written in one batch while the caller holds every destination's lock

    /** Drops old items until an item of {@code length} fits, if the queue does that; false when it cannot fit. */
    synchronized boolean makeRoomForCopy(int length) {
        if (deleted) {
            throw new QueueDeletedException();
        }
        return damage == null && makeRoom(length, clock.millis());
    }

    /**
     * The seq of a copy of {@code length} bytes, for the caller that holds this queue's lock until
     * {@link #copyStored}; -1 when it does not fit. Nothing is dropped here: dropping may move items
     * to other queues, whose locks must not be taken while other destinations' are held.
     */
    synchronized long reserveCopy(int length) {
        if (deleted) {
            throw new QueueDeletedException();
        }
        boolean fits = damage == null && length <= policy.maxItemSize() && length <= policy.maxSize()
                && depth.storedItems() + delayed.items() < policy.maxItems()
                && depth.storedBytes() + delayed.bytes() + length <= policy.maxSize();
        return fits ? nextSeq++ : -1;
    }

    /** The record as this queue stores it: its expiry capped by max-age. */
    synchronized ItemRecord asStored(ItemRecord record) {
        return capExpiry(record, clock.millis());
    }

    /** The copy reserved at {@code seq} is stored; waiters get it from {@link #serveWaiters()}, once no other lock is held. */
    synchronized void copyStored(long seq, ItemRecord stored) {
        head.appended(seq, stored);
        countAdded(stored);
    }

    synchronized void serveWaiters() {
        serveWaiters(clock.millis());
    }

    synchronized boolean isDeleted() {
        return deleted;
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
        while (depth.storedItems() + delayed.items() >= policy.maxItems()
                || depth.storedBytes() + delayed.bytes() + length > policy.maxSize()) {
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
        depth.settled(d.length());
        flow.undoOut(d.length());
        store.delete(qid, d.seq(), d.record());
        discarded++;
        return true;
    }

    /** Takes the head item, or returns null when there is none. The caller confirms or releases it. */
    public synchronized Delivery take(boolean open) {
        refuseIfDamaged();
        return takeAt(clock.millis(), open);
    }

    /**
     * Takes the head item, or, when the queue is empty, registers {@code waiter} to be offered the
     * next one and returns null. (On a queue deleted meanwhile the wait simply times out.)
     */
    public synchronized Delivery takeOrWait(Waiter waiter, boolean open) {
        refuseIfDamaged();
        Delivery d = takeAt(clock.millis(), open);
        if (d == null && !deleted) {
            waiters.add(waiter, open);
        }
        return d;
    }

    /** Stops a wait. False when the waiter was already offered an item (it will arrive). */
    public synchronized boolean stopWaiting(Waiter waiter) {
        return waiters.remove(waiter);
    }

    /** The head item without taking it, or null. */
    public synchronized PeekedItem peek() {
        refuseIfDamaged();
        lastUsedMs = clock.millis();
        StoredItem first = nextLive(lastUsedMs);
        if (first == null) {
            return null;
        }
        head.giveBack(first.seq()); // not taken: it stays at the head
        return new PeekedItem(first.record());
    }

    /** Up to {@code max} items from the head, not taken, expired ones left out (for looking at a queue). */
    public synchronized List<PeekedItem> peekMany(int max) {
        refuseIfDamaged();
        long now = clock.millis();
        return head.peek(qid, nextSeq, max).stream().filter(si -> !si.record().isExpired(now))
                .map(si -> new PeekedItem(si.record())).toList();
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
            depth.settled(d.length());
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
        if (canceled) {
            canceledTransactions++;
            if (store.countDelivery(qid, d.seq()) < 0) {
                depth.settled(d.length());
                return; // no longer stored
            }
        }
        depth.returned(d.length());
        head.giveBack(d.seq());
        serveWaiters(clock.millis());
    }

    /** Removes every item; open reads of the old items confirm or roll back into nothing. */
    public synchronized void flush() {
        if (deleted) {
            return;
        }
        qid = store.renewQueue(name, qid, damage == null && !head.failing()); // a purge would trip over the damage
        damage = null;
        nextSeq = 0;
        head.reset();
        depth.clear();
        delayed.clear();
        held.clear();
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
        if (depth.storedItems() == 0) {
            mayExpire = false;
            return 0;
        }
        long now = clock.millis();
        int n = 0;
        long scanned = 0;
        for (Iterator<Long> it = head.returned().iterator(); it.hasNext() && scanned < limit; scanned++) {
            long seq = it.next();
            ItemRecord r = head.at(qid, seq);
            if (r != null && r.isExpired(now)) {
                it.remove();
                expireItem(seq, r);
                n++;
            }
        }
        long from = head.cursor();
        while (scanned < limit && from < nextSeq) {
            List<StoredItem> batch = head.from(qid, from, nextSeq, (int) Math.min(1000, limit - scanned));
            if (batch.isEmpty()) {
                break;
            }
            for (StoredItem si : batch) {
                if (si.record().isExpired(now)) {
                    head.forgetReadAhead(); // it may hold this item
                    expireItem(si.seq(), si.record());
                    n++;
                }
                from = si.seq() + 1;
                scanned++;
            }
        }
        return n;
    }

    /**
     * Deletes the queue if it has been idle for its delete-when-idle: empty, without open reads
     * (held ones included), delayed items or waiters, and without a set or get since {@code now}
     * less that. A queue seen in use counts as used now. True if it was deleted.
     */
    synchronized boolean deleteIfIdle(long now) {
        if (deleted || damage != null || policy.deleteWhenIdleMs() <= 0) {
            return false;
        }
        if (depth.storedItems() > 0 || delayed.items() > 0 || !waiters.isEmpty()) {
            lastUsedMs = now;
            return false;
        }
        return now - lastUsedMs >= policy.deleteWhenIdleMs() && delete();
    }

    // ---- a redrive ({@link Redrive}): the head item is taken, moved to another queue with this
    // queue's lock released, then settled here; or put back at the head when it cannot move

    /** Takes the head item to move it to another queue, or null when there is none. */
    synchronized Delivery takeToMove() {
        refuseIfDamaged();
        return takeAt(clock.millis(), false);
    }

    /** The item taken to move could not move: it is at the head again, as if never taken. */
    synchronized void putBack(Delivery d) {
        release(d, false);
        if (d.qid() == qid && !deleted) {
            flow.undoOut(d.length());
        }
    }

    /** The item taken to move is in another queue now: no longer this queue's. */
    synchronized void movedAway(Delivery d) {
        if (d.qid() == qid && !deleted) {
            depth.settled(d.length());
        }
    }

    /** Removes the queue and its items; waiters get nothing. False if it was deleted already. */
    synchronized boolean delete() {
        if (deleted) {
            return false;
        }
        store.dropQueue(name, qid, damage == null && !head.failing());
        deleted = true;
        head.reset();
        depth.clear();
        delayed.clear();
        held.clear();
        waiters.cancelAll();
        return true;
    }

    /** The queue's figures (held reads count as delayed, not open); mem_items and mem_bytes are 0 by design: the queue keeps no item data in the heap. */
    public synchronized QueueStats stats(List<String> children) {
        return new QueueStats(name, depth.items(), depth.bytes(), totalItems, disk.bytes(), expiredItems, 0, 0,
                depth.items() == 0 ? 0 : lastAgeMs, discarded, deadLettered, waiters.size(),
                depth.openItems() - held.size(), transactions, canceledTransactions, totalFlushes, children,
                delayed.items() + held.size());
    }

    /** Asks the store again how much disk the queue takes, if the last answer is older than {@code maxAgeMs}. */
    boolean refreshLogSize(long nowMs, long maxAgeMs) {
        return disk.refreshIfDue(store, this::qid, nowMs, maxAgeMs); // outside the queue's lock
    }

    /** Item count and data bytes in the store (open items included), and the next seq, for a clean stop. */
    synchronized StoredCounts storedCounts() {
        return new StoredCounts(depth.storedItems(), depth.storedBytes(), nextSeq);
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
     * Reads the next item to hand out, removing on the way the expired and dead-lettered ones;
     * null when there is none. The caller takes it or puts it back.
     */
    private StoredItem nextLive(long now) {
        while (depth.items() > 0) {
            StoredItem next = head.next(qid, nextSeq);
            if (next == null) {
                depth.lostAvailable();
                return null;
            }
            if (!removeIfDue(next, now)) {
                return next;
            }
        }
        return null;
    }

    private Delivery takeAt(long now, boolean open) {
        lastUsedMs = now;
        StoredItem next = nextLive(now);
        if (next == null) {
            return null;
        }
        depth.opened(next.record().length());
        if (open) {
            transactions++;
        }
        flow.out(next.record().length());
        lastAgeMs = Math.max(0, now - next.record().enqueuedAt());
        return new Delivery(this, qid, next.seq(), next.record());
    }

    /** Hands available items to waiters, oldest waiter first, skipping waiters that are gone. */
    private void serveWaiters(long now) {
        while (!waiters.isEmpty() && depth.items() > 0) {
            boolean open = waiters.firstOpens();
            Delivery d = takeAt(now, open);
            if (d == null) {
                return;
            }
            if (!waiters.pollFirst().offer(d)) { // gone: the item is not taken after all
                depth.returned(d.length());
                head.giveBack(d.seq());
                flow.undoOut(d.length());
                transactions -= open ? 1 : 0;
            }
        }
    }

    /** Expires or dead-letters the item just read if it is due; true if it was removed. */
    private boolean removeIfDue(StoredItem item, long now) {
        ItemRecord r = item.record();
        if (r.isExpired(now)) {
            expireItem(item.seq(), r);
            return true;
        }
        if (policy.maxDeliveries() > 0 && r.deliveries() >= policy.maxDeliveries()) {
            // it keeps the name of this queue, its origin, where a redrive takes it back
            boolean moved = moveOrDeleteAtHead(item.seq(), r.withDeliveries(0).withOrigin(name), policy.deadLetterQueue());
            depth.removed(r.length());
            if (moved) {
                deadLettered++;
            } else {
                discarded++; // no dead-letter queue (or it is full): dropped, counted once
            }
            return true;
        }
        return false;
    }

    private void expireItem(long seq, ItemRecord r) {
        moveOrDeleteAtHead(seq, r.withExpiry(0), policy.expireToQueue());
        depth.removed(r.length());
        expiredItems++;
    }

    /**
     * Moves the item to {@code target}, or deletes it when there is none or it is full; true if
     * moved. If the store refuses, the item is still stored, so it stays at the head (and is tried
     * again later) before the error is thrown.
     */
    private boolean moveOrDeleteAtHead(long seq, ItemRecord r, String target) {
        try {
            if (target != null && targets.apply(target).acceptMoved(qid, seq, r)) {
                return true;
            }
            store.delete(qid, seq, r);
            return false;
        } catch (StoreException e) {
            if (seq < head.cursor()) {
                head.giveBack(seq);
            }
            throw e;
        }
    }
}
