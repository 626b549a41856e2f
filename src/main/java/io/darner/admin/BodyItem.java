package io.darner.admin;

import io.darner.queue.QueueRepository;
import io.darner.storage.BlobWriter;
import io.darner.storage.ItemRecord;
import io.darner.storage.QueueStore;

import java.io.IOException;
import java.io.InputStream;

/**
 * An item's data read from a request body the way a memcache set receives it: a small item into
 * one array, a large one (over a chunk) streamed into the store chunk by chunk, so the heap never
 * holds a large item whole.
 */
final class BodyItem {
    private final byte[] data;
    private final BlobWriter blob;
    private final int length;

    private BodyItem(byte[] data, BlobWriter blob, int length) {
        this.data = data;
        this.blob = blob;
        this.length = length;
    }

    /** Reads the body; 413 as soon as it passes {@code maxSize} (whatever was stored goes). */
    static BodyItem read(InputStream body, long maxSize, QueueRepository repo) throws IOException {
        byte[] first = body.readNBytes(QueueStore.CHUNK_SIZE + 1);
        if (first.length > maxSize) {
            throw tooLarge(maxSize);
        }
        if (first.length <= QueueStore.CHUNK_SIZE) {
            return new BodyItem(first, null, first.length);
        }
        BlobWriter blob = repo.newBlob();
        try {
            long length = first.length;
            blob.write(first, 0, first.length);
            byte[] buf = new byte[QueueStore.CHUNK_SIZE];
            for (int n; (n = body.read(buf)) > 0; ) {
                length += n;
                if (length > maxSize) {
                    throw tooLarge(maxSize);
                }
                blob.write(buf, 0, n);
            }
            return new BodyItem(null, blob, (int) length);
        } catch (IOException | RuntimeException e) {
            blob.abort();
            throw e;
        }
    }

    static ApiException tooLarge(long maxSize) {
        return ApiException.tooLarge("item larger than the maximum item size of " + maxSize + " bytes");
    }

    int length() {
        return length;
    }

    /** The chunks written, for a large item, else null. */
    BlobWriter blob() {
        return blob;
    }

    ItemRecord record(long flags, long expiresAt, long nowMs) {
        return blob == null ? ItemRecord.inline(flags, expiresAt, nowMs, data)
                : new ItemRecord(flags, expiresAt, nowMs, 0, length, blob.blobId(), null);
    }

    /** The item was not stored: its chunks go. */
    void abort() {
        if (blob != null) {
            blob.abort();
        }
    }
}
