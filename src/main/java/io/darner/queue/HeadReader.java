package io.darner.queue;

import io.darner.storage.ItemRecord;
import io.darner.storage.QueueStore;
import io.darner.storage.StoreException;
import io.darner.storage.StoredItem;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where one queue's readers are in the store: the items handed back to the head (served first,
 * lowest seq first), then the cursor, read ahead in runs. Nothing assumes seqs are contiguous: a
 * missing seq is sought past. A read that fails leaves the position as it was, to be tried again,
 * and is reported once per episode, naming the queue. Guarded by the queue's lock.
 */
final class HeadReader {
    private static final Logger LOG = Logger.getLogger(HeadReader.class);

    private final String name;
    private final QueueStore store;
    /** Items handed back (aborted or rolled back): served before the cursor, lowest seq first. */
    private final TreeSet<Long> returned = new TreeSet<>();
    /** Items from the cursor on, read in runs (cleared when items there go another way). */
    private final ReadAhead ahead;
    private long cursor;
    /** Whether reading from the cursor on failed (logged once, until such a read works again). */
    private boolean failing;

    HeadReader(String name, QueueStore store, long cursor, AtomicLong readAheadBudget) {
        this.name = name;
        this.store = store;
        this.cursor = cursor;
        this.ahead = new ReadAhead(readAheadBudget);
    }

    long cursor() {
        return cursor;
    }

    boolean failing() {
        return failing;
    }

    /** Puts an item not taken, or taken and given back, at the head again. */
    void giveBack(long seq) {
        returned.add(seq);
    }

    /** An item was just stored at the tail: kept for the readers if they are caught up (see {@link ReadAhead}). */
    void appended(long seq, ItemRecord record) {
        ahead.appended(seq, record, cursor);
    }

    /**
     * The item at {@code seq} turned out not to be stored: forgets it if a reader would still meet
     * it (read ahead, handed back, or past the cursor); false when it has been taken.
     */
    boolean forget(long seq) {
        if (returned.remove(seq)) {
            return true;
        }
        if (seq < cursor) {
            return false;
        }
        ahead.remove(seq);
        return true;
    }

    /** Items from the cursor on went another way (expired in place): what was read ahead is stale. */
    void forgetReadAhead() {
        ahead.clear();
    }

    /** A new generation of the queue (flush) or none (delete): starts over from seq 0. */
    void reset() {
        returned.clear();
        ahead.clear();
        cursor = 0;
        failing = false;
    }

    /** The items handed back, lowest seq first; removing through it takes one out. */
    NavigableSet<Long> returned() {
        return returned;
    }

    /** The next stored item of generation {@code qid} below {@code until}, or null when there is none. */
    StoredItem next(long qid, long until) {
        boolean atHead = returned.isEmpty(); // an item handed back says nothing about the damage further on
        try {
            StoredItem next = nextOrThrow(qid, until);
            if (atHead) {
                worked();
            }
            return next;
        } catch (StoreException e) {
            throw unreadable(e);
        }
    }

    private StoredItem nextOrThrow(long qid, long until) {
        while (!returned.isEmpty()) {
            long seq = returned.first();
            ItemRecord r = store.get(qid, seq);
            returned.pollFirst();
            if (r != null) {
                return new StoredItem(seq, r);
            }
        }
        ahead.fill(store, qid, cursor, until);
        StoredItem buffered = ahead.poll();
        if (buffered != null) {
            cursor = buffered.seq() + 1;
            return buffered;
        }
        while (cursor < until) {
            ItemRecord r = store.get(qid, cursor);
            if (r != null) {
                return new StoredItem(cursor++, r);
            }
            // a gap (items confirmed out of order before a restart, or expired): seek past it
            StoredItem next = store.seek(qid, cursor, until);
            cursor = next == null ? until : next.seq() + 1;
            if (next != null) {
                return next;
            }
        }
        return null;
    }

    /** The record at {@code seq}, or null. */
    ItemRecord at(long qid, long seq) {
        try {
            return store.get(qid, seq);
        } catch (StoreException e) {
            throw unreadable(e);
        }
    }

    /** Up to {@code max} stored items from {@code seq} on, below {@code until}. */
    List<StoredItem> from(long qid, long seq, long until, int max) {
        try {
            return store.scan(qid, seq, until, max, Integer.MAX_VALUE);
        } catch (StoreException e) {
            throw unreadable(e);
        }
    }

    /** Up to {@code max} items from the head, handed-back ones first, without moving. */
    List<StoredItem> peek(long qid, long until, int max) {
        List<StoredItem> out = new ArrayList<>(Math.min(max, 1024));
        for (long seq : returned) {
            if (out.size() >= max) {
                return out;
            }
            ItemRecord r = at(qid, seq);
            if (r != null) {
                out.add(new StoredItem(seq, r));
            }
        }
        out.addAll(from(qid, cursor, until, max - out.size()));
        worked();
        return out;
    }

    /**
     * A read of this queue's items failed: the queue cannot get past a damaged block of the store.
     * Logged once (until a read works again), naming the queue; the error goes to the client.
     */
    private StoreException unreadable(StoreException e) {
        if (!failing) {
            failing = true;
            LOG.errorf("queue '%s': its items cannot be read (%s). Its reads answer SERVER_ERROR until the store "
                    + "is repaired (start once with darner.repair-on-start=true), or it is flushed or deleted; "
                    + "the other queues are not affected", name, e.getMessage());
        }
        return new StoreException("cannot read queue " + name + ": " + e.getMessage(), e);
    }

    private void worked() {
        if (failing) {
            failing = false;
            LOG.infof("queue '%s': its items can be read again", name);
        }
    }
}
