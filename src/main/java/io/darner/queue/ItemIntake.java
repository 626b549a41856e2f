package io.darner.queue;

import io.darner.storage.BlobWriter;
import io.darner.storage.ItemRecord;
import io.darner.storage.QueueStore;
import io.darner.storage.StoreException;

/**
 * One item coming in, whatever brings it (a memcache set, an admin POST): begun with its length
 * ({@link QueueRepository#beginItem}), written in pieces as they arrive, then finished into a queue
 * or aborted. A small item is gathered into one array of its exact size; a large one (over a
 * store chunk) is written to the store chunk by chunk as it arrives, so the heap never holds it
 * whole. A store failure while writing is kept and reported by {@link #finish}.
 */
public final class ItemIntake {
    /** The largest item kept whole in one record; larger ones are written in chunks as they come. */
    public static final int SMALL_MAX = QueueStore.CHUNK_SIZE;

    private final QueueRepository repo;
    private final byte[] data;
    private final BlobWriter blob;
    /** Bytes taken so far: a small item's length is known at the start, a large one's is what came. */
    private int filled;
    private StoreException failure;
    private boolean done;

    ItemIntake(QueueRepository repo, int length, BlobWriter blob) {
        this.repo = repo;
        this.blob = blob;
        this.data = blob == null ? new byte[length] : null;
    }

    /** Whether the item is large: written to the store as it arrives. */
    public boolean isLarge() {
        return blob != null;
    }

    /** The item's length: of a small item as begun, of a large one what was written so far. */
    public int length() {
        return data != null ? data.length : filled;
    }

    /** Takes the next piece of the data; the pieces add up to the length given at the start. */
    public void write(byte[] buf, int offset, int count) {
        if (failure != null || done) {
            return;
        }
        if (blob == null) {
            System.arraycopy(buf, offset, data, filled, count);
            filled += count;
            return;
        }
        try {
            blob.write(buf, offset, count);
            filled += count;
        } catch (StoreException e) {
            failure = e;
            blob.abort();
        }
    }

    /** Whether writing the data failed already: {@link #finish} will throw. */
    public boolean failed() {
        return failure != null;
    }

    /**
     * Stores the item at the tail of {@code queue} (and its fanout children) with the memcache
     * {@code exptime} (see {@link Expiry}). NOT_STORED when the queue refuses it (full, too large,
     * a fanout-only parent without children); the store's failure is thrown.
     */
    public PutResult finish(String queue, long flags, long exptime) {
        return finish(queue, flags, exptime, 0);
    }

    /**
     * {@link #finish(String, long, long)}, the item joining the queue (and each fanout child) only
     * {@code delayMs} from now when over 0: stored at once, handed out when due.
     */
    public PutResult finish(String queue, long flags, long exptime, long delayMs) {
        done = true;
        if (failure != null) {
            throw failure;
        }
        long now = repo.clock().millis();
        long expiresAt = Expiry.fromExptime(exptime, now);
        ItemRecord record = blob == null ? ItemRecord.inline(flags, expiresAt, now, data)
                : new ItemRecord(flags, expiresAt, now, 0, filled, blob.blobId(), null);
        return repo.put(queue, record, blob, delayMs); // the repository owns the chunks from here
    }

    /** The item will not be stored (its connection ended, its request was refused): its chunks go. */
    public void abort() {
        if (!done) {
            done = true;
            if (blob != null && failure == null) {
                blob.abort();
            }
        }
    }

    static boolean isLarge(int length) {
        return length > SMALL_MAX;
    }
}
