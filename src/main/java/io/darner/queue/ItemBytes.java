package io.darner.queue;

import io.darner.storage.ChunkReader;

/**
 * The bytes of one item, in order: a small item's data in one piece, a large item's chunk by chunk
 * from the store, so that a reader streams it without holding it whole. Close it when done (it may
 * pin a snapshot of the store).
 */
public final class ItemBytes implements AutoCloseable {
    private byte[] small;
    private final ChunkReader chunks;

    ItemBytes(byte[] small, ChunkReader chunks) {
        this.small = small;
        this.chunks = chunks;
    }

    public boolean hasNext() {
        return chunks == null ? small != null : chunks.hasNext();
    }

    /**
     * The next piece. A large item whose chunks are gone (its queue flushed or deleted meanwhile)
     * throws the store's exception, an {@link java.io.UncheckedIOException}.
     */
    public byte[] next() {
        if (chunks != null) {
            return chunks.next();
        }
        byte[] piece = small;
        small = null;
        return piece;
    }

    @Override
    public void close() {
        if (chunks != null) {
            chunks.close();
        }
    }
}
