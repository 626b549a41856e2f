package io.darner.storage;

import java.nio.ByteBuffer;

/**
 * What a clean stop saves of one queue, so that the next open need not recount it (key type 0x06
 * of {@link Keys}): encoded as items(8) bytes(8) nextSeq(8), big-endian.
 *
 * @param items items stored, open ones included (they are items again at the next open)
 * @param bytes their data bytes
 * @param nextSeq the seq the queue's next item gets
 */
public record StoredCounts(long items, long bytes, long nextSeq) {
    static final int LENGTH = 3 * Long.BYTES;

    byte[] encode() {
        return ByteBuffer.allocate(LENGTH).putLong(items).putLong(bytes).putLong(nextSeq).array();
    }

    /**
     * The counts in {@code value}, or null if it holds no counts of this layout (the first
     * versions saved items and bytes only): the queue is then recounted from its items.
     */
    static StoredCounts decode(byte[] value) {
        if (value.length != LENGTH) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        return new StoredCounts(b.getLong(), b.getLong(), b.getLong());
    }
}
