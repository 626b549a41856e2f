package io.darner.storage;

import org.iq80.leveldb.Snapshot;

import java.io.IOException;

/**
 * Reads a large item's data chunk by chunk, so a reply streams it without holding it. With a
 * snapshot it reads a consistent view even if another client removes the item meanwhile (a peek).
 */
public final class ChunkReader implements AutoCloseable {
    private final QueueStore store;
    private final ItemRecord record;
    private final Snapshot snapshot;
    private final int chunks;
    private int next;

    ChunkReader(QueueStore store, ItemRecord record, Snapshot snapshot) {
        this.store = store;
        this.record = record;
        this.snapshot = snapshot;
        this.chunks = (int) ((record.length() + (long) QueueStore.CHUNK_SIZE - 1) / QueueStore.CHUNK_SIZE);
    }

    public boolean hasNext() {
        return next < chunks;
    }

    /** The next chunk; a missing chunk (the item was purged meanwhile) is an error. */
    public byte[] next() {
        byte[] chunk = store.chunk(record.blobId(), next, snapshot);
        if (chunk == null) {
            throw new StoreException("item data is gone (queue flushed or deleted meanwhile)");
        }
        next++;
        return chunk;
    }

    @Override
    public void close() {
        if (snapshot != null) {
            try {
                snapshot.close();
            } catch (IOException ignored) {
                // releasing a snapshot cannot fail in leveldbjni
            }
        }
    }
}
