package io.darner.storage;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.WriteBatch;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The chunks of a large item that several items share (the copies of a fanout): a reference count
 * under key type 0x08 of {@link Keys}, written before any of the items is stored, and the chunks
 * deleted with the last of them. No count means one reference.
 *
 * <p>A count is read and rewritten under one lock, and each release is one batch with the deletion
 * of its item: a crash leaves either both or neither.
 */
final class SharedBlobs {
    private final DB db;
    private final StoreFailures failures;
    /** Held while a reference count is read and rewritten. */
    private final Object references = new Object();

    SharedBlobs(DB db, StoreFailures failures) {
        this.db = db;
        this.failures = failures;
    }

    /** Marks a large item's chunks as shared by {@code count} items. */
    void share(long blobId, int count) {
        try {
            db.put(Keys.blobReferences(blobId), ByteBuffer.allocate(4).putInt(count).array());
        } catch (RuntimeException e) {
            throw failures.write(e);
        }
    }

    /** Adds to {@code batch} the mark of a large item's chunks as shared by {@code count} items. */
    static void share(WriteBatch batch, long blobId, int count) {
        batch.put(Keys.blobReferences(blobId), ByteBuffer.allocate(4).putInt(count).array());
    }

    /** Gives up one reference to a shared large item that was not stored after all. */
    void release(ItemRecord record) {
        synchronized (references) {
            try (WriteBatch batch = db.createWriteBatch()) {
                release(batch, record);
                db.write(batch);
            } catch (IOException | RuntimeException e) {
                throw failures.write(e);
            }
        }
    }

    /** Deletes a large item's record and releases its reference to the chunks, in one batch. */
    void deleteItem(byte[] itemKey, ItemRecord record) {
        synchronized (references) {
            try (WriteBatch batch = db.createWriteBatch()) {
                batch.delete(itemKey);
                release(batch, record);
                db.write(batch);
            } catch (IOException | RuntimeException e) {
                throw failures.write(e);
            }
        }
    }

    /** Adds to {@code batch} the release of one reference to the record's chunks; holds {@link #references}. */
    private void release(WriteBatch batch, ItemRecord record) {
        byte[] refsKey = Keys.blobReferences(record.blobId());
        byte[] v;
        try {
            v = db.get(refsKey, QueueStore.VERIFIED);
        } catch (RuntimeException e) {
            throw failures.read(e);
        }
        int refs = v == null ? 1 : ByteBuffer.wrap(v).getInt();
        if (refs > 1) {
            batch.put(refsKey, ByteBuffer.allocate(4).putInt(refs - 1).array());
            return;
        }
        int chunks = (int) ((record.length() + (long) QueueStore.CHUNK_SIZE - 1) / QueueStore.CHUNK_SIZE);
        for (int i = 0; i < chunks; i++) {
            batch.delete(Keys.chunk(record.blobId(), i));
        }
        batch.delete(refsKey);
        batch.delete(Keys.pendingBlob(record.blobId()));
    }
}
