package io.darner.server;

import io.darner.protocol.DataChunk;
import io.darner.protocol.Request;
import io.darner.queue.Expiry;
import io.darner.storage.BlobWriter;
import io.darner.storage.ItemRecord;
import io.darner.storage.StoreException;

/**
 * The data of one set as it arrives: small items into one array of their exact size, large ones
 * streamed to the store chunk by chunk. A refused set still reads its data, to stay in step.
 */
final class ItemReceiver {
    final Request.Set set;
    /** Why the item will not be stored (reported after the data), or null. */
    private String refusal;
    private final BlobWriter blob;
    private final byte[] data;
    private int filled;

    ItemReceiver(Request.Set set, String refusal, BlobWriter blob) {
        this.set = set;
        this.refusal = refusal;
        this.blob = refusal == null ? blob : null;
        this.data = refusal == null && blob == null ? new byte[set.bytes()] : null;
    }

    void write(DataChunk c) {
        if (refusal != null) {
            return;
        }
        if (blob == null) {
            System.arraycopy(c.buf(), c.offset(), data, filled, c.length());
            filled += c.length();
            return;
        }
        try {
            blob.write(c.buf(), c.offset(), c.length());
        } catch (StoreException e) {
            refusal = e.getMessage();
            blob.abort();
        }
    }

    String refusal() {
        return refusal;
    }

    /** A large item, streamed into the store as it arrives. */
    boolean isLarge() {
        return blob != null;
    }

    BlobWriter blob() {
        return blob;
    }

    ItemRecord record(long nowMs) {
        long expiresAt = Expiry.fromExptime(set.exptime(), nowMs);
        if (blob == null) {
            return ItemRecord.inline(set.flags(), expiresAt, nowMs, data);
        }
        return new ItemRecord(set.flags(), expiresAt, nowMs, 0, set.bytes(), blob.blobId(), null);
    }

    /** The connection ended or the store refused: whatever was written goes. */
    void abort() {
        if (blob != null) {
            blob.abort();
        }
    }
}
