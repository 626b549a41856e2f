package io.darner.storage;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.WriteBatch;

import java.io.IOException;

/**
 * Streams a large item into chunk keys as its data arrives, so that the heap holds one chunk per
 * item being received, never the item. The first chunk is written together with a pending marker;
 * the item record that makes the item visible deletes the marker in the same batch
 * ({@link QueueStore#append}). A crash before that leaves the marker, and the next open removes the
 * chunks it names: a half-received item is never seen.
 */
public final class BlobWriter {
    private final DB db;
    private final long blobId;
    private final byte[] chunk;
    private int filled;
    private int chunksWritten;
    private boolean done;

    private final StoreFailures failures;

    BlobWriter(DB db, long blobId, int chunkSize, StoreFailures failures) {
        this.db = db;
        this.failures = failures;
        this.blobId = blobId;
        this.chunk = new byte[chunkSize];
    }

    public long blobId() {
        return blobId;
    }

    public void write(byte[] buf, int offset, int length) {
        while (length > 0) {
            int n = Math.min(length, chunk.length - filled);
            System.arraycopy(buf, offset, chunk, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == chunk.length) {
                flushChunk();
            }
        }
    }

    /**
     * Writes the last partial chunk; the data is then complete in the store, still invisible until
     * {@link QueueStore#append}. Calling it again does nothing.
     */
    public void finish() {
        if (filled > 0) {
            flushChunk();
        }
        done = true;
    }

    /** Removes whatever was written: the item will never be committed. */
    public void abort() {
        if (done && chunksWritten == 0) {
            return;
        }
        done = true;
        try (WriteBatch batch = db.createWriteBatch()) {
            for (int i = 0; i < chunksWritten; i++) {
                batch.delete(Keys.chunk(blobId, i));
            }
            batch.delete(Keys.pendingBlob(blobId));
            db.write(batch);
        } catch (IOException | RuntimeException e) {
            // the marker stays: the next open removes the chunks
        }
    }

    private void flushChunk() {
        // a copy, always: the Java engine keeps the array it is given (in its memtable), and this one is refilled
        byte[] value = java.util.Arrays.copyOf(chunk, filled);
        try (WriteBatch batch = db.createWriteBatch()) {
            if (chunksWritten == 0) {
                batch.put(Keys.pendingBlob(blobId), new byte[0]);
            }
            batch.put(Keys.chunk(blobId, chunksWritten), value);
            db.write(batch);
        } catch (IOException | RuntimeException e) {
            throw failures.write(e);
        }
        chunksWritten++;
        filled = 0;
    }
}
